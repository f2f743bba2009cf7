// The figure grammar on single sentences: what must be found (text, value, unit,
// qualifier) and what must not (dates, ordinals, codes, numerals inside words).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/figures.h"
#include "extract/internal.h"
#include "extract/numbers.h"
#include "normalize/normalize.h"

namespace newsclaim::extract {
namespace {

const RuleSet& Rules() {
  static const std::shared_ptr<const RuleSet> rules = [] {
    auto r = RuleSet::LoadDir(std::string(NEWSCLAIM_SOURCE_DIR) + "/rules");
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      std::abort();
    }
    return *r;
  }();
  return *rules;
}

std::vector<Figure> Find(const std::string& text, const FigureOptions& options = {}) {
  const Article article = normalize::FromText(text, normalize::FoldRules());
  return Rules().impl().figures->Find(article, options);
}

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

struct Case {
  const char* input;
  const char* text;  // the one figure expected
  double value;      // NaN: value null
  double value_high;
  const char* unit;
  Qualifier qualifier;
};

void ExpectOne(const Case& c, const FigureOptions& options = {}) {
  SCOPED_TRACE(c.input);
  const std::vector<Figure> found = Find(c.input, options);
  ASSERT_EQ(found.size(), 1u) << (found.empty() ? "nothing" : found[1 % found.size()].text);
  const Figure& f = found[0];
  EXPECT_EQ(f.text, c.text);
  if (std::isnan(c.value)) {
    EXPECT_FALSE(f.value.has_value());
  } else {
    ASSERT_TRUE(f.value.has_value());
    EXPECT_NEAR(*f.value, c.value, std::abs(c.value) * 1e-9);
  }
  if (std::isnan(c.value_high)) {
    EXPECT_FALSE(f.value_high.has_value());
  } else {
    ASSERT_TRUE(f.value_high.has_value());
    EXPECT_NEAR(*f.value_high, c.value_high, std::abs(c.value_high) * 1e-9);
  }
  EXPECT_EQ(f.unit, c.unit);
  EXPECT_EQ(f.qualifier, c.qualifier) << QualifierName(f.qualifier);
}

TEST(FigureRulesTest, FindsFiguresAsNewsWritesThem) {
  const Qualifier kN = Qualifier::kNone, kApprox = Qualifier::kApprox, kOver = Qualifier::kOver,
                  kUnder = Qualifier::kUnder, kRange = Qualifier::kRange,
                  kVague = Qualifier::kVague;
  const Case cases[] = {
      // Gold figures of the seed articles.
      {"约140万到150万颗", "约140万到150万颗", 1.4e6, 1.5e6, "count", kApprox},
      {"超過800億美元的投資", "超過800億美元", 8e10, kNone, "USD", kOver},
      {"訓練算力達3.8×10^25 FLOPS。", "3.8×10^25 FLOPS", 3.8e25, kNone, "FLOP", kN},
      {"使用16,384塊GPU", "16,384塊", 16384, kNone, "count", kN},
      {"共2,142小時", "2,142小時", 2142, kNone, "h", kN},
      {"功耗25,280瓦", "25,280瓦", 25280, kNone, "W", kN},
      {"4,530億美元", "4,530億美元", 4.53e11, kNone, "USD", kN},
      {"占40.42%", "40.42%", 40.42, kNone, "%", kN},
      {"未来5-10 年内", "5-10 年", 5, 10, "year", kRange},
      {"采用7 纳米工艺", "7 纳米", 7, kNone, "nm", kN},
      {"台积电的7奈米制程", "7奈米", 7, kNone, "nm", kN},
      {"约一百万颗", "约一百万颗", 1e6, kNone, "count", kApprox},
      {"5000 个芯片", "5000 个", 5000, kNone, "count", kN},
      {"每年以4.5倍增长", "4.5倍", 4.5, kNone, "x", kN},
      {"數十億美元", "數十億美元", kNone, kNone, "USD", kVague},
      {"數以百萬計的晶片", "數以百萬計", kNone, kNone, "count", kVague},
      {"過去十多年", "十多年", 10, kNone, "year", kOver},
      {"超过十年", "超过十年", 10, kNone, "year", kOver},
      // Chinese numerals and scales in any mix.
      {"一万五千亿元", "一万五千亿元", 1.5e12, kNone, "CNY", kN},
      {"1.5万颗", "1.5万颗", 15000, kNone, "count", kN},
      {"3万4000人", "3万4000人", 34000, kNone, "count", kN},
      {"25万6千人", "25万6千人", 256000, kNone, "count", kN},
      {"一百九十万零三千九百七十一人", "一百九十万零三千九百七十一人", 1903971, kNone, "count", kN},
      {"两百家", "两百家", 200, kNone, "count", kN},
      {"１６，３８４块", "１６，３８４块", 16384, kNone, "count", kN},
      // Scientific notation.
      {"3.8x10^25 FLOP", "3.8x10^25 FLOP", 3.8e25, kNone, "FLOP", kN},
      {"3.8 × 10²⁵ FLOPs", "3.8 × 10²⁵ FLOPs", 3.8e25, kNone, "FLOP", kN},
      {"3.8e25 FLOP", "3.8e25 FLOP", 3.8e25, kNone, "FLOP", kN},
      {"10^25 FLOPS", "10^25 FLOPS", 1e25, kNone, "FLOP", kN},
      {"1.2 PFLOPS", "1.2 PFLOPS", 1.2e15, kNone, "FLOP", kN},
      // Percent.
      {"百分之二十", "百分之二十", 20, kNone, "%", kN},
      {"四成企业", "四成", 40, kNone, "%", kN},
      {"近半", "近半", 50, kNone, "%", kApprox},
      {"5%-20%", "5%-20%", 5, 20, "%", kRange},
      {"六个百分点", "六个百分点", 6, kNone, "%", kN},
      {"负3.9%", "负3.9%", -3.9, kNone, "%", kN},
      {"about 15 percent", "about 15 percent", 15, kNone, "%", kApprox},
      // Currencies with scale words.
      {"$1.5 billion", "$1.5 billion", 1.5e9, kNone, "USD", kN},
      {"US$ 75 million", "US$ 75 million", 7.5e7, kNone, "USD", kN},
      {"NT$100", "NT$100", 100, kNone, "TWD", kN},
      {"29億歐元", "29億歐元", 2.9e9, kNone, "EUR", kN},
      {"人民币 50元", "人民币 50元", 50, kNone, "CNY", kN},
      {"thirteen dollars and forty-five cents", "thirteen dollars and forty-five cents", 13.45,
       kNone, "USD", kN},
      {"more than $ 247 million", "more than $ 247 million", 2.47e8, kNone, "USD", kOver},
      // Power.
      {"5吉瓦", "5吉瓦", 5e9, kNone, "W", kN},
      {"100千瓦", "100千瓦", 1e5, kNone, "W", kN},
      {"5兆瓦", "5兆瓦", 5e6, kNone, "W", kN},
      // Qualifiers.
      {"不到10%", "不到10%", 10, kNone, "%", kUnder},
      {"300多人", "300多人", 300, kNone, "count", kOver},
      {"3年左右", "3年左右", 3, kNone, "year", kApprox},
      {"逾300名工人", "逾300名", 300, kNone, "count", kOver},
      {"三百多万人", "三百多万人", 3e6, kNone, "count", kOver},
      // Ranges.
      {"3到5万元", "3到5万元", 3e4, 5e4, "CNY", kRange},
      {"$5-10 billion", "$5-10 billion", 5e9, 1e10, "USD", kRange},
      {"五至十年", "五至十年", 5, 10, "year", kRange},
      // Financial numerals and doubled scales (issue 4).
      {"人民币壹佰万元整", "人民币壹佰万元", 1e6, kNone, "CNY", kN},
      {"貳仟伍佰萬元", "貳仟伍佰萬元", 2.5e7, kNone, "CNY", kN},
      {"四万万人", "四万万人", 4e8, kNone, "count", kN},
      {"大陆十多年来", "十多年", 10, kNone, "year", kOver},  // not 陆十 (大陆 = mainland)
      {"收拾三天", "三天", 3, kNone, "day", kN},             // not 拾三 (收拾 = tidy up)
      // Discounts, and a half after the unit.
      {"全场打八折", "八折", 80, kNone, "%", kN},
      {"75折优惠", "75折", 75, kNone, "%", kN},
      {"2.5折", "2.5折", 25, kNone, "%", kN},
      {"耗时一年半", "一年半", 1.5, kNone, "year", kN},
      {"再將24款半導體生產設備", "24款", 24, kNone, "count", kN},  // 半 of 半导体 is no half
      {"三成半", "三成半", 35, kNone, "%", kN},
      {"百万分之五", "百万分之五", 0.0005, kNone, "%", kN},
      {"两米半", "两米半", 2.5, kNone, "m", kN},
      {"100赫兹", "100赫兹", 100, kNone, "Hz", kN},
      // Durations that are not dates.
      {"过去两年", "两年", 2, kNone, "year", kN},
      {"80GB", "80GB", 80, kNone, "GB", kN},
      // Taels (两 after a numeral, not before a measure word), discounts written digit by
      // digit, minor currency units glued or joined by 又.
      {"白银三十两", "三十两", 30, kNone, "liang", kN},
      {"三千两百两", "三千两百两", 3200, kNone, "liang", kN},
      {"二两", "二两", 2, kNone, "liang", kN},
      {"两万两千人", "两万两千人", 22000, kNone, "count", kN},
      {"全场八五折", "八五折", 85, kNone, "%", kN},
      {"打五五折", "五五折", 55, kNone, "%", kN},
      {"半折", "半折", 50, kNone, "%", kN},
      {"两美元又三美分", "两美元又三美分", 2.03, kNone, "USD", kN},
      {"10日元5日本銭", "10日元5日本銭", 10.05, kNone, "JPY", kN},
      {"一 百 五 十 个 百 分 点", "一 百 五 十 个 百 分 点", 150, kNone, "%", kN},
      {"四点 五个百分点", "四点 五个百分点", 4.5, kNone, "%", kN},
  };
  for (const Case& c : cases) ExpectOne(c);
}

TEST(FigureRulesTest, QualifierOutsideSpanWhenAsked) {
  FigureOptions options;
  options.qualifier_in_span = false;
  ExpectOne({"约一百万颗", "一百万颗", 1e6, kNone, "count", Qualifier::kApprox}, options);
  ExpectOne({"about $ 14 million", "$ 14 million", 1.4e7, kNone, "USD", Qualifier::kApprox},
            options);
}

TEST(FigureRulesTest, NumbersOnlyReportsNumerals) {
  FigureOptions options;
  options.numbers_only = true;
  const Qualifier kN = Qualifier::kNone;
  const Case cases[] = {
      {"199个", "199", 199, kNone, "", kN},
      {"一千多万", "一千多万", 1e7, kNone, "", kN},
      {"四百多", "四百", 400, kNone, "", kN},
      {"百分之五十五点五七九", "五十五点五七九", 55.579, kNone, "", kN},
      {"五百分之2333", "五百分之2333", 4.666, kNone, "", kN},
      {"四千五百六十九万八千三百一十一亿四千八百七十二万五千三百八十二",
       "四千五百六十九万八千三百一十一亿四千八百七十二万五千三百八十二", 4569831148725382.0, kNone,
       "", kN},
      {"-127.32e13", "-127.32e13", -1.2732e15, kNone, "", kN},
      {".5", ".5", 0.5, kNone, "", kN},
      {"两千三点一", "两千三点一", 2300.1, kNone, "", kN},
      {"7 万5 千4 百", "7 万5 千4 百", 75400, kNone, "", kN},
      {"壹千零五十", "壹千零五十", 1050, kNone, "", kN},
      {"拾万零五十六", "拾万零五十六", 100056, kNone, "", kN},
      {"一万万分之七", "一万万分之七", 7e-8, kNone, "", kN},
      {"三百五十又三分之一", "三百五十又三分之一", 350 + 1.0 / 3, kNone, "", kN},
      {"负一又二分之一", "负一又二分之一", -1.5, kNone, "", kN},
      {"一只", "一", 1, kNone, "", kN},        // a lone numeral before a measure word
      {"答案：五。", "五", 5, kNone, "", kN},  // a lone numeral that is a word of its own
      // Tokenised numerals: spaces inside a Chinese numeral.
      {"一百 五 十 二", "一百 五 十 二", 152, kNone, "", kN},
      {"两千 四 百 五", "两千 四 百 五", 2450, kNone, "", kN},
      {"四百 点 五", "四百 点 五", 400.5, kNone, "", kN},
      {"五 分之 一", "五 分之 一", 0.2, kNone, "", kN},
      {"三百 五 又 三分  之一", "三百 五 又 三分  之一", 350 + 1.0 / 3, kNone, "", kN},
      // Fractions: elided denominators, signs on both sides, slashes, mixed numbers.
      {"四千二分之三", "四千二分之三", 3.0 / 4200, kNone, "", kN},
      {"负３分之负一百五十七", "负３分之负一百五十七", 157.0 / 3, kNone, "", kN},
      {"負壹又二分之壹", "負壹又二分之壹", -1.5, kNone, "", kN},
      {"３／５", "３／５", 0.6, kNone, "", kN},
      {"-3/2", "-3/2", -1.5, kNone, "", kN},
      {"1 4/3的美梦", "1 4/3", 1 + 4.0 / 3, kNone, "", kN},
      // Powers with a caret, scale suffixes.
      {"2^5", "2^5", 32, kNone, "", kN},
      {"2.5^-1", "2.5^-1", 0.4, kNone, "", kN},
      {"40k", "40k", 40000, kNone, "", kN},
      {"1.5 billion", "1.5 billion", 1.5e9, kNone, "", kN},
  };
  for (const Case& c : cases) ExpectOne(c, options);
  // Dotted groups are separate integers.
  const std::vector<Figure> dotted = Find("2222.2222.22222.222", options);
  ASSERT_EQ(dotted.size(), 4u);
  EXPECT_EQ(dotted[2].text, "22222");
}

TEST(FigureRulesTest, NotFigures) {
  const char* const inputs[] = {
      "2024年",  // dates and years
      "2024年7月15日",
      "2025至2030年",
      "1990年代",
      "下午3点开会",
      "10:30",
      "第二",  // ordinals
      "第3名",
      "NVIDIA H20",  // names and codes
      "华为910C芯片",
      "AMD MI308",
      "Llama 3.1-405B",
      "「十五五」规划",
      "《2025-2035年人工智能发展规划》",
      "电话 010-1234-5678",
      "https://www.test.com/search?q=30%25%2020%",
      "四川",  // numerals inside words
      "一切",
      "万一",
      "十分重要",
      "一些公司",
      "统一",
      "唯一",
      "一起",
      "一家公司表示",
      "二三十个百分点",
      "十折",  // discounts: ten tenths is no discount
      "三折叠屏手机",
      "谈判一波三折",
      "队伍",  // financial numerals only where they are numerals
      "壹周刊",
      "sales rose 6 . 2 % to",  // tokenised decimals: "2 %" is not a figure
      "7 3 / 4 % bonds",
      "7/24小时服务",  // slashes are not fractions in running text
      "三两天",        // "two or three": 两 is no tael here
      "一两个人",
      "本文1234",  // bare numbers are not claims
      "I tried to call Bob 3 times already.",
      "All seventeen tests were succesful.",
  };
  for (const char* input : inputs) {
    SCOPED_TRACE(input);
    const std::vector<Figure> found = Find(input);
    EXPECT_TRUE(found.empty()) << found[0].text;
  }
}

// Units, qualifiers and exclusions before or after a number across spaces, tabs and case
// changes: the literal pre-tests (prefixes, suffixes) in front of RE2 must let them through.
TEST(FigureRulesTest, ContextAcrossSpacesAndCase) {
  const Case cases[] = {
      {"营收超过  800亿美元", "超过  800亿美元", 8e10, kNone, "USD", Qualifier::kOver},
      {"revenue of CLOSE TO 5 million dollars", "CLOSE TO 5 million dollars", 5e6, kNone, "USD",
       Qualifier::kApprox},
      {"more than\t40 percent", "more than\t40 percent", 40, kNone, "%", Qualifier::kOver},
      {"US$ 3 billion", "US$ 3 billion", 3e9, kNone, "USD", Qualifier::kNone},
      {"in excess of 8 Hong Kong dollars", "in excess of 8 Hong Kong dollars", 8, kNone, "HKD",
       Qualifier::kOver},
      {"2024 年营收5亿美元", "5亿美元", 5e8, kNone, "USD", Qualifier::kNone},   // year, spaced
      {"No. 5 and 3 dollars", "3 dollars", 3, kNone, "USD", Qualifier::kNone},  // ordinal
      {"百 分 之 二十的股份", "百 分 之 二十", 20, kNone, "%", Qualifier::kNone},
  };
  for (const Case& c : cases) ExpectOne(c);
}

TEST(FigureRulesTest, NumbersOnlyDropsLoneNumeralsBeforeMoney) {
  FigureOptions options;
  options.numbers_only = true;
  for (const char* input :
       {"一美元", "两美刀", "一切", "四川", "万万没想到", "两两", "7/15/2024", "2024/7/15"}) {
    SCOPED_TRACE(input);
    const std::vector<Figure> found = Find(input, options);
    EXPECT_TRUE(found.empty()) << found[0].text;
  }
}

TEST(FigureRulesTest, SpansQuoteTheOriginalScript) {
  const Article article = normalize::FromText("據估計超過８００億美元。", normalize::FoldRules());
  const std::vector<Figure> found = Rules().impl().figures->Find(article);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "超過８００億美元");
  EXPECT_EQ(article.body.substr(found[0].span.begin, found[0].span.end - found[0].span.begin),
            found[0].text);
}

TEST(FigureRulesTest, FindFiguresSetsSentences) {
  Article article = normalize::FromText("甲。乙有5万颗。", normalize::FoldRules());
  article.sentences = {{0, 6}, {6, static_cast<uint32_t>(article.body.size())}};
  const std::vector<Figure> found = FindFigures(article, Rules());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].sentence, 1);
}

TEST(FigureRulesTest, WorksWithoutAFold) {
  Article article;
  article.body = "超過800億美元";
  const std::vector<Figure> found = Rules().impl().figures->Find(article);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "超過800億美元");
  EXPECT_EQ(found[0].unit, "USD");
}

// The scanner's skip loop stops exactly where testing MayStartNumber (or the stop test) at
// each character would: Chinese numerals, letters at and inside words, signs, other scripts,
// invalid and truncated UTF-8, and the limit.
TEST(FigureRulesTest, SkipNonNumberStartsStopsWhereMayStartNumberDoes) {
  const std::string text =
      "营收达四千五百万元，约两成 — revenue of thirty-two k, minus five; x-ray 5.5 −3 "
      "\xE4\xB8 \xFF\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80 上半年 几个 数十 ABC one 七\xE4";
  const auto naive = [&](size_t pos, size_t limit, auto&& stop) {
    while (pos < std::min(limit, text.size()) && !MayStartNumber(text, pos) && !stop(pos)) {
      const unsigned char lead = static_cast<unsigned char>(text[pos]);
      pos = std::min(pos + (lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4), text.size());
    }
    return pos;
  };
  const auto never = [](size_t) { return false; };
  const auto at_space = [&](size_t p) { return text[p] == ' '; };
  size_t stops = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    for (size_t limit : {text.size(), pos + 7, text.size() + 5}) {
      EXPECT_EQ(SkipNonNumberStarts(text, pos, limit, never), naive(pos, limit, never)) << pos;
      EXPECT_EQ(SkipNonNumberStarts(text, pos, limit, at_space), naive(pos, limit, at_space))
          << pos;
    }
    if (SkipNonNumberStarts(text, pos, text.size(), never) < text.size()) ++stops;
  }
  EXPECT_GT(stops, 0u);
}

}  // namespace
}  // namespace newsclaim::extract
