// End to end on corpus/: ingest the seeds with the real CLI, export, and score the
// export against the hand-checked gold in tests/data/gold with the shared scorer
// (tests/tools/score_claims.py, a copy of the evaluation's own). Also: re-ingesting adds
// nothing; CSV is spreadsheet-safe; `figures` honours its stdin/stdout contract.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/e2e/cli_runner.h"

namespace newsclaim::testing {
namespace {

const std::string kSource = NEWSCLAIM_SOURCE_DIR;

std::map<std::string, int64_t> RowCounts(const std::string& db_path) {
  std::map<std::string, int64_t> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  for (const char* t : {"raw_documents", "document_uris", "articles", "figures", "chip_mentions",
                        "sources", "errors"}) {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, (std::string("SELECT count(*) FROM ") + t).c_str(), -1, &q, nullptr);
    if (sqlite3_step(q) == SQLITE_ROW) out[t] = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return out;
}

std::map<std::string, double> ParseScore(const std::string& text) {
  std::map<std::string, double> out;
  const std::regex kv(R"((\w+)=([0-9.]+))");
  const size_t at = text.find("SCORE ");
  if (at == std::string::npos) return out;
  const std::string line = text.substr(at, text.find('\n', at) - at);
  for (std::sregex_iterator it(line.begin(), line.end(), kv), end; it != end; ++it) {
    out[(*it)[1]] = std::stod((*it)[2]);
  }
  return out;
}

TEST(CorpusEndToEnd, SeedsScoreAgainstGold) {
  TempDir tmp;
  const std::string db = tmp / "corpus.db";
  CliResult ingest = RunCli(tmp, {"ingest", kSource + "/corpus/seeds", "--db", db});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  CliResult exp =
      RunCli(tmp, {"export", "--format", "jsonl", "--db", db, "--out", tmp / "export.jsonl"});
  ASSERT_EQ(exp.exit_code, 0) << exp.err;
  EXPECT_EQ(exp.err, "");
  const std::string cmd = "python3 " + ShellQuote(kSource + "/tests/tools/score_claims.py") + " " +
                          ShellQuote(tmp / "export.jsonl") + " " +
                          ShellQuote(kSource + "/tests/data/gold") + " --verbose > " +
                          ShellQuote(tmp / "score.txt") + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string report = ReadAll(tmp / "score.txt");
  const auto score = ParseScore(report);
  SCOPED_TRACE(report);
  ASSERT_FALSE(score.empty());
  EXPECT_GE(score.at("fig_f1"), 0.90);
  EXPECT_GE(score.at("chip_f1"), 0.90);
  EXPECT_GE(score.at("fig_src"), 0.70);
  EXPECT_GE(score.at("body"), 0.95);
  EXPECT_LE(score.at("leak"), 0.05);
  EXPECT_GE(score.at("meta"), 0.80);
  EXPECT_NE(report.find("docs=5/5"), std::string::npos);
}

TEST(CorpusEndToEnd, SecondIngestChangesNoRowCount) {
  TempDir tmp;
  const std::string db = tmp / "corpus.db";
  ASSERT_EQ(RunCli(tmp, {"ingest", kSource + "/corpus/seeds", "--db", db}).exit_code, 0);
  const auto first = RowCounts(db);
  EXPECT_EQ(first.at("articles"), 5);
  CliResult again = RunCli(tmp, {"ingest", kSource + "/corpus/seeds", "--db", db});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("0 added, 5 unchanged"), std::string::npos) << again.err;
  EXPECT_EQ(RowCounts(db), first);
}

TEST(CorpusEndToEnd, CsvIsSpreadsheetSafe) {
  TempDir tmp;
  const std::string db = tmp / "corpus.db";
  ASSERT_EQ(RunCli(tmp, {"ingest", kSource + "/corpus/seeds", "--db", db}).exit_code, 0);
  CliResult exp = RunCli(tmp, {"export", "--format", "csv", "--db", db});
  ASSERT_EQ(exp.exit_code, 0) << exp.err;
  const std::string& csv = exp.out;
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u) << "missing UTF-8 BOM";
  EXPECT_EQ(csv.substr(3, csv.find("\r\n") - 3),
            "article_id,doc,outlet,published,title,figure_text,value,value_high,unit,qualifier,"
            "source,chips,sentence,figure_id,sha256,cluster_id");
  // Every row ends in CRLF and no bare LF appears outside quotes.
  bool quoted = false;
  int rows = 0;
  for (size_t i = 3; i < csv.size(); ++i) {
    if (csv[i] == '"') quoted = !quoted;
    if (!quoted && csv[i] == '\n') {
      ASSERT_EQ(csv[i - 1], '\r') << "bare LF at byte " << i;
      ++rows;
    }
  }
  EXPECT_FALSE(quoted);
  EXPECT_GT(rows, 20);
  // A number column is unquoted.
  EXPECT_NE(csv.find(",16384,"), std::string::npos);
  EXPECT_NE(csv.find("NVIDIA H100"), std::string::npos);
}

TEST(CorpusEndToEnd, FiguresContract) {
  TempDir tmp;
  const std::string input =
      "约140万到150万颗\n{\"id\": \"x1\", \"input\": \"超過800億美元\"}\n四川\n";
  CliResult r = RunCli(tmp, {"figures"}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<nlohmann::json> out;
  for (std::string l; std::getline(lines, l);) out.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(out.size(), 3u);
  ASSERT_EQ(out[0]["found"].size(), 1u);
  const auto& f = out[0]["found"][0];
  EXPECT_EQ(f["text"], "140万到150万颗");  // the qualifier is a field, not in the span
  EXPECT_EQ(f["start"], 1);
  EXPECT_EQ(f["end"], 11);
  EXPECT_DOUBLE_EQ(f["value"].get<double>(), 1.4e6);
  EXPECT_DOUBLE_EQ(f["value_high"].get<double>(), 1.5e6);
  EXPECT_EQ(f["qualifier"], "approx");
  EXPECT_EQ(out[1]["id"], "x1");
  EXPECT_EQ(out[1]["input"], "超過800億美元");
  ASSERT_EQ(out[1]["found"].size(), 1u);
  EXPECT_EQ(out[1]["found"][0]["unit"], "USD");
  EXPECT_DOUBLE_EQ(out[1]["found"][0]["value"].get<double>(), 8e10);
  EXPECT_EQ(out[1]["found"][0]["qualifier"], "over");
  EXPECT_TRUE(out[2]["found"].empty());
}

TEST(CorpusEndToEnd, EverySubcommandHasHelp) {
  TempDir tmp;
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"ingest", "--help"},
                                        {"export", "--help"},
                                        {"figures", "--help"},
                                        {"rules", "--help"},
                                        {"rules", "check", "--help"}}) {
    CliResult r = RunCli(tmp, args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args[0] << r.out;
  }
  EXPECT_EQ(RunCli(tmp, {}).exit_code, 2);
  EXPECT_EQ(RunCli(tmp, {"export"}).exit_code, 2);
  EXPECT_EQ(RunCli(tmp, {"export", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(RunCli(tmp, {"ingest", tmp / "missing"}).exit_code, 2);
}

TEST(CorpusEndToEnd, RulesCheckPassesOnShippedRules) {
  TempDir tmp;
  CliResult r = RunCli(tmp, {"rules", "check", kSource + "/rules"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rules ok"), std::string::npos);
}

TEST(CorpusEndToEnd, RulesCheckReportsFileAndLine) {
  TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "rules");
  std::ofstream(tmp / "rules/bad.toml") << "# a broken rule\n\n[[unit]]\nname = \"broken\"\n"
                                           "unit = \"USD\"\npattern = 'US(\\$'\n";
  CliResult r = RunCli(tmp, {"rules", "check", tmp / "rules"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.toml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing )"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace newsclaim::testing
