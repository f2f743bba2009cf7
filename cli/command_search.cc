// `newsclaim search QUERY`: full-text search over the current articles (or, with
// --claims, over figures) with the index of index/: either Chinese script and either
// regional word (晶片 / 芯片) find each other, best bm25 first, with snippets.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "index/index.h"

namespace newsclaim::cli {
namespace {

struct SearchCliOptions {
  std::vector<std::string> words;
  std::string db = "newsclaim.db";
  int limit = 20;
  bool json = false;
  bool claims = false;
  bool no_update = false;
};

nlohmann::json NullIfEmpty(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

nlohmann::json NumberOrNull(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string JsonLine(const index::SearchHit& h, bool claims) {
  nlohmann::ordered_json j;
  if (claims) j["figure_id"] = h.figure_id;
  j["article_id"] = h.article_id;
  if (!claims) j["cluster_id"] = h.cluster_id;
  j["score"] = h.score;
  j["doc"] = h.doc;
  j["title"] = NullIfEmpty(h.title);
  j["outlet"] = NullIfEmpty(h.outlet);
  j["published"] = NullIfEmpty(h.published);
  if (claims) {
    j["text"] = h.figure_text;
    j["value"] = NumberOrNull(h.value);
    j["value_high"] = NumberOrNull(h.value_high);
    j["unit"] = h.unit;
    j["source"] = NullIfEmpty(h.source);
  } else {
    j["sha256"] = h.raw_sha256;
  }
  j["snippet"] = h.snippet;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string Meta(const index::SearchHit& h) {
  std::string out;
  for (const std::string* s : {&h.outlet, &h.published, &h.doc}) {
    if (s->empty()) continue;
    if (!out.empty()) out += " · ";
    out += *s;
  }
  return out;
}

Outcome RunSearch(const SearchCliOptions& opt) {
  std::string query;
  for (const std::string& w : opt.words) query += (query.empty() ? "" : " ") + w;
  index::UpdateStats stats;
  auto db = index::OpenForSearch(opt.db, !opt.no_update, &stats);
  if (!db.ok()) return {db.status()};
  index::SearchOptions so;
  so.limit = opt.limit;
  so.claims = opt.claims;
  auto hits = index::Search(**db, query, so);
  if (!hits.ok()) return {hits.status()};
  for (const index::SearchHit& h : *hits) {
    if (opt.json) {
      std::cout << JsonLine(h, opt.claims);
    } else if (opt.claims) {
      std::cout << "figure " << h.figure_id << "  " << h.figure_text << "  ["
                << (h.value ? FormatNumber(*h.value) : std::string("?"))
                << (h.value_high ? "-" + FormatNumber(*h.value_high) : std::string()) << " "
                << h.unit << "]" << (h.source.empty() ? "" : "  source: " + h.source) << "\n"
                << "    " << h.snippet << "\n"
                << "    article " << h.article_id << ": " << h.title << "\n"
                << "    " << Meta(h) << "\n";
    } else {
      std::cout << "article " << h.article_id << "  " << h.title << "\n"
                << "    " << Meta(h)
                << (h.cluster_id != h.article_id && h.cluster_id != 0
                        ? " · duplicate of " + std::to_string(h.cluster_id)
                        : std::string())
                << "\n"
                << "    " << h.snippet << "\n";
    }
  }
  std::cout.flush();
  if (!std::cout) return {FailedPreconditionError("write failed")};
  std::fprintf(stderr, "%zu %s\n", hits->size(),
               opt.claims ? (hits->size() == 1 ? "figure" : "figures")
                          : (hits->size() == 1 ? "article" : "articles"));
  return {};
}

}  // namespace

Command SearchCommand() {
  return {"search",
          "Full-text search of articles (or figures) in either Chinese script, best first",
          [](CLI::App* sub, const GlobalOptions*) {
            auto opt = std::make_shared<SearchCliOptions>();
            sub->add_option("QUERY", opt->words,
                            "Words that must all match (a Chinese word matches inside longer "
                            "text); OR between two words, -word to exclude, word* for a "
                            "prefix, \"a phrase\"")
                ->required();
            sub->add_option("--db", opt->db, "SQLite database file")
                ->capture_default_str()
                ->type_name("FILE");
            sub->add_option("--limit", opt->limit, "Most results to print")
                ->capture_default_str()
                ->check(CLI::Range(1, 100000));
            sub->add_flag("--json", opt->json, "One JSON object per result");
            sub->add_flag("--claims", opt->claims,
                          "Search figures (their text, sentence and source) instead of articles");
            sub->add_flag("--no-update", opt->no_update,
                          "Do not bring the index up to date first (search it as it is)");
            return [opt]() { return RunSearch(*opt); };
          }};
}

}  // namespace newsclaim::cli
