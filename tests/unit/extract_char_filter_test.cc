// CharFilter, ExpandLiterals and LiteralMatcher (extract/char_filter.h), the pre-tests that
// let the figure grammar skip RE2: checked against RE2 itself, on hand-written patterns and on
// every pattern of the shipped rule files.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "extract/char_filter.h"
#include "tests/unit/rule_patterns_test_util.h"

namespace newsclaim::extract {
namespace {

RE2::Options Options() {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_longest_match(true);
  o.set_never_capture(true);
  return o;
}

// Text with the shapes the rules look at: Chinese and English amounts, units, dates, case
// variants, Unicode case folds (K KELVIN SIGN, LONG S), titles, URLs, e-mail.
const char kText[] =
    "据估计约140万到150万颗芯片，营收达4,530亿美元（US$ 45.3 billion），同比增长12%。"
    "The firm said revenue rose 15 percent to USD 3.5 million, about thirty-two dollars each; "
    "HK$20 and 50 \u212Aw (kilowatts), 5 \u017Fterling. 2024年7月15日 10:30 第二季度 "
    "《2025-2035发展规划》 see https://example.com/a?b=1 or mail a.b@example.org, 近半数、"
    "数以百万计 tens of thousands 三成半 5-10年 3.8×10^25 FLOP, 910C 芯片 H20; 10 PFLOPS 7nm.";

std::vector<std::string> RulePatterns() {
  return newsclaim::RulePatterns(
      {"pattern", "prefix", "before", "after", "between", "unless_followed_by", "minor"});
}

// Every non-empty anchored match starts with a character FirstOf passes; every match that
// ends at a position ends with one LastOf passes; the expanded literals give the same longest
// match as RE2 on a window.
void CheckAgainstRe2(const std::string& pattern, std::string_view text) {
  const std::string ahead = "(?:" + pattern + ")";
  const std::string behind = ahead + "[ \\t]*$";
  const RE2 fwd(ahead, Options()), bwd(behind, Options());
  ASSERT_TRUE(fwd.ok()) << pattern;
  const CharFilter first = CharFilter::FirstOf(ahead), last = CharFilter::LastOf(behind);
  std::vector<PatternLiteral> literals;
  LiteralMatcher matcher;
  const bool expanded = ExpandLiterals(pattern, &literals);
  for (const PatternLiteral& l : literals) matcher.Add(l, 0);
  for (size_t pos = 0; pos < text.size(); utf8::Next(text, &pos)) {
    const size_t end = std::min(text.size(), pos + 40);
    const re2::StringPiece window(text.data() + pos, end - pos);
    re2::StringPiece m;
    const bool matched =
        fwd.Match(window, 0, window.size(), RE2::ANCHOR_START, &m, 1) && !m.empty();
    if (matched) {
      EXPECT_TRUE(first.TestAt(text, pos)) << pattern << " at " << pos;
    }
    if (expanded) {
      size_t longest = 0;
      matcher.MatchAt(text, pos, end, [&](int, size_t n) { longest = std::max(longest, n); });
      EXPECT_EQ(longest, matched ? m.size() : 0) << pattern << " at " << pos;
    }
    const re2::StringPiece before(text.data(), pos);
    if (bwd.Match(before, 0, before.size(), RE2::UNANCHORED, &m, 1) && !m.empty()) {
      EXPECT_TRUE(last.TestBefore(text, pos)) << pattern << " before " << pos;
    }
  }
}

TEST(CharFilterTest, FirstAndLastCharacters) {
  const CharFilter f = CharFilter::FirstOf("(?:美元|(?i:usd)\\b|\\$)");
  EXPECT_TRUE(f.TestAt("美元", 0));
  EXPECT_TRUE(f.TestAt("USD", 0));
  EXPECT_TRUE(f.TestAt("usd", 0));
  EXPECT_TRUE(f.TestAt("$5", 0));
  EXPECT_FALSE(f.TestAt("元", 0));
  EXPECT_FALSE(f.TestAt("5", 0));
  EXPECT_FALSE(f.TestAt("", 0));
  EXPECT_FALSE(f.passes_everything());
  const CharFilter l = CharFilter::LastOf("(?:约|about)[ \\t]*$");
  EXPECT_TRUE(l.TestBefore("约", 3));
  EXPECT_TRUE(l.TestBefore("about ", 6));
  EXPECT_FALSE(l.TestBefore("x", 1));
  EXPECT_FALSE(l.TestBefore("约", 0));
}

TEST(CharFilterTest, UnknownOrEmptyMatchingPatternsLetEverythingPass) {
  EXPECT_TRUE(CharFilter::FirstOf("a*").passes_everything());         // matches ""
  EXPECT_TRUE(CharFilter::FirstOf("\\p{Han}x").passes_everything());  // not read
  EXPECT_TRUE(CharFilter::FirstOf(".x").passes_everything());
  EXPECT_TRUE(CharFilter::FirstOf("(?i:é)").passes_everything());  // non-ASCII folding
  EXPECT_TRUE(CharFilter::FirstOf("[^a]b").passes_everything());
  EXPECT_TRUE(CharFilter::FirstOf("(unclosed").passes_everything());
  EXPECT_FALSE(CharFilter::FirstOf("x?y").TestAt("z", 0));
  EXPECT_TRUE(CharFilter::FirstOf("x?y").TestAt("y", 0));
}

TEST(CharFilterTest, CaseFoldingIncludesKelvinAndLongS) {
  const CharFilter f = CharFilter::FirstOf("(?i:kw|sterling)");
  EXPECT_TRUE(f.TestAt("\u212Aw", 0));
  EXPECT_TRUE(f.TestAt("\u017Fterling", 0));
  EXPECT_TRUE(f.TestAt("KW", 0));
}

TEST(CharFilterTest, ExpandLiterals) {
  std::vector<PatternLiteral> l;
  ASSERT_TRUE(ExpandLiterals("[个個]?比特币", &l));
  EXPECT_EQ(l.size(), 3u);
  ASSERT_TRUE(ExpandLiterals("(?i:us\\s?dollars?)\\b", &l));
  EXPECT_EQ(l.size(), 12u);
  EXPECT_TRUE(l[0].fold);
  EXPECT_TRUE(l[0].word_boundary_end);
  EXPECT_FALSE(ExpandLiterals("a\\s+b", &l));       // unbounded
  EXPECT_FALSE(ExpandLiterals("a\\bb", &l));        // \b inside
  EXPECT_FALSE(ExpandLiterals("T(?i:flops)", &l));  // exact and folded letters mixed
  EXPECT_FALSE(ExpandLiterals("^a", &l));           // anchors
  EXPECT_FALSE(ExpandLiterals("x?", &l));           // matches ""
}

TEST(CharFilterTest, SplitAlternatives) {
  const std::vector<std::string_view> parts = SplitAlternatives("a|(b|c)|[|]|\\||d");
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[1], "(b|c)");
  EXPECT_EQ(parts[2], "[|]");
  EXPECT_EQ(parts[3], "\\|");
  // A flags-only group changes the alternatives after it: not split.
  EXPECT_EQ(SplitAlternatives("(?i)a|b").size(), 1u);
}

TEST(CharFilterTest, DistributeGroup) {
  const std::vector<std::string> parts = DistributeGroup("(?i:rmb|cny|chinese\\s+yuan)\\b");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "(?i:rmb)\\b");
  EXPECT_EQ(parts[2], "(?i:chinese\\s+yuan)\\b");
  EXPECT_EQ(DistributeGroup("(?:a|[)|]|b)").size(), 3u);
  EXPECT_EQ(DistributeGroup("(?:a|b)").back(), "(?:b)");
  // Anything else after the group, no group, or a single alternative: the pattern alone.
  for (const char* p : {"(?:a|b)+", "(?:a|b)c", "(?:a|b)\\bc", "x(?:a|b)", "(a|b)", "(?:ab)\\b",
                        "(?:a|b", "(?:a)|(?:b)"}) {
    const std::vector<std::string> alone = DistributeGroup(p);
    ASSERT_EQ(alone.size(), 1u) << p;
    EXPECT_EQ(alone[0], p);
  }
}

// The parts of every alternative of the rule patterns match, together, as the whole does:
// the longest anchored match of the alternative is the longest of its parts' at every
// character of the text.
TEST(CharFilterTest, DistributedGroupsMatchAsTheWhole) {
  const std::string_view text = kText;
  size_t split = 0;
  for (const std::string& p : RulePatterns()) {
    for (std::string_view alt : SplitAlternatives(p)) {
      const std::vector<std::string> parts = DistributeGroup(alt);
      if (parts.size() < 2) continue;
      ++split;
      const RE2 whole(std::string(alt), Options());
      ASSERT_TRUE(whole.ok()) << alt;
      std::vector<std::unique_ptr<RE2>> res;
      for (const std::string& part : parts) {
        res.push_back(std::make_unique<RE2>(part, Options()));
        ASSERT_TRUE(res.back()->ok()) << part;
      }
      for (size_t pos = 0; pos < text.size(); utf8::Next(text, &pos)) {
        const re2::StringPiece t(text.data(), text.size());
        re2::StringPiece m;
        const int want = whole.Match(t, pos, t.size(), RE2::ANCHOR_START, &m, 1)
                             ? static_cast<int>(m.size())
                             : -1;
        int got = -1;
        for (const auto& r : res) {
          if (r->Match(t, pos, t.size(), RE2::ANCHOR_START, &m, 1)) {
            got = std::max(got, static_cast<int>(m.size()));
          }
        }
        EXPECT_EQ(got, want) << alt << " at " << pos;
      }
    }
  }
  EXPECT_GE(split, 5u);  // the currency groups of rules/units.toml
}

TEST(CharFilterTest, LiteralMatcherWordBoundarySeesTheWindowEnd) {
  std::vector<PatternLiteral> l;
  ASSERT_TRUE(ExpandLiterals("(?i:usd)\\b", &l));
  LiteralMatcher m;
  for (const PatternLiteral& x : l) m.Add(x, 7);
  size_t got = 0;
  const std::string_view text = "USDX USD";
  m.MatchAt(text, 0, text.size(), [&](int id, size_t n) { got = id == 7 ? n : 99; });
  EXPECT_EQ(got, 0u);  // "USDX": no boundary
  m.MatchAt(text, 0, 3, [&](int, size_t n) { got = n; });
  EXPECT_EQ(got, 3u);  // the window ends after "USD", as RE2 on that window sees it
  got = 0;
  m.MatchAt(text, 5, text.size(), [&](int, size_t n) { got = n; });
  EXPECT_EQ(got, 3u);
}

TEST(CharFilterTest, HandWrittenPatternsAgreeWithRe2) {
  for (const char* p :
       {"美元|美金|(?i:us\\s?dollars?|usd)\\b|\\$", "[个個]?\\s*百\\s*分\\s*[点點]",
        "(?i:kw|kilowatts?)\\b", "(?i:-?cents?)\\b|美分", "x{0,2}y", "(?:a|bc)?d", "[0-9a-f]{2}h",
        "\\d+(?:\\.\\d+)?%", "(?i)k|s", "[^a]b", "\\x{5143}|\\x41"}) {
    CheckAgainstRe2(p, kText);
  }
}

TEST(CharFilterTest, RulePatternsAgreeWithRe2) {
  const std::vector<std::string> patterns = RulePatterns();
  ASSERT_GT(patterns.size(), 100u);
  for (const std::string& p : patterns) CheckAgainstRe2(p, kText);
}

// Context phrases for the affix and required-character checks: qualifiers and units before
// and after numbers, with spaces, tabs and case variants.
const char kContext[] =
    "close to 5 million, Close\tTo 7, more than  40 percent, tens of thousands of dollars, "
    "up to 3 PFLOPS, at least 2 \u212Am, No. 5, number 7, #3, 超过 2000亿元, 约为3万, "
    "百 分 之 二十, US$ 3, u.s.$4, hk$ 5, C$6, percent of 9, 2024 年, 7 月, 10 : 30, 3点钟, "
    "in excess of 8 Hong  Kong dollars, 50 Chinese yuan and 20 swiss francs, 1.2.3 v2.0.1";

// AffixLiterals and RequiredOf against RE2: every non-empty match at a position begins with
// a prefix; every match that ends at a position ends with a suffix (SuffixMatcher, its id
// reported by EndingAt); every match holds a required character.
void CheckAffixesAgainstRe2(const std::string& pattern, std::string_view text) {
  const RE2 fwd("(?:" + pattern + ")", Options()), bwd("(?:" + pattern + ")$", Options());
  ASSERT_TRUE(fwd.ok()) << pattern;
  std::vector<PatternLiteral> prefixes, suffixes;
  const bool has_prefixes = AffixLiterals(pattern, true, &prefixes);
  const bool has_suffixes = AffixLiterals(pattern, false, &suffixes);
  LiteralMatcher starts;
  SuffixMatcher ends;
  for (const PatternLiteral& l : prefixes) starts.Add(l, 0);
  for (const PatternLiteral& l : suffixes) ends.Add(l, 7);
  const CharFilter need = CharFilter::RequiredOf("(?:" + pattern + ")");
  for (size_t pos = 0;; utf8::Next(text, &pos)) {
    const re2::StringPiece rest(text.data() + pos, text.size() - pos);
    re2::StringPiece m;
    if (fwd.Match(rest, 0, rest.size(), RE2::ANCHOR_START, &m, 1) && !m.empty()) {
      if (has_prefixes) {
        EXPECT_TRUE(starts.MayMatchAt(text, pos)) << pattern << " at " << pos;
      }
      EXPECT_TRUE(need.AnyIn(std::string_view(m.data(), m.size()))) << pattern << " at " << pos;
    }
    const re2::StringPiece before(text.data(), pos);
    if (has_suffixes && bwd.Match(before, 0, before.size(), RE2::UNANCHORED, &m, 1) && !m.empty()) {
      EXPECT_TRUE(ends.EndsAt(text, pos)) << pattern << " before " << pos;
      EXPECT_EQ(ends.EndingAt(text, pos), uint64_t{1} << 7) << pattern << " before " << pos;
    }
    if (pos >= text.size()) break;
  }
}

TEST(CharFilterTest, AffixLiterals) {
  std::vector<PatternLiteral> l;
  ASSERT_TRUE(AffixLiterals("(?i:\\bclose\\s+to)", false, &l));
  ASSERT_EQ(l.size(), 5u);  // "to" after one of the five \s
  for (const PatternLiteral& x : l) {
    EXPECT_EQ(x.text.substr(1), "to");
    EXPECT_TRUE(x.fold);
  }
  ASSERT_TRUE(AffixLiterals("(?i:(?:tens|hundreds)\\s+of\\s+(?:thousands|millions))\\b", true, &l));
  ASSERT_EQ(l.size(), 10u);  // "tens" and "hundreds", each with one of the five \s
  for (const PatternLiteral& x : l) {
    EXPECT_TRUE(x.text.rfind("tens", 0) == 0 || x.text.rfind("hundreds", 0) == 0) << x.text;
    EXPECT_TRUE(x.fold);
    EXPECT_FALSE(x.word_boundary_end);
  }
  ASSERT_TRUE(AffixLiterals("[个個]?\\s*百\\s*分\\s*[点點]", false, &l));
  ASSERT_FALSE(l.empty());  // 点 or 點 after what can precede it (分, 百分, a \s, ...)
  for (const PatternLiteral& x : l) {
    const std::string_view t = x.text;
    EXPECT_TRUE(t.size() > 3 && (t.substr(t.size() - 3) == "点" || t.substr(t.size() - 3) == "點"))
        << t;
  }
  ASSERT_TRUE(AffixLiterals("约为?\\d+", true, &l));
  EXPECT_EQ(l.size(), 20u);  // 约 and 约为, each with a digit
  ASSERT_TRUE(AffixLiterals("(?:份)?月", true, &l));
  EXPECT_EQ(l.size(), 2u);                             // 月, 份月
  EXPECT_FALSE(AffixLiterals("a*", true, &l));         // matches ""
  EXPECT_FALSE(AffixLiterals(".x", true, &l));         // any first character
  EXPECT_FALSE(AffixLiterals("x[^a]", false, &l));     // any last character
  EXPECT_FALSE(AffixLiterals("(?i:é)x", true, &l));    // non-ASCII folding
  EXPECT_FALSE(AffixLiterals("(unclosed", true, &l));  // not read
}

TEST(CharFilterTest, SuffixMatcherFoldsAsRe2) {
  SuffixMatcher m;
  std::vector<PatternLiteral> l;
  ASSERT_TRUE(ExpandLiterals("(?i:kw|us)", &l));
  for (const PatternLiteral& x : l) m.Add(x, 3);
  EXPECT_TRUE(m.EndsAt("5 KW", 4));
  EXPECT_TRUE(m.EndsAt("5 \u212Aw", 6));  // KELVIN SIGN
  EXPECT_TRUE(m.EndsAt("u\u017F", 3));    // LONG S
  EXPECT_FALSE(m.EndsAt("5 KW", 3));
  EXPECT_FALSE(m.EndsAt("5 KW", 4, 3));  // would start before the floor
  EXPECT_EQ(m.EndingAt("the US", 6), uint64_t{1} << 3);
  EXPECT_EQ(m.EndingAt("the UK", 6), 0u);
}

TEST(CharFilterTest, RequiredCharacters) {
  const CharFilter url = CharFilter::RequiredOf("(?i:(?:https?|ftp)://[^\\s]+|www\\.[^\\s]+)");
  EXPECT_FALSE(url.passes_everything());
  EXPECT_TRUE(url.AnyIn("see http://x"));
  EXPECT_FALSE(url.AnyIn("营收达4530亿美元"));
  EXPECT_TRUE(CharFilter::RequiredOf("a*").AnyIn("b") == false);  // only "" has no character
  EXPECT_TRUE(CharFilter::RequiredOf(".").passes_everything());
  EXPECT_TRUE(CharFilter::RequiredOf("a?b?").AnyIn("b"));
  EXPECT_TRUE(CharFilter::RequiredOf("x").AnyIn("\xE4\xB8"));  // invalid UTF-8 passes
}

TEST(CharFilterTest, AffixesAndRequiredCharactersAgreeWithRe2) {
  std::vector<std::string> patterns = RulePatterns();
  ASSERT_GT(patterns.size(), 100u);
  for (const char* p :
       {"[个個]?\\s*百\\s*分\\s*[点點]", "(?i:\\bclose\\s+to|\\bup\\s+to)", "(?i:us)?\\$|美元",
        "x{0,2}y", "(?:a|bc)?d", "\\d+(?:\\.\\d+)+", "[「“][一二三]{1,4}[」”]"}) {
    patterns.push_back(p);
  }
  for (const std::string& p : patterns) {
    CheckAffixesAgainstRe2(p, kText);
    CheckAffixesAgainstRe2(p, kContext);
  }
}

}  // namespace
}  // namespace newsclaim::extract
