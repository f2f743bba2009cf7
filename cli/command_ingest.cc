// `newsclaim ingest PATH...`: files and directories into the database. Raw bytes are
// stored before anything interprets them; each document's failure becomes an error
// record and the run goes on.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/common.h"
#include "cli/ingest_pipeline.h"
#include "ingest/ingest.h"
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
  StatusOr<int64_t> run = st.BeginRun({NEWSCLAIM_VERSION, rules->rules->version(), "ingest"});
  IngestPipeline pipeline(st, *rules, run.ok() ? *run : 0, opt.db, opt.quiet);
  if (!run.ok()) return {pipeline.WriteError("", run.status())};

  // Sources, each feeding the same pipeline.
  for (const std::string& path : *files) {
    StatusOr<RawDocument> raw = ingest::ReadFile(path, {});
    Status s = raw.ok() ? pipeline.Add(*raw) : pipeline.Fail(path, "", "read", raw.status());
    if (!s.ok()) return {s};
  }

  const store::RunCounts& counts = pipeline.counts();
  if (Status s = st.EndRun(*run, counts); !s.ok()) return {pipeline.WriteError("", s)};
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
