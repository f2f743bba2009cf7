// `newsclaim export --format csv|jsonl`: the database for researchers (JSONL, one object
// per article, the contract of product.md) and spreadsheets (CSV, one row per figure, or
// one per article with --per article), filtered by store::ArticleFilter.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/article_filter.h"
#include "cli/common.h"
#include "cli/csv.h"
#include "store/store.h"

namespace newsclaim::cli {
namespace {

struct ExportOptions {
  std::string format;
  std::string db = "newsclaim.db";
  std::string out;  // empty = stdout
  std::string per;  // "claim" or "article"; empty = claim for csv, article for jsonl
  store::ArticleFilter filter;
};

// Column names. Stable: new columns go at the end, none is ever renamed or removed.
constexpr const char* kClaimColumns[] = {"article_id", "doc",         "outlet", "published",
                                         "title",      "figure_text", "value",  "value_high",
                                         "unit",       "qualifier",   "source", "chips",
                                         "sentence",   "figure_id",   "sha256", "cluster_id"};
constexpr const char* kArticleColumns[] = {
    "article_id", "doc",    "sha256", "title",        "published", "outlet",  "author",
    "language",   "script", "url",    "figure_count", "chips",     "sources", "cluster_id"};

nlohmann::json NullIfEmpty(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

nlohmann::json NumberOrNull(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string JsonLine(const store::ExportArticle& a) {
  nlohmann::ordered_json j;
  j["doc"] = a.doc;
  j["id"] = a.id;
  j["sha256"] = a.raw_sha256;
  j["title"] = NullIfEmpty(a.title);
  j["published"] = NullIfEmpty(a.published);
  j["outlet"] = NullIfEmpty(a.outlet);
  j["author"] = NullIfEmpty(a.author);
  j["language"] = NullIfEmpty(a.language);
  j["script"] = NullIfEmpty(a.script);
  j["url"] = NullIfEmpty(a.canonical_url);
  j["body"] = a.body;
  nlohmann::ordered_json figs = nlohmann::ordered_json::array();
  for (const store::ExportFigure& f : a.figures) {
    nlohmann::ordered_json o;
    o["text"] = f.text;
    o["value"] = NumberOrNull(f.value);
    o["value_high"] = NumberOrNull(f.value_high);
    o["unit"] = f.unit;
    o["qualifier"] = NullIfEmpty(f.qualifier);
    o["source"] = NullIfEmpty(f.source);
    o["sentence"] = f.sentence;
    o["start"] = f.start;
    o["end"] = f.end;
    figs.push_back(std::move(o));
  }
  j["figures"] = std::move(figs);
  j["chips"] = a.chips;
  j["sources"] = a.sources;
  j["cluster_id"] = a.cluster_id;
  // Invalid UTF-8 cannot reach here (normalize decodes), but never let dump() throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

void WriteClaimRows(const store::ExportArticle& a, std::ostream& os) {
  const std::string chips = Join(a.chips, "; ");
  for (const store::ExportFigure& f : a.figures) {
    if (!f.matched) continue;
    CsvRow row;
    row.Integer(a.id)
        .Text(a.doc)
        .Text(a.outlet)
        .Text(a.published)
        .Text(a.title)
        .Text(f.text)
        .Number(f.value)
        .Number(f.value_high)
        .Text(f.unit)
        .Text(f.qualifier)
        .Text(f.source)
        .Text(chips)
        .Text(f.sentence)
        .Integer(f.id)
        .Text(a.raw_sha256)
        .Integer(a.cluster_id);
    os << row.Finish();
  }
}

void WriteArticleRow(const store::ExportArticle& a, std::ostream& os) {
  CsvRow row;
  row.Integer(a.id)
      .Text(a.doc)
      .Text(a.raw_sha256)
      .Text(a.title)
      .Text(a.published)
      .Text(a.outlet)
      .Text(a.author)
      .Text(a.language)
      .Text(a.script)
      .Text(a.canonical_url)
      .Integer(static_cast<long long>(a.figures.size()))
      .Text(Join(a.chips, "; "))
      .Text(Join(a.sources, "; "))
      .Integer(a.cluster_id);
  os << row.Finish();
}

Outcome RunExport(const ExportOptions& opt) {
  const bool csv = opt.format == "csv";
  const bool per_article = opt.per == "article" || (opt.per.empty() && !csv);
  if (!csv && !per_article) {
    return {
        InvalidArgumentError("--per claim needs --format csv (JSONL is one object per article)")};
  }
  store::StoreOptions so;
  so.read_only = true;
  auto db = store::Store::Open(opt.db, so);
  if (!db.ok()) return {db.status()};
  std::ofstream file;
  std::ostream* os = &std::cout;
  if (!opt.out.empty()) {
    file.open(opt.out, std::ios::binary | std::ios::trunc);
    if (!file) return {FailedPreconditionError("cannot write " + opt.out)};
    os = &file;
  }
  if (csv) {
    *os << kUtf8Bom;
    CsvRow header;
    if (per_article) {
      for (const char* h : kArticleColumns) header.Text(h);
    } else {
      for (const char* h : kClaimColumns) header.Text(h);
    }
    *os << header.Finish();
  }
  Status s =
      (*db)->ForEachArticleFiltered(opt.filter, [&](const store::ExportArticle& a) -> Status {
        if (!csv) {
          *os << JsonLine(a);
        } else if (per_article) {
          WriteArticleRow(a, *os);
        } else {
          WriteClaimRows(a, *os);
        }
        if (!*os) return FailedPreconditionError("write failed");
        return Status::Ok();
      });
  if (!s.ok()) return {s};
  os->flush();
  if (!*os)
    return {FailedPreconditionError("write failed" + (opt.out.empty() ? "" : ": " + opt.out))};
  return {};
}

}  // namespace

Command ExportCommand() {
  return {"export",
          "Write the database as JSON lines (one per article) or CSV (one row per figure or "
          "per article), optionally filtered",
          [](CLI::App* sub, const GlobalOptions*) {
            auto opt = std::make_shared<ExportOptions>();
            sub->add_option("--format", opt->format, "Output format")
                ->required()
                ->check(CLI::IsMember({"csv", "jsonl"}));
            sub->add_option("--db", opt->db, "SQLite database file")
                ->capture_default_str()
                ->type_name("FILE");
            sub->add_option("--out", opt->out, "Output file (default: standard output)")
                ->type_name("FILE");
            sub->add_option("--per", opt->per,
                            "CSV rows: one per claim (figure; the default) or one per article")
                ->check(CLI::IsMember({"claim", "article"}));
            AddArticleFilterOptions(sub, &opt->filter);
            return [opt]() { return RunExport(*opt); };
          }};
}

}  // namespace newsclaim::cli
