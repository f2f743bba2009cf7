// Store: the fetch_state table (migration 2) for incremental network ingestion.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"

namespace newsclaim::store {
namespace {

namespace fs = std::filesystem;

class FetchStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("nc_fetch_state_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    Cleanup();
  }
  void TearDown() override { Cleanup(); }
  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  fs::path path_;
};

TEST_F(FetchStateTest, RoundTripAndReplace) {
  auto db = Store::Open(path_.string(), {});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto missing = (*db)->GetFetchState("https://udn.com/news/story/7240/9001001");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  FetchState st;
  st.url = "https://udn.com/news/story/7240/9001001";
  st.etag = "\"v1\"";
  st.last_modified = "Mon, 23 Nov 2026 18:38:42 GMT";
  st.sha256 = std::string(64, 'a');
  st.http_status = 200;
  st.last_attempt = st.last_success = st.last_changed = "2026-11-23T18:38:42Z";
  ASSERT_TRUE((*db)->PutFetchState(st).ok());
  st.http_status = 503;
  st.last_attempt = "2026-11-23T18:53:42Z";
  st.failures = 1;
  ASSERT_TRUE((*db)->PutFetchState(st).ok());

  auto got = (*db)->GetFetchState(st.url);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  const FetchState& g = **got;
  EXPECT_EQ(g.url, st.url);
  EXPECT_EQ(g.etag, "\"v1\"");
  EXPECT_EQ(g.last_modified, st.last_modified);
  EXPECT_EQ(g.sha256, st.sha256);
  EXPECT_EQ(g.http_status, 503);
  EXPECT_EQ(g.last_attempt, "2026-11-23T18:53:42Z");
  EXPECT_EQ(g.last_success, "2026-11-23T18:38:42Z");
  EXPECT_EQ(g.last_changed, "2026-11-23T18:38:42Z");
  EXPECT_EQ(g.failures, 1);
  auto rows = (*db)->CountRows("fetch_state");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 1);
}

TEST_F(FetchStateTest, SurvivesReopen) {
  {
    auto db = Store::Open(path_.string(), {});
    ASSERT_TRUE(db.ok());
    FetchState st;
    st.url = "https://a.example/feed.xml";
    st.last_attempt = "2026-11-23T18:38:42Z";
    ASSERT_TRUE((*db)->PutFetchState(st).ok());
  }
  auto db = Store::Open(path_.string(), {});
  ASSERT_TRUE(db.ok());
  auto got = (*db)->GetFetchState("https://a.example/feed.xml");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->etag, "");
  EXPECT_EQ((*got)->failures, 0);
  auto read_only = Store::Open(path_.string(), {true});
  ASSERT_TRUE(read_only.ok());
  EXPECT_FALSE((*read_only)->GetFetchState("https://a.example/feed.xml").ok());
}

}  // namespace
}  // namespace newsclaim::store
