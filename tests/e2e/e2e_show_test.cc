// `newsclaim show`: a figure of a seed article with its sentence (the figure marked), the
// raw document's sha256 and the run that produced it, in text and JSON; chips, sources
// and articles by kind; provenance following a rebuild; bad and unknown ids.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/sha256.h"
#include "tests/e2e/cli_runner.h"

namespace newsclaim::testing {
namespace {

const char* kSeed = NEWSCLAIM_SOURCE_DIR "/corpus/seeds/002_92448aa21c421522.txt";

class ShowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = tmp_ / "news.db";
    CliResult r = RunCli(tmp_, {"ingest", "-q", NEWSCLAIM_SOURCE_DIR "/corpus/seeds", "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The figure "超過800億美元" of seed 002 (the CSV's figure_id).
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(db,
                           "SELECT f.id FROM figures f JOIN articles a ON a.id = f.article_id "
                           "WHERE f.text = '超過800億美元' AND a.uri LIKE "
                           "'%002_92448aa21c421522.txt'",
                           -1, &q, nullptr),
        SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW) figure_id_ = std::to_string(sqlite3_column_int64(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    ASSERT_FALSE(figure_id_.empty());
    sha_ = Sha256Hex(ReadAll(kSeed));
  }
  TempDir tmp_;
  std::string db_, figure_id_, sha_;
};

TEST_F(ShowTest, FigureWithSentenceShaAndRun) {
  CliResult r = RunCli(tmp_, {"show", figure_id_, "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("figure " + figure_id_ + "  超過800億美元"), std::string::npos) << r.out;
  // The sentence, in the original script, with the figure marked.
  EXPECT_NE(r.out.find("NVIDIA僅靠數據中心GPU就錄得[[超過800億美元]]收入"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("80000000000 USD (over)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(sha_), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("002_92448aa21c421522.txt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ingest"), std::string::npos) << r.out;
  // figure:N is the same as N.
  CliResult again = RunCli(tmp_, {"show", "figure:" + figure_id_, "--db", db_});
  EXPECT_EQ(again.out, r.out);
}

TEST_F(ShowTest, JsonAndRebuildProvenance) {
  CliResult r = RunCli(tmp_, {"show", figure_id_, "--json", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["kind"], "figure");
  EXPECT_EQ(j["text"], "超過800億美元");
  EXPECT_EQ(j["unit"], "USD");
  EXPECT_EQ(j["raw"]["sha256"], sha_);
  EXPECT_EQ(j["run"]["command"], "ingest");
  EXPECT_FALSE(j["run"]["program_version"].get<std::string>().empty());
  const std::string rules = j["run"]["rules_version"];
  EXPECT_FALSE(rules.empty());
  // Offsets are UTF-8 byte offsets into the body of the JSONL export.
  CliResult e = RunCli(tmp_, {"export", "--format", "jsonl", "--db", db_});
  bool found = false;
  std::istringstream lines(e.out);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json a = nlohmann::json::parse(line);
    if (a["id"] != j["article"]["id"]) continue;
    found = true;
    const std::string body = a["body"];
    const size_t start = j["start"], end = j["end"];
    EXPECT_EQ(body.substr(start, end - start), "超過800億美元");
    const size_t ss = j["sentence_start"], se = j["sentence_end"];
    EXPECT_EQ(body.substr(ss, se - ss), j["sentence"].get<std::string>());
  }
  EXPECT_TRUE(found);

  // After a rebuild the same figure (ids are kept for the same documents and rules) says
  // which run produced it.
  CliResult rb = RunCli(tmp_, {"rebuild", "-q", "--db", db_});
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  r = RunCli(tmp_, {"show", figure_id_, "--json", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json k = nlohmann::json::parse(r.out);
  EXPECT_EQ(k["text"], "超過800億美元");
  EXPECT_EQ(k["run"]["command"], "rebuild");
  EXPECT_EQ(k["run"]["rules_version"], rules);
  EXPECT_GT(k["run"]["id"].get<int64_t>(), j["run"]["id"].get<int64_t>());
  EXPECT_FALSE(k["run"]["ended_at"].is_null());
}

TEST_F(ShowTest, ChipsSourcesArticlesAndBadIds) {
  CliResult r = RunCli(tmp_, {"show", "chip:1", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("chip 1  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[["), std::string::npos) << r.out;
  r = RunCli(tmp_, {"show", "source:1", "--json", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json s = nlohmann::json::parse(r.out);
  EXPECT_EQ(s["kind"], "source");
  const std::string quote = s["quote"];
  EXPECT_NE(quote.find("[[" + s["text"].get<std::string>() + "]]"), std::string::npos) << quote;
  r = RunCli(tmp_, {"show", "article:1", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("article 1  "), std::string::npos) << r.out;

  r = RunCli(tmp_, {"show", "figure:999999", "--db", db_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no figure 999999"), std::string::npos) << r.err;
  r = RunCli(tmp_, {"show", "claim:1", "--db", db_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown kind"), std::string::npos) << r.err;
  r = RunCli(tmp_, {"show", "12x", "--db", db_});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace newsclaim::testing
