// Loading rules/boilerplate.toml: the boilerplate lexicon (section labels, line patterns,
// class/id hints) as data, validated with file:line errors and compiled once.
#include <re2/re2.h>
#include <toml++/toml.h>

#include <filesystem>
#include <mutex>

#include "core/utf8.h"
#include "normalize/boilerplate.h"
#include "normalize/normalize.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize {
namespace {

std::string Where(const std::string& path, const toml::node& n) {
  return path + ":" + std::to_string(n.source().begin.line);
}

// Reads an array of non-empty UTF-8 strings, lower-cased (ASCII).
Status ReadStrings(const std::string& path, const toml::node& node, const std::string& key,
                   std::vector<std::string>* out) {
  const toml::array* arr = node.as_array();
  if (arr == nullptr)
    return InvalidArgumentError(Where(path, node) + ": '" + key + "' must be an array of strings");
  for (const toml::node& e : *arr) {
    const auto v = e.value<std::string>();
    if (!v || v->empty() || !utf8::IsValid(*v)) {
      return InvalidArgumentError(Where(path, e.source().begin.line > 0 ? e : node) + ": '" + key +
                                  "' must hold non-empty UTF-8 strings");
    }
    out->push_back(internal::AsciiLower(*v));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<BoilerplateRules> LoadBoilerplateRules(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFoundError(path + ": no such boilerplate rule file");
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgumentError(path + ":" + std::to_string(e.source().begin.line) + ": " +
                                std::string(e.description()));
  }
  BoilerplateRules rules;
  auto compiled = std::make_shared<internal::CompiledBoilerplate>();
  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    if (key == "section_labels") {
      NC_RETURN_IF_ERROR(ReadStrings(path, node, key, &rules.section_labels));
    } else if (key == "line_pattern") {
      const toml::array* arr = node.as_array();
      if (arr == nullptr) {
        return InvalidArgumentError(
            Where(path, node) + ": 'line_pattern' must be an array of tables ([[line_pattern]])");
      }
      for (const toml::node& entry : *arr) {
        const std::string where = Where(path, entry);
        const toml::table* t = entry.as_table();
        if (t == nullptr) return InvalidArgumentError(where + ": [[line_pattern]] must be a table");
        for (const auto& [ek, ev] : *t) {
          if (ek.str() != "regex" && ek.str() != "max_chars" && ek.str() != "note") {
            return InvalidArgumentError(Where(path, ev) + ": unknown key '" +
                                        std::string(ek.str()) + "' in [[line_pattern]]");
          }
        }
        const auto regex = (*t)["regex"].value<std::string>();
        const auto max_chars = (*t)["max_chars"].value<int64_t>();
        if (!regex || regex->empty() || !max_chars || *max_chars <= 0 || *max_chars > 100000) {
          return InvalidArgumentError(
              where + ": [[line_pattern]] needs a non-empty 'regex' and 'max_chars' in 1..100000");
        }
        RE2::Options opt;
        opt.set_log_errors(false);
        auto re = std::make_unique<RE2>(*regex, opt);
        if (!re->ok()) {
          return InvalidArgumentError(where + ": regex does not compile: " + re->error() +
                                      " (at '" + re->error_arg() + "')");
        }
        compiled->line_patterns.push_back(std::move(re));
        rules.line_patterns.push_back({*regex, static_cast<uint32_t>(*max_chars)});
      }
    } else if (key == "hints") {
      const toml::table* t = node.as_table();
      if (t == nullptr)
        return InvalidArgumentError(Where(path, node) + ": 'hints' must be a table");
      for (const auto& [hk, hv] : *t) {
        const std::string hkey(hk.str());
        std::vector<std::string>* out = hkey == "negative" ? &rules.negative_hints
                                        : hkey == "negative_substrings"
                                            ? &rules.negative_hint_substrings
                                        : hkey == "positive" ? &rules.positive_hints
                                                             : nullptr;
        if (out == nullptr) {
          return InvalidArgumentError(Where(path, hv) + ": unknown key '" + hkey +
                                      "' in [hints] (expected negative, negative_substrings, "
                                      "positive)");
        }
        NC_RETURN_IF_ERROR(ReadStrings(path, hv, "hints." + hkey, out));
      }
    } else {
      return InvalidArgumentError(Where(path, node) + ": unknown key '" + key +
                                  "' (expected section_labels, line_pattern, hints)");
    }
  }
  if (!compiled->line_patterns.empty()) {
    RE2::Options opt;
    opt.set_log_errors(false);
    auto set = std::make_unique<RE2::Set>(opt, RE2::UNANCHORED);
    bool added = true;
    for (const BoilerplateRules::LinePattern& lp : rules.line_patterns) {
      added = added && set->Add(lp.regex, nullptr) >= 0;
    }
    if (added && set->Compile()) compiled->line_set = std::move(set);
  }
  rules.compiled = std::move(compiled);
  return rules;
}

namespace {
std::string DefaultBoilerplatePath() {
  return std::string(NEWSCLAIM_NORMALIZE_RULES_DIR) + "/boilerplate.toml";
}
}  // namespace

StatusOr<std::shared_ptr<const BoilerplateRules>> DefaultBoilerplateRules() {
  // Loaded once: the file is part of the build, like a compiled-in table.
  static const StatusOr<std::shared_ptr<const BoilerplateRules>>* loaded = [] {
    StatusOr<BoilerplateRules> r = LoadBoilerplateRules(DefaultBoilerplatePath());
    if (!r.ok()) return new StatusOr<std::shared_ptr<const BoilerplateRules>>(r.status());
    return new StatusOr<std::shared_ptr<const BoilerplateRules>>(
        std::make_shared<const BoilerplateRules>(std::move(r).value()));
  }();
  return *loaded;
}

StatusOr<std::shared_ptr<const BoilerplateRules>> LoadSharedBoilerplateRules(
    const std::string& path) {
  std::error_code ec;
  if (std::filesystem::equivalent(path, DefaultBoilerplatePath(), ec) && !ec) {
    return DefaultBoilerplateRules();
  }
  StatusOr<BoilerplateRules> r = LoadBoilerplateRules(path);
  if (!r.ok()) return r.status();
  return std::make_shared<const BoilerplateRules>(std::move(r).value());
}

}  // namespace newsclaim::normalize
