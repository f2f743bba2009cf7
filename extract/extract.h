// extract: Article -> Claims. Rules (units, qualifiers, exclusions, chips, attribution
// cues) are loaded from rules/*.toml into an immutable RuleSet that threads share.
#ifndef NEWSCLAIM_EXTRACT_EXTRACT_H_
#define NEWSCLAIM_EXTRACT_EXTRACT_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace newsclaim::extract {

// One problem found in a rule file.
struct RuleDiagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  std::string message;
  std::string ToString() const;  // "file:line: message"
};

class RuleSet {
 public:
  // Loads and compiles every *.toml in dir. On any invalid rule returns
  // kInvalidArgument whose message lists each diagnostic as "file:line: message".
  static StatusOr<std::shared_ptr<const RuleSet>> LoadDir(const std::string& dir);
  // Same, but returns every diagnostic instead of stopping (for `rules check`).
  static std::vector<RuleDiagnostic> Check(const std::string& dir);

  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Hex content hash of the rule files (names and bytes): the rules version.
  const std::string& version() const;
  // Number of rules loaded, for reporting.
  size_t rule_count() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit RuleSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Extracts figures, chips and sources from article.body (matching on article.folded).
// Spans refer to article.body. Deterministic; thread-safe for a shared RuleSet.
Claims Extract(const Article& article, const RuleSet& rules);

// How FindFigures reports what it finds.
struct FigureOptions {
  // false (default): figures as claims: a number with a unit (or a fixed phrase such as
  // 近半), with its scale, range and qualifier; bare numbers are dropped.
  // true: every number as written, one item per number, with no unit, range or
  // qualifier and spans covering the numeral only (the Recognizers-Text number model's
  // contract: "199个" -> "199"). The parts of dates and clock times and the numerals of
  // ordinals are numbers here (1991年 -> 1991, 第3名 -> 3: exclusion rules marked
  // figures_only); codes, names, URLs and phone numbers are still excluded.
  bool numbers_only = false;
  // true (default): the span and text include qualifier words ("约一百万颗",
  // "超过800亿美元"). false: they cover the quantity only ("一百万颗"), the qualifier is
  // still reported in Figure::qualifier (the span contract of Recognizers-Text).
  bool qualifier_in_span = true;
};

// Figures only (for `newsclaim figures`), same grammar as Extract.
std::vector<Figure> FindFigures(const Article& article, const RuleSet& rules,
                                const FigureOptions& options = {});

// Runs every rule's examples and counter_examples. `prepare` turns an example string into
// an Article (the CLI passes normalize::FromText). Returns one diagnostic per failure.
std::vector<RuleDiagnostic> RunExamples(const RuleSet& rules,
                                        const std::function<Article(std::string_view)>& prepare);

}  // namespace newsclaim::extract

#endif  // NEWSCLAIM_EXTRACT_EXTRACT_H_
