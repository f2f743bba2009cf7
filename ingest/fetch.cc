// HTTP fetching on libcurl's multi interface: one event loop on the caller's thread that
// starts transfers as the global, per-host and politeness limits allow, and retries with
// backoff. See fetch.h for the contract.
#include "ingest/fetch.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <utility>

#include "core/clock.h"
#include "core/sha256.h"
#include "ingest/ingest.h"

namespace newsclaim::ingest {
namespace {

using Clock = std::chrono::steady_clock;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Clock::duration Seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// Responses with more header bytes than this are cut off (libcurl has its own per-line
// limit; this bounds the count of lines).
constexpr size_t kMaxHeaderBytes = 256 * 1024;

struct Transfer {
  size_t index = 0;
  int attempts = 0;  // including this one
  std::string host;
  CURL* easy = nullptr;
  curl_slist* request_headers = nullptr;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string response_head;  // raw status and header lines of the last response
  std::string request_head;   // raw request head of the last request sent
  size_t header_bytes = 0;
  uint64_t max_body = 0;
  bool body_cap_hit = false;
  char error[CURL_ERROR_SIZE] = {0};

  ~Transfer() {
    if (request_headers != nullptr) curl_slist_free_all(request_headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (t->body.size() + len > t->max_body) {
    t->body_cap_hit = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, len);
  return len;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  const std::string line(data, len);
  // Each response of a redirect chain (and a 100 Continue) starts with a status line;
  // only the last response's headers are kept.
  if (line.compare(0, 5, "HTTP/") == 0) {
    t->headers.clear();
    t->header_bytes = len;
    t->response_head = line;
    return len;
  }
  t->header_bytes += len;
  if (t->header_bytes > kMaxHeaderBytes) return len;
  if (line != "\r\n" && line != "\n") t->response_head += line;
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return len;
  t->headers.emplace_back(Lower(Trim(line.substr(0, colon))), Trim(line.substr(colon + 1)));
  return len;
}

// Keeps the request head libcurl sent (CURLINFO_HEADER_OUT), for the WARC request record.
int OnDebug(CURL* /*easy*/, curl_infotype type, char* data, size_t size, void* user) {
  if (type == CURLINFO_HEADER_OUT) {
    auto* t = static_cast<Transfer*>(user);
    t->request_head.assign(data, std::min<size_t>(size, kMaxHeaderBytes));
  }
  return 0;
}

const std::string* FindHeader(const std::vector<std::pair<std::string, std::string>>& headers,
                              const char* name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

Status StatusOfCurl(CURLcode rc, const Transfer& t, const FetchOptions& o) {
  std::string detail = t.error[0] != '\0' ? t.error : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return UnavailableError("timed out: " + detail);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
      return UnavailableError(detail);
    case CURLE_TOO_MANY_REDIRECTS:
      return InvalidArgumentError("more than " + std::to_string(o.max_redirects) +
                                  " redirects: " + detail);
    case CURLE_UNSUPPORTED_PROTOCOL:
      return InvalidArgumentError("not an http(s) URL or a redirect to another scheme: " + detail);
    case CURLE_FILESIZE_EXCEEDED:
      return ResourceExhaustedError("body larger than " + std::to_string(o.max_body_bytes) +
                                    " bytes (Content-Length)");
    case CURLE_WRITE_ERROR:
      if (t.body_cap_hit) {
        return ResourceExhaustedError("body larger than " + std::to_string(o.max_body_bytes) +
                                      " bytes after decoding");
      }
      return InternalError(detail);
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_BAD_CONTENT_ENCODING:
      return DataLossError(detail);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return FailedPreconditionError("TLS: " + detail);
    default:
      // Some failures mid-body (a truncated chunked stream) surface as other codes.
      if (!t.headers.empty()) return DataLossError(detail);
      return UnavailableError(detail);
  }
}

Status StatusOfHttp(long code) {
  const std::string what = "HTTP " + std::to_string(code);
  if ((code >= 200 && code < 300) || code == 304) return Status::Ok();
  if (code == 404 || code == 410) return NotFoundError(what);
  if (code == 401 || code == 403 || code == 451) return FailedPreconditionError(what);
  if (code == 429 || code >= 500) return UnavailableError(what);
  return InvalidArgumentError(what);
}

}  // namespace

std::string UrlHost(const std::string& url) {
  CURLU* u = curl_url();
  if (u == nullptr) return "";
  std::string host;
  char* scheme = nullptr;
  char* h = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
    const std::string s = Lower(scheme);
    if (s == "http" || s == "https") host = Lower(h);
  }
  curl_free(scheme);
  curl_free(h);
  curl_url_cleanup(u);
  return host;
}

std::string UrlOrigin(const std::string& url) {
  CURLU* u = curl_url();
  if (u == nullptr) return "";
  std::string origin;
  char* scheme = nullptr;
  char* host = nullptr;
  char* port = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    const std::string s = Lower(scheme);
    if (s == "http" || s == "https") {
      origin = s + "://" + Lower(host);
      // Without CURLU_DEFAULT_PORT only an explicit port is returned; drop it when it is
      // the scheme's default so "https://a.b:443" and "https://a.b" share one robots.txt.
      if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port != nullptr) {
        const std::string p = port;
        if (!((s == "http" && p == "80") || (s == "https" && p == "443"))) origin += ":" + p;
      }
    }
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return origin;
}

std::string CharsetOfContentType(const std::string& content_type) {
  const std::string lower = Lower(content_type);
  size_t pos = 0;
  while ((pos = lower.find("charset", pos)) != std::string::npos) {
    size_t i = pos + 7;
    // Only a parameter: preceded by ';' or space, followed by '='.
    const bool param = pos > 0 && (lower[pos - 1] == ';' || lower[pos - 1] == ' ');
    while (i < lower.size() && lower[i] == ' ') ++i;
    if (!param || i >= lower.size() || lower[i] != '=') {
      pos += 7;
      continue;
    }
    ++i;
    while (i < lower.size() && lower[i] == ' ') ++i;
    std::string value;
    if (i < lower.size() && (lower[i] == '"' || lower[i] == '\'')) {
      const char q = lower[i++];
      const size_t end = lower.find(q, i);
      value = lower.substr(i, end == std::string::npos ? std::string::npos : end - i);
    } else {
      const size_t end = lower.find_first_of("; \t", i);
      value = lower.substr(i, end == std::string::npos ? std::string::npos : end - i);
    }
    return Trim(value);
  }
  return "";
}

double ParseRetryAfter(const std::string& value, int64_t now_unix) {
  const std::string v = Trim(value);
  if (v.empty()) return -1;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) return 1e9;
    return std::stod(v);
  }
  const time_t when = curl_getdate(v.c_str(), nullptr);
  if (when == -1) return -1;
  return std::max<double>(0, static_cast<double>(when - now_unix));
}

struct Fetcher::Impl {
  FetchOptions options;
  CURLM* multi = nullptr;
  curl_slist* resolve = nullptr;
  std::map<std::string, double> host_delay;
  // Earliest start of the next request per host, kept across FetchAll calls so that
  // batches (robots.txt, then pages, then redirect targets) stay polite too.
  std::map<std::string, Clock::time_point> host_next_start;
  std::mt19937 rng;

  ~Impl() {
    if (multi != nullptr) curl_multi_cleanup(multi);
    if (resolve != nullptr) curl_slist_free_all(resolve);
  }

  double DelayOf(const std::string& host) const {
    auto it = host_delay.find(host);
    return it != host_delay.end() ? it->second : options.politeness_delay_s;
  }

  double Backoff(int retry) {
    const double full =
        std::min(options.backoff_max_s, options.backoff_base_s * std::pow(2.0, retry - 1));
    std::uniform_real_distribution<double> half(0.0, full / 2);
    return full / 2 + half(rng);
  }

  std::unique_ptr<Transfer> Start(const FetchRequest& req, size_t index, int attempts,
                                  const std::string& host);
  FetchResult Finish(const FetchRequest& req, Transfer* t, CURLcode rc);
};

std::unique_ptr<Transfer> Fetcher::Impl::Start(const FetchRequest& req, size_t index, int attempts,
                                               const std::string& host) {
  auto t = std::make_unique<Transfer>();
  t->index = index;
  t->attempts = attempts;
  t->host = host;
  t->max_body = options.max_body_bytes;
  t->easy = curl_easy_init();
  if (t->easy == nullptr) return nullptr;
  CURL* e = t->easy;
  curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION,
                   req.follow_redirects.value_or(options.follow_redirects) ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, OnDebug);
  curl_easy_setopt(e, CURLOPT_DEBUGDATA, t.get());
  curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, options.total_timeout_ms);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, options.low_speed_time_s);
  // "" = every encoding this libcurl decodes (gzip, deflate, br when built with it); the
  // body callback sees decoded bytes, so max_body_bytes also caps decompression.
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes));
  curl_easy_setopt(e, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  if (!options.use_environment_proxy) curl_easy_setopt(e, CURLOPT_PROXY, "");
  if (resolve != nullptr) curl_easy_setopt(e, CURLOPT_RESOLVE, resolve);
  if (!req.etag.empty()) {
    t->request_headers =
        curl_slist_append(t->request_headers, ("If-None-Match: " + req.etag).c_str());
  }
  if (!req.last_modified.empty()) {
    t->request_headers =
        curl_slist_append(t->request_headers, ("If-Modified-Since: " + req.last_modified).c_str());
  }
  if (t->request_headers != nullptr) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->request_headers);
  if (curl_multi_add_handle(multi, e) != CURLM_OK) return nullptr;
  return t;
}

FetchResult Fetcher::Impl::Finish(const FetchRequest& req, Transfer* t, CURLcode rc) {
  FetchResult r;
  r.attempts = t->attempts;
  long code = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
  char* effective = nullptr;
  curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &effective);
  r.final_url = effective != nullptr ? effective : req.url;
  RawDocument& doc = r.doc;
  doc.uri = req.url;
  doc.kind = SourceKind::kHttp;
  doc.fetched_at = NowUtc();
  doc.http_status = static_cast<int>(code);
  doc.headers = std::move(t->headers);
  if (const std::string* ct = FindHeader(doc.headers, "content-type")) {
    doc.declared_charset = CharsetOfContentType(*ct);
  }
  if (code != 0) {
    r.request_head = std::move(t->request_head);
    r.response_head = std::move(t->response_head);
    char* ip = nullptr;
    if (curl_easy_getinfo(t->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
      r.ip = ip;
    }
  }
  if (rc != CURLE_OK) {
    r.status = StatusOfCurl(rc, *t, options);
    r.partial_body = std::move(t->body);
    return r;
  }
  if (code >= 300 && code < 400) {
    char* location = nullptr;
    if (curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
        location != nullptr) {
      r.redirect_url = location;
    }
  }
  r.status = StatusOfHttp(code);
  r.not_modified = code == 304;
  doc.bytes = std::move(t->body);
  doc.sha256 = Sha256Hex(doc.bytes);
  doc.format = SniffFormat(r.final_url, doc.bytes);
  return r;
}

Fetcher::Fetcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Fetcher::~Fetcher() = default;

StatusOr<std::unique_ptr<Fetcher>> Fetcher::Create(const FetchOptions& options) {
  static std::once_flag once;
  static CURLcode init = CURLE_OK;
  std::call_once(once, [] { init = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init != CURLE_OK) return InternalError("libcurl init failed");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->options.max_connections = std::max(1, options.max_connections);
  impl->options.max_per_host = std::max(1, options.max_per_host);
  impl->multi = curl_multi_init();
  if (impl->multi == nullptr) return InternalError("libcurl multi init failed");
  for (const std::string& r : options.resolve) {
    curl_slist* next = curl_slist_append(impl->resolve, r.c_str());
    if (next == nullptr) return InternalError("out of memory");
    impl->resolve = next;
  }
  impl->rng.seed(options.jitter_seed != 0 ? options.jitter_seed : std::random_device{}());
  return std::unique_ptr<Fetcher>(new Fetcher(std::move(impl)));
}

void Fetcher::SetHostDelay(const std::string& host, double seconds) {
  if (!(seconds >= 0)) seconds = 0;  // also NaN
  impl_->host_delay[Lower(host)] = std::min(seconds, impl_->options.max_crawl_delay_s);
}

void Fetcher::FetchAll(const std::vector<FetchRequest>& requests,
                       const std::function<void(size_t, FetchResult)>& on_done) {
  Impl& im = *impl_;
  struct Pending {
    size_t index;
    int attempts;  // done so far
    Clock::time_point not_before;
  };
  struct Host {
    std::deque<Pending> queue;
    int active = 0;
    Clock::time_point* next_start = nullptr;  // in Impl::host_next_start
  };
  std::map<std::string, Host> hosts;
  size_t remaining = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    const std::string host = UrlHost(requests[i].url);
    if (host.empty()) {
      FetchResult r;
      r.doc.uri = requests[i].url;
      r.doc.kind = SourceKind::kHttp;
      r.status = InvalidArgumentError("not an absolute http(s) URL: " + requests[i].url);
      on_done(i, std::move(r));
      continue;
    }
    Host& h = hosts[host];
    h.next_start = &im.host_next_start[host];
    h.queue.push_back({i, 0, Clock::time_point{}});
    ++remaining;
  }
  std::map<CURL*, std::unique_ptr<Transfer>> active;
  while (remaining > 0) {
    Clock::time_point now = Clock::now();
    Clock::time_point wake = now + std::chrono::seconds(1);
    for (auto& [name, h] : hosts) {
      while (!h.queue.empty() && static_cast<int>(active.size()) < im.options.max_connections &&
             h.active < im.options.max_per_host) {
        const Pending p = h.queue.front();
        const Clock::time_point ready = std::max(*h.next_start, p.not_before);
        if (ready > now) {
          wake = std::min(wake, ready);
          break;
        }
        h.queue.pop_front();
        std::unique_ptr<Transfer> t = im.Start(requests[p.index], p.index, p.attempts + 1, name);
        if (t == nullptr) {
          FetchResult r;
          r.doc.uri = requests[p.index].url;
          r.doc.kind = SourceKind::kHttp;
          r.attempts = p.attempts;
          r.status = InternalError("libcurl could not start a transfer");
          --remaining;
          on_done(p.index, std::move(r));
          continue;
        }
        ++h.active;
        *h.next_start = now + Seconds(im.DelayOf(name));
        active.emplace(t->easy, std::move(t));
      }
    }
    int running = 0;
    curl_multi_perform(im.multi, &running);
    bool finished_any = false;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(im.multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode rc = msg->data.result;
      curl_multi_remove_handle(im.multi, easy);
      auto it = active.find(easy);
      if (it == active.end()) continue;
      std::unique_ptr<Transfer> t = std::move(it->second);
      active.erase(it);
      finished_any = true;
      Host& h = hosts[t->host];
      --h.active;
      long code = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
      const bool retryable =
          rc == CURLE_OPERATION_TIMEDOUT || (rc == CURLE_OK && (code == 429 || code == 503));
      if (retryable && t->attempts <= im.options.max_retries) {
        double wait = im.Backoff(t->attempts);
        if (const std::string* ra = FindHeader(t->headers, "retry-after")) {
          const double s = ParseRetryAfter(*ra, static_cast<int64_t>(std::time(nullptr)));
          if (s > im.options.max_retry_after_s) {
            FetchResult r = im.Finish(requests[t->index], t.get(), rc);
            r.status = UnavailableError("HTTP " + std::to_string(code) + " with Retry-After " +
                                        *ra + ", above the cap of " +
                                        std::to_string(im.options.max_retry_after_s) + " s");
            --remaining;
            on_done(t->index, std::move(r));
            continue;
          }
          if (s >= 0) wait = s;
        }
        const Clock::time_point not_before = Clock::now() + Seconds(wait);
        // The whole host is backed off: a 429/503 is about the server, not the URL.
        *h.next_start = std::max(*h.next_start, not_before);
        h.queue.push_front({t->index, t->attempts, not_before});
        continue;
      }
      FetchResult r = im.Finish(requests[t->index], t.get(), rc);
      --remaining;
      on_done(t->index, std::move(r));
    }
    if (remaining == 0 || finished_any) continue;
    now = Clock::now();
    const long timeout_ms = static_cast<long>(std::clamp<int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count(), 0, 1000));
    curl_multi_poll(im.multi, nullptr, 0, static_cast<int>(timeout_ms), nullptr);
  }
}

}  // namespace newsclaim::ingest
