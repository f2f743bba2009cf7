// Bad input never stops a run: binary, empty, invalid UTF-8 and truncated HTML beside a
// good article each end as an error record or a clean article, the good one is ingested,
// the run exits 1, and the database passes its integrity check.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "tests/e2e/cli_runner.h"

namespace newsclaim::testing {
namespace {

int64_t Count(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* q = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW) {
    n = sqlite3_column_int64(q, 0);
  }
  sqlite3_finalize(q);
  return n;
}

std::string Text(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* q = nullptr;
  std::string s;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)) {
    s = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
  }
  sqlite3_finalize(q);
  return s;
}

TEST(BadInputEndToEnd, EachFailureRecordedRunCompletes) {
  TempDir tmp;
  const std::filesystem::path in = tmp.path() / "in";
  std::filesystem::create_directories(in);
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 7919) % 256));
  std::ofstream(in / "binary.bin", std::ios::binary) << binary;
  std::ofstream(in / "empty.txt", std::ios::binary);
  std::ofstream(in / "invalid.txt", std::ios::binary)
      << "\xff\xfe\xfd\x80\x81 \xc3\x28 \xa0\xa1 \xf0\x28\x8c\xbc \xe2\x82 \xff\xff\xff\xff";
  std::ofstream(in / "truncated.html", std::ios::binary)
      << "<!DOCTYPE html><html><head><title>截斷的頁面</title></head><body><article><p>"
         "華為昇騰910C晶片的良率約為30%，據報導今年產量超過十萬顆。</p><p>第二段<a hr";
  std::filesystem::copy_file(NEWSCLAIM_SOURCE_DIR "/corpus/seeds/000_deaf9d1a60bb2f27.txt",
                             in / "good.txt");
  const std::string db = tmp / "bad.db";
  CliResult r = RunCli(tmp, {"ingest", in.string(), "--db", db});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("failed"), std::string::npos);

  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  EXPECT_EQ(Text(h, "PRAGMA integrity_check"), "ok");
  // Every file's bytes are kept, whatever became of them.
  EXPECT_EQ(Count(h, "SELECT count(*) FROM raw_documents"), 5);
  // The good article and the truncated page are articles; binary and empty are errors.
  EXPECT_EQ(Count(h, "SELECT count(*) FROM articles WHERE uri LIKE '%good.txt'"), 1);
  EXPECT_EQ(Count(h, "SELECT count(*) FROM articles WHERE uri LIKE '%truncated.html'"), 1);
  EXPECT_EQ(Count(h, "SELECT count(*) FROM errors WHERE uri LIKE '%binary.bin'"), 1);
  EXPECT_EQ(Count(h, "SELECT count(*) FROM errors WHERE uri LIKE '%empty.txt'"), 1);
  // Invalid UTF-8 is either refused with a reason or decoded with its replacements counted.
  EXPECT_EQ(Count(h,
                  "SELECT (SELECT count(*) FROM errors WHERE uri LIKE '%invalid.txt') + "
                  "(SELECT count(*) FROM articles WHERE uri LIKE '%invalid.txt' "
                  "AND (replaced_bytes > 0 OR charset != 'UTF-8'))"),
            1);
  EXPECT_EQ(Count(h, "SELECT count(*) FROM errors WHERE message = '' OR code = ''"), 0);
  // The truncated page still yields its claims.
  EXPECT_GE(Count(h,
                  "SELECT count(*) FROM figures f JOIN articles a ON a.id = f.article_id "
                  "WHERE a.uri LIKE '%truncated.html'"),
            2);
  EXPECT_EQ(Count(h,
                  "SELECT count(*) FROM chip_mentions c JOIN articles a ON a.id = "
                  "c.article_id WHERE a.uri LIKE '%truncated.html' AND "
                  "c.canonical = 'Huawei Ascend 910C'"),
            1);
  sqlite3_close(h);

  CliResult exp = RunCli(tmp, {"export", "--format", "jsonl", "--db", db});
  EXPECT_EQ(exp.exit_code, 0) << exp.err;
}

TEST(BadInputEndToEnd, UnwritableDatabaseIsRunLevelError) {
  TempDir tmp;
  CliResult r = RunCli(
      tmp, {"ingest", NEWSCLAIM_SOURCE_DIR "/corpus/seeds", "--db", tmp / "no/such/dir/x.db"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("newsclaim:"), std::string::npos);
  CliResult e = RunCli(tmp, {"export", "--format", "csv", "--db", tmp / "missing.db"});
  EXPECT_EQ(e.exit_code, 2);
}

}  // namespace
}  // namespace newsclaim::testing
