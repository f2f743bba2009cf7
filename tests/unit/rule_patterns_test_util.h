// The RE2 patterns of the shipped rule files (rules/*.toml), for tests that check a
// pattern analysis against RE2 on every pattern the product loads.
#ifndef NEWSCLAIM_TESTS_UNIT_RULE_PATTERNS_TEST_UTIL_H_
#define NEWSCLAIM_TESTS_UNIT_RULE_PATTERNS_TEST_UTIL_H_

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace newsclaim {

// The string values of the given fields in every table of every rules/*.toml file.
inline std::vector<std::string> RulePatterns(std::initializer_list<std::string_view> fields) {
  std::vector<std::string> out;
  const std::filesystem::path dir = std::filesystem::path(NEWSCLAIM_SOURCE_DIR) / "rules";
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    if (file.path().extension() != ".toml") continue;
    const toml::table t = toml::parse_file(file.path().string());
    for (const auto& [key, value] : t) {
      if (!value.is_array_of_tables()) continue;
      for (const auto& entry : *value.as_array()) {
        for (const auto& [field, v] : *entry.as_table()) {
          if (v.is_string() &&
              std::find(fields.begin(), fields.end(), field.str()) != fields.end()) {
            out.push_back(v.as_string()->get());
          }
        }
      }
    }
  }
  return out;
}

}  // namespace newsclaim

#endif  // NEWSCLAIM_TESTS_UNIT_RULE_PATTERNS_TEST_UTIL_H_
