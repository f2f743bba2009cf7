// The HTTP fetcher: many URLs over libcurl's multi interface with global and per-host
// concurrency limits, a politeness delay per host, timeouts, bounded bodies, http(s)-only
// redirects, retries with backoff, and conditional GET. Internal to ingest (libcurl types
// stay in fetch.cc); its option and result structs are public in ingest/ingest.h, and the
// CLI reaches it through ingest::Crawler, which adds robots.txt.
#ifndef NEWSCLAIM_INGEST_FETCH_H_
#define NEWSCLAIM_INGEST_FETCH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "ingest/ingest.h"

namespace newsclaim::ingest {

// Fetches batches of URLs. Not thread-safe: use one Fetcher from one thread; callbacks
// run on that thread.
class Fetcher {
 public:
  // Errors: kInternal when libcurl cannot be initialised.
  static StatusOr<std::unique_ptr<Fetcher>> Create(const FetchOptions& options);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Sets the politeness delay of one host (lower-case host name, as in the URL), e.g. from
  // its robots.txt Crawl-delay; capped to max_crawl_delay_s, never below 0.
  void SetHostDelay(const std::string& host, double seconds);

  // Fetches every request, honouring the limits, and calls on_done once per request as it
  // finishes (in completion order, with the request's index). Returns when all are done.
  // Per-URL failures go to on_done; the call itself does not fail.
  void FetchAll(const std::vector<FetchRequest>& requests,
                const std::function<void(size_t index, FetchResult result)>& on_done);

 private:
  struct Impl;
  explicit Fetcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The lower-case host name of an http(s) URL ("https://UDN.com:443/x" -> "udn.com"), or ""
// when the URL is not an absolute http(s) URL.
std::string UrlHost(const std::string& url);

// The origin of an http(s) URL for robots.txt: lower-case scheme and host, and the port
// when it is not the scheme's default ("HTTPS://UDN.com:443/x" -> "https://udn.com",
// "http://a.b:8080/" -> "http://a.b:8080"); "" when not an absolute http(s) URL.
std::string UrlOrigin(const std::string& url);

// The charset parameter of a Content-Type value, lower-cased, unquoted
// ("text/html; Charset=\"GBK\"" -> "gbk"); "" when absent.
std::string CharsetOfContentType(const std::string& content_type);

// Seconds to wait from a Retry-After value: delay-seconds or an HTTP-date relative to
// now_unix. -1 when unparseable.
double ParseRetryAfter(const std::string& value, int64_t now_unix);

}  // namespace newsclaim::ingest

#endif  // NEWSCLAIM_INGEST_FETCH_H_
