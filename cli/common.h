// Helpers shared by the subcommands: finding and loading the rules, formatting numbers.
#ifndef NEWSCLAIM_CLI_COMMON_H_
#define NEWSCLAIM_CLI_COMMON_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/status.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

namespace newsclaim::cli {

// --rules, else $NEWSCLAIM_RULES, else the rules/ directory the program was built from.
std::string ResolveRulesDir(const GlobalOptions& global);

struct LoadedRules {
  std::string dir;
  std::shared_ptr<const extract::RuleSet> rules;
  normalize::FoldRules fold;  // from fold.toml in the same directory, when present
  // From boilerplate.toml in the same directory; null when absent (normalize's default).
  std::shared_ptr<const normalize::BoilerplateRules> boilerplate;
};

// Loads normalize's rule files in dir (fold.toml, boilerplate.toml; each optional) into
// out, appending one message ("file:line: ...") per file that fails.
void LoadNormalizeRules(const std::string& dir, LoadedRules* out,
                        std::vector<std::string>* problems);

// Loads and validates every rule file; a bad rule is a run-level error.
StatusOr<LoadedRules> LoadRules(const GlobalOptions& global);

// Shortest text that reads back as v; integral values below 1e15 without exponent, so a
// spreadsheet shows 80000000000 rather than 8e+10.
std::string FormatNumber(double v);

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_COMMON_H_
