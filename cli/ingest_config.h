// The `newsclaim ingest --config FILE` source list: feeds, sitemaps and pages with
// per-source options, and the fetch settings, in TOML (documented in README.md; example
// in corpus/sources.toml).
#ifndef NEWSCLAIM_CLI_INGEST_CONFIG_H_
#define NEWSCLAIM_CLI_INGEST_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace newsclaim::cli {

enum class SourceKind { kPage, kFeed, kSitemap };

// One thing to fetch: a page (always fetched, conditionally), or a feed or sitemap whose
// new items are fetched.
struct SourceSpec {
  SourceKind kind = SourceKind::kPage;
  std::string url;
  // Feeds and sitemaps: at most this many new items per run (0 = no cap).
  std::optional<int64_t> max_items;
  // Minimum seconds between two requests to this source's host; a larger robots.txt
  // Crawl-delay still wins.
  std::optional<double> delay_s;
};

// The [fetch] table; every key optional (command-line flags override it, built-in
// defaults fill the rest).
struct FetchConfig {
  std::optional<std::string> user_agent;
  std::optional<int> concurrency;
  std::optional<int> per_host;
  std::optional<double> delay_s;
  std::optional<double> timeout_s;
  std::optional<double> connect_timeout_s;
  std::optional<int64_t> max_bytes;
  std::optional<int> retries;
  std::optional<bool> robots;
  std::optional<int64_t> max_items;
  std::optional<std::string> warc_dir;
  std::optional<std::string> ca_file;
};

struct IngestConfig {
  FetchConfig fetch;
  std::vector<SourceSpec> sources;  // in file order: [[feed]], then [[sitemap]], [[page]]
};

// Reads and validates a config file. Unknown tables and keys are errors (a typo must not
// silently drop a source), as are non-http(s) URLs and out-of-range numbers.
// Errors: kNotFound, kInvalidArgument (with file:line for syntax errors).
StatusOr<IngestConfig> LoadIngestConfig(const std::string& path);

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_INGEST_CONFIG_H_
