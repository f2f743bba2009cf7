// `newsclaim ingest`: files and directories, URLs, feeds, sitemaps and a source config
// into the database. Raw bytes are stored before anything interprets them; each
// document's failure becomes an error record and the run goes on. One run at a time per
// database (flock on "<db>.lock"), so cron can start it every few minutes.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>

#include "cli/common.h"
#include "cli/ingest_config.h"
#include "cli/ingest_network.h"
#include "cli/ingest_pipeline.h"
#include "cli/ingest_warc.h"
#include "cli/ordered_pool.h"
#include "index/index.h"
#include "ingest/fetch.h"
#include "ingest/ingest.h"
#include "normalize/normalize.h"
#include "store/store.h"

namespace newsclaim::cli {
namespace {

// Default --threads: 2, not all cores (rebuild's default). Ingest runs from cron beside
// other work, and its single writer (reading, hashing, raw bytes, articles and the search
// index, all in input order) takes about 40 % of a one-thread run, so a third analysis
// thread gains little while each thread widens the window of documents held in memory
// (8 per thread). A backfill can ask for more (0 = all cores).
constexpr int kDefaultThreads = 2;

struct IngestOptions {
  std::vector<std::string> paths;  // files, directories and http(s) URLs
  std::vector<std::string> feeds;
  std::vector<std::string> sitemaps;
  std::vector<std::string> warc;  // --warc files and directories (cli/ingest_warc.h)
  std::string config;
  std::string db = "newsclaim.db";
  bool quiet = false;
  // --threads: analysis threads for files and WARC records (0 = all cores).
  int threads = kDefaultThreads;
  // --no-index: leave the search index and duplicate clusters for later (search,
  // duplicates and rebuild bring them up to date).
  bool no_index = false;
  // Hidden --max-pages (empty help group): store::StoreOptions::max_page_count, to test
  // full-disk handling.
  int64_t max_pages = 0;
  // --commit-every: documents per transaction (IngestPipeline::set_commit_every).
  int commit_every = IngestPipeline::kDefaultCommitEvery;
  // Network flags, in the shape of the config's [fetch] table: unset ones come from the
  // config, then the defaults.
  FetchConfig flags;
  bool no_robots = false;
  bool no_warc = false;
  uint64_t warc_max_bytes = 1000ull * 1000 * 1000;
  std::vector<std::string> resolve;
};

bool IsUrl(const std::string& s) {
  return s.compare(0, 7, "http://") == 0 || s.compare(0, 8, "https://") == 0;
}

// Holds "<db>.lock" with flock for the life of the run. The kernel drops the lock when the
// process ends however it ends (SIGKILL included), so a stale lock file is harmless.
class RunLock {
 public:
  ~RunLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  // OK when taken; kUnavailable when another process holds it (message names it);
  // kFailedPrecondition when flock fails otherwise.
  // When the lock file cannot be created (a read-only directory), the database file
  // itself is locked; when that cannot be opened either, nobody can write the database
  // (SQLite needs its directory too) and Store::Open reports why.
  Status Acquire(const std::string& path, const std::string& db_path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      fd_ = ::open(db_path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) return Status::Ok();
      if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        return UnavailableError("another ingest run holds " + db_path +
                                "; exiting without doing anything");
      }
      return Status::Ok();
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      char pid[32] = {0};
      const ssize_t n = ::pread(fd_, pid, sizeof(pid) - 1, 0);
      std::string holder = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "";
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      if (err == EWOULDBLOCK) {
        return UnavailableError("another ingest run" +
                                (holder.empty() ? std::string() : " (pid " + holder + ")") +
                                " holds " + path + "; exiting without doing anything");
      }
      return FailedPreconditionError("cannot lock " + path + ": " + std::strerror(err));
    }
    const std::string me = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) == 0) {
      [[maybe_unused]] const ssize_t w = ::pwrite(fd_, me.data(), me.size(), 0);
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
};

// Builds the network options: flags over the config's [fetch] over the defaults.
StatusOr<NetworkOptions> NetworkOptionsFor(const IngestOptions& opt,
                                           const std::optional<IngestConfig>& config) {
  NetworkOptions n;
  const FetchConfig fc = config ? config->fetch : FetchConfig{};
  ingest::FetchOptions& f = n.crawl.fetch;
  f.user_agent = opt.flags.user_agent.value_or(fc.user_agent.value_or(
      std::string("newsclaim/") + NEWSCLAIM_VERSION +
      " (+https://example.invalid/newsclaim; set --user-agent with a contact)"));
  f.max_connections = opt.flags.concurrency.value_or(fc.concurrency.value_or(f.max_connections));
  f.max_per_host = opt.flags.per_host.value_or(fc.per_host.value_or(f.max_per_host));
  f.politeness_delay_s = opt.flags.delay_s.value_or(fc.delay_s.value_or(f.politeness_delay_s));
  const double timeout =
      opt.flags.timeout_s.value_or(fc.timeout_s.value_or(f.total_timeout_ms / 1e3));
  f.total_timeout_ms = static_cast<long>(timeout * 1000);
  const double connect = opt.flags.connect_timeout_s.value_or(
      fc.connect_timeout_s.value_or(f.connect_timeout_ms / 1e3));
  f.connect_timeout_ms = static_cast<long>(std::min(connect, timeout) * 1000);
  // A trickling server is cut off within the total timeout, or 30 s, whichever is first.
  f.low_speed_time_s = std::max(1L, std::min(f.low_speed_time_s, static_cast<long>(timeout)));
  const int64_t max_bytes =
      opt.flags.max_bytes.value_or(fc.max_bytes.value_or(static_cast<int64_t>(f.max_body_bytes)));
  f.max_body_bytes = static_cast<uint64_t>(max_bytes);
  f.max_retries = opt.flags.retries.value_or(fc.retries.value_or(f.max_retries));
  f.ca_file = opt.flags.ca_file.value_or(fc.ca_file.value_or(""));
  f.resolve = opt.resolve;
  n.crawl.obey_robots = !opt.no_robots && fc.robots.value_or(true);
  n.max_items = opt.flags.max_items.value_or(fc.max_items.value_or(0));
  if (f.max_connections < 1 || f.max_per_host < 1 || f.politeness_delay_s < 0 || timeout <= 0 ||
      max_bytes < 1 || f.max_retries < 0 || n.max_items < 0) {
    return InvalidArgumentError(
        "--concurrency and --per-host must be >= 1, --timeout and --max-bytes > 0, --delay, "
        "--retries and --max-items >= 0");
  }
  if (!opt.no_warc) {
    n.warc_dir = opt.flags.warc_dir.value_or(fc.warc_dir.value_or(opt.db + ".warc"));
    n.warc_max_file_bytes = opt.warc_max_bytes;
  }
  if (config) n.sources = config->sources;
  for (const std::string& p : opt.paths) {
    if (IsUrl(p)) n.sources.push_back({SourceKind::kPage, p, std::nullopt, std::nullopt});
  }
  for (const std::string& u : opt.feeds) {
    n.sources.push_back({SourceKind::kFeed, u, std::nullopt, std::nullopt});
  }
  for (const std::string& u : opt.sitemaps) {
    n.sources.push_back({SourceKind::kSitemap, u, std::nullopt, std::nullopt});
  }
  return n;
}

Outcome RunIngest(const IngestOptions& opt, const GlobalOptions& global) {
  const auto started = std::chrono::steady_clock::now();
  std::optional<IngestConfig> config;
  if (!opt.config.empty()) {
    StatusOr<IngestConfig> c = LoadIngestConfig(opt.config);
    if (!c.ok()) return {c.status()};
    config = std::move(c).value();
  }
  std::vector<std::string> file_args;
  for (const std::string& p : opt.paths) {
    if (!IsUrl(p)) file_args.push_back(p);
  }
  StatusOr<NetworkOptions> net = NetworkOptionsFor(opt, config);
  if (!net.ok()) return {net.status()};
  for (const SourceSpec& s : net->sources) {
    if (ingest::UrlHost(s.url).empty()) {
      return {InvalidArgumentError("not an absolute http(s) URL: " + s.url)};
    }
  }
  if (file_args.empty() && net->sources.empty() && opt.warc.empty()) {
    return {InvalidArgumentError(
        "nothing to ingest: give files, directories or URLs, --feed, --sitemap or --config")};
  }
  if (opt.threads < 0) return {InvalidArgumentError("--threads must be 0 (all cores) or more")};
  if (opt.commit_every < 1) {
    return {
        InvalidArgumentError("--commit-every must be 1 (one transaction per document) or more")};
  }
  const int threads = ResolveThreads(opt.threads);
  // What the first article needs (normalize's OpenCC t2s dictionaries and patterns, the
  // search fold's tw2sp dictionaries: tens of ms) loads on another core while the rules
  // load here, instead of stalling the workers.
  std::thread warm;
  if (!file_args.empty() || !opt.warc.empty()) {
    warm = std::thread([index = !opt.no_index] {
      normalize::Preload();
      if (index) (void)index::FoldForSearch("");
    });
  }
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join_warm{warm};
  StatusOr<LoadedRules> rules = LoadRules(global);
  if (!rules.ok()) return {rules.status()};
  std::vector<std::string> files;
  if (!file_args.empty()) {
    StatusOr<std::vector<std::string>> expanded = ingest::ExpandPaths(file_args);
    if (!expanded.ok()) return {expanded.status()};
    files = std::move(expanded).value();
  }
  RunLock lock;
  if (Status s = lock.Acquire(opt.db + ".lock", opt.db); !s.ok()) {
    Outcome out{s};
    out.locked = s.code() == StatusCode::kUnavailable;
    return out;
  }
  store::StoreOptions store_options;
  store_options.max_page_count = opt.max_pages;
  auto db = store::Store::Open(opt.db, store_options);
  if (!db.ok()) return {db.status()};
  store::Store& st = **db;
  StatusOr<int64_t> run = st.BeginRun({NEWSCLAIM_VERSION, rules->rules->version(), "ingest"});
  IngestPipeline pipeline(st, *rules, run.ok() ? *run : 0, opt.db, opt.quiet, threads);
  // The workers fold each article for the search index too, and its rows are written with
  // it: the update after the run only clusters (and indexes what came in otherwise).
  pipeline.set_index_with_articles(!opt.no_index);
  pipeline.set_commit_every(opt.commit_every);
  if (!run.ok()) return {pipeline.WriteError("", run.status())};

  // Sources, each feeding the same pipeline. Files and WARC records are analysed on the
  // pipeline's threads and written in input order; network documents one by one, because
  // their fetch state may only advance once their article is written.
  // Files are read and hashed on the workers too: this thread only queues their paths.
  for (const std::string& path : files) {
    if (Status s = pipeline.QueueFile(path); !s.ok()) return {s};
  }
  if (!opt.warc.empty()) {
    if (Status s = IngestWarc(opt.warc, {}, pipeline, opt.quiet); !s.ok()) return {s};
  }
  if (Status s = pipeline.Flush(); !s.ok()) return {s};
  NetworkCounts net_counts;
  if (!net->sources.empty()) {
    if (Status s = IngestNetwork(*net, pipeline, &net_counts); !s.ok()) return {s};
  }

  const store::RunCounts& counts = pipeline.counts();
  if (Status s = st.EndRun(*run, counts); !s.ok()) return {pipeline.WriteError("", s)};
  // The search index and duplicate clusters follow the new articles (incremental; an
  // interrupted update is completed by the next one).
  if (!opt.no_index) {
    index::UpdateOptions index_options;
    index_options.threads = threads;
    StatusOr<index::UpdateStats> indexed = index::Update(st, index_options);
    if (!indexed.ok()) {
      return {Status(indexed.status().code(),
                     "articles stored, but the search index could not be updated: " +
                         pipeline.WriteError("", indexed.status()).message())};
    }
  }
  if (!opt.quiet || counts.failed > 0) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::string network;
    if (!net->sources.empty()) {
      network = "; " + std::to_string(net_counts.fetched) + " fetched, " +
                std::to_string(net_counts.not_modified) + " not modified, " +
                std::to_string(net_counts.robots_skipped) + " skipped by robots.txt";
      if (net_counts.deferred_items > 0) {
        network += ", " + std::to_string(net_counts.deferred_items) + " left for the next run";
      }
    }
    std::fprintf(stderr,
                 "newsclaim ingest: %lld seen, %lld added, %lld unchanged, %lld failed%s in "
                 "%.1f s -> %s\n",
                 static_cast<long long>(counts.seen), static_cast<long long>(counts.added),
                 static_cast<long long>(counts.unchanged), static_cast<long long>(counts.failed),
                 network.c_str(), seconds, opt.db.c_str());
  }
  return {Status::Ok(), counts.failed};
}

}  // namespace

Command IngestCommand() {
  return {
      "ingest",
      "Read files and directories (HTML, markdown with front matter, text dumps), web pages, "
      "feeds and sitemaps into the database",
      [](CLI::App* sub, const GlobalOptions* global) {
        auto opt = std::make_shared<IngestOptions>();
        sub->add_option("paths", opt->paths,
                        "Files and directories (recursive), and http(s) URLs of pages")
            ->type_name("PATH|URL");
        sub->add_option("--feed", opt->feeds,
                        "RSS 2.0, RSS 1.0 or Atom feed whose new items are fetched (repeatable)")
            ->allow_extra_args(false)
            ->type_name("URL");
        sub->add_option("--sitemap", opt->sitemaps,
                        "Sitemap, sitemap index or Google News sitemap, gzipped or not, whose "
                        "new pages are fetched (repeatable)")
            ->allow_extra_args(false)
            ->type_name("URL");
        sub->add_option("--warc", opt->warc,
                        "WARC files (.warc, .warc.gz; ours, wget's, Common Crawl's CC-NEWS) or "
                        "directories of them, read back without the network (repeatable)")
            ->check(CLI::ExistingPath)
            ->type_name("FILE|DIR");
        sub->add_option("--config", opt->config,
                        "TOML file of feeds, sitemaps, pages and fetch settings (see README)")
            ->type_name("FILE");
        sub->add_option("--db", opt->db, "SQLite database file")
            ->capture_default_str()
            ->type_name("FILE");
        sub->add_flag("-q,--quiet", opt->quiet, "Print nothing unless a document failed");
        sub->add_option("--threads", opt->threads,
                        "Threads that analyse files and WARC records, and index (0 = all "
                        "cores); the result does not depend on it")
            ->capture_default_str()
            ->type_name("N");
        sub->add_option("--commit-every", opt->commit_every,
                        "Documents from files committed per transaction (1 = one each; the "
                        "result does not depend on it); a killed run loses at most the "
                        "unfinished group")
            ->capture_default_str()
            ->type_name("N");
        sub->add_option("--max-pages", opt->max_pages, "Cap the database at N pages")->group("");
        const char* net = "Network";
        sub->add_option("--user-agent", opt->flags.user_agent,
                        "User-Agent sent, with a contact (e.g. \"newsclaim/0.1 "
                        "(+mailto:desk@example.org)\"); its first word is matched in robots.txt")
            ->type_name("TEXT")
            ->group(net);
        sub->add_option("--concurrency", opt->flags.concurrency,
                        "Transfers at once over all hosts (default 16)")
            ->type_name("N")
            ->group(net);
        sub->add_option("--per-host", opt->flags.per_host, "Transfers at once per host (default 1)")
            ->type_name("N")
            ->group(net);
        sub->add_option("--delay", opt->flags.delay_s,
                        "Seconds between two requests to one host (default 1; a larger "
                        "robots.txt Crawl-delay wins)")
            ->type_name("SECONDS")
            ->group(net);
        sub->add_option("--timeout", opt->flags.timeout_s,
                        "Seconds for a whole transfer, redirects included (default 60)")
            ->type_name("SECONDS")
            ->group(net);
        sub->add_option("--connect-timeout", opt->flags.connect_timeout_s,
                        "Seconds to connect (default 10)")
            ->type_name("SECONDS")
            ->group(net);
        sub->add_option("--max-bytes", opt->flags.max_bytes,
                        "Cap on a response body after decompression (default 10485760)")
            ->type_name("BYTES")
            ->group(net);
        sub->add_option("--retries", opt->flags.retries,
                        "Retries after a timeout, 429 or 503, with backoff (default 3)")
            ->type_name("N")
            ->group(net);
        sub->add_option("--max-items", opt->flags.max_items,
                        "New items per feed or sitemap and run; the rest wait for the next "
                        "run (default 0 = all)")
            ->type_name("N")
            ->group(net);
        sub->add_flag("--no-index", opt->no_index,
                      "Do not update the search index and duplicate clusters after the run "
                      "(search, duplicates and rebuild do it)");
        sub->add_flag("--no-robots", opt->no_robots,
                      "Neither fetch nor obey robots.txt (only for sites you run)")
            ->group(net);
        sub->add_option("--resolve", opt->resolve,
                        "Resolve HOST:PORT to ADDR, as curl's --resolve (repeatable)")
            ->allow_extra_args(false)
            ->type_name("HOST:PORT:ADDR")
            ->group(net);
        sub->add_option("--ca-file", opt->flags.ca_file,
                        "PEM CA certificates to trust instead of the system store (TLS "
                        "verification stays on)")
            ->type_name("FILE")
            ->group(net);
        sub->add_option("--warc-dir", opt->flags.warc_dir,
                        "Directory of the WARC archive of every response (default <db>.warc)")
            ->type_name("DIR")
            ->group(net);
        sub->add_option("--warc-max-bytes", opt->warc_max_bytes,
                        "Start a new WARC file past this size (default 1000000000)")
            ->type_name("BYTES")
            ->group(net);
        sub->add_flag("--no-warc", opt->no_warc, "Do not archive responses")->group(net);
        return [opt, global]() { return RunIngest(*opt, *global); };
      }};
}

}  // namespace newsclaim::cli
