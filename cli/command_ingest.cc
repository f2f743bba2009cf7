// `newsclaim ingest PATH...`: files and directories into the database. Raw bytes are
// stored before anything interprets them; each document's failure becomes an error
// record and the run goes on.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/common.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"
#include "store/store.h"

namespace newsclaim::cli {
namespace {

struct IngestOptions {
  std::vector<std::string> paths;
  std::string db = "newsclaim.db";
  bool quiet = false;
  // Hidden --max-pages (empty help group): store::StoreOptions::max_page_count, to test
  // full-disk handling.
  int64_t max_pages = 0;
};

Outcome RunIngest(const IngestOptions& opt, const GlobalOptions& global) {
  StatusOr<LoadedRules> rules = LoadRules(global);
  if (!rules.ok()) return {rules.status()};
  StatusOr<std::vector<std::string>> files = ingest::ExpandPaths(opt.paths);
  if (!files.ok()) return {files.status()};
  store::StoreOptions store_options;
  store_options.max_page_count = opt.max_pages;
  auto db = store::Store::Open(opt.db, store_options);
  if (!db.ok()) return {db.status()};
  store::Store& st = **db;
  // A failed write (full disk, lost lock) stops the run: say which database and document.
  auto write_error = [&](const std::string& uri, const Status& s) -> Outcome {
    return {Status(s.code(), "cannot write to database " + opt.db +
                                 (uri.empty() ? "" : " (while storing " + uri + ")") + ": " +
                                 s.message())};
  };
  const std::string& rules_version = rules->rules->version();
  StatusOr<int64_t> run = st.BeginRun({NEWSCLAIM_VERSION, rules_version, "ingest"});
  if (!run.ok()) return write_error("", run.status());

  normalize::NormalizeOptions norm_options;
  norm_options.fold = rules->fold;
  norm_options.boilerplate = rules->boilerplate;
  store::RunCounts counts;
  auto fail = [&](const std::string& uri, const std::string& sha, const char* stage,
                  const Status& error) -> Status {
    ++counts.failed;
    if (!opt.quiet) {
      std::fprintf(stderr, "newsclaim: %s: %s: %s\n", uri.c_str(), stage, error.ToString().c_str());
    }
    return st.PutError(*run, uri, sha, stage, error);
  };
  for (const std::string& path : *files) {
    ++counts.seen;
    StatusOr<RawDocument> raw = ingest::ReadFile(path, {});
    if (!raw.ok()) {
      if (Status s = fail(path, "", "read", raw.status()); !s.ok()) return write_error(path, s);
      continue;
    }
    // Raw bytes first: whatever happens next, the document can be re-run from them.
    if (Status s = st.PutRaw(*raw); !s.ok()) return write_error(path, s);
    StatusOr<bool> have = st.HasArticle(raw->sha256, rules_version);
    if (!have.ok()) return {have.status()};
    if (*have) {
      ++counts.unchanged;
      continue;
    }
    StatusOr<Article> article = normalize::Normalize(*raw, norm_options);
    if (!article.ok()) {
      if (Status s = fail(path, raw->sha256, "normalize", article.status()); !s.ok()) {
        return write_error(path, s);
      }
      continue;
    }
    article->uri = raw->uri;
    article->raw_sha256 = raw->sha256;
    const Claims claims = extract::Extract(*article, *rules->rules);
    StatusOr<int64_t> id = st.PutArticle(*run, rules_version, *article, claims);
    if (!id.ok()) return write_error(path, id.status());
    ++counts.added;
  }
  if (Status s = st.EndRun(*run, counts); !s.ok()) return write_error("", s);
  if (!opt.quiet || counts.failed > 0) {
    std::fprintf(stderr,
                 "newsclaim ingest: %lld seen, %lld added, %lld unchanged, %lld failed -> %s\n",
                 static_cast<long long>(counts.seen), static_cast<long long>(counts.added),
                 static_cast<long long>(counts.unchanged), static_cast<long long>(counts.failed),
                 opt.db.c_str());
  }
  return {Status::Ok(), counts.failed};
}

}  // namespace

Command IngestCommand() {
  return {
      "ingest",
      "Read files and directories (HTML, markdown with front matter, text dumps) into the "
      "database",
      [](CLI::App* sub, const GlobalOptions* global) {
        auto opt = std::make_shared<IngestOptions>();
        sub->add_option("paths", opt->paths, "Files and directories (recursive)")
            ->required()
            ->type_name("PATH");
        sub->add_option("--db", opt->db, "SQLite database file")
            ->capture_default_str()
            ->type_name("FILE");
        sub->add_flag("-q,--quiet", opt->quiet, "Print nothing unless a document failed");
        sub->add_option("--max-pages", opt->max_pages, "Cap the database at N pages")->group("");
        return [opt, global]() { return RunIngest(*opt, *global); };
      }};
}

}  // namespace newsclaim::cli
