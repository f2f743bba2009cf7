// `newsclaim ingest --threads N` end to end: files, directories and --warc inputs give
// the same database whatever the thread count (JSONL and CSV exports byte-identical, the
// same error rows in the same order, the same duplicate clusters and run counts), copies
// of one document inside the analysis window count once, and a second run adds nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/e2e/cli_runner.h"
#include "tests/e2e/readback.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSource = NEWSCLAIM_SOURCE_DIR;

// Everything a run leaves that must not depend on the thread count.
struct Snapshot {
  Exports exports;
  std::string duplicates;
  std::vector<std::string> errors, uris, runs;  // uris: document_uris, then raw first URIs
};

Snapshot Take(const TempDir& tmp, const std::string& db) {
  Snapshot s;
  s.exports = ExportAll(tmp, db);
  CliResult r = RunCli(tmp, {"duplicates", "--json", "--no-update", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  s.duplicates = r.out;
  s.errors = SqlColumn(db,
                       "SELECT id || ' ' || uri || ' ' || stage || ' ' || code FROM errors "
                       "ORDER BY id");
  s.uris = SqlColumn(db, "SELECT uri || ' ' || sha256 FROM document_uris ORDER BY uri, sha256");
  const std::vector<std::string> raw =
      SqlColumn(db, "SELECT sha256 || ' ' || first_uri FROM raw_documents ORDER BY sha256");
  s.uris.insert(s.uris.end(), raw.begin(), raw.end());
  s.runs = SqlColumn(db,
                     "SELECT seen || ' ' || added || ' ' || unchanged || ' ' || failed "
                     "FROM runs ORDER BY id");
  return s;
}

void ExpectSame(const Snapshot& a, const Snapshot& b, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_TRUE(a.exports.jsonl == b.exports.jsonl) << "JSONL export differs";
  EXPECT_TRUE(a.exports.csv == b.exports.csv) << "CSV export differs";
  EXPECT_TRUE(a.exports.csv_articles == b.exports.csv_articles) << "per-article CSV differs";
  EXPECT_EQ(a.duplicates, b.duplicates);
  EXPECT_EQ(a.errors, b.errors);
  EXPECT_EQ(a.uris, b.uris);
  EXPECT_EQ(a.runs, b.runs);
}

// corpus/ (the seed articles), generated articles of bench/gen_corpus.py (HTML, markdown,
// text, both scripts), the real pages of the extraction tests, a copy of one document
// under a second name right after it, and two files that cannot become articles.
std::string MakeInputs(const TempDir& tmp) {
  const fs::path dir = tmp.path() / "in";
  fs::create_directories(dir / "corpus");
  fs::copy(kSource + "/corpus", dir / "corpus", fs::copy_options::recursive);
  for (const char* half : {"aeb", "zh"}) {
    fs::create_directories(dir / "pages" / half);
    for (const auto& e : fs::directory_iterator(kSource + "/tests/data/extraction/" + half)) {
      if (e.path().extension() == ".html") {
        fs::copy_file(e.path(), dir / "pages" / half / e.path().filename());
      }
    }
  }
  const std::string cmd = "python3 " + ShellQuote(kSource + "/bench/gen_corpus.py") + " --out " +
                          ShellQuote((dir / "gen").string()) + " --count 60 --seed 11 2>/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  // The first seed again under a name sorted right after it: same bytes, second URI.
  std::vector<fs::path> seeds;
  for (const auto& e : fs::directory_iterator(dir / "corpus" / "seeds")) seeds.push_back(e.path());
  std::sort(seeds.begin(), seeds.end());
  EXPECT_FALSE(seeds.empty());
  fs::copy_file(seeds[0], seeds[0].string() + ".copy");
  // Binary bytes (refused by normalize) and an empty file, in the middle of the order.
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 7919) % 251));
  std::ofstream(dir / "gen" / "m_binary.txt", std::ios::binary) << binary;
  std::ofstream(dir / "gen" / "n_empty.txt", std::ios::binary) << "";
  return dir.string();
}

CliResult Ingest(const TempDir& tmp, const std::vector<std::string>& inputs, const std::string& db,
                 const std::string& threads) {
  std::vector<std::string> args = {"ingest", "--db", db};
  if (!threads.empty()) {
    args.push_back("--threads");
    args.push_back(threads);
  }
  args.insert(args.end(), inputs.begin(), inputs.end());
  return RunCli(tmp, args);
}

TEST(IngestThreads, FilesGiveTheSameDatabaseForAnyThreadCount) {
  TempDir tmp;
  const std::string in = MakeInputs(tmp);
  const std::string one = tmp / "one.db";
  CliResult r1 = Ingest(tmp, {in}, one, "1");
  // The binary and the empty file fail; everything else is stored.
  ASSERT_EQ(r1.exit_code, 1) << r1.err;
  const Snapshot ref = Take(tmp, one);
  ASSERT_EQ(ref.errors.size(), 2u);
  EXPECT_NE(ref.errors[0].find("m_binary.txt normalize"), std::string::npos) << ref.errors[0];
  EXPECT_NE(ref.errors[1].find("n_empty.txt normalize"), std::string::npos) << ref.errors[1];
  const int64_t articles = SqlCount(one, "SELECT count(*) FROM articles");
  EXPECT_GT(articles, 60);
  // The copy is the same raw document under a second URI, counted unchanged.
  EXPECT_EQ(SqlCount(one, "SELECT count(*) FROM raw_documents") + 1,
            SqlCount(one, "SELECT count(*) FROM document_uris"));
  EXPECT_EQ(articles, SqlCount(one, "SELECT count(*) FROM raw_documents") - 2);
  EXPECT_NE(r1.err.find(" added, 1 unchanged, 2 failed"), std::string::npos) << r1.err;
  for (const std::string threads : {"2", "0", "5", ""}) {
    const std::string db = tmp / ("t" + threads + ".db");
    CliResult r = Ingest(tmp, {in}, db, threads);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    ExpectSame(ref, Take(tmp, db), "--threads " + (threads.empty() ? "(default)" : threads));
  }
  // A second run finds everything stored: nothing added, the failures recorded again.
  const std::string db2 = tmp / "t2.db";
  CliResult again = Ingest(tmp, {in}, db2, "2");
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_NE(again.err.find(" 0 added, " + std::to_string(articles + 1) + " unchanged, 2 failed"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(SqlCount(db2, "SELECT count(*) FROM articles"), articles);
}

TEST(IngestThreads, WarcGivesTheSameDatabaseForAnyThreadCount) {
  TempDir tmp;
  const std::string sample = kSource + "/tests/data/warc/cc-news-sample.warc.gz";
  // The same file twice (every document a second time, inside the window) and files
  // around it: the order of WARC records, files and error rows is kept.
  const std::string copy = tmp / "copy.warc.gz";
  fs::copy_file(sample, copy);
  const std::string broken = tmp / "broken.warc";
  std::ofstream(broken, std::ios::binary) << "WARC/1.0\r\nWARC-Type: response\r\n"
                                             "Content-Length: 999\r\n\r\ntruncated";
  const std::vector<std::string> inputs = {
      kSource + "/corpus/seeds", "--warc", sample, "--warc", broken, "--warc", copy};
  const std::string one = tmp / "one.db";
  CliResult r1 = Ingest(tmp, inputs, one, "1");
  ASSERT_EQ(r1.exit_code, 1) << r1.err;
  const Snapshot ref = Take(tmp, one);
  EXPECT_EQ(SqlCount(one, "SELECT count(*) FROM articles"), 5 + 3);
  EXPECT_EQ(SqlCount(one, "SELECT count(*) FROM warc_records"), 6);
  ASSERT_EQ(ref.errors.size(), 1u);
  EXPECT_NE(ref.errors[0].find(" warc "), std::string::npos) << ref.errors[0];
  EXPECT_NE(r1.err.find("12 seen, 8 added, 3 unchanged, 1 failed"), std::string::npos) << r1.err;
  for (const std::string threads : {"2", "0"}) {
    const std::string db = tmp / ("t" + threads + ".db");
    CliResult r = Ingest(tmp, inputs, db, threads);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("12 seen, 8 added, 3 unchanged, 1 failed"), std::string::npos) << r.err;
    ExpectSame(ref, Take(tmp, db), "--threads " + threads);
    const std::string records =
        "SELECT warc_file || ' ' || \"offset\" || ' ' || raw_sha256 FROM warc_records "
        "ORDER BY rowid";
    EXPECT_EQ(SqlColumn(db, records), SqlColumn(one, records));
  }
}

TEST(IngestThreads, NegativeThreadCountIsRefused) {
  TempDir tmp;
  CliResult r = Ingest(tmp, {kSource + "/corpus/seeds"}, tmp / "x.db", "-1");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--threads must be 0 (all cores) or more"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "x.db"));
}

}  // namespace
}  // namespace newsclaim::testing
