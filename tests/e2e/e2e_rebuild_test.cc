// `newsclaim rebuild` end to end: deterministic output whatever the thread count and
// however often it runs, a rule change reaching exactly the documents it concerns, and
// SIGKILL at random points of a rebuild leaving the previous results intact.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/sha256.h"
#include "tests/e2e/cli_runner.h"
#include "tests/e2e/readback.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;

int64_t Count(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
      n = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return n;
}

std::string QueryText(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string s = "<error>";
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK) {
      const int rc = sqlite3_step(q);
      if (rc == SQLITE_ROW) {
        const auto* t = sqlite3_column_text(q, 0);
        s = t ? reinterpret_cast<const char*>(t) : "";
      } else if (rc == SQLITE_DONE) {
        s = "";
      }
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return s;
}

// The seeds plus `generated` varied articles of bench/gen_corpus.py (HTML, markdown and
// text; both scripts; numbers, names and boilerplate changed).
std::string MakeCorpus(const TempDir& tmp, int generated) {
  const fs::path dir = tmp.path() / "corpus";
  fs::create_directories(dir / "seeds");
  for (const auto& e : fs::directory_iterator(NEWSCLAIM_SOURCE_DIR "/corpus/seeds")) {
    fs::copy_file(e.path(), dir / "seeds" / e.path().filename());
  }
  const std::string cmd = "python3 " + ShellQuote(NEWSCLAIM_SOURCE_DIR "/bench/gen_corpus.py") +
                          " --out " + ShellQuote((dir / "gen").string()) + " --count " +
                          std::to_string(generated) + " --seed 7 2>/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return dir.string();
}

std::string Digest(const Exports& e) {
  return Sha256Hex(e.jsonl).substr(0, 12) + "/" + Sha256Hex(e.csv).substr(0, 12) + "/" +
         Sha256Hex(e.csv_articles).substr(0, 12);
}

CliResult Rebuild(const TempDir& tmp, const std::string& db, const std::string& threads,
                  const std::string& rules = "") {
  std::vector<std::string> args;
  if (!rules.empty()) args = {"--rules", rules};
  for (const char* a : {"rebuild", "--db"}) args.push_back(a);
  args.push_back(db);
  if (!threads.empty()) {
    args.push_back("--threads");
    args.push_back(threads);
  }
  return RunCli(tmp, args);
}

class RebuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = MakeCorpus(tmp_, 240);
    db_ = tmp_ / "news.db";
    CliResult r = RunCli(tmp_, {"ingest", "-q", corpus_, "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    docs_ = Count(db_, "SELECT count(*) FROM raw_documents");
    ASSERT_EQ(docs_, 245);
  }
  TempDir tmp_;
  std::string corpus_, db_;
  int64_t docs_ = 0;
};

TEST_F(RebuildTest, SameExportsWhateverTheThreadsAndHowOften) {
  CliResult r = Rebuild(tmp_, db_, "1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Not a TTY: one summary line, no progress bar.
  EXPECT_NE(r.err.find("newsclaim rebuild: 245 documents, 245 articles, 0 failed, 1 threads"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
  const Exports first = ExportAll(tmp_, db_);
  ASSERT_FALSE(first.jsonl.empty());
  EXPECT_EQ(Count(db_, "SELECT count(*) FROM articles"), docs_);
  EXPECT_GT(Count(db_, "SELECT count(*) FROM figures"), docs_);

  ASSERT_EQ(Rebuild(tmp_, db_, "1").exit_code, 0);
  const Exports again = ExportAll(tmp_, db_);
  EXPECT_TRUE(again == first) << Digest(first) << " vs " << Digest(again);

  ASSERT_EQ(Rebuild(tmp_, db_, "2").exit_code, 0);
  const Exports two = ExportAll(tmp_, db_);
  EXPECT_TRUE(two == first) << Digest(first) << " vs " << Digest(two);

  ASSERT_EQ(Rebuild(tmp_, db_, "").exit_code, 0);  // all cores
  const Exports all = ExportAll(tmp_, db_);
  EXPECT_TRUE(all == first) << Digest(first) << " vs " << Digest(all);

  // Provenance: every article now belongs to the last rebuild run, which is recorded.
  EXPECT_EQ(Count(db_,
                  "SELECT count(*) FROM runs WHERE command = 'rebuild' AND ended_at IS "
                  "NOT NULL AND seen = 245 AND added = 245 AND failed = 0"),
            4);
  EXPECT_EQ(Count(db_,
                  "SELECT count(*) FROM articles WHERE run_id = "
                  "(SELECT max(id) FROM runs WHERE command = 'rebuild')"),
            docs_);
  // The search index follows the rebuilt articles.
  EXPECT_EQ(Count(db_, "SELECT count(*) FROM article_index"), docs_);
  EXPECT_EQ(Count(db_, "SELECT count(*) FROM article_fts_content"), docs_);
}

TEST_F(RebuildTest, RuleChangeChangesExactlyWhatItShould) {
  ASSERT_EQ(Rebuild(tmp_, db_, "2").exit_code, 0);
  const Exports before = ExportAll(tmp_, db_);
  const std::string old_version = QueryText(db_, "SELECT DISTINCT rules_version FROM articles");

  // A copy of the rules with one more chip, named by a phrase some articles contain.
  const fs::path rules = tmp_.path() / "rules";
  fs::copy(NEWSCLAIM_SOURCE_DIR "/rules", rules);
  std::ofstream(rules / "chips.toml", std::ios::app)
      << "\n[[chip]]\nname = \"Test Datacenter GPU\"\nvendor = \"NVIDIA\"\n"
         "aliases = [\"数据中心GPU\"]\nexamples = [\"數據中心GPU\"]\n";
  CliResult r = Rebuild(tmp_, db_, "2", rules.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Exports after = ExportAll(tmp_, db_);
  const std::string new_version = QueryText(db_, "SELECT DISTINCT rules_version FROM articles");
  EXPECT_NE(new_version, old_version);
  EXPECT_EQ(Count(db_, "SELECT count(DISTINCT rules_version) FROM articles"), 1);

  std::istringstream a(before.jsonl), b(after.jsonl);
  std::string la, lb;
  int lines = 0, gained = 0;
  while (std::getline(a, la)) {
    ASSERT_TRUE(std::getline(b, lb));
    ++lines;
    nlohmann::json ja = nlohmann::json::parse(la), jb = nlohmann::json::parse(lb);
    const std::string body = ja["body"];
    const bool mentions = body.find("數據中心GPU") != std::string::npos ||
                          body.find("数据中心GPU") != std::string::npos;
    std::vector<std::string> chips_b = jb["chips"];
    const bool has =
        std::find(chips_b.begin(), chips_b.end(), "Test Datacenter GPU") != chips_b.end();
    EXPECT_EQ(has, mentions) << ja["doc"];
    gained += has;
    chips_b.erase(std::remove(chips_b.begin(), chips_b.end(), "Test Datacenter GPU"),
                  chips_b.end());
    EXPECT_EQ(nlohmann::json(chips_b), ja["chips"]) << ja["doc"];
    // Nothing else moves: same ids, text, figures, sources.
    ja.erase("chips");
    jb.erase("chips");
    EXPECT_EQ(ja, jb);
  }
  EXPECT_FALSE(std::getline(b, lb));
  EXPECT_EQ(lines, docs_);
  EXPECT_GT(gained, 1);  // the seed and its generated copies
  EXPECT_LT(gained, lines);

  // And back to the original rules: the original exports again.
  ASSERT_EQ(Rebuild(tmp_, db_, "1").exit_code, 0);
  EXPECT_TRUE(ExportAll(tmp_, db_) == before);
}

pid_t StartRebuild(const std::string& db, const std::string& rules, const std::string& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execl(NEWSCLAIM_BINARY, "newsclaim", "--rules", rules.c_str(), "rebuild", "-q", "--threads",
          "2", "--db", db.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

TEST_F(RebuildTest, SigkillKeepsThePreviousResults) {
  const Exports previous = ExportAll(tmp_, db_);
  // The killed rebuilds use changed rules, so a partly applied one would show.
  const fs::path rules = tmp_.path() / "rules";
  fs::copy(NEWSCLAIM_SOURCE_DIR "/rules", rules);
  std::ofstream(rules / "chips.toml", std::ios::app)
      << "\n[[chip]]\nname = \"Test Datacenter GPU\"\nvendor = \"NVIDIA\"\n"
         "aliases = [\"数据中心GPU\"]\nexamples = [\"數據中心GPU\"]\n";
  // How long an uninterrupted rebuild with those rules takes, and what it yields.
  // (A copy of the database: ids follow the raw documents' first_seen order, which a
  // second ingest would not reproduce to the second.)
  const std::string ref = tmp_ / "reference.db";
  fs::copy_file(db_, ref);
  if (fs::exists(db_ + "-wal")) fs::copy_file(db_ + "-wal", ref + "-wal");
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(Rebuild(tmp_, ref, "2", rules.string()).exit_code, 0);
  const auto span =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  const Exports expected = ExportAll(tmp_, ref);
  ASSERT_FALSE(expected == previous);

  const std::string log = tmp_ / "rebuild.log";
  std::mt19937_64 rng(20261123);
  int killed = 0;
  for (int t = 0; t < 6; ++t) {
    // Spread over the whole run, from startup to the commit and the index update.
    std::uniform_int_distribution<int64_t> delay(span.count() / 20, span.count() * 9 / 10);
    const pid_t pid = StartRebuild(db_, rules.string(), log);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::microseconds(delay(rng)));
    if (kill(pid, SIGKILL) == 0) ++killed;
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    SCOPED_TRACE("trial " + std::to_string(t));
    EXPECT_EQ(QueryText(db_, "PRAGMA integrity_check"), "ok");
    EXPECT_EQ(QueryText(db_, "PRAGMA foreign_key_check"), "");
    if (WIFSIGNALED(status)) {
      // Killed before the commit: the previous results, whole. (A kill after the commit,
      // during the index update, leaves the new articles, also whole.)
      const Exports now = ExportAll(tmp_, db_);
      if (now.jsonl != previous.jsonl) {
        EXPECT_EQ(Count(db_,
                        "SELECT count(*) FROM runs WHERE command = 'rebuild' AND "
                        "ended_at IS NOT NULL"),
                  1)
            << "the export changed without a committed rebuild";
        break;
      }
      EXPECT_TRUE(now == previous) << Digest(now) << " vs " << Digest(previous);
    } else {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadAll(log);
      break;
    }
  }
  EXPECT_GT(killed, 0);
  // A rebuild after the kills completes and gives what an uninterrupted one gives.
  CliResult r = Rebuild(tmp_, db_, "2", rules.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(QueryText(db_, "PRAGMA integrity_check"), "ok");
  const Exports done = ExportAll(tmp_, db_);
  EXPECT_TRUE(done == expected) << Digest(done) << " vs " << Digest(expected);
}

}  // namespace
}  // namespace newsclaim::testing
