// Rule loading and number formatting shared by the subcommands.
#include "cli/common.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace newsclaim::cli {

std::string ResolveRulesDir(const GlobalOptions& global) {
  if (!global.rules_dir.empty()) return global.rules_dir;
  if (const char* env = std::getenv("NEWSCLAIM_RULES"); env && *env) return env;
  return NEWSCLAIM_DEFAULT_RULES;
}

void LoadNormalizeRules(const std::string& dir, LoadedRules* out,
                        std::vector<std::string>* problems) {
  const std::string fold_path = dir + "/fold.toml";
  if (std::filesystem::exists(fold_path)) {
    auto fold = normalize::LoadFoldRules(fold_path);
    if (fold.ok()) {
      out->fold = std::move(fold).value();
    } else {
      problems->push_back(fold.status().message());
    }
  }
  const std::string boilerplate_path = dir + "/boilerplate.toml";
  if (std::filesystem::exists(boilerplate_path)) {
    auto boilerplate = normalize::LoadSharedBoilerplateRules(boilerplate_path);
    if (boilerplate.ok()) {
      out->boilerplate = std::move(boilerplate).value();
    } else {
      problems->push_back(boilerplate.status().message());
    }
  }
}

StatusOr<LoadedRules> LoadRules(const GlobalOptions& global) {
  LoadedRules out;
  out.dir = ResolveRulesDir(global);
  if (!std::filesystem::is_directory(out.dir)) {
    return NotFoundError("rule directory not found: " + out.dir +
                         " (use --rules DIR or set NEWSCLAIM_RULES)");
  }
  auto rules = extract::RuleSet::LoadDir(out.dir);
  if (!rules.ok()) return rules.status();
  out.rules = *rules;
  std::vector<std::string> problems;
  LoadNormalizeRules(out.dir, &out, &problems);
  if (!problems.empty()) return InvalidArgumentError(problems.front());
  return out;
}

std::string FormatNumber(double v) {
  char buf[64];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), static_cast<long long>(v));
    return std::string(buf, p);
  }
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, p);
}

}  // namespace newsclaim::cli
