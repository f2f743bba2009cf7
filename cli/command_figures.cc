// `newsclaim figures`: lines of text (or JSON lines with an "input" field) on standard
// input, one JSON line per input on standard output with the figures found and their
// code-point offsets.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/common.h"
#include "core/utf8.h"

namespace newsclaim::cli {
namespace {

Outcome RunFigures(const GlobalOptions& global) {
  StatusOr<LoadedRules> rules = LoadRules(global);
  if (!rules.ok()) return {rules.status()};
  std::ios::sync_with_stdio(false);
  std::string line;
  int64_t bad_lines = 0;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    nlohmann::ordered_json out;
    std::string input = line;
    if (!line.empty() && line[0] == '{') {
      nlohmann::json in = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (in.is_discarded() || !in.is_object() || !in.contains("input") ||
          !in["input"].is_string()) {
        ++bad_lines;
        std::cerr << "newsclaim figures: not a JSON object with a string \"input\": "
                  << line.substr(0, 80) << "\n";
        out["input"] = nullptr;
        out["error"] = "bad input line";
        out["found"] = nlohmann::json::array();
        std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        continue;
      }
      input = in["input"].get<std::string>();
      if (in.contains("id")) out["id"] = in["id"];
    }
    const Article article = normalize::FromText(input, rules->fold);
    const std::vector<Figure> figures = extract::FindFigures(article, *rules->rules);
    nlohmann::ordered_json found = nlohmann::ordered_json::array();
    for (const Figure& f : figures) {
      nlohmann::ordered_json o;
      o["text"] = f.text;
      o["start"] = utf8::CodePointCount(input, f.span.begin);
      o["end"] = utf8::CodePointCount(input, f.span.end);
      o["value"] = f.value ? nlohmann::json(*f.value) : nlohmann::json(nullptr);
      o["value_high"] = f.value_high ? nlohmann::json(*f.value_high) : nlohmann::json(nullptr);
      o["unit"] = f.unit;
      const std::string q = QualifierName(f.qualifier);
      o["qualifier"] = q.empty() ? nlohmann::json(nullptr) : nlohmann::json(q);
      found.push_back(std::move(o));
    }
    out["input"] = input;
    out["found"] = std::move(found);
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  std::cout.flush();
  return {Status::Ok(), bad_lines};
}

}  // namespace

Command FiguresCommand() {
  return {"figures",
          "Read lines of text (or JSON lines with an \"input\" field) on stdin; write one JSON "
          "line per input with the figures found (code-point offsets)",
          [](CLI::App* sub, const GlobalOptions* global) {
            return [global]() { return RunFigures(*global); };
          }};
}

}  // namespace newsclaim::cli
