// Test helpers for the chip and source rules: Articles built without normalize (a
// character-by-character OpenCC t2s fold with full-width ASCII folded, the way
// normalize::Fold folds), rule files loaded straight into one module, and a RuleSet for
// CheckExample's signature.
#ifndef NEWSCLAIM_TESTS_UNIT_EXTRACT_CHIPS_TEST_UTIL_H_
#define NEWSCLAIM_TESTS_UNIT_EXTRACT_CHIPS_TEST_UTIL_H_

#include <opencc/opencc.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "core/utf8.h"
#include "extract/extract.h"
#include "extract/internal.h"

namespace newsclaim::extract::testing {

inline std::string RulesDir() { return std::string(NEWSCLAIM_SOURCE_DIR) + "/rules"; }

// A temporary path of this process only (test executables run in parallel).
inline std::filesystem::path TempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("newsclaim_" + std::to_string(::getpid()) + "_" + name);
}

// Traditional -> Simplified one character at a time, so the offset map stays exact.
inline std::string SimplifyChar(const std::string& ch) {
  static opencc_t cc = opencc_open("t2s.json");
  if (cc == reinterpret_cast<opencc_t>(-1)) return ch;
  char* out = opencc_convert_utf8(cc, ch.data(), ch.size());
  if (out == nullptr) return ch;
  std::string s(out);
  opencc_convert_utf8_free(out);
  return s;
}

// An Article as normalize would hand it over: body as given, folded with a map back to
// body, sentences split after 。！？!? and newlines. fold=false keeps folded == body.
inline Article MakeArticle(std::string_view body, bool fold = true) {
  Article a;
  a.body = std::string(body);
  size_t pos = 0;
  while (pos < a.body.size()) {
    const size_t start = pos;
    char32_t cp = utf8::Next(a.body, &pos);
    std::string ch = a.body.substr(start, pos - start);
    std::string folded = ch;
    if (fold) {
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        folded = std::string(1, static_cast<char>(cp - 0xFEE0));
      } else if (cp == 0x3000 || cp == 0xA0) {
        folded = " ";
      } else if (cp >= 0x3400) {
        folded = SimplifyChar(ch);
      }
    }
    a.folded += folded;
    a.folded_to_body.insert(a.folded_to_body.end(), folded.size(), static_cast<uint32_t>(start));
    if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?' || cp == '\n' ||
        pos == a.body.size()) {
      uint32_t b = a.sentences.empty() ? 0 : a.sentences.back().end;
      a.sentences.push_back({b, static_cast<uint32_t>(pos)});
    }
  }
  a.folded_to_body.push_back(static_cast<uint32_t>(a.body.size()));
  return a;
}

// Feeds every table of `file` whose key `module` claims to AddEntry, then Finalize.
// Returns every diagnostic.
inline std::vector<RuleDiagnostic> LoadInto(RuleModule* module, const std::string& file) {
  std::vector<RuleDiagnostic> diags;
  Diagnostics diag(file, &diags);
  toml::table root = toml::parse_file(file);
  for (const std::string& key : module->Keys()) {
    const toml::array* arr = root[key].as_array();
    if (arr == nullptr) continue;
    for (const toml::node& n : *arr) module->AddEntry(key, *n.as_table(), diag);
  }
  module->Finalize(&diags);
  return diags;
}

// Same, for rule text given inline (written to a temporary file so lines are real).
inline std::vector<RuleDiagnostic> LoadText(RuleModule* module, const std::string& toml_text) {
  const std::string path = TempPath("rules_test.toml").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << toml_text;
  }
  std::vector<RuleDiagnostic> d = LoadInto(module, path);
  std::remove(path.c_str());
  return d;
}

// Every example and counter-example of the tables `module` owns in `file`, the way the
// loader collects them (rule = the table's name).
inline std::vector<RuleExample> ExamplesOf(const RuleModule& module, const std::string& file) {
  std::vector<RuleExample> out;
  toml::table root = toml::parse_file(file);
  for (const std::string& key : module.Keys()) {
    const toml::array* arr = root[key].as_array();
    if (arr == nullptr) continue;
    for (const toml::node& n : *arr) {
      const toml::table& t = *n.as_table();
      for (const char* field : {"examples", "counter_examples"}) {
        const toml::array* ex = t[field].as_array();
        if (ex == nullptr) continue;
        for (const toml::node& e : *ex) {
          RuleExample r;
          r.file = file;
          r.line = static_cast<int>(e.source().begin.line);
          r.rule = t["name"].value_or(std::string());
          r.text = e.value_or(std::string());
          r.must_match = std::string(field) == "examples";
          out.push_back(r);
        }
      }
    }
  }
  return out;
}

// A RuleSet loaded from a directory holding copies of only the named rule files (the
// modules' CheckExample takes one; chips and sources do not read it).
inline std::shared_ptr<const RuleSet> RuleSetWith(const std::vector<std::string>& files) {
  namespace fs = std::filesystem;
  const fs::path dir = TempPath("rules");
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const std::string& f : files) fs::copy_file(RulesDir() + "/" + f, dir / f);
  StatusOr<std::shared_ptr<const RuleSet>> rules = RuleSet::LoadDir(dir.string());
  fs::remove_all(dir);
  if (!rules.ok()) return nullptr;
  return *rules;
}

}  // namespace newsclaim::extract::testing

#endif  // NEWSCLAIM_TESTS_UNIT_EXTRACT_CHIPS_TEST_UTIL_H_
