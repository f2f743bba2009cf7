// Helpers shared by the store unit tests: a fresh database path per test, raw documents.
#ifndef NEWSCLAIM_TESTS_UNIT_STORE_TEST_UTIL_H_
#define NEWSCLAIM_TESTS_UNIT_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/sha256.h"
#include "core/types.h"

namespace newsclaim::store::testing {

// A test with its own empty directory (removed afterwards) and a database path in it.
class TempDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nc_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

// A raw document of bytes with its SHA-256.
inline RawDocument MakeRaw(const std::string& uri, const std::string& bytes, DocFormat format) {
  RawDocument r;
  r.uri = uri;
  r.bytes = bytes;
  r.sha256 = Sha256Hex(bytes);
  r.format = format;
  return r;
}

}  // namespace newsclaim::store::testing

#endif  // NEWSCLAIM_TESTS_UNIT_STORE_TEST_UTIL_H_
