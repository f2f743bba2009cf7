// End to end on corpus/seeds: `export` filters and the per-article CSV through the real
// CLI, checked against SQL on the same database; `stats` checked against SQL counts; the
// JSONL contract still scores against the gold with tests/tools/score_claims.py.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/e2e/cli_runner.h"
#include "tests/e2e/readback.h"

namespace newsclaim::testing {
namespace {

const std::string kSource = NEWSCLAIM_SOURCE_DIR;

using Rows = CsvRows;

class ExportEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = std::make_unique<TempDir>();
    db_ = *tmp_ / "seeds.db";
    CliResult r = RunCli(*tmp_, {"ingest", kSource + "/corpus/seeds", "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Article ids of `export --format jsonl` with extra args.
  std::vector<std::string> JsonlIds(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"export", "--format", "jsonl", "--db", db_};
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult r = RunCli(*tmp_, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> ids;
    std::istringstream lines(r.out);
    for (std::string l; std::getline(lines, l);) {
      ids.push_back(std::to_string(nlohmann::json::parse(l)["id"].get<int64_t>()));
    }
    return ids;
  }

  std::unique_ptr<TempDir> tmp_;
  std::string db_;
};

TEST_F(ExportEndToEnd, ArticleFiltersMatchSql) {
  const std::string newest = "id IN (SELECT max(id) FROM articles GROUP BY raw_sha256)";
  const auto all = SqlColumn(db_, "SELECT id FROM articles WHERE " + newest + " ORDER BY id");
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(JsonlIds({}), all);
  EXPECT_EQ(JsonlIds({"--since", "2025-01-01"}),
            SqlColumn(db_, "SELECT id FROM articles WHERE " + newest +
                               " AND published >= '2025-01-01' ORDER BY id"));
  EXPECT_EQ(JsonlIds({"--since", "2025-01-01", "--until", "2025-12-31", "--undated"}),
            SqlColumn(db_, "SELECT id FROM articles WHERE " + newest +
                               " AND (published IS NULL OR published = '' OR published BETWEEN "
                               "'2025-01-01' AND '2025-12-31~') ORDER BY id"));
  // The seeds hold at least one undated article, so --undated must add something.
  EXPECT_GT(JsonlIds({"--until", "2100-01-01", "--undated"}).size(),
            JsonlIds({"--until", "2100-01-01"}).size());
  const auto outlets = SqlColumn(db_, "SELECT outlet FROM articles WHERE outlet <> '' ORDER BY id");
  ASSERT_GE(outlets.size(), 2u);
  EXPECT_EQ(JsonlIds({"--outlet", outlets[0], "--outlet", outlets[1]}),
            SqlColumn(db_, "SELECT id FROM articles WHERE outlet IN ('" + outlets[0] + "', '" +
                               outlets[1] + "') ORDER BY id"));
  EXPECT_EQ(JsonlIds({"--chip", "nvidia h20"}),
            SqlColumn(db_,
                      "SELECT DISTINCT article_id FROM chip_mentions WHERE canonical = "
                      "'NVIDIA H20' ORDER BY article_id"));
  EXPECT_FALSE(JsonlIds({"--chip", "NVIDIA H20"}).empty());
  EXPECT_EQ(JsonlIds({"--unit", "USD", "--chip", "NVIDIA H20"}),
            SqlColumn(db_,
                      "SELECT DISTINCT f.article_id FROM figures f JOIN chip_mentions c ON "
                      "c.article_id = f.article_id WHERE f.unit = 'USD' AND c.canonical = "
                      "'NVIDIA H20' ORDER BY 1"));
  EXPECT_TRUE(JsonlIds({"--outlet", "no such outlet"}).empty());
}

TEST_F(ExportEndToEnd, ClaimCsvFiltersRowsByUnitAndSource) {
  CliResult r = RunCli(*tmp_, {"export", "--format", "csv", "--db", db_, "--unit", "usd"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Rows rows = ParseCsv(r.out);
  ASSERT_FALSE(rows.empty());
  const std::vector<std::string> header = {"article_id", "doc",         "outlet", "published",
                                           "title",      "figure_text", "value",  "value_high",
                                           "unit",       "qualifier",   "source", "chips",
                                           "sentence",   "figure_id",   "sha256", "cluster_id"};
  EXPECT_EQ(rows[0], header);
  EXPECT_EQ(static_cast<int64_t>(rows.size()) - 1,
            SqlCount(db_, "SELECT count(*) FROM figures WHERE unit = 'USD'"));
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), header.size());
    EXPECT_EQ(rows[i][8], "USD");
    EXPECT_EQ(rows[i][14],
              SqlColumn(db_, "SELECT raw_sha256 FROM articles WHERE id = " + rows[i][0])[0]);
    EXPECT_EQ(rows[i][15], rows[i][0]);  // no duplicate cluster: the article's own id
  }
  // --source: the busiest named source, by SQL over claims_view.
  const auto top = SqlColumn(db_,
                             "SELECT source FROM claims_view WHERE source <> '' GROUP BY source "
                             "ORDER BY count(*) DESC, source LIMIT 1");
  ASSERT_EQ(top.size(), 1u);
  r = RunCli(*tmp_, {"export", "--format", "csv", "--db", db_, "--source", top[0]});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = ParseCsv(r.out);
  EXPECT_EQ(static_cast<int64_t>(rows.size()) - 1,
            SqlCount(db_, "SELECT count(*) FROM claims_view WHERE source = '" + top[0] + "'"));
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i][10], top[0]);
}

TEST_F(ExportEndToEnd, PerArticleCsv) {
  // A duplicate cluster as helper "search" would record it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DELETE FROM article_clusters; INSERT INTO article_clusters VALUES "
                         "(1, 1, 'self'), (2, 1, 'near')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  CliResult r = RunCli(*tmp_, {"export", "--format", "csv", "--per", "article", "--db", db_,
                               "--out", *tmp_ / "a.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = ReadAll(*tmp_ / "a.csv");
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  const Rows rows = ParseCsv(csv);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"article_id", "doc", "sha256", "title", "published",
                                               "outlet", "author", "language", "script", "url",
                                               "figure_count", "chips", "sources", "cluster_id"}));
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::string& id = rows[i][0];
    ASSERT_EQ(rows[i].size(), 14u);
    EXPECT_EQ(rows[i][2], SqlColumn(db_, "SELECT raw_sha256 FROM articles WHERE id = " + id)[0]);
    EXPECT_EQ(rows[i][3], SqlColumn(db_, "SELECT title FROM articles WHERE id = " + id)[0]);
    EXPECT_EQ(rows[i][10],
              SqlColumn(db_, "SELECT count(*) FROM figures WHERE article_id = " + id)[0]);
    EXPECT_EQ(rows[i][13], id == "2" ? "1" : id);
  }
  // A filter applies to the per-article CSV as well.
  r = RunCli(*tmp_, {"export", "--format", "csv", "--per", "article", "--db", db_, "--chip",
                     "NVIDIA H20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(static_cast<int64_t>(ParseCsv(r.out).size()) - 1,
            SqlCount(db_,
                     "SELECT count(DISTINCT article_id) FROM chip_mentions WHERE canonical = "
                     "'NVIDIA H20'"));
}

TEST_F(ExportEndToEnd, JsonlContractStillScores) {
  CliResult plain =
      RunCli(*tmp_, {"export", "--format", "jsonl", "--db", db_, "--out", *tmp_ / "export.jsonl"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  // A filter that keeps everything writes the same bytes.
  CliResult all = RunCli(
      *tmp_, {"export", "--format", "jsonl", "--db", db_, "--since", "1900-01-01", "--undated"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out, ReadAll(*tmp_ / "export.jsonl"));
  std::istringstream lines(all.out);
  for (std::string l; std::getline(lines, l);) {
    const auto j = nlohmann::json::parse(l);
    for (const char* key : {"doc", "title", "published", "outlet", "author", "body", "figures",
                            "chips", "sources", "cluster_id"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
  }
  const std::string cmd = "python3 " + ShellQuote(kSource + "/tests/tools/score_claims.py") + " " +
                          ShellQuote(*tmp_ / "export.jsonl") + " " +
                          ShellQuote(kSource + "/tests/data/gold") + " > " +
                          ShellQuote(*tmp_ / "score.txt") + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadAll(*tmp_ / "score.txt");
  const std::string report = ReadAll(*tmp_ / "score.txt");
  EXPECT_NE(report.find("docs=5/5"), std::string::npos) << report;
}

TEST_F(ExportEndToEnd, BadFiltersAreUsageErrors) {
  CliResult r =
      RunCli(*tmp_, {"export", "--format", "jsonl", "--db", db_, "--since", "2025-02-30"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("2025-02-30"), std::string::npos) << r.err;
  EXPECT_EQ(
      RunCli(*tmp_, {"export", "--format", "jsonl", "--db", db_, "--until", "soon"}).exit_code, 2);
  EXPECT_EQ(RunCli(*tmp_, {"export", "--format", "jsonl", "--per", "claim", "--db", db_}).exit_code,
            2);
  EXPECT_EQ(RunCli(*tmp_, {"export", "--format", "csv", "--per", "row", "--db", db_}).exit_code, 2);
  EXPECT_EQ(RunCli(*tmp_, {"stats", "--db", db_, "--since", "x"}).exit_code, 2);
  EXPECT_EQ(RunCli(*tmp_, {"stats", "--help"}).exit_code, 0);
}

TEST_F(ExportEndToEnd, StatsMatchSql) {
  CliResult r = RunCli(*tmp_, {"stats", "--db", db_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["total"]["articles"], SqlCount(db_, "SELECT count(*) FROM articles"));
  EXPECT_EQ(j["total"]["claims"], SqlCount(db_, "SELECT count(*) FROM figures"));
  EXPECT_EQ(j["total"]["errors"], SqlCount(db_, "SELECT count(*) FROM errors"));
  EXPECT_EQ(j["total"]["clusters"],
            SqlCount(db_,
                     "SELECT count(DISTINCT COALESCE(c.cluster_id, a.id)) FROM articles a "
                     "LEFT JOIN article_clusters c ON c.article_id = a.id"));
  std::map<std::string, int64_t> want, got;
  for (const auto& o : SqlColumn(db_,
                                 "SELECT COALESCE(outlet, '') || '|' || count(*) FROM articles "
                                 "GROUP BY COALESCE(outlet, '')")) {
    want[o.substr(0, o.rfind('|'))] = std::stoll(o.substr(o.rfind('|') + 1));
  }
  for (const auto& o : j["by_outlet"]) got[o["key"]] = o["articles"];
  EXPECT_EQ(got, want);
  want.clear();
  got.clear();
  for (const auto& u :
       SqlColumn(db_, "SELECT unit || '|' || count(*) FROM figures GROUP BY unit")) {
    want[u.substr(0, u.rfind('|'))] = std::stoll(u.substr(u.rfind('|') + 1));
  }
  for (const auto& u : j["by_unit"]) got[u["key"]] = u["claims"];
  EXPECT_EQ(got, want);
  want.clear();
  got.clear();
  for (const auto& c : SqlColumn(db_,
                                 "SELECT canonical || '|' || count(DISTINCT article_id) FROM "
                                 "chip_mentions GROUP BY canonical")) {
    want[c.substr(0, c.rfind('|'))] = std::stoll(c.substr(c.rfind('|') + 1));
  }
  for (const auto& c : j["by_chip"]) got[c["key"]] = c["articles"];
  EXPECT_EQ(got, want);
  int64_t month_articles = 0;
  for (const auto& m : j["by_month"]) month_articles += m["articles"].get<int64_t>();
  EXPECT_EQ(month_articles, 5);
  const auto top = SqlColumn(db_,
                             "SELECT source FROM claims_view GROUP BY source "
                             "ORDER BY count(*) DESC, source LIMIT 3");
  ASSERT_EQ(j["top_sources"].size() >= 3, true);
  for (size_t i = 0; i < top.size(); ++i) EXPECT_EQ(j["top_sources"][i]["key"], top[i]);
  // The table form says the same.
  r = RunCli(*tmp_, {"stats", "--db", db_, "--chip", "NVIDIA H20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("By outlet"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Top sources"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.rfind(std::to_string(SqlCount(db_,
                                                "SELECT count(DISTINCT article_id) FROM "
                                                "chip_mentions WHERE canonical = 'NVIDIA H20'")) +
                            " articles",
                        0),
            0u)
      << r.out;
}

}  // namespace
}  // namespace newsclaim::testing
