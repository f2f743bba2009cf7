// Group commit of `newsclaim ingest` (--commit-every): committing documents in batches
// gives the same database as one transaction per document: the same export, search
// results (articles and claims), error rows, URIs, run counts and messages, whatever the
// batch size and the thread count, over a corpus where batches hold new articles, copies
// of documents already written in the same batch, and documents that fail.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/e2e/cli_runner.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;

// Every row of sql, columns separated by '|', one line per row.
std::string Rows(const std::string& db_path, const std::string& sql) {
  sqlite3* h = nullptr;
  std::string out;
  if (sqlite3_open_v2(db_path.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(h);
    return out;
  }
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &q, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(h);
  } else {
    while (sqlite3_step(q) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(q); ++c) {
        const auto* t = sqlite3_column_text(q, c);
        if (c > 0) out += '|';
        out += t ? reinterpret_cast<const char*>(t) : "<null>";
      }
      out += '\n';
    }
  }
  sqlite3_finalize(q);
  sqlite3_close(h);
  return out;
}

// The seeds, each also in a shifted variant, copies of some (same bytes under another
// name: unchanged when their turn comes, often in the batch of the original), and files
// that fail (binary, empty): more documents than one default batch.
fs::path MakeMixedCorpus(const fs::path& dir) {
  std::vector<fs::path> seeds;
  for (const auto& e : fs::directory_iterator(NEWSCLAIM_SOURCE_DIR "/corpus/seeds")) {
    seeds.push_back(e.path());
  }
  std::sort(seeds.begin(), seeds.end());
  fs::create_directories(dir);
  std::string binary;
  for (int i = 0; i < 2048; ++i) binary.push_back(static_cast<char>((i * 7919) % 256));
  int n = 0;
  for (int round = 0; round < 9; ++round) {
    for (const fs::path& seed : seeds) {
      std::string text = ReadAll(seed.string());
      for (size_t k = 300; k < text.size(); ++k) {
        if (text[k] >= '0' && text[k] <= '9') {
          text[k] = static_cast<char>('0' + (text[k] - '0' + round) % 10);
        }
      }
      char name[64];
      std::snprintf(name, sizeof(name), "d%03d_%s", n++, seed.filename().c_str());
      std::ofstream(dir / name, std::ios::binary) << text;
      if (n % 4 == 0) {
        std::snprintf(name, sizeof(name), "d%03d_copy.txt", n++);
        std::ofstream(dir / name, std::ios::binary) << text;
      }
      if (n % 11 == 0) {
        std::snprintf(name, sizeof(name), "d%03d_binary.bin", n++);
        std::ofstream(dir / name, std::ios::binary) << binary << n;
      }
      if (n % 17 == 0) {
        std::snprintf(name, sizeof(name), "d%03d_empty.txt", n++);
        std::ofstream(dir / name, std::ios::binary);
      }
    }
  }
  return dir;
}

// What a run leaves that must not depend on how it was committed (times left out).
struct RunResult {
  int exit_code = -1;
  std::string messages;  // stderr without the summary line (it has the run time)
  std::string exported, articles, claims, errors, uris, runs;
};

RunResult Ingest(const TempDir& tmp, const std::string& input, const std::string& db,
                 const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"ingest", input, "--db", db};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliResult r = RunCli(tmp, args);
  RunResult out;
  out.exit_code = r.exit_code;
  const size_t summary = r.err.find("newsclaim ingest: ");
  out.messages = r.err.substr(0, summary);
  const CliResult e = RunCli(tmp, {"export", "--format", "jsonl", "--db", db});
  EXPECT_EQ(e.exit_code, 0) << e.err;
  out.exported = e.out;
  for (const char* q : {"晶片", "芯片", "華為", "NVIDIA"}) {
    const CliResult s =
        RunCli(tmp, {"search", "--db", db, "--json", "--limit", "200", "--no-update", q});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    out.articles += s.out;
    const CliResult c = RunCli(
        tmp, {"search", "--db", db, "--json", "--limit", "200", "--no-update", "--claims", q});
    EXPECT_EQ(c.exit_code, 0) << c.err;
    out.claims += c.out;
  }
  out.errors = Rows(db,
                    "SELECT id, run_id, uri, raw_sha256, stage, code, message FROM errors "
                    "ORDER BY id");
  out.uris = Rows(db, "SELECT uri, sha256 FROM document_uris ORDER BY uri, sha256");
  out.runs = Rows(db, "SELECT id, seen, added, unchanged, failed FROM runs ORDER BY id");
  EXPECT_EQ(Rows(db, "PRAGMA integrity_check"), "ok\n");
  return out;
}

void ExpectSame(const RunResult& got, const RunResult& want, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(got.exit_code, want.exit_code);
  EXPECT_EQ(got.messages, want.messages);
  EXPECT_TRUE(got.exported == want.exported) << "export differs";
  EXPECT_TRUE(got.articles == want.articles) << "article search differs";
  EXPECT_TRUE(got.claims == want.claims) << "claim search differs";
  EXPECT_EQ(got.errors, want.errors);
  EXPECT_EQ(got.uris, want.uris);
  EXPECT_EQ(got.runs, want.runs);
}

// corpus/ (the seeds and the sources file) and the mixed corpus, each ingested twice into
// the same database (the second run finds everything unchanged), with one transaction
// per document, the default batch, and batches that do not divide the input.
TEST(BatchTest, SameResultsAsOneTransactionPerDocument) {
  TempDir tmp;
  const std::string mixed = MakeMixedCorpus(tmp.path() / "mixed").string();
  for (const std::string& input : {std::string(NEWSCLAIM_SOURCE_DIR "/corpus"), mixed}) {
    for (const char* threads : {"1", "2"}) {
      RunResult reference;
      for (const char* every : {"1", "", "7"}) {
        const std::string tag = std::string(threads) + "_" + (*every ? every : "default") + "_" +
                                fs::path(input).filename().string();
        const std::string db = tmp / ("b" + tag + ".db");
        std::vector<std::string> extra = {"--threads", threads};
        if (*every) {
          extra.push_back("--commit-every");
          extra.push_back(every);
        }
        RunResult first = Ingest(tmp, input, db, extra);
        RunResult second = Ingest(tmp, input, db, extra);
        EXPECT_NE(first.exported, "") << tag;
        if (input == mixed) {
          // The corpus does exercise failures and copies.
          EXPECT_EQ(Rows(db, "SELECT unchanged > 0 AND failed > 0 FROM runs WHERE id = 1"), "1\n")
              << tag;
        }
        if (std::string(every) == "1") {
          reference = first;
          // The second run adds nothing and fails the same documents again.
          EXPECT_TRUE(second.exported == first.exported) << tag;
          reference.runs = second.runs;
          reference.errors = second.errors;
          reference.messages = first.messages + "|" + second.messages;
          continue;
        }
        first.runs = second.runs;
        first.errors = second.errors;
        first.messages += "|" + second.messages;
        ExpectSame(first, reference, tag);
      }
    }
  }
}

TEST(BatchTest, CommitEveryMustBePositive) {
  TempDir tmp;
  const std::string db = tmp / "zero.db";
  for (const char* n : {"0", "-3"}) {
    const CliResult r = RunCli(
        tmp, {"ingest", NEWSCLAIM_SOURCE_DIR "/corpus/seeds", "--db", db, "--commit-every", n});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--commit-every must be 1"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(db));
  }
}

}  // namespace
}  // namespace newsclaim::testing
