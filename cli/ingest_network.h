// Network sources for `newsclaim ingest`: pages, feeds and sitemaps fetched politely
// through ingest::Crawler, incrementally (per-URL fetch state in the store), every
// response archived in WARC files, each document handed to the shared IngestPipeline.
#ifndef NEWSCLAIM_CLI_INGEST_NETWORK_H_
#define NEWSCLAIM_CLI_INGEST_NETWORK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "cli/ingest_config.h"
#include "cli/ingest_pipeline.h"
#include "core/status.h"
#include "ingest/ingest.h"

namespace newsclaim::cli {

struct NetworkOptions {
  ingest::CrawlOptions crawl;
  std::vector<SourceSpec> sources;
  // Default cap on new items per feed or sitemap and run (0 = none); SourceSpec::max_items
  // replaces it. Items past the cap are left for the next run.
  int64_t max_items = 0;
  // Sitemap indexes nest at most this deep (an index of indexes of url sets is depth 2).
  int max_sitemap_depth = 3;
  // WARC archive of every response; empty = no archive.
  std::string warc_dir;
  uint64_t warc_max_file_bytes = 1000ull * 1000 * 1000;
};

struct NetworkCounts {
  int64_t fetched = 0;         // responses with a body (2xx), pages, feeds and sitemaps
  int64_t not_modified = 0;    // 304 answers to conditional requests
  int64_t robots_skipped = 0;  // URLs (or redirect targets) robots.txt disallows
  int64_t known_items = 0;     // feed and sitemap items fetched by an earlier run
  int64_t deferred_items = 0;  // new items left for the next run by max_items
  int64_t archived = 0;        // WARC response records written
};

// Fetches the sources: feeds and sitemaps first (sitemap indexes recursively), then the
// pages and the feed and sitemap items not fetched successfully before (or whose sitemap
// lastmod is newer than the last success). Documents go through pipeline.Add; fetch,
// feed and content-type failures become error rows through pipeline.Fail. Fetch state is
// updated per URL; a feed's or sitemap's validators (ETag, Last-Modified, sha256) only
// advance once all of its new items were handled, so an interrupted or partly failed run
// is picked up by the next one. Returns a run-level error only when the database or the
// WARC archive cannot be written.
Status IngestNetwork(const NetworkOptions& options, IngestPipeline& pipeline,
                     NetworkCounts* counts);

// An ISO 8601 date or date-time with any offset ("2026-11-23", "2026-11-23T10:00+08:00")
// as UTC "YYYY-MM-DDThh:mm:ssZ", comparable with the store's timestamps; "" when it
// cannot be read.
std::string ToUtcTimestamp(const std::string& iso);

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_INGEST_NETWORK_H_
