// How ingest stores documents (issue 7): raw bytes compressed (schema 6), with a database
// of the schema before (raw bytes as they are, no compression column) upgraded by the
// first read-write command and read back the same by rebuild, show and export; and the
// search index rows written with each article equal to those the index update derives.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "store/store.h"
#include "tests/e2e/cli_runner.h"
#include "tests/e2e/readback.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;

// The seeds (text) and the extraction samples (HTML, both scripts) in one directory.
std::string CopyInputs(const TempDir& tmp) {
  const fs::path dir = tmp.path() / "in";
  fs::create_directories(dir);
  for (const char* from :
       {NEWSCLAIM_SOURCE_DIR "/corpus/seeds", NEWSCLAIM_SOURCE_DIR "/tests/data/extraction/aeb",
        NEWSCLAIM_SOURCE_DIR "/tests/data/extraction/zh"}) {
    for (const auto& e : fs::directory_iterator(from)) {
      const std::string ext = e.path().extension().string();
      if (ext == ".html" || ext == ".txt") fs::copy_file(e.path(), dir / e.path().filename());
    }
  }
  return dir.string();
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << sql << ": " << (err ? err : "");
  sqlite3_free(err);
}

// Turns a database this program wrote into one the program before schema 6 wrote: every
// raw row holds the file's own bytes (checked against its sha256), the compression column
// is gone and user_version is 5. Returns how many rows were stored compressed.
int Downgrade(const std::string& db_path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  std::map<std::string, std::string> originals;  // sha256 -> bytes
  int packed = 0;
  sqlite3_stmt* q = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT sha256, first_uri, compression, size, length(bytes) "
                               "FROM raw_documents",
                               -1, &q, nullptr),
            SQLITE_OK);
  while (sqlite3_step(q) == SQLITE_ROW) {
    const std::string sha = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    const std::string uri = reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
    const bool zlib = sqlite3_column_type(q, 2) != SQLITE_NULL;
    if (zlib) {
      ++packed;
      EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 2)), "zlib");
      EXPECT_LT(sqlite3_column_int64(q, 4), sqlite3_column_int64(q, 3)) << uri;
    } else {
      EXPECT_EQ(sqlite3_column_int64(q, 4), sqlite3_column_int64(q, 3)) << uri;
    }
    const std::string bytes = ReadAll(uri);
    EXPECT_EQ(Sha256Hex(bytes), sha) << uri;
    EXPECT_EQ(static_cast<int64_t>(bytes.size()), sqlite3_column_int64(q, 3)) << uri;
    originals[sha] = bytes;
  }
  sqlite3_finalize(q);
  Exec(db, "BEGIN");
  EXPECT_EQ(sqlite3_prepare_v2(db, "UPDATE raw_documents SET bytes = ?2 WHERE sha256 = ?1", -1, &q,
                               nullptr),
            SQLITE_OK);
  for (const auto& [sha, bytes] : originals) {
    sqlite3_bind_text(q, 1, sha.data(), static_cast<int>(sha.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(q, 2, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(q), SQLITE_DONE);
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  Exec(db, "ALTER TABLE raw_documents DROP COLUMN compression");
  Exec(db, "PRAGMA user_version = 5");
  Exec(db, "COMMIT");
  sqlite3_close(db);
  return packed;
}

TEST(IngestStorageTest, RawBytesCompressedAndOldSchemaUpgradedAndReadable) {
  TempDir tmp;
  const std::string in = CopyInputs(tmp);
  const std::string db = tmp / "n.db";
  CliResult r = RunCli(tmp, {"ingest", "-q", "--db", db, in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const int docs = static_cast<int>(SqlCount(db, "SELECT count(*) FROM raw_documents"));
  ASSERT_GE(docs, 15);
  EXPECT_EQ(SqlCount(db, "PRAGMA user_version"), store::Store::SchemaVersion());
  const Exports before = ExportAll(tmp, db);
  ASSERT_FALSE(before.jsonl.empty());
  // A figure to show, found by its text (ids are compared across the upgrade).
  const std::vector<std::string> figure =
      SqlColumn(db, "SELECT id FROM figures WHERE text = '超過800億美元'");
  ASSERT_EQ(figure.size(), 1u);
  r = RunCli(tmp, {"show", figure[0], "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Everything but the run that made the article (the rebuild below is another run).
  const std::string shown = r.out.substr(0, r.out.find("\nrun "));
  ASSERT_NE(shown.find("raw document"), std::string::npos) << r.out;

  // Every document here compresses (HTML and text, all above the minimum size).
  EXPECT_EQ(Downgrade(db), docs);
  EXPECT_EQ(SqlCount(db, "PRAGMA user_version"), 5);
  EXPECT_EQ(SqlCount(db,
                     "SELECT count(*) FROM pragma_table_info('raw_documents') "
                     "WHERE name = 'compression'"),
            0);
  // A read-only command asks for the upgrade; the first read-write one does it.
  r = RunCli(tmp, {"export", "--format", "jsonl", "--db", db});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("migration"), std::string::npos) << r.err;
  r = RunCli(tmp, {"rebuild", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SqlCount(db, "PRAGMA user_version"), store::Store::SchemaVersion());
  // Rebuilt from the old rows (stored as they are, compression NULL): the same result.
  EXPECT_EQ(SqlCount(db, "SELECT count(*) FROM raw_documents WHERE compression IS NULL"), docs);
  EXPECT_TRUE(ExportAll(tmp, db) == before);
  r = RunCli(tmp, {"show", figure[0], "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find("\nrun ")), shown);
  EXPECT_NE(r.out.find("command    rebuild"), std::string::npos) << r.out;

  // New documents are stored compressed beside the old rows; a rebuild reads both kinds.
  const std::string more = tmp / "more";
  fs::create_directories(more);
  const std::string text =
      "Outlet: Test Wire\nTitle: Packed\nPublished: 2026-03-01\n\n"
      "Shipments rose 12% to 3.5 million units, the company said. " +
      std::string(2000, 'x') + "\n";
  { std::ofstream(more + "/new.txt", std::ios::binary) << text; }
  r = RunCli(tmp, {"ingest", "-q", "--db", db, more});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SqlCount(db, "SELECT count(*) FROM raw_documents WHERE compression = 'zlib'"), 1);
  EXPECT_EQ(SqlCount(db, "SELECT count(*) FROM raw_documents WHERE compression IS NULL"), docs);
  const Exports with_new = ExportAll(tmp, db);
  r = RunCli(tmp, {"rebuild", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ExportAll(tmp, db) == with_new);
  EXPECT_NE(with_new.jsonl.find("Shipments rose 12%"), std::string::npos);
  // The raw bytes came back whole: the rebuilt articles name the same sha256 as before.
  EXPECT_EQ(SqlCount(db,
                     "SELECT count(*) FROM articles a JOIN raw_documents r "
                     "ON r.sha256 = a.raw_sha256"),
            docs + 1);
}

// One table's rows, in a fixed order, as text.
std::vector<std::string> Rows(const std::string& db, const std::string& table,
                              const std::string& columns, const std::string& order) {
  return SqlColumn(db, "SELECT " + columns + " FROM " + table + " ORDER BY " + order);
}

TEST(IngestStorageTest, IndexWrittenWithArticlesEqualsIndexUpdate) {
  TempDir tmp;
  const std::string in = CopyInputs(tmp);
  const std::string inline_db = tmp / "inline.db", later_db = tmp / "later.db";
  CliResult r = RunCli(tmp, {"ingest", "-q", "--threads", "2", "--db", inline_db, in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // --no-index leaves every index row to the update `duplicates` runs first.
  r = RunCli(tmp, {"ingest", "-q", "--no-index", "--db", later_db, in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SqlCount(later_db, "SELECT count(*) FROM article_index"), 0);
  r = RunCli(tmp, {"duplicates", "--db", later_db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_GT(SqlCount(later_db, "SELECT count(*) FROM article_index"), 0);
  ASSERT_GT(SqlCount(later_db, "SELECT count(*) FROM claim_index"), 0);
  const std::vector<std::vector<std::string>> specs = {
      {"article_index",
       "article_id || ' ' || body_hash || ' ' || shingles || ' ' || "
       "coalesce(hex(minhash), '-')",
       "article_id"},
      {"claim_index", "figure_id || ' ' || article_id", "figure_id"},
      // The FTS5 tables' stored columns (what their tokenizer indexed).
      {"article_fts_content", "id || ' ' || c0 || ' ' || c1", "id"},
      {"claim_fts_content", "id || ' ' || c0 || ' ' || c1 || ' ' || c2", "id"},
      {"article_clusters", "article_id || ' ' || cluster_id || ' ' || method", "article_id"},
  };
  for (const auto& s : specs) {
    EXPECT_EQ(Rows(inline_db, s[0], s[1], s[2]), Rows(later_db, s[0], s[1], s[2])) << s[0];
  }
  // And the searches agree.
  for (const char* query : {"NVIDIA", "晶片", "芯片", "billion"}) {
    CliResult a = RunCli(tmp, {"search", query, "--db", inline_db});
    CliResult b = RunCli(tmp, {"search", query, "--db", later_db});
    EXPECT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.out, b.out) << query;
    a = RunCli(tmp, {"search", "--claims", query, "--db", inline_db});
    b = RunCli(tmp, {"search", "--claims", query, "--db", later_db});
    EXPECT_EQ(a.out, b.out) << query;
  }
}

}  // namespace
}  // namespace newsclaim::testing
