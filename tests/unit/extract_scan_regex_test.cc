// ScanRegex (extract/scan_regex.h): an unanchored search that first looks with the
// pattern's long counted repetitions opened must find exactly what the exact pattern's own
// unanchored search finds, groups included; checked on hand-written patterns whose bounds
// matter and on every pattern of the shipped rule files, over the seed articles.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "extract/scan_regex.h"
#include "tests/unit/rule_patterns_test_util.h"

namespace newsclaim::extract {
namespace {

TEST(OpenCountedRepetitionsTest, OpensOnlyLongCountsOutsideEscapesAndClasses) {
  EXPECT_EQ(OpenCountedRepetitions("据([^，。]{0,40}?)报道"), "据([^，。]{0,}?)报道");
  EXPECT_EQ(OpenCountedRepetitions("《[^》\\n]{0,80}》"), "《[^》\\n]{0,}》");
  EXPECT_EQ(OpenCountedRepetitions("a{1,60}b{2,8}c{0,7}"), "a{1,}b{2,}c{0,7}");
  for (const char* same :
       {"\\d{1,4}年", "x{3}", "x{3,}", "[a{0,40}]", "\\{0,40}", "\\Q{0,40}\\E", "[]{0,40}]",
        "[^]{0,40}]", "[[:alpha:]{0,40}]", "a{40,1}", "{", "a{", "a{1,", "a{1,99999999999}"}) {
    EXPECT_EQ(OpenCountedRepetitions(same), same) << same;
  }
  EXPECT_EQ(OpenCountedRepetitions("\\p{Han}{1,30}\\x{4E00}{0,9}"), "\\p{Han}{1,}\\x{4E00}{0,}");
}

std::vector<std::string> Texts() {
  std::vector<std::string> texts = {
      "《" + std::string(100, 'x') + "》《短标题》〈" + std::string(30, 'y') + "〉",
      "据" + std::string(50, 'a') + "报道，据路透社报道，据消息人士称，据的报导",
      "According to a very long clause that runs on and on well beyond sixty characters in "
      "all, according to Reuters, said.",
      "",
  };
  // The same cases in a text long enough for the opened search (short ones are searched
  // with the exact pattern alone).
  std::string joined;
  while (joined.size() < 4096) {
    for (const std::string& t : texts) joined += t + "\n";
  }
  texts.push_back(joined);
  const std::filesystem::path seeds = std::filesystem::path(NEWSCLAIM_SOURCE_DIR) / "corpus/seeds";
  for (const auto& f : std::filesystem::directory_iterator(seeds)) {
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    texts.push_back(s.str());
  }
  return texts;
}

// (start, end) of each match and of its first group, as the search loop of a caller walks
// the text (on to the end of a match, or one character past an empty one).
std::vector<size_t> Walk(
    const std::string& text, int groups,
    const std::function<bool(const re2::StringPiece&, size_t, re2::StringPiece*, int)>& find) {
  std::vector<size_t> out;
  const re2::StringPiece t(text);
  re2::StringPiece g[2];
  const int n = groups > 0 ? 2 : 1;
  for (size_t pos = 0; pos <= text.size() && find(t, pos, g, n);) {
    const size_t b = static_cast<size_t>(g[0].data() - text.data());
    out.push_back(b);
    out.push_back(b + g[0].size());
    if (n == 2) {
      out.push_back(g[1].data() ? static_cast<size_t>(g[1].data() - text.data()) : SIZE_MAX);
      out.push_back(g[1].size());
    }
    pos = g[0].empty() ? b + 1 : b + g[0].size();
  }
  return out;
}

void ExpectSameMatches(const std::string& pattern, bool longest,
                       const std::vector<std::string>& texts) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_longest_match(longest);
  auto exact = std::make_unique<RE2>(pattern, o);
  ASSERT_TRUE(exact->ok()) << pattern;
  const int groups = std::min(exact->NumberOfCapturingGroups(), 1);
  const RE2& re = *exact;
  const ScanRegex scan(std::make_unique<RE2>(pattern, o));
  for (const std::string& text : texts) {
    const auto want =
        Walk(text, groups, [&](const re2::StringPiece& t, size_t pos, re2::StringPiece* g, int n) {
          return re.Match(t, pos, t.size(), RE2::UNANCHORED, g, n);
        });
    const auto got =
        Walk(text, groups, [&](const re2::StringPiece& t, size_t pos, re2::StringPiece* g, int n) {
          return scan.FindFrom(t, pos, t.size(), g, n);
        });
    EXPECT_EQ(got, want) << pattern << (longest ? " (longest)" : "") << " on "
                         << text.substr(0, 60);
  }
}

TEST(ScanRegexTest, FindsWhatTheExactPatternFinds) {
  const std::vector<std::string> texts = Texts();
  for (const char* p : {"《[^》\\n]{0,80}》|〈[^〉\\n]{0,80}〉", "据([^，。]{0,40}?)(?:的)?报道",
                        "(?i)\\baccording to ([^,;:!?\\n]{1,60}?)(?:[,;:!?\\n]|\\.(?:\\s|$)|$)",
                        "x{0,8}", "a{0,10}|b"}) {
    ExpectSameMatches(p, false, texts);
    ExpectSameMatches(p, true, texts);
  }
  EXPECT_TRUE(ScanRegex(std::make_unique<RE2>("《[^》]{0,80}》")).opened());
  EXPECT_FALSE(ScanRegex(std::make_unique<RE2>("\\d{1,4}年")).opened());
}

TEST(ScanRegexTest, EveryRulePatternFindsWhatItFinds) {
  const std::vector<std::string> texts = Texts();
  int opened = 0, checked = 0;
  for (const std::string& p : RulePatterns({"pattern", "before", "after"})) {
    if (!RE2(p).ok()) continue;  // e.g. a fold rule's plain text
    opened += OpenCountedRepetitions(p) != p;
    ExpectSameMatches(p, false, texts);
    ExpectSameMatches(p, true, texts);
    ++checked;
  }
  EXPECT_GE(checked, 50);
  EXPECT_GE(opened, 5);  // the cues and exclusions with long counts
}

}  // namespace
}  // namespace newsclaim::extract
