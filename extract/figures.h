// Internal to extract/: the figure grammar (numbers, units, qualifiers, exclusions).
// Numbers are parsed by code (numbers.h); everything language- or domain-specific (unit
// words, scale words, qualifier words, range connectors, fixed phrases, exclusion
// contexts) is rule data: the [[unit]], [[scale]], [[qualifier]], [[range]], [[phrase]]
// and [[exclude]] tables of rules/*.toml.
#ifndef NEWSCLAIM_EXTRACT_FIGURES_H_
#define NEWSCLAIM_EXTRACT_FIGURES_H_

#include <memory>
#include <string>
#include <vector>

#include "core/types.h"
#include "extract/internal.h"

namespace newsclaim::extract {

class FigureRules : public RuleModule {
 public:
  FigureRules();
  ~FigureRules() override;
  // Figures in article.body, found on article.folded; sorted by span, non-overlapping.
  // Figure::sentence and Figure::source are left at -1 (Extract fills them).
  // Thread-safe after Finalize.
  std::vector<Figure> Find(const Article& article, const FigureOptions& options = {}) const;

  std::vector<std::string> Keys() const override;
  bool AddEntry(const std::string& key, const toml::table& entry, Diagnostics& diag) override;
  void Finalize(std::vector<RuleDiagnostic>* out) override;
  std::string CheckExample(const RuleExample& example, const Article& article,
                           const RuleSet& rules) const override;
  size_t size() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsclaim::extract

#endif  // NEWSCLAIM_EXTRACT_FIGURES_H_
