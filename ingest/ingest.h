// ingest: turns files and URLs (and later WARC records) into RawDocuments, reads feeds and
// sitemaps into lists of links. Reads bytes only; never interprets a page beyond sniffing
// its format.
#ifndef NEWSCLAIM_INGEST_INGEST_H_
#define NEWSCLAIM_INGEST_INGEST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace newsclaim::ingest {

struct FileOptions {
  // Files larger than this are refused with kResourceExhausted (the document is still
  // recorded as an error by the caller). Default 100 MiB.
  uint64_t max_bytes = 100ull << 20;
};

// Expands files and directories (recursively, in sorted order, skipping hidden entries)
// into a list of regular file paths. A path that does not exist is an error for the
// whole call (kNotFound): the operator mistyped it.
StatusOr<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths);

// Reads one file into a RawDocument (uri = path as given, sha256, fetched_at = now,
// format sniffed). Transparently un-gzips ".gz" files.
StatusOr<RawDocument> ReadFile(const std::string& path, const FileOptions& options);

// Guesses the format from the bytes (and the name as a tie-breaker): YAML front matter
// ("---" first line) is markdown, a document starting with markup is HTML, else text.
DocFormat SniffFormat(const std::string& name, const std::string& bytes);

// ---- Feeds and sitemaps ------------------------------------------------------------
// RSS 2.0, RSS 1.0 (RDF), Atom 1.0, sitemap indexes, url sets and Google News sitemaps,
// gzipped or not, read with libxml2 with network access, DTD loading and external
// entities off.

enum class FeedKind {
  kRss2,          // <rss version="2.0"> (also 0.9x)
  kRss1,          // <rdf:RDF> with RSS 1.0 items
  kAtom,          // <feed xmlns="http://www.w3.org/2005/Atom">
  kSitemapIndex,  // <sitemapindex>: entries are child sitemaps
  kUrlSet,        // <urlset>: entries are pages (with news:news data when present)
};
// "rss2", "rss1", "atom", "sitemapindex", "urlset".
const char* FeedKindName(FeedKind kind);

// One item of a feed, one <url> of a url set, or one <sitemap> of an index.
struct FeedEntry {
  std::string url;        // absolute http(s) URL, resolved against xml:base / the feed URL
  std::string title;      // item title or news:title; text only, whitespace collapsed
  std::string published;  // ISO 8601 (pubDate, dc:date, published, news:publication_date)
  std::string updated;    // ISO 8601 (atom:updated, sitemap lastmod)
  std::string id;         // guid, atom:id or rdf:about; empty when the feed gives none
};

struct Feed {
  FeedKind kind = FeedKind::kRss2;
  std::string title;               // channel / feed title; empty for sitemaps
  std::vector<FeedEntry> entries;  // in document order, duplicates (same url) removed
  // Entries dropped because they had no usable http(s) URL (missing link, javascript:,
  // file:, ...), and entries past max_entries.
  int64_t skipped = 0;
  // The XML was not well-formed (an unescaped '&', a truncated file); the entries are
  // what libxml2's recovery mode salvaged. A lossy repair the caller should count.
  bool recovered = false;
  // The document declares an external entity or names an external DTD. Nothing external
  // was read (references to such entities contribute nothing); callers that do not trust
  // such documents (the CLI refuses them) can tell.
  bool external_entities = false;
};

struct FeedOptions {
  // Cap on the (decompressed) document size; larger documents are refused with
  // kResourceExhausted. Default 50 MiB, the sitemap protocol's own limit.
  uint64_t max_bytes = 50ull << 20;
  // Entries past this are counted in Feed::skipped, not returned. Default 50,000, the
  // sitemap protocol's limit per file.
  size_t max_entries = 50000;
};

// Parses a feed or sitemap. `bytes` may be gzipped (detected by its magic number, for
// sitemap.xml.gz served as application/gzip); `base_url` is the URL the document came
// from, used to resolve relative links. Never reads files or the network, whatever the
// document declares (external entities are not loaded, DTDs are not fetched).
// Errors: kResourceExhausted (too large, gzip bomb), kDataLoss (corrupt gzip, not
// well-formed beyond recovery), kInvalidArgument (well-formed XML that is not a feed or
// sitemap, e.g. an HTML page).
StatusOr<Feed> ParseFeed(std::string_view bytes, const std::string& base_url,
                         const FeedOptions& options);

// ---- Fetching over HTTP -------------------------------------------------------------

struct FetchOptions {
  // Sent with every request; should name a contact so site owners can reach the operator.
  std::string user_agent = "newsclaim/0.1 (+https://example.invalid/newsclaim; set a contact)";
  // Transfers in flight at once, over all hosts. Default 16.
  int max_connections = 16;
  // Transfers in flight at once to one host. Default 1.
  int max_per_host = 1;
  // Minimum time between the starts of two requests to one host, in seconds. Default 1.
  // A host's robots.txt Crawl-delay, set with Fetcher::SetHostDelay, replaces it.
  double politeness_delay_s = 1.0;
  // A Crawl-delay above this is capped to it (a site asking for one request an hour would
  // otherwise stall the run). Default 60 s.
  double max_crawl_delay_s = 60.0;
  // Timeouts in milliseconds: connecting, and the whole transfer (redirects and body
  // included). Defaults 10 s and 60 s.
  long connect_timeout_ms = 10000;
  long total_timeout_ms = 60000;
  // A transfer slower than low_speed_bytes per second for low_speed_time_s seconds is
  // aborted as a timeout. Defaults 100 B/s over 30 s.
  long low_speed_bytes = 100;
  long low_speed_time_s = 30;
  // Redirects followed (http and https only, also when redirected). Default 5.
  int max_redirects = 5;
  // Cap on the body after Content-Encoding is undone, enforced while streaming, so a
  // gzip bomb or an endless body stops at the cap. Default 10 MiB.
  uint64_t max_body_bytes = 10ull << 20;
  // Retries after a timeout, 429 or 503 (so at most 1 + max_retries attempts). Default 3.
  int max_retries = 3;
  // Backoff before retry n (1-based): min(backoff_max_s, backoff_base_s * 2^(n-1)), of
  // which a random half is jitter. A Retry-After header replaces it. Defaults 1 s, 60 s.
  double backoff_base_s = 1.0;
  double backoff_max_s = 60.0;
  // A Retry-After longer than this ends the URL with kUnavailable instead of waiting.
  // Default 300 s.
  double max_retry_after_s = 300.0;
  // When false, proxies from the environment (http_proxy, ...) are ignored. Default true.
  bool use_environment_proxy = true;
  // Extra name resolutions, in CURLOPT_RESOLVE form "host:port:address" (tests and
  // benchmarks point many host names at one loopback server).
  std::vector<std::string> resolve;
  // Seed of the jitter generator; 0 seeds from std::random_device.
  uint32_t jitter_seed = 0;
  // PEM file of CA certificates to trust instead of the system store (a private CA, TLS
  // tests). Verification of peer and host name is always on. Empty: the system store.
  std::string ca_file;
  // When false, a 3xx response is returned as is, with FetchResult::redirect_url set, so
  // the caller can vet the target (the Crawler checks robots.txt there). Default true.
  bool follow_redirects = true;
};

struct FetchRequest {
  std::string url;  // absolute http(s) URL
  // Validators from the previous fetch, sent as If-None-Match / If-Modified-Since.
  std::string etag;
  std::string last_modified;
  // Overrides FetchOptions::follow_redirects for this request when set (the Crawler lets
  // libcurl follow the redirects of robots.txt itself, RFC 9309 2.3.1.2).
  std::optional<bool> follow_redirects;
};

struct FetchResult {
  // OK for a 2xx or 304 response. Otherwise why the URL failed: kUnavailable (timeout,
  // connection refused, DNS, 5xx, 429 or 503 after the retries, a Retry-After above the
  // cap), kDataLoss (connection reset or closed mid-body, truncated chunked encoding,
  // corrupt compression), kResourceExhausted (body above the cap), kInvalidArgument (not an
  // http(s) URL, a redirect to another scheme, too many redirects, other 4xx),
  // kNotFound (404, 410), kFailedPrecondition (401, 403, 451, TLS verification failed).
  Status status;
  // The response when one arrived (also for error statuses: doc.http_status and headers
  // are set, so a 404 robots.txt can be told from a network failure). uri is the
  // requested URL; kind kHttp; declared_charset from Content-Type; sha256 and format set
  // when a body arrived. http_status is 0 when no response arrived.
  RawDocument doc;
  std::string final_url;      // after redirects
  bool not_modified = false;  // 304 to a conditional request; doc.bytes is empty
  int attempts = 0;
  // Not fetched because the host's robots.txt disallows it (status kFailedPrecondition);
  // a URL whose origin's robots.txt is unreachable (5xx, 429, no answer) is not fetched
  // either, but fails with kUnavailable and robots_disallowed unset;
  // also set when a redirect led to a URL robots.txt disallows (that URL is not fetched).
  bool robots_disallowed = false;
  // The absolute target of a 3xx response's Location (follow_redirects off), else "".
  std::string redirect_url;
  // For archiving the exchange (WARC): the request head as sent (request line and header
  // lines), the response status line and header lines as received (of the last response),
  // the server's IP address, and the part of the body received before a transfer error
  // (doc.bytes is empty then). Empty when no response arrived.
  std::string request_head;
  std::string response_head;
  std::string ip;
  std::string partial_body;
  // Every hop of a redirect chain the Crawler followed, in order, before this result (each
  // a 3xx response with its own heads); empty without redirects.
  std::vector<FetchResult> hops;
};

struct CrawlOptions {
  // fetch.follow_redirects is ignored: the Crawler follows redirects itself (at most
  // fetch.max_redirects, http and https only) and checks each target against its
  // origin's robots.txt before requesting it.
  FetchOptions fetch;
  // Fetch each host's /robots.txt first (once per Crawler) and skip what it disallows
  // for fetch.user_agent; its Crawl-delay replaces fetch.politeness_delay_s for the host.
  // Default true.
  bool obey_robots = true;
  // Politeness delay per host (lower-case host name -> seconds) replacing
  // fetch.politeness_delay_s there; a larger robots.txt Crawl-delay still wins.
  std::map<std::string, double> host_delay;
  // Called with every robots.txt response the Crawler fetches (redirect hops in
  // FetchResult::hops), on the calling thread, e.g. to archive it. May be empty.
  std::function<void(const FetchResult&)> on_robots;
};

// Polite fetching of URLs: robots.txt per origin (RFC 9309: 4xx allows all, 5xx or an
// unreachable host disallows all), cached for the Crawler's lifetime, then the pages with
// the limits of CrawlOptions::fetch. Not thread-safe: one Crawler per thread; callbacks
// run on the calling thread.
class Crawler {
 public:
  // Errors: kInternal when libcurl cannot be initialised.
  static StatusOr<std::unique_ptr<Crawler>> Create(const CrawlOptions& options);
  ~Crawler();
  Crawler(const Crawler&) = delete;
  Crawler& operator=(const Crawler&) = delete;

  // Fetches every request and calls on_done once per request (with its index), in
  // completion order. A URL robots.txt disallows comes back with robots_disallowed set
  // and kFailedPrecondition, without being requested. Returns when all are done.
  void FetchAll(const std::vector<FetchRequest>& requests,
                const std::function<void(size_t index, FetchResult result)>& on_done);

 private:
  struct Impl;
  explicit Crawler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsclaim::ingest

#endif  // NEWSCLAIM_INGEST_INGEST_H_
