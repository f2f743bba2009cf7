// Golden test over the seed pages: boilerplate gone, article text kept, metadata right
// (compared after NFKC + t2s fold with white space removed), offsets consistent.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "normalize/normalize.h"

namespace newsclaim::normalize {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What ingest's SniffFormat decides: front matter is markdown, markup is HTML.
DocFormat Sniff(const std::string& bytes) {
  size_t i = 0;
  while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r')) ++i;
  if (bytes.compare(i, 4, "---\n") == 0) return DocFormat::kMarkdown;
  if (i < bytes.size() && bytes[i] == '<') return DocFormat::kHtml;
  return DocFormat::kText;
}

FoldRules Rules() {
  StatusOr<FoldRules> rules = LoadFoldRules(NEWSCLAIM_SOURCE_DIR "/rules/fold.toml");
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  return rules.ok() ? *rules : FoldRules();
}

// NFKC + t2s, white space removed: how the gold's strings are compared.
std::string Key(const std::string& s, const FoldRules& rules) {
  const std::string folded = FromText(s, rules).folded;
  std::string out;
  for (char c : folded) {
    if (c != ' ' && c != '\n' && c != '\t') out.push_back(c);
  }
  return out;
}

std::vector<std::string> Strings(const nlohmann::json& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array()) {
    for (const auto& e : v) out.push_back(e.get<std::string>());
  }
  return out;
}

class SeedTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SeedTest, MatchesGold) {
  const std::string id = GetParam();
  SCOPED_TRACE(id);
  const nlohmann::json gold =
      nlohmann::json::parse(ReadFile(NEWSCLAIM_SOURCE_DIR "/tests/data/gold/" + id + ".json"));
  RawDocument raw;
  raw.uri = gold["doc"].get<std::string>();
  raw.bytes = ReadFile(NEWSCLAIM_SOURCE_DIR "/corpus/seeds/" + raw.uri);
  ASSERT_FALSE(raw.bytes.empty());
  raw.format = Sniff(raw.bytes);
  NormalizeOptions options;
  options.fold = Rules();
  StatusOr<Article> got = Normalize(raw, options);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const Article& a = *got;

  for (const std::string& s : Strings(gold["body_must_include"])) {
    EXPECT_NE(a.body.find(s), std::string::npos) << "missing from body: " << s;
  }
  for (const std::string& s : Strings(gold["body_must_exclude"])) {
    EXPECT_EQ(a.body.find(s), std::string::npos) << "boilerplate left in body: " << s;
  }

  EXPECT_EQ(Key(a.title, options.fold), Key(gold["title"].get<std::string>(), options.fold));

  const std::vector<std::string> dates = Strings(gold["published"]);
  if (dates.empty()) {
    EXPECT_EQ(a.published, "");
  } else {
    bool ok = false;
    for (const std::string& d : dates) ok |= a.published.compare(0, d.size(), d) == 0;
    EXPECT_TRUE(ok) << "published " << a.published;
  }

  const std::vector<std::string> outlets = Strings(gold["outlet"]);
  if (outlets.empty()) {
    EXPECT_EQ(a.outlet, "");
  } else {
    bool ok = false;
    for (const std::string& o : outlets) ok |= Key(a.outlet, options.fold) == Key(o, options.fold);
    EXPECT_TRUE(ok) << "outlet " << a.outlet;
  }

  if (gold["author"].is_null()) {
    EXPECT_EQ(a.author, "");
  } else {
    EXPECT_EQ(Key(a.author, options.fold), Key(gold["author"].get<std::string>(), options.fold));
  }

  EXPECT_EQ(a.language, "zh");
  // Offsets: the fold map and the sentences point into the body.
  ASSERT_EQ(a.folded_to_body.size(), a.folded.size() + 1);
  EXPECT_EQ(a.folded_to_body.back(), a.body.size());
  for (size_t i = 1; i < a.folded_to_body.size(); ++i) {
    ASSERT_LE(a.folded_to_body[i - 1], a.folded_to_body[i]) << "map not monotonic at " << i;
  }
  ASSERT_FALSE(a.sentences.empty());
  for (size_t i = 0; i < a.sentences.size(); ++i) {
    EXPECT_LT(a.sentences[i].begin, a.sentences[i].end);
    EXPECT_LE(a.sentences[i].end, a.body.size());
    if (i > 0) {
      EXPECT_LE(a.sentences[i - 1].end, a.sentences[i].begin);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedTest,
                         ::testing::Values("000_deaf9d1a60bb2f27", "001_d7040c06c3092106",
                                           "002_92448aa21c421522", "003_1f4918f4bdd0fc92",
                                           "004_b5c4fdc71bfe94fc"));

TEST(SeedScriptTest, TraditionalAndSimplifiedAreTold) {
  const FoldRules rules = Rules();
  const std::pair<const char*, const char*> cases[] = {{"000_deaf9d1a60bb2f27.txt", "zh-Hant"},
                                                       {"001_d7040c06c3092106.txt", "zh-Hans"},
                                                       {"003_1f4918f4bdd0fc92.txt", "zh-Hans"},
                                                       {"004_b5c4fdc71bfe94fc.txt", "zh-Hant"}};
  for (const auto& [file, script] : cases) {
    SCOPED_TRACE(file);
    RawDocument raw;
    raw.bytes = ReadFile(std::string(NEWSCLAIM_SOURCE_DIR "/corpus/seeds/") + file);
    raw.format = Sniff(raw.bytes);
    NormalizeOptions options;
    options.fold = rules;
    StatusOr<Article> a = Normalize(raw, options);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->script, script);
  }
}

// The Epoch Times mirror is markup saved as a markdown file: the markdown path must give
// the same article as the HTML path.
TEST(SeedFormatTest, MarkupDumpReadAsMarkdownIsTreatedAsHtml) {
  RawDocument raw;
  raw.bytes = ReadFile(NEWSCLAIM_SOURCE_DIR "/corpus/seeds/003_1f4918f4bdd0fc92.txt");
  NormalizeOptions options;
  raw.format = DocFormat::kHtml;
  StatusOr<Article> html = Normalize(raw, options);
  raw.format = DocFormat::kMarkdown;
  StatusOr<Article> md = Normalize(raw, options);
  ASSERT_TRUE(html.ok());
  ASSERT_TRUE(md.ok());
  EXPECT_EQ(html->body, md->body);
  EXPECT_EQ(html->title, md->title);
}

}  // namespace
}  // namespace newsclaim::normalize
