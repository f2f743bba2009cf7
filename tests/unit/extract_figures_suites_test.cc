// FigureRules against the Recognizers-Text test suites (tests/data/figures/): value F1 on
// the news-style cases must stay above a threshold, and negative cases must yield nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "extract/extract.h"
#include "extract/figures.h"
#include "extract/internal.h"
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

// Suite values are strings such as "15.5%", "1,200" or "1.2732E+15".
std::optional<double> SuiteValue(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  std::string s;
  for (char c : v.get<std::string>()) {
    if (c != ',' && c != '%' && c != ' ') s.push_back(c);
  }
  try {
    size_t used = 0;
    const double d = std::stod(s, &used);
    if (used != s.size()) return std::nullopt;
    return d;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool IsCurrency(const std::string& unit) {
  if (unit == "currency" || unit == "USD cent" || unit == "GBp" || unit == "BTC") return true;
  return unit.size() == 3 &&
         std::all_of(unit.begin(), unit.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Physical quantities: not a percent, a currency, a count, a multiplier or a duration.
bool IsDimension(const std::string& unit) {
  return !(unit == "%" || IsCurrency(unit) || unit == "count" || unit == "x" || unit == "year" ||
           unit == "month" || unit == "day" || unit == "h");
}

// The dimension suite gives values in the unit as written (1兆赫兹 = 1 MHz); newsclaim
// gives them in the base unit (1e6 Hz). Both are right; compare the quantities.
double SuiteUnitFactor(const nlohmann::json& e) {
  const std::string unit = e.value("unit", "");
  if (unit == "Kilowatt") return 1e3;
  if (unit == "Megahertz") return 1e6;
  return 1;
}

enum class Kind { kNumber, kPercent, kCurrency, kDimension };

struct Score {
  int expected = 0, predicted = 0, matched = 0, negative_predictions = 0;
  double F1() const {
    const double p = predicted ? double(matched) / predicted : 1.0;
    const double r = expected ? double(matched) / expected : 1.0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

// Spans are compared by code-point offsets, values within 1e-9 relative, as a multiset.
// all_classes: also the exotic class (financial numerals, fractions, tokenised text).
Score ScoreSuite(const std::string& file, Kind kind, bool all_classes = false) {
  std::ifstream in(std::string(NEWSCLAIM_SOURCE_DIR) + "/tests/data/figures/" + file);
  EXPECT_TRUE(in.good()) << file;
  FigureOptions options;
  options.numbers_only = kind == Kind::kNumber;
  options.qualifier_in_span = false;
  Score score;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json v = nlohmann::json::parse(line);
    const std::string cls = v.value("class", "");
    if (cls != "news" && cls != "negative" && !(all_classes && cls == "exotic")) continue;
    const std::string input = v["input"];
    const Article article = normalize::FromText(input, normalize::FoldRules());
    std::vector<Figure> found = Rules().impl().figures->Find(article, options);
    // Each suite scores one kind of figure; the others are not its business.
    found.erase(std::remove_if(found.begin(), found.end(),
                               [&](const Figure& f) {
                                 if (kind == Kind::kPercent) return f.unit != "%";
                                 if (kind == Kind::kCurrency) return !IsCurrency(f.unit);
                                 if (kind == Kind::kDimension) return !IsDimension(f.unit);
                                 return false;
                               }),
                found.end());
    if (cls == "negative") {
      score.negative_predictions += static_cast<int>(found.size());
      EXPECT_TRUE(found.empty()) << file << ": " << input << " -> " << found[0].text;
      continue;
    }
    std::vector<bool> used(found.size());
    for (const nlohmann::json& e : v["expected"]) {
      ++score.expected;
      std::optional<double> want = SuiteValue(e["value"]);
      if (want && kind == Kind::kDimension) *want *= SuiteUnitFactor(e);
      for (size_t i = 0; i < found.size(); ++i) {
        const Figure& f = found[i];
        if (used[i] || !f.value || !want) continue;
        const size_t start = utf8::CodePointCount(input, f.span.begin);
        const size_t end = utf8::CodePointCount(input, f.span.end);
        if (start != e["start"].get<size_t>() || end != e["end"].get<size_t>()) continue;
        const double got = f.value_high ? std::nan("") : *f.value;
        if (std::abs(got - *want) > 1e-9 * std::max(1.0, std::abs(*want))) continue;
        used[i] = true;
        ++score.matched;
        break;
      }
    }
    score.predicted += static_cast<int>(found.size());
  }
  return score;
}

struct Suite {
  const char* file;
  Kind kind;
  double min_f1;
};

TEST(FigureSuitesTest, NewsCasesAboveThreshold) {
  // Known misses by design: qualifiers kept as over (more than $ 247 million), ranges kept
  // whole (5-20%), 块 as a classifier rather than yuan. The number suite reads the parts of
  // dates and clock times (1991年1月16日, 20点) and ordinals (第零十) as numbers, and so does
  // numbers-only mode (figures_only exclusions); figures exclude them.
  const Suite suites[] = {
      {"msrt_zh_number.jsonl", Kind::kNumber, 0.99},
      {"msrt_zh_percent.jsonl", Kind::kPercent, 0.98},
      {"msrt_zh_currency.jsonl", Kind::kCurrency, 0.98},
      {"msrt_zh_dimension.jsonl", Kind::kDimension, 0.95},
      {"msrt_en_currency.jsonl", Kind::kCurrency, 0.97},
      {"msrt_en_percent.jsonl", Kind::kPercent, 0.99},
  };
  for (const Suite& s : suites) {
    SCOPED_TRACE(s.file);
    const Score score = ScoreSuite(s.file, s.kind);
    EXPECT_GT(score.expected, 0);
    EXPECT_GE(score.F1(), s.min_f1) << "expected " << score.expected << " predicted "
                                    << score.predicted << " matched " << score.matched;
    EXPECT_EQ(score.negative_predictions, 0);
    std::printf("%-26s value F1 %.3f (expected %d, predicted %d, matched %d)\n", s.file, score.F1(),
                score.expected, score.predicted, score.matched);
  }
}

// Every Chinese case (news, exotic, negative) of the four Chinese suites, each suite in its
// own mode, micro-averaged: the exotic forms (financial numerals, fractions, discounts,
// tokenised numerals) must hold too.
TEST(FigureSuitesTest, AllChineseClassesAboveThreshold) {
  const Suite suites[] = {
      {"msrt_zh_number.jsonl", Kind::kNumber, 0.93},
      {"msrt_zh_percent.jsonl", Kind::kPercent, 0.94},
      {"msrt_zh_currency.jsonl", Kind::kCurrency, 0.85},
      {"msrt_zh_dimension.jsonl", Kind::kDimension, 0.95},
  };
  Score total;
  for (const Suite& s : suites) {
    SCOPED_TRACE(s.file);
    const Score score = ScoreSuite(s.file, s.kind, /*all_classes=*/true);
    EXPECT_GE(score.F1(), s.min_f1);
    EXPECT_EQ(score.negative_predictions, 0);
    std::printf("%-26s all classes value F1 %.3f (expected %d, predicted %d, matched %d)\n", s.file,
                score.F1(), score.expected, score.predicted, score.matched);
    total.expected += score.expected;
    total.predicted += score.predicted;
    total.matched += score.matched;
  }
  std::printf("all Chinese classes         value F1 %.3f (expected %d, predicted %d, matched %d)\n",
              total.F1(), total.expected, total.predicted, total.matched);
  EXPECT_GE(total.F1(), 0.93);
}

}  // namespace
}  // namespace newsclaim::extract
