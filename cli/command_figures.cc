// `newsclaim figures`: lines of text (or JSON lines with an "input" field) on standard
// input, one JSON line per input on standard output with the figures found and their
// code-point offsets.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/common.h"
#include "core/utf8.h"

namespace newsclaim::cli {
namespace {

struct FiguresOptions {
  bool numbers = false;  // every number as written, no units (a number model's contract)
  bool qualifier_in_span = false;
  std::vector<std::string> units;  // keep only these units; empty = all
};

Outcome RunFigures(const FiguresOptions& opt, const GlobalOptions& global) {
  extract::FigureOptions fo;
  fo.numbers_only = opt.numbers;
  fo.qualifier_in_span = opt.qualifier_in_span;
  const std::set<std::string> keep_units(opt.units.begin(), opt.units.end());
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
    const std::vector<Figure> figures = extract::FindFigures(article, *rules->rules, fo);
    nlohmann::ordered_json found = nlohmann::ordered_json::array();
    for (const Figure& f : figures) {
      if (!keep_units.empty() && !keep_units.count(f.unit)) continue;
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
            auto opt = std::make_shared<FiguresOptions>();
            sub->add_flag("--numbers", opt->numbers,
                          "Report every number as written (no unit, range or qualifier; spans "
                          "cover the numeral only), as a number recogniser does");
            sub->add_flag("--qualifier-in-span", opt->qualifier_in_span,
                          "Include qualifier words (约, 超過, about) in text/start/end, as "
                          "exports do; by default spans cover the quantity only and the "
                          "qualifier is its own field");
            sub->add_option("--unit", opt->units,
                            "Report only figures with this unit (repeatable: --unit % --unit USD)")
                ->type_name("UNIT");
            return [opt, global]() { return RunFigures(*opt, *global); };
          }};
}

}  // namespace newsclaim::cli
