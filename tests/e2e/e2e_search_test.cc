// `newsclaim search` on the ingested seeds: a two-character Chinese word is found in
// either script and either regional spelling (芯片 / 晶片 find the Traditional and the
// Simplified seeds), snippets keep the original script, claims are searchable, and a
// query with no match finds nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSeeds = std::string(NEWSCLAIM_SOURCE_DIR) + "/corpus/seeds";

std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) v.push_back(nlohmann::json::parse(line));
  }
  return v;
}

std::string Name(const std::string& doc) { return fs::path(doc).filename().string(); }

bool Contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = tmp_ / "n.db";
    const CliResult r = RunCli(tmp_, {"ingest", kSeeds, "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Which seeds are written in which script, from their text: Traditional Taiwanese
    // reports say 晶片, Simplified ones 芯片.
    for (const auto& e : fs::directory_iterator(kSeeds)) {
      const std::string text = ReadAll(e.path());
      if (Contains(text, "晶片") && Contains(text, "國")) traditional_.insert(e.path().string());
      if (Contains(text, "芯片") && Contains(text, "国")) simplified_.insert(e.path().string());
    }
    ASSERT_FALSE(traditional_.empty());
    ASSERT_FALSE(simplified_.empty());
  }

  std::vector<nlohmann::json> Search(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"search", "--db", db_, "--json", "--limit", "100"};
    all.insert(all.end(), args.begin(), args.end());
    const CliResult r = RunCli(tmp_, all);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return JsonLines(r.out);
  }

  std::set<std::string> Docs(const std::vector<nlohmann::json>& hits) {
    std::set<std::string> docs;
    for (const auto& h : hits) docs.insert(h["doc"].get<std::string>());
    return docs;
  }

  TempDir tmp_;
  std::string db_;
  std::set<std::string> traditional_, simplified_;
};

TEST_F(SearchTest, EitherSpellingFindsBothScripts) {
  for (const char* query : {"芯片", "晶片"}) {
    SCOPED_TRACE(query);
    const auto hits = Search({query});
    const std::set<std::string> docs = Docs(hits);
    for (const std::string& d : traditional_) EXPECT_TRUE(docs.count(d)) << "traditional " << d;
    for (const std::string& d : simplified_) EXPECT_TRUE(docs.count(d)) << "simplified " << d;
    // Snippets mark the match, in the article's own script where the fold kept the
    // line's length (a line with 記憶體 -> 内存 is shown folded).
    int original_script = 0;
    for (const auto& h : hits) {
      const std::string doc = h["doc"], snippet = h["snippet"];
      EXPECT_TRUE(Contains(snippet, "[晶片]") || Contains(snippet, "[芯片]")) << snippet;
      if (traditional_.count(doc) && Contains(snippet, "[晶片]")) ++original_script;
      if (simplified_.count(doc) && Contains(snippet, "[芯片]")) ++original_script;
      EXPECT_TRUE(h["score"].is_number());
    }
    EXPECT_GE(original_script, 4);
    // Ranked best first (bm25: lower is better).
    for (size_t i = 1; i < hits.size(); ++i) {
      EXPECT_LE(hits[i - 1]["score"].get<double>(), hits[i]["score"].get<double>());
    }
  }
}

TEST_F(SearchTest, TraditionalQueryFindsSimplifiedText) {
  // 華為 (Traditional) finds 华为 in Simplified seeds and the reverse.
  const auto trad = Docs(Search({"華為"}));
  const auto simp = Docs(Search({"华为"}));
  EXPECT_EQ(trad, simp);
  bool any_simplified = false;
  for (const std::string& d : simplified_) any_simplified |= trad.count(d) > 0;
  EXPECT_TRUE(any_simplified);
}

TEST_F(SearchTest, NoMatchFindsNothing) {
  const CliResult r = RunCli(tmp_, {"search", "--db", db_, "量子糾纏"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Contains(r.err, "0 articles")) << r.err;
  // Every word must match.
  EXPECT_TRUE(Search({"芯片", "量子糾纏"}).empty());
  // Bad queries are usage errors.
  EXPECT_EQ(RunCli(tmp_, {"search", "--db", db_, "，。"}).exit_code, 2);
  EXPECT_EQ(RunCli(tmp_, {"search", "--db", (tmp_ / "missing.db"), "芯片"}).exit_code, 2);
}

TEST_F(SearchTest, ClaimsSearchFindsFigures) {
  const auto hits = Search({"--claims", "晶片"});
  ASSERT_FALSE(hits.empty());
  for (const auto& h : hits) {
    EXPECT_GT(h["figure_id"].get<int64_t>(), 0);
    EXPECT_FALSE(h["unit"].get<std::string>().empty());
    const std::string snippet = h["snippet"];
    EXPECT_TRUE(Contains(snippet, "[晶片]") || Contains(snippet, "[芯片]")) << snippet;
  }
  // Text output: one block per hit.
  const CliResult r = RunCli(tmp_, {"search", "--db", db_, "--claims", "--limit", "1", "晶片"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "figure ")) << r.out;
}

TEST_F(SearchTest, IndexFollowsTheDatabase) {
  ASSERT_TRUE(Docs(Search({"鎵化合物"})).empty());
  // A document ingested later is found, in either script, next to the earlier ones.
  const fs::path extra = tmp_.path() / "extra";
  fs::create_directories(extra);
  std::ofstream(extra / "gallium.txt")
      << "title: 鎵化合物出口管制\n\n中國宣布對鎵化合物實施出口管制，"
         "影響晶片供應鏈。\n";
  ASSERT_EQ(RunCli(tmp_, {"ingest", extra.string(), "--db", db_}).exit_code, 0);
  const auto hits = Search({"镓化合物"});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(Name(hits[0]["doc"]), "gallium.txt");
  EXPECT_EQ(Docs(Search({"晶片"})).size(), traditional_.size() + simplified_.size() + 1);
}

}  // namespace
}  // namespace newsclaim::testing
