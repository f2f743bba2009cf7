// Store: the warc_records index (migration 3) of archived HTTP responses.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"

namespace newsclaim::store {
namespace {

namespace fs = std::filesystem;

class WarcIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("nc_store_warc_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    Cleanup();
  }
  void TearDown() override { Cleanup(); }
  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  static Store::WarcRecord Record(const std::string& sha, const std::string& uri,
                                  const std::string& file, int64_t offset,
                                  const std::string& date) {
    Store::WarcRecord r;
    r.raw_sha256 = sha;
    r.target_uri = uri;
    r.warc_file = file;
    r.offset = offset;
    r.length = 1234;
    r.record_id = "<urn:uuid:" + std::to_string(offset) + ">";
    r.date = date;
    r.http_status = 200;
    return r;
  }
  fs::path path_;
};

TEST_F(WarcIndexTest, PutIsIdempotentPerFileAndOffset) {
  auto db = Store::Open(path_.string(), {});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const std::string sha(64, 'a');
  const auto r = Record(sha, "https://udn.com/news/1", "a.warc.gz", 512, "2026-11-23T18:00:00Z");
  auto added = (*db)->PutWarcRecord(r);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE(*added);
  added = (*db)->PutWarcRecord(r);
  ASSERT_TRUE(added.ok());
  EXPECT_FALSE(*added);
  auto rows = (*db)->FindWarcRecordsByUri("https://udn.com/news/1");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 1u);
}

TEST_F(WarcIndexTest, FindsBySha256AndUriNewestFirst) {
  auto db = Store::Open(path_.string(), {});
  ASSERT_TRUE(db.ok());
  const std::string a(64, 'a'), b(64, 'b');
  const std::string uri = "https://www.cna.com.tw/news/aipl/1.aspx";
  ASSERT_TRUE((*db)->PutWarcRecord(Record(a, uri, "x.warc.gz", 10, "2026-11-01T00:00:00Z")).ok());
  ASSERT_TRUE((*db)->PutWarcRecord(Record(b, uri, "y.warc.gz", 20, "2026-11-02T00:00:00Z")).ok());
  ASSERT_TRUE(
      (*db)
          ->PutWarcRecord(Record(a, "https://other/", "y.warc.gz", 30, "2026-11-03T00:00:00Z"))
          .ok());
  Store::WarcRecord no_doc = Record("", uri, "y.warc.gz", 40, "2026-11-04T00:00:00Z");
  no_doc.http_status = 404;
  ASSERT_TRUE((*db)->PutWarcRecord(no_doc).ok());

  auto by_sha = (*db)->FindWarcRecordsBySha256(a);
  ASSERT_TRUE(by_sha.ok()) << by_sha.status().ToString();
  ASSERT_EQ(by_sha->size(), 2u);
  EXPECT_EQ((*by_sha)[0].offset, 30);
  EXPECT_EQ((*by_sha)[1].offset, 10);
  EXPECT_EQ((*by_sha)[1].warc_file, "x.warc.gz");
  EXPECT_EQ((*by_sha)[1].length, 1234);
  EXPECT_EQ((*by_sha)[1].record_id, "<urn:uuid:10>");
  EXPECT_EQ((*by_sha)[1].http_status, 200);

  auto by_uri = (*db)->FindWarcRecordsByUri(uri);
  ASSERT_TRUE(by_uri.ok());
  ASSERT_EQ(by_uri->size(), 3u);
  EXPECT_EQ((*by_uri)[0].http_status, 404);
  EXPECT_EQ((*by_uri)[0].raw_sha256, "");  // stored as NULL, read back as ""
  EXPECT_EQ((*by_uri)[1].raw_sha256, b);
  EXPECT_EQ((*by_uri)[2].raw_sha256, a);

  auto none = (*db)->FindWarcRecordsByUri("https://never/");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(WarcIndexTest, NullShaIsStoredAsNullAndIndexesExist) {
  {
    auto db = Store::Open(path_.string(), {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->PutWarcRecord(Record("", "https://x/", "f.warc", 0, "d")).ok());
  }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto count = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(raw, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    const int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  };
  EXPECT_EQ(count("SELECT count(*) FROM warc_records WHERE raw_sha256 IS NULL"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                  "('warc_records_sha256', 'warc_records_uri')"),
            2);
  sqlite3_close(raw);
}

TEST_F(WarcIndexTest, RejectsEntriesWithoutFileAndReadOnly) {
  {
    auto db = Store::Open(path_.string(), {});
    ASSERT_TRUE(db.ok());
    auto bad = (*db)->PutWarcRecord(Record("", "https://x/", "", 0, "d"));
    EXPECT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
    auto negative = (*db)->PutWarcRecord(Record("", "https://x/", "f", -1, "d"));
    EXPECT_FALSE(negative.ok());
  }
  StoreOptions ro;
  ro.read_only = true;
  auto db = Store::Open(path_.string(), ro);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto put = (*db)->PutWarcRecord(Record("", "https://x/", "f", 0, "d"));
  EXPECT_EQ(put.status().code(), StatusCode::kFailedPrecondition);
  auto find = (*db)->FindWarcRecordsByUri("https://x/");
  EXPECT_TRUE(find.ok());  // lookups work read-only
}

}  // namespace
}  // namespace newsclaim::store
