// `newsclaim extract-text --out-dir DIR FILE...`: main text and metadata from raw pages,
// for main-text benchmarks. Writes DIR/<name>.txt (body only) and one JSON line of
// metadata per input on standard output; touches no database.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/common.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"

namespace newsclaim::cli {
namespace {

struct ExtractTextOptions {
  std::vector<std::string> files;
  std::string out_dir;
  bool timing = false;
  bool keep_boilerplate = false;  // NormalizeOptions::remove_boilerplate = false
};

// "a/b/page.html.gz" -> "page": the benchmark scorer looks for <id>.txt.
std::string OutputName(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (const char* ext : {".gz", ".html", ".htm"}) {
    const std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      name.resize(name.size() - e.size());
    }
  }
  return name;
}

nlohmann::ordered_json NullIfEmpty(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

Outcome RunExtractText(const ExtractTextOptions& opt, const GlobalOptions& global) {
  StatusOr<LoadedRules> rules = LoadRules(global);
  if (!rules.ok()) return {rules.status()};
  std::error_code ec;
  std::filesystem::create_directories(opt.out_dir, ec);
  if (ec) return {InvalidArgumentError("cannot create " + opt.out_dir + ": " + ec.message())};
  normalize::NormalizeOptions norm_options;
  norm_options.fold = rules->fold;
  norm_options.boilerplate = rules->boilerplate;
  norm_options.remove_boilerplate = !opt.keep_boilerplate;
  int64_t failed = 0;
  uint64_t total_bytes = 0;
  double seconds = 0;
  for (const std::string& path : opt.files) {
    nlohmann::ordered_json line;
    line["doc"] = path;
    StatusOr<RawDocument> raw = ingest::ReadFile(path, {});
    StatusOr<Article> article = raw.status();
    if (raw.ok()) {
      const auto start = std::chrono::steady_clock::now();
      article = normalize::Normalize(*raw, norm_options);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      total_bytes += raw->bytes.size();
    }
    if (!article.ok()) {
      ++failed;
      std::fprintf(stderr, "newsclaim: %s: %s\n", path.c_str(),
                   article.status().ToString().c_str());
      line["error"] = article.status().ToString();
      std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      continue;
    }
    const std::string out_path = opt.out_dir + "/" + OutputName(path) + ".txt";
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    out << article->body;
    if (!article->body.empty()) out << '\n';
    out.close();
    if (!out) {
      return {Status(StatusCode::kUnavailable, "cannot write " + out_path)};
    }
    line["title"] = NullIfEmpty(article->title);
    line["published"] = NullIfEmpty(article->published);
    line["author"] = NullIfEmpty(article->author);
    line["outlet"] = NullIfEmpty(article->outlet);
    line["url"] = NullIfEmpty(article->canonical_url);
    line["language"] = NullIfEmpty(article->language);
    line["script"] = NullIfEmpty(article->script);
    line["charset"] = article->charset;
    line["replaced_bytes"] = article->replaced_bytes;
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  if (opt.timing) {
    std::fprintf(stderr,
                 "newsclaim extract-text: %zu files, %.1f MB in %.3f s of Normalize: %.2f MB/s\n",
                 opt.files.size(), total_bytes / 1e6, seconds,
                 seconds > 0 ? total_bytes / 1e6 / seconds : 0.0);
  }
  return {Status::Ok(), failed};
}

}  // namespace

Command ExtractTextCommand() {
  return {"extract-text",
          "Write the main text of each page to DIR/<name>.txt and its metadata as JSON lines",
          [](CLI::App* sub, const GlobalOptions* global) {
            auto opt = std::make_shared<ExtractTextOptions>();
            sub->add_option("files", opt->files, "Pages (.html, .htm, .gz read transparently)")
                ->required()
                ->type_name("FILE");
            sub->add_option("--out-dir", opt->out_dir, "Directory for the <name>.txt files")
                ->required()
                ->type_name("DIR");
            sub->add_flag("--timing", opt->timing,
                          "Print the bytes per second spent in normalisation on stderr");
            sub->add_flag("--keep-boilerplate", opt->keep_boilerplate,
                          "Skip line-level boilerplate selection: write every block of the "
                          "chosen content (for debugging extraction)");
            return [opt, global]() { return RunExtractText(*opt, *global); };
          }};
}

}  // namespace newsclaim::cli
