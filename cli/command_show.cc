// `newsclaim show ID`: one claim (figure, chip mention, source) or article with its
// provenance: the quote in its sentence with the span marked, the article, the raw
// document's sha256 and URIs, and the run (command, program and rules versions, time)
// that produced it. Text for people, --json for machines.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "store/store.h"

namespace newsclaim::cli {
namespace {

using Kind = store::Store::ClaimKind;
using Provenance = store::Store::Provenance;

struct ShowOptions {
  std::string id;
  std::string db = "newsclaim.db";
  bool json = false;
};

constexpr std::string_view kMarkOpen = "[[", kMarkClose = "]]";

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kFigure:
      return "figure";
    case Kind::kChip:
      return "chip";
    case Kind::kSource:
      return "source";
    case Kind::kArticle:
      return "article";
  }
  return "figure";
}

// "12" (a figure id, as in the CSV's figure_id), "figure:12", "chip:3", "source:4",
// "article:7".
StatusOr<std::pair<Kind, int64_t>> ParseId(const std::string& text) {
  Kind kind = Kind::kFigure;
  std::string number = text;
  if (const size_t colon = text.find(':'); colon != std::string::npos) {
    const std::string prefix = text.substr(0, colon);
    number = text.substr(colon + 1);
    bool known = false;
    for (Kind k : {Kind::kFigure, Kind::kChip, Kind::kSource, Kind::kArticle}) {
      if (prefix == KindName(k)) {
        kind = k;
        known = true;
      }
    }
    if (!known) {
      return InvalidArgumentError("unknown kind '" + prefix +
                                  "' in ID (use figure:N, chip:N, source:N or article:N)");
    }
  }
  if (number.empty() || number.size() > 18 ||
      number.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgumentError("bad ID '" + text +
                                "' (a figure id, or figure:N, chip:N, source:N, article:N)");
  }
  return std::make_pair(kind, static_cast<int64_t>(std::stoll(number)));
}

// Moves a byte offset back to the start of its UTF-8 character.
size_t CharStart(std::string_view s, size_t i) {
  while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

// The sentence holding the span with the span between [[ and ]]; articles: the start of
// the body.
std::string Quote(const Provenance& p) {
  const std::string_view body = p.body;
  if (p.kind == Kind::kArticle) {
    const size_t cut = CharStart(body, std::min<size_t>(body.size(), 300));
    return std::string(body.substr(0, cut)) + (cut < body.size() ? "…" : "");
  }
  size_t s = p.sentence_start, e = p.sentence_end;
  if (e <= s || s > p.start || e < p.end) {  // no sentence: 60 bytes either side
    s = CharStart(body, p.start > 60 ? p.start - 60 : 0);
    e = CharStart(body, std::min<size_t>(body.size(), p.end + 60));
    if (e < p.end) e = p.end;
  }
  std::string out;
  if (s > 0) out += "…";
  out += body.substr(s, p.start - s);
  out += kMarkOpen;
  out += body.substr(p.start, p.end - p.start);
  out += kMarkClose;
  out += body.substr(p.end, e - p.end);
  if (e < body.size()) out += "…";
  return out;
}

std::string Or(const std::string& s, const char* fallback) { return s.empty() ? fallback : s; }

void PrintText(const Provenance& p) {
  std::string out;
  auto line = [&](const char* key, const std::string& value) {
    char pad[16];
    std::snprintf(pad, sizeof(pad), "  %-11s", key);
    out += pad + value + "\n";
  };
  out += std::string(KindName(p.kind)) + " " + std::to_string(p.id) + "  " + p.text + "\n";
  switch (p.kind) {
    case Kind::kFigure: {
      std::string v = p.value ? FormatNumber(*p.value) : "(no value)";
      if (p.value_high) v += " to " + FormatNumber(*p.value_high);
      v += " " + p.unit;
      if (!p.qualifier.empty()) v += " (" + p.qualifier + ")";
      line("value", v);
      line("source",
           p.source.empty()
               ? "none named in the text; the outlet: " + Or(p.outlet, "(unknown)")
               : p.source + " (" + p.source_kind + ", source:" + std::to_string(p.source_id) + ")");
      break;
    }
    case Kind::kChip:
      line("chip", p.canonical + (p.vendor.empty() ? "" : " (" + p.vendor + ")"));
      break;
    case Kind::kSource:
      line("kind", p.kind_name);
      break;
    case Kind::kArticle:
      break;
  }
  line("quote", Quote(p));
  if (p.kind != Kind::kArticle) {
    line("offsets", "bytes " + std::to_string(p.start) + "-" + std::to_string(p.end) +
                        " of the article body (sentence " + std::to_string(p.sentence_start) + "-" +
                        std::to_string(p.sentence_end) + ")");
  }
  out += "article " + std::to_string(p.article_id) + "  " + Or(p.title, "(untitled)") + "\n";
  line("outlet", Or(p.outlet, "(unknown)"));
  line("published", Or(p.published, "(unknown)"));
  if (!p.author.empty()) line("author", p.author);
  line("doc", p.doc);
  if (!p.canonical_url.empty()) line("url", p.canonical_url);
  line("current", p.current ? "yes" : "no (a newer extraction of the same document exists)");
  out += "raw document\n";
  line("sha256", p.raw_sha256);
  line("size",
       std::to_string(p.raw_size) + " bytes, " + p.raw_format + ", first seen " + p.raw_first_seen);
  for (const std::string& u : p.uris) line("uri", u);
  out += "run " + std::to_string(p.run_id) + "\n";
  line("command", Or(p.run_command, "(unknown)"));
  line("program", "newsclaim " + Or(p.program_version, "(unknown)"));
  line("rules", p.rules_version);
  line("time", Or(p.run_started_at, "?") + " to " + Or(p.run_ended_at, "(not finished)"));
  std::fwrite(out.data(), 1, out.size(), stdout);
}

nlohmann::json Nullable(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

void PrintJson(const Provenance& p) {
  nlohmann::ordered_json j;
  j["kind"] = KindName(p.kind);
  j["id"] = p.id;
  j["text"] = p.text;
  if (p.kind == Kind::kFigure) {
    j["value"] = p.value ? nlohmann::json(*p.value) : nlohmann::json(nullptr);
    j["value_high"] = p.value_high ? nlohmann::json(*p.value_high) : nlohmann::json(nullptr);
    j["unit"] = p.unit;
    j["qualifier"] = Nullable(p.qualifier);
    j["source"] = p.source.empty()
                      ? nlohmann::ordered_json(nullptr)
                      : nlohmann::ordered_json{
                            {"id", p.source_id}, {"name", p.source}, {"kind", p.source_kind}};
  } else if (p.kind == Kind::kChip) {
    j["canonical"] = p.canonical;
    j["vendor"] = Nullable(p.vendor);
  } else if (p.kind == Kind::kSource) {
    j["source_kind"] = p.kind_name;
  }
  if (p.kind != Kind::kArticle) {
    j["start"] = p.start;
    j["end"] = p.end;
    j["sentence_start"] = p.sentence_start;
    j["sentence_end"] = p.sentence_end;
    j["sentence"] = p.body.substr(p.sentence_start, p.sentence_end - p.sentence_start);
  }
  j["quote"] = Quote(p);
  j["article"] = {{"id", p.article_id},
                  {"doc", p.doc},
                  {"title", Nullable(p.title)},
                  {"outlet", Nullable(p.outlet)},
                  {"published", Nullable(p.published)},
                  {"author", Nullable(p.author)},
                  {"url", Nullable(p.canonical_url)},
                  {"language", Nullable(p.language)},
                  {"script", Nullable(p.script)},
                  {"current", p.current}};
  j["raw"] = {{"sha256", p.raw_sha256},         {"size", p.raw_size},
              {"format", p.raw_format},         {"first_uri", p.raw_first_uri},
              {"first_seen", p.raw_first_seen}, {"uris", p.uris}};
  j["run"] = {{"id", p.run_id},
              {"command", Nullable(p.run_command)},
              {"program_version", Nullable(p.program_version)},
              {"rules_version", p.rules_version},
              {"started_at", Nullable(p.run_started_at)},
              {"ended_at", Nullable(p.run_ended_at)}};
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

Outcome RunShow(const ShowOptions& opt) {
  StatusOr<std::pair<Kind, int64_t>> id = ParseId(opt.id);
  if (!id.ok()) return {id.status()};
  store::StoreOptions so;
  so.read_only = true;
  auto db = store::Store::Open(opt.db, so);
  if (!db.ok()) return {db.status()};
  StatusOr<std::optional<Provenance>> p = (*db)->GetProvenance(id->first, id->second);
  if (!p.ok()) return {p.status()};
  if (!p->has_value()) {
    return {NotFoundError(std::string("no ") + KindName(id->first) + " " +
                          std::to_string(id->second) + " in " + opt.db)};
  }
  if (opt.json) {
    PrintJson(**p);
  } else {
    PrintText(**p);
  }
  std::fflush(stdout);
  return {};
}

}  // namespace

Command ShowCommand() {
  return {"show",
          "Print a claim (figure, chip mention, source) or article with its quote in context "
          "and where it came from (raw sha256, offsets, run, rules and program versions)",
          [](CLI::App* sub, const GlobalOptions*) {
            auto opt = std::make_shared<ShowOptions>();
            sub->add_option("id", opt->id,
                            "A figure id (the CSV's figure_id), or figure:N, chip:N, source:N, "
                            "article:N")
                ->required()
                ->type_name("ID");
            sub->add_option("--db", opt->db, "SQLite database file")
                ->capture_default_str()
                ->type_name("FILE");
            sub->add_flag("--json", opt->json, "One JSON object instead of text");
            return [opt]() { return RunShow(*opt); };
          }};
}

}  // namespace newsclaim::cli
