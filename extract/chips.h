// Internal to extract/: the chip gazetteer (vendors, canonical names, aliases, context).
#ifndef NEWSCLAIM_EXTRACT_CHIPS_H_
#define NEWSCLAIM_EXTRACT_CHIPS_H_

#include <memory>
#include <string>
#include <vector>

#include "core/types.h"
#include "extract/internal.h"

namespace newsclaim::extract {

class ChipRules : public RuleModule {
 public:
  ChipRules();
  ~ChipRules() override;
  // Chip mentions in article.body (found on article.folded), sorted by span.
  std::vector<ChipMention> Find(const Article& article) const;

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

#endif  // NEWSCLAIM_EXTRACT_CHIPS_H_
