// Internal to extract/: how the rule loader hands rule-file entries to the modules that
// own them (figures, chips, sources) and what RuleSet::Impl holds. Not a public header.
#ifndef NEWSCLAIM_EXTRACT_INTERNAL_H_
#define NEWSCLAIM_EXTRACT_INTERNAL_H_

#include <toml++/toml.h>

#include <memory>
#include <string>
#include <vector>

#include "core/types.h"
#include "extract/extract.h"

namespace newsclaim::extract {

// Collects problems for one rule file; line numbers come from toml++ source regions.
class Diagnostics {
 public:
  Diagnostics(std::string file, std::vector<RuleDiagnostic>* out)
      : file_(std::move(file)), out_(out) {}
  void Add(int line, std::string message) { out_->push_back({file_, line, std::move(message)}); }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<RuleDiagnostic>* out_;
};

// One example attached to a rule. `must_match` true for `examples`, false for
// `counter_examples`. Each module decides what "matches" means for its rules.
struct RuleExample {
  std::string file;
  int line = 0;
  std::string rule;  // the rule's name
  std::string text;
  bool must_match = true;
};

// A rule-file section owned by one module. The loader parses each *.toml with toml++
// and calls AddEntry for every table of every array-of-tables whose key the module
// claims (e.g. [[chip]] -> ChipRules). Unknown keys are diagnostics.
class RuleModule {
 public:
  virtual ~RuleModule() = default;
  // Section keys this module owns, e.g. {"chip", "vendor"}.
  virtual std::vector<std::string> Keys() const = 0;
  // Validates and compiles one entry; reports problems through diag (with the entry's
  // line) and returns false if the entry was rejected. Unknown fields are errors.
  virtual bool AddEntry(const std::string& key, const toml::table& entry, Diagnostics& diag) = 0;
  // Called once after every file is loaded (build RE2::Sets, check cross references).
  virtual void Finalize(std::vector<RuleDiagnostic>* out) = 0;
  // Runs one example of this module; returns an empty string when it behaves as
  // required, else a message saying what was found instead.
  virtual std::string CheckExample(const RuleExample& example, const Article& article,
                                   const RuleSet& rules) const = 0;
  virtual size_t size() const = 0;
};

class FigureRules;  // figures.h
class ChipRules;    // chips.h
class SourceRules;  // sources.h

struct RuleSet::Impl {
  std::string version;
  std::unique_ptr<FigureRules> figures;
  std::unique_ptr<ChipRules> chips;
  std::unique_ptr<SourceRules> sources;
  std::vector<RuleExample> examples;
  // Which module owns each example (index parallel to examples).
  std::vector<const RuleModule*> example_owner;
  ~Impl();
};

}  // namespace newsclaim::extract

#endif  // NEWSCLAIM_EXTRACT_INTERNAL_H_
