// `newsclaim duplicates` on the seeds plus copies: a re-post of a seed with other site
// chrome and a new headline (tests/data/duplicates/000_repost.txt), the seed converted to
// Simplified script, a Simplified seed converted to Traditional with Taiwan phrases (both
// made here with the `opencc` tool), and the same bytes under a second name. Copies are
// clustered with their seed; different seeds (all on Chinese AI chips) are not.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSource = NEWSCLAIM_SOURCE_DIR;
const std::string kSeeds = kSource + "/corpus/seeds";

std::string Name(const std::string& doc) { return fs::path(doc).filename().string(); }

TEST(DuplicatesTest, LinksCopiesAndConversionsButNotDifferentSeeds) {
  TempDir tmp;
  const fs::path in = tmp.path() / "in";
  fs::create_directories(in);
  for (const auto& e : fs::directory_iterator(kSeeds)) fs::copy(e.path(), in / e.path().filename());
  fs::copy(kSource + "/tests/data/duplicates/000_repost.txt", in / "900_repost.txt");
  // Script conversions, made with OpenCC's command-line tool.
  const std::string to_simplified = "opencc -c t2s -i " +
                                    ShellQuote(kSeeds + "/000_deaf9d1a60bb2f27.txt") + " -o " +
                                    ShellQuote((in / "901_simplified.txt").string());
  ASSERT_EQ(std::system(to_simplified.c_str()), 0) << to_simplified;
  const std::string to_taiwan = "opencc -c s2twp -i " +
                                ShellQuote(kSeeds + "/001_d7040c06c3092106.txt") + " -o " +
                                ShellQuote((in / "902_taiwan.txt").string());
  ASSERT_EQ(std::system(to_taiwan.c_str()), 0) << to_taiwan;
  // The conversions really changed the script (and, for s2twp, the vocabulary).
  ASSERT_NE(ReadAll(in / "901_simplified.txt").find("中国"), std::string::npos);
  ASSERT_EQ(ReadAll(in / "901_simplified.txt").find("中國"), std::string::npos);
  ASSERT_NE(ReadAll(in / "902_taiwan.txt").find("晶片"), std::string::npos);
  // The same bytes under another name: one raw document, two URIs.
  fs::copy(in / "003_1f4918f4bdd0fc92.txt", in / "903_same_bytes.txt");

  const std::string db = tmp / "n.db";
  CliResult r = RunCli(tmp, {"ingest", in.string(), "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunCli(tmp, {"duplicates", "--db", db, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // cluster -> member file names; file name -> (method, uris)
  std::map<int64_t, std::set<std::string>> clusters;
  std::map<std::string, std::string> method;
  std::map<std::string, std::set<std::string>> uris;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    const nlohmann::json j = nlohmann::json::parse(line);
    int64_t smallest = INT64_MAX;
    for (const auto& m : j["articles"]) {
      const std::string name = Name(m["doc"]);
      clusters[j["cluster_id"]].insert(name);
      method[name] = m["method"];
      for (const auto& u : m["uris"]) uris[name].insert(Name(u));
      smallest = std::min<int64_t>(smallest, m["article_id"]);
    }
    EXPECT_EQ(j["cluster_id"].get<int64_t>(), smallest) << line;
  }
  const std::set<std::string> seed0 = {"000_deaf9d1a60bb2f27.txt", "900_repost.txt",
                                       "901_simplified.txt"};
  const std::set<std::string> seed1 = {"001_d7040c06c3092106.txt", "902_taiwan.txt"};
  const std::set<std::string> same_bytes = {"003_1f4918f4bdd0fc92.txt"};
  std::set<std::set<std::string>> got;
  for (const auto& [id, names] : clusters) got.insert(names);
  EXPECT_EQ(got, (std::set<std::set<std::string>>{seed0, seed1, same_bytes})) << r.out;
  EXPECT_EQ(method["000_deaf9d1a60bb2f27.txt"], "self");
  EXPECT_EQ(method["900_repost.txt"], "near");
  EXPECT_EQ(method["001_d7040c06c3092106.txt"], "self");
  EXPECT_EQ(uris["003_1f4918f4bdd0fc92.txt"],
            (std::set<std::string>{"003_1f4918f4bdd0fc92.txt", "903_same_bytes.txt"}));

  // Text output names the clusters; a second run computes nothing new and lists the same.
  CliResult text = RunCli(tmp, {"duplicates", "--db", db});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("cluster "), std::string::npos);
  EXPECT_NE(text.out.find("same bytes at:"), std::string::npos);
  EXPECT_EQ(RunCli(tmp, {"duplicates", "--db", db, "--json"}).out, r.out);
}

TEST(DuplicatesTest, DifferentSeedsAloneHaveNoCluster) {
  TempDir tmp;
  const std::string db = tmp / "n.db";
  ASSERT_EQ(RunCli(tmp, {"ingest", kSeeds, "--db", db}).exit_code, 0);
  const CliResult r = RunCli(tmp, {"duplicates", "--db", db, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("0 clusters"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace newsclaim::testing
