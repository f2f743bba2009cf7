// `newsclaim rules check [DIR]`: validates every rule file (file:line, RE2 errors,
// duplicate names, unknown fields) and runs each rule's examples.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/common.h"

namespace newsclaim::cli {
namespace {

Outcome RunCheck(std::string dir, const GlobalOptions& global) {
  if (dir.empty()) dir = ResolveRulesDir(global);
  std::vector<extract::RuleDiagnostic> diags = extract::RuleSet::Check(dir);
  LoadedRules normalize_rules;
  std::vector<std::string> problems;
  LoadNormalizeRules(dir, &normalize_rules, &problems);
  for (const auto& d : diags) problems.push_back(d.ToString());
  const normalize::FoldRules& fold = normalize_rules.fold;
  size_t examples_failed = 0;
  if (problems.empty()) {
    auto rules = extract::RuleSet::LoadDir(dir);
    if (!rules.ok()) return {rules.status()};
    const auto example_diags = extract::RunExamples(
        **rules, [&fold](std::string_view text) { return normalize::FromText(text, fold); });
    examples_failed = example_diags.size();
    for (const auto& d : example_diags) problems.push_back(d.ToString());
    if (problems.empty()) {
      std::printf("rules ok: %zu rules in %s, version %s\n", (*rules)->rule_count(), dir.c_str(),
                  (*rules)->version().substr(0, 12).c_str());
      return {};
    }
  }
  for (const std::string& p : problems) std::fprintf(stderr, "%s\n", p.c_str());
  return {InvalidArgumentError(
      std::to_string(problems.size()) + " problem(s) in " + dir +
      (examples_failed ? " (" + std::to_string(examples_failed) + " failing examples)" : ""))};
}

}  // namespace

Command RulesCommand() {
  return {"rules", "Work with rule files", [](CLI::App* sub, const GlobalOptions* global) {
            sub->require_subcommand(1);
            CLI::App* check = sub->add_subcommand(
                "check",
                "Validate every rule file (reports file:line and the RE2 error of a bad pattern) "
                "and run each rule's examples");
            auto dir = std::make_shared<std::string>();
            check->add_option("dir", *dir, "Rule directory (default: the --rules directory)")
                ->type_name("DIR");
            return [dir, global]() { return RunCheck(*dir, *global); };
          }};
}

}  // namespace newsclaim::cli
