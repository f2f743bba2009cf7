// `newsclaim rebuild`: re-runs normalisation and extraction with the current rules over
// every stored raw document, on N threads, and replaces the derived tables atomically.
//
// Pipeline (cli/ordered_pool.h): the calling thread reads raw documents page by page in
// rebuild order (store::Store::NextRawDocuments) and submits them; worker threads run
// cli::Analyze; the calling thread, the only writer, takes the results back in submission
// order, so ids and exports do not depend on the thread count. At most a window of
// documents is in flight (read, being analysed, or waiting to be written), so memory does
// not grow with the corpus. Everything is written in one transaction
// (store::Store::BeginRebuild); the search index and duplicate clusters are refilled by
// index::Update after the commit.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "cli/common.h"
#include "cli/ingest_pipeline.h"
#include "cli/ordered_pool.h"
#include "index/index.h"
#include "store/store.h"

namespace newsclaim::cli {
namespace {

struct RebuildOptions {
  std::string db = "newsclaim.db";
  int threads = 0;  // 0 = all cores
  bool quiet = false;
  // Hidden --max-pages (as ingest): store::StoreOptions::max_page_count.
  int64_t max_pages = 0;
};

using Analyzed = StatusOr<std::pair<Article, Claims>>;

struct Done {
  std::string uri, sha256;
  Analyzed result = InternalError("not analysed");
};

// A one-line progress bar on stderr, redrawn at most ten times a second.
class Progress {
 public:
  Progress(bool enabled, int64_t total) : enabled_(enabled), total_(total) {}
  void Update(int64_t done, bool force = false) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const int width = 30;
    const int64_t total = std::max<int64_t>(total_, 1);
    const int filled = static_cast<int>(std::min<int64_t>(width, done * width / total));
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\rrebuild [%s] %lld/%lld %3d%% %.0f docs/s ", bar.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total_),
                 static_cast<int>(done * 100 / total), secs > 0 ? done / secs : 0.0);
    std::fflush(stderr);
  }
  void Clear() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  int64_t total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

Status WriteError(const std::string& db, const Status& s) {
  return Status(s.code(), "cannot write to database " + db + ": " + s.message());
}

// Reads, analyses and writes every raw document inside the open rebuild transaction.
Status RebuildAll(store::Store& st, const LoadedRules& rules, int64_t run_id, int threads,
                  const RebuildOptions& opt, store::RunCounts* counts, Progress* progress) {
  const normalize::NormalizeOptions norm = NormalizeOptionsFor(rules);
  const std::string& rules_version = rules.rules->version();
  OrderedPool<RawDocument, Done> pool(threads, std::max(8, threads * 8), [&](RawDocument& raw) {
    Done d;
    d.uri = raw.uri;
    d.sha256 = raw.sha256;
    d.result = Analyze(raw, rules, norm);
    return d;
  });
  const int page = static_cast<int>(std::min<int64_t>(pool.window() / 2, 32));
  bool eof = false;
  store::Store::RawCursor cursor;
  while (true) {
    while (!eof && pool.InFlight() + page <= pool.window()) {
      StatusOr<std::vector<RawDocument>> batch = st.NextRawDocuments(&cursor, page);
      if (!batch.ok()) return batch.status();
      if (batch->empty()) eof = true;
      for (RawDocument& raw : *batch) pool.Submit(std::move(raw));
    }
    if (pool.Empty()) return Status::Ok();
    Done d = pool.Take();
    ++counts->seen;
    if (d.result.ok()) {
      StatusOr<int64_t> id =
          st.PutRebuiltArticle(run_id, rules_version, d.result->first, d.result->second);
      if (!id.ok()) {
        return Status(id.status().code(), "while storing " + d.uri + ": " + id.status().message());
      }
      ++counts->added;
    } else {
      ++counts->failed;
      if (!opt.quiet) {
        progress->Clear();
        std::fprintf(stderr, "newsclaim: %s: normalize: %s\n", d.uri.c_str(),
                     d.result.status().ToString().c_str());
      }
      NC_RETURN_IF_ERROR(st.PutError(run_id, d.uri, d.sha256, "normalize", d.result.status()));
    }
    progress->Update(counts->seen);
  }
}

Outcome RunRebuild(const RebuildOptions& opt, const GlobalOptions& global) {
  const auto t0 = std::chrono::steady_clock::now();
  StatusOr<LoadedRules> rules = LoadRules(global);
  if (!rules.ok()) return {rules.status()};
  if (opt.threads < 0) return {InvalidArgumentError("--threads must be 0 (all cores) or more")};
  const int threads = ResolveThreads(opt.threads);
  store::StoreOptions store_options;
  store_options.max_page_count = opt.max_pages;
  auto db = store::Store::Open(opt.db, store_options);
  if (!db.ok()) return {db.status()};
  store::Store& st = **db;
  StatusOr<int64_t> total = st.CountRawDocuments();
  if (!total.ok()) return {total.status()};
  StatusOr<int64_t> run = st.BeginRun({NEWSCLAIM_VERSION, rules->rules->version(), "rebuild"});
  if (!run.ok()) return {WriteError(opt.db, run.status())};

  store::RunCounts counts;
  Progress progress(!opt.quiet && isatty(2) == 1, *total);
  if (Status s = st.BeginRebuild(); !s.ok()) return {WriteError(opt.db, s)};
  Status s = RebuildAll(st, *rules, *run, threads, opt, &counts, &progress);
  // The run's end is written inside the rebuild's transaction, so new results never
  // appear without their run marked finished (a kill between the two cannot split them).
  if (s.ok()) s = st.EndRun(*run, counts);
  if (s.ok()) s = st.CommitRebuild();
  progress.Update(counts.seen, /*force=*/true);
  progress.Clear();
  if (!s.ok()) {
    (void)st.AbortRebuild();
    return {Status(s.code(), "rebuild failed, the previous results are kept: " +
                                 WriteError(opt.db, s).message())};
  }
  const auto t1 = std::chrono::steady_clock::now();

  // The search index and duplicate clusters follow the new articles (the rebuild emptied
  // them in the same transaction, so an interruption here leaves them to the next update).
  index::UpdateOptions index_options;
  index_options.threads = threads;
  StatusOr<index::UpdateStats> indexed = index::Update(st, index_options);
  if (!indexed.ok()) {
    return {Status(indexed.status().code(),
                   "articles rebuilt, but the search index could not be updated: " +
                       indexed.status().message())};
  }
  const auto t2 = std::chrono::steady_clock::now();
  if (!opt.quiet || counts.failed > 0) {
    const double secs = std::chrono::duration<double>(t1 - t0).count();
    std::fprintf(stderr,
                 "newsclaim rebuild: %lld documents, %lld articles, %lld failed, %d threads, "
                 "%.1f s (%.0f docs/s), index %.1f s -> %s\n",
                 static_cast<long long>(counts.seen), static_cast<long long>(counts.added),
                 static_cast<long long>(counts.failed), threads, secs,
                 secs > 0 ? counts.seen / secs : 0.0,
                 std::chrono::duration<double>(t2 - t1).count(), opt.db.c_str());
  }
  return {Status::Ok(), counts.failed};
}

}  // namespace

Command RebuildCommand() {
  return {
      "rebuild",
      "Re-extract every stored raw document with the current rules and replace the "
      "articles and claims atomically",
      [](CLI::App* sub, const GlobalOptions* global) {
        auto opt = std::make_shared<RebuildOptions>();
        sub->add_option("--db", opt->db, "SQLite database file")
            ->capture_default_str()
            ->type_name("FILE");
        sub->add_option("--threads", opt->threads,
                        "Analysis threads (0 = all cores); the result does not depend on it")
            ->capture_default_str()
            ->type_name("N");
        sub->add_flag("-q,--quiet", opt->quiet, "Print nothing unless a document failed");
        sub->add_option("--max-pages", opt->max_pages, "Cap the database at N pages")->group("");
        return [opt, global]() { return RunRebuild(*opt, *global); };
      }};
}

}  // namespace newsclaim::cli
