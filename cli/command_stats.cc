// `newsclaim stats`: articles, claims and errors by outlet, month, chip and unit, and the
// top sources, as raw counts and once per duplicate cluster; a table or JSON.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/article_filter.h"
#include "cli/command.h"
#include "store/store.h"

namespace newsclaim::cli {
namespace {

struct StatsOptions {
  std::string db = "newsclaim.db";
  bool json = false;
  int top = 20;
  store::ArticleFilter filter;
};

nlohmann::ordered_json RowJson(const store::StatsRow& r, bool with_errors) {
  nlohmann::ordered_json j;
  j["key"] = r.key;
  j["articles"] = r.articles;
  j["clusters"] = r.clusters;
  j["claims"] = r.claims;
  j["claims_dedup"] = r.claims_dedup;
  if (with_errors) j["errors"] = r.errors;
  return j;
}

// Display width: CJK characters take two columns in a terminal.
size_t Width(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    w += c >= 0xE1 ? 2 : 1;  // U+1000 and above: wide enough for Han, kana, full-width
  }
  return w;
}

std::string Pad(const std::string& s, size_t width) {
  const size_t w = Width(s);
  return s + std::string(w < width ? width - w : 1, ' ');
}

void PrintTable(const char* title, const char* key_name, const std::vector<store::StatsRow>& rows,
                bool with_errors, std::ostream& os) {
  os << "\n" << title << "\n";
  size_t kw = Width(key_name);
  for (const auto& r : rows) kw = std::max(kw, Width(r.key.empty() ? "(none)" : r.key));
  kw = std::min<size_t>(kw, 48) + 2;
  os << Pad(key_name, kw);
  char buf[128];
  std::snprintf(buf, sizeof(buf), "%9s %9s %9s %12s", "articles", "clusters", "claims",
                "claims_dedup");
  os << buf;
  if (with_errors) os << "    errors";
  os << "\n";
  for (const auto& r : rows) {
    os << Pad(r.key.empty() ? "(none)" : r.key, kw);
    std::snprintf(buf, sizeof(buf), "%9lld %9lld %9lld %12lld", static_cast<long long>(r.articles),
                  static_cast<long long>(r.clusters), static_cast<long long>(r.claims),
                  static_cast<long long>(r.claims_dedup));
    os << buf;
    if (with_errors) {
      std::snprintf(buf, sizeof(buf), " %9lld", static_cast<long long>(r.errors));
      os << buf;
    }
    os << "\n";
  }
}

Outcome RunStats(const StatsOptions& opt) {
  store::StoreOptions so;
  so.read_only = true;
  auto db = store::Store::Open(opt.db, so);
  if (!db.ok()) return {db.status()};
  StatusOr<store::CorpusStats> st = (*db)->Stats(opt.filter, opt.top);
  if (!st.ok()) return {st.status()};
  if (opt.json) {
    nlohmann::ordered_json j;
    j["total"] = RowJson(st->total, true);
    auto list = [](const std::vector<store::StatsRow>& rows, bool with_errors) {
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (const auto& r : rows) a.push_back(RowJson(r, with_errors));
      return a;
    };
    j["by_outlet"] = list(st->by_outlet, true);
    j["by_month"] = list(st->by_month, true);
    j["by_chip"] = list(st->by_chip, false);
    j["by_unit"] = list(st->by_unit, false);
    j["top_sources"] = list(st->top_sources, false);
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    const store::StatsRow& t = st->total;
    std::cout << t.articles << " articles in " << t.clusters << " duplicate clusters, " << t.claims
              << " claims (" << t.claims_dedup << " once per cluster), " << t.errors
              << " failed documents\n";
    PrintTable("By outlet", "outlet", st->by_outlet, true, std::cout);
    PrintTable("By month (published, else first fetched)", "month", st->by_month, true, std::cout);
    PrintTable("By chip (claims: all claims of the articles mentioning it)", "chip", st->by_chip,
               false, std::cout);
    PrintTable("By unit", "unit", st->by_unit, false, std::cout);
    PrintTable("Top sources", "source", st->top_sources, false, std::cout);
  }
  std::cout.flush();
  if (!std::cout) return {FailedPreconditionError("write failed")};
  return {};
}

}  // namespace

Command StatsCommand() {
  return {"stats",
          "Count articles, claims and errors by outlet, month, chip and unit, and the top "
          "sources (raw and once per duplicate cluster)",
          [](CLI::App* sub, const GlobalOptions*) {
            auto opt = std::make_shared<StatsOptions>();
            sub->add_option("--db", opt->db, "SQLite database file")
                ->capture_default_str()
                ->type_name("FILE");
            sub->add_flag("--json", opt->json, "Write one JSON object instead of tables");
            sub->add_option("--top", opt->top, "How many sources to list")
                ->capture_default_str()
                ->check(CLI::Range(1, 1000000));
            AddArticleFilterOptions(sub, &opt->filter);
            return [opt]() { return RunStats(*opt); };
          }};
}

}  // namespace newsclaim::cli
