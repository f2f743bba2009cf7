// Tests for the shared core: SHA-256 vectors, UTF-8 helpers, Status.
#include <gtest/gtest.h>

#include <string>

#include "core/sha256.h"
#include "core/status.h"
#include "core/utf8.h"

namespace newsclaim {
namespace {

TEST(Sha256Test, FipsVectors) {
  struct Case {
    std::string input;
    std::string hex;
  };
  const Case cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input.substr(0, 20));
    EXPECT_EQ(Sha256Hex(c.input), c.hex);
  }
}

TEST(Utf8Test, ValidAndInvalid) {
  EXPECT_TRUE(utf8::IsValid("abc"));
  EXPECT_TRUE(utf8::IsValid("晶片 \xEF\xBF\xBD"));
  EXPECT_FALSE(utf8::IsValid("\xC0\xAF"));          // overlong
  EXPECT_FALSE(utf8::IsValid("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(utf8::IsValid("\xE6\x99"));          // truncated
  EXPECT_FALSE(utf8::IsValid("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Utf8Test, RoundTripAndCount) {
  const std::string s = "a晶😀";
  size_t pos = 0;
  std::string out;
  while (pos < s.size()) utf8::Append(utf8::Next(s, &pos), &out);
  EXPECT_EQ(out, s);
  EXPECT_EQ(utf8::CodePointCount(s, s.size()), 3u);
  EXPECT_EQ(utf8::CodePointCount(s, 4), 2u);
}

TEST(StatusTest, OrCarriesValueOrError) {
  StatusOr<int> v = 3;
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(*v, 3);
  StatusOr<int> e = NotFoundError("x");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().ToString(), "not_found: x");
}

}  // namespace
}  // namespace newsclaim
