// Internal to extract/: attribution cues (據…報導, …表示, according to …) and the
// assignment of each figure to the source that governs its sentence or paragraph.
#ifndef NEWSCLAIM_EXTRACT_SOURCES_H_
#define NEWSCLAIM_EXTRACT_SOURCES_H_

#include <memory>
#include <string>
#include <vector>

#include "core/types.h"
#include "extract/internal.h"

namespace newsclaim::extract {

class SourceRules : public RuleModule {
 public:
  SourceRules();
  ~SourceRules() override;
  // Attributed sources in article.body, sorted by span.
  std::vector<Source> Find(const Article& article) const;
  // Sets figure.source (index into sources, or -1) for every figure.
  void Attribute(const Article& article, const std::vector<Source>& sources,
                 std::vector<Figure>* figures) const;
  // Find and Attribute with its result in one scan of the text: the sources, with
  // figure.source set for every figure.
  std::vector<Source> FindAndAttribute(const Article& article, std::vector<Figure>* figures) const;

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

#endif  // NEWSCLAIM_EXTRACT_SOURCES_H_
