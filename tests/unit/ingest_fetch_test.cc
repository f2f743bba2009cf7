// The fetcher against a real HTTP server on 127.0.0.1 (ingest_test_http_server.h), with
// well-behaved and misbehaving endpoints. Timeouts and delays are configured short; no
// test touches the internet.
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "ingest/fetch.h"
#include "tests/unit/ingest_test_http_server.h"

namespace newsclaim::ingest {
namespace {

using newsclaim::testing::HttpConn;
using newsclaim::testing::HttpRequest;
using newsclaim::testing::HttpServer;

std::string Gzip(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

double SecondsBetween(const HttpRequest& a, const HttpRequest& b) {
  return std::chrono::duration<double>(b.arrived - a.arrived).count();
}

FetchRequest Req(const std::string& url) {
  FetchRequest r;
  r.url = url;
  return r;
}

constexpr char kAgent[] = "newsclaim-test/1.0 (+mailto:ops@example.invalid)";
constexpr char kHtml[] = "<!doctype html><html><body><p>輝達H20</p></body></html>";

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.user_agent = kAgent;
    options_.politeness_delay_s = 0;
    options_.connect_timeout_ms = 2000;
    options_.total_timeout_ms = 3000;
    options_.low_speed_bytes = 100;
    options_.low_speed_time_s = 1;
    options_.max_body_bytes = 1 << 20;
    options_.max_retries = 2;
    options_.backoff_base_s = 0.01;
    options_.backoff_max_s = 0.05;
    options_.use_environment_proxy = false;
    options_.jitter_seed = 42;
    server_.Handle("/ok", [](const HttpRequest&, HttpConn& c) {
      c.Respond(200, Gzip(kHtml),
                {{"Content-Type", "text/html; charset=\"GBK\""}, {"Content-Encoding", "gzip"}});
    });
    server_.Handle("/redirect", [](const HttpRequest&, HttpConn& c) {
      c.Respond(301, "", {{"Location", "/ok"}});
    });
  }

  FetchResult FetchOne(const FetchRequest& req) {
    auto fetcher = Fetcher::Create(options_);
    EXPECT_TRUE(fetcher.ok());
    FetchResult out;
    int calls = 0;
    (*fetcher)->FetchAll({req}, [&](size_t i, FetchResult r) {
      EXPECT_EQ(i, 0u);
      ++calls;
      out = std::move(r);
    });
    EXPECT_EQ(calls, 1);
    return out;
  }
  FetchResult FetchOne(const std::string& path) { return FetchOne(Req(server_.Url(path))); }

  FetchOptions options_;
  HttpServer server_;
};

TEST_F(FetchTest, OkDecodesGzipAndKeepsHeaders) {
  const FetchResult r = FetchOne("/ok");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.doc.http_status, 200);
  EXPECT_EQ(r.doc.kind, SourceKind::kHttp);
  EXPECT_EQ(r.doc.uri, server_.Url("/ok"));
  EXPECT_EQ(r.doc.bytes, kHtml);
  EXPECT_EQ(r.doc.sha256.size(), 64u);
  EXPECT_EQ(r.doc.declared_charset, "gbk");
  EXPECT_EQ(r.doc.format, DocFormat::kHtml);
  EXPECT_FALSE(r.doc.fetched_at.empty());
  EXPECT_EQ(r.attempts, 1);
  bool saw_type = false;
  for (const auto& [k, v] : r.doc.headers) saw_type |= k == "content-type";
  EXPECT_TRUE(saw_type);
  const std::vector<HttpRequest> reqs = server_.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].Header("user-agent"), kAgent);
  EXPECT_NE(reqs[0].Header("accept-encoding").find("gzip"), std::string::npos);
}

TEST_F(FetchTest, RedirectIsFollowed) {
  const FetchResult r = FetchOne("/redirect");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.final_url, server_.Url("/ok"));
  EXPECT_EQ(r.doc.uri, server_.Url("/redirect"));
  EXPECT_EQ(r.doc.bytes, kHtml);
}

TEST_F(FetchTest, ConditionalGet) {
  server_.Handle("/etag", [](const HttpRequest& req, HttpConn& c) {
    if (req.Header("if-none-match") == "\"v1\"") {
      c.Write("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n");
      return;
    }
    c.Respond(200, "body v1",
              {{"ETag", "\"v1\""}, {"Last-Modified", "Mon, 23 Nov 2026 18:38:42 GMT"}});
  });
  const FetchResult first = FetchOne("/etag");
  ASSERT_TRUE(first.status.ok());
  EXPECT_FALSE(first.not_modified);
  std::string etag, last_modified;
  for (const auto& [k, v] : first.doc.headers) {
    if (k == "etag") etag = v;
    if (k == "last-modified") last_modified = v;
  }
  EXPECT_EQ(etag, "\"v1\"");
  const FetchResult second = FetchOne({server_.Url("/etag"), etag, last_modified, std::nullopt});
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  EXPECT_TRUE(second.not_modified);
  EXPECT_EQ(second.doc.http_status, 304);
  EXPECT_TRUE(second.doc.bytes.empty());
  const std::vector<HttpRequest> reqs = server_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].Header("if-modified-since"), "Mon, 23 Nov 2026 18:38:42 GMT");
}

struct ErrorCase {
  const char* name;
  const char* path;
  StatusCode code;
  int http_status;
  int attempts;
};

// Endpoints that fail fast; each must end as a per-URL status with its reason.
TEST_F(FetchTest, MisbehavingEndpoints) {
  server_.Handle("/500", [](const HttpRequest&, HttpConn& c) { c.Respond(500, "oops"); });
  server_.Handle("/429", [](const HttpRequest&, HttpConn& c) {
    c.Respond(429, "slow down", {{"Retry-After", "0"}});
  });
  server_.Handle("/503-forever", [](const HttpRequest&, HttpConn& c) {
    c.Respond(503, "", {{"Retry-After", "3600"}});
  });
  server_.Handle("/403", [](const HttpRequest&, HttpConn& c) { c.Respond(403, "no"); });
  server_.Handle("/reset", [](const HttpRequest&, HttpConn& c) {
    c.Write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + std::string(1000, 'x'));
    c.Reset();
  });
  server_.Handle("/close-early", [](const HttpRequest&, HttpConn& c) {
    c.Write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + std::string(1000, 'x'));
  });
  server_.Handle("/chunked-cut", [](const HttpRequest&, HttpConn& c) {
    c.Write(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n"
        "20\r\n0123456789");
  });
  server_.Handle("/loop", [](const HttpRequest&, HttpConn& c) {
    c.Respond(302, "", {{"Location", "/loop"}});
  });
  server_.Handle("/to-file", [](const HttpRequest&, HttpConn& c) {
    c.Respond(302, "", {{"Location", "file:///etc/passwd"}});
  });
  server_.Handle("/to-ftp", [](const HttpRequest&, HttpConn& c) {
    c.Respond(302, "", {{"Location", "ftp://127.0.0.1/pub/x"}});
  });
  // Compressed before the request arrives, so a loaded machine cannot make the answer
  // slow enough to trip the low-speed limit instead of the size cap.
  const std::string bomb = Gzip(std::string(20 << 20, '\0'));
  server_.Handle("/bomb", [bomb](const HttpRequest&, HttpConn& c) {
    c.Respond(200, bomb, {{"Content-Encoding", "gzip"}, {"Content-Type", "text/html"}});
  });
  server_.Handle("/bad-gzip", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, "this is not gzip at all", {{"Content-Encoding", "gzip"}});
  });
  server_.Handle("/endless", [](const HttpRequest&, HttpConn& c) {
    c.Write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n");
    const std::string chunk(64 << 10, 'a');
    while (c.Write(chunk)) {
    }
  });
  server_.Handle("/huge-length", [](const HttpRequest&, HttpConn& c) {
    c.Write("HTTP/1.1 200 OK\r\nContent-Length: 50000000000\r\n\r\nabc");
  });
  const ErrorCase kCases[] = {
      {"http_500_not_retried", "/500", StatusCode::kUnavailable, 500, 1},
      {"http_404", "/missing", StatusCode::kNotFound, 404, 1},
      {"http_403", "/403", StatusCode::kFailedPrecondition, 403, 1},
      {"http_429_retried_then_given_up", "/429", StatusCode::kUnavailable, 429, 3},
      {"retry_after_above_cap", "/503-forever", StatusCode::kUnavailable, 503, 1},
      {"reset_mid_body", "/reset", StatusCode::kDataLoss, 200, 1},
      {"closed_mid_body", "/close-early", StatusCode::kDataLoss, 200, 1},
      {"truncated_chunked", "/chunked-cut", StatusCode::kDataLoss, 200, 1},
      {"redirect_loop", "/loop", StatusCode::kInvalidArgument, 302, 1},
      {"redirect_to_file", "/to-file", StatusCode::kInvalidArgument, 302, 1},
      {"redirect_to_ftp", "/to-ftp", StatusCode::kInvalidArgument, 302, 1},
      {"gzip_bomb", "/bomb", StatusCode::kResourceExhausted, 200, 1},
      {"corrupt_gzip", "/bad-gzip", StatusCode::kDataLoss, 200, 1},
      {"endless_body", "/endless", StatusCode::kResourceExhausted, 200, 1},
      {"huge_content_length", "/huge-length", StatusCode::kResourceExhausted, 200, 1},
  };
  for (const ErrorCase& c : kCases) {
    SCOPED_TRACE(c.name);
    const FetchResult r = FetchOne(c.path);
    EXPECT_EQ(r.status.code(), c.code) << r.status.ToString();
    EXPECT_FALSE(r.status.message().empty());
    EXPECT_EQ(r.doc.http_status, c.http_status);
    EXPECT_EQ(r.attempts, c.attempts);
    EXPECT_LE(r.doc.bytes.size(), options_.max_body_bytes);
    EXPECT_EQ(r.doc.bytes.find("root:"), std::string::npos);
  }
  // The redirect loop stopped after max_redirects (5) redirects: 6 requests.
  int loops = 0;
  for (const HttpRequest& r : server_.Requests()) loops += r.path == "/loop";
  EXPECT_EQ(loops, 6);
}

TEST_F(FetchTest, NotHttpUrlsFailWithoutNetwork) {
  for (const char* url :
       {"file:///etc/passwd", "ftp://127.0.0.1/x", "not a url", "", "gopher://127.0.0.1:70/"}) {
    SCOPED_TRACE(url);
    const FetchResult r = FetchOne(Req(url));
    EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.doc.http_status, 0);
    EXPECT_TRUE(r.doc.bytes.empty());
  }
  EXPECT_TRUE(server_.Requests().empty());
}

TEST_F(FetchTest, WrongContentTypeIsReturnedAsIs) {
  server_.Handle("/png", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, kHtml, {{"Content-Type", "image/png"}});
  });
  const FetchResult r = FetchOne("/png");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.doc.bytes, kHtml);
  EXPECT_EQ(r.doc.declared_charset, "");
  EXPECT_EQ(r.doc.format, DocFormat::kHtml);
}

TEST_F(FetchTest, ServiceUnavailableHonoursRetryAfter) {
  std::atomic<int> hits{0};
  server_.Handle("/503-once", [&hits](const HttpRequest&, HttpConn& c) {
    if (hits++ == 0) {
      c.Respond(503, "busy", {{"Retry-After", "1"}});
    } else {
      c.Respond(200, "fine");
    }
  });
  const FetchResult r = FetchOne("/503-once");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.doc.bytes, "fine");
  const std::vector<HttpRequest> reqs = server_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_GE(SecondsBetween(reqs[0], reqs[1]), 0.9);
}

TEST_F(FetchTest, ReadThatNeverAnswersTimesOutAndIsRetried) {
  server_.Handle("/hang", [](const HttpRequest&, HttpConn& c) { c.Sleep(60000); });
  options_.total_timeout_ms = 300;
  options_.max_retries = 1;
  const FetchResult r = FetchOne("/hang");
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable) << r.status.ToString();
  EXPECT_NE(r.status.message().find("timed out"), std::string::npos);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.doc.http_status, 0);
}

TEST_F(FetchTest, OneBytePerSecondIsAbortedByTheLowSpeedLimit) {
  server_.Handle("/slow", [](const HttpRequest&, HttpConn& c) {
    if (!c.Write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")) return;
    while (c.Write("x") && c.Sleep(250)) {
    }
  });
  options_.max_retries = 0;
  options_.total_timeout_ms = 10000;  // the low-speed limit (100 B/s over 1 s) must fire first
  const FetchResult r = FetchOne("/slow");
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable) << r.status.ToString();
  EXPECT_EQ(r.attempts, 1);
  EXPECT_LT(r.doc.bytes.size(), 1000u);
}

// Many host names on one loopback server via CURLOPT_RESOLVE.
class FetchHostsTest : public FetchTest {
 protected:
  void SetUp() override {
    FetchTest::SetUp();
    for (const char* h : {"a.test", "b.test", "c.test"})
      options_.resolve.push_back(server_.Resolve(h));
    server_.Handle("/page", [](const HttpRequest&, HttpConn& c) { c.Respond(200, "page"); });
    // Counts requests in flight; leaves the count before answering, so a client that
    // waits for the answer can never be seen overlapping.
    server_.Handle("/held", [this](const HttpRequest&, HttpConn& c) {
      const int now = ++in_flight_;
      int prev = max_in_flight_.load();
      while (now > prev && !max_in_flight_.compare_exchange_weak(prev, now)) {
      }
      c.Sleep(150);
      --in_flight_;
      c.Respond(200, "held");
    });
  }

  std::vector<FetchResult> FetchMany(const std::vector<FetchRequest>& reqs, Fetcher* f) {
    std::vector<FetchResult> out(reqs.size());
    f->FetchAll(reqs, [&](size_t i, FetchResult r) { out[i] = std::move(r); });
    return out;
  }

  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
};

TEST_F(FetchHostsTest, PolitenessDelayPerHost) {
  options_.politeness_delay_s = 0.3;
  auto fetcher = Fetcher::Create(options_);
  ASSERT_TRUE(fetcher.ok());
  (*fetcher)->SetHostDelay("b.test", 0.5);  // as from a robots.txt Crawl-delay
  std::vector<FetchRequest> reqs;
  for (int i = 0; i < 3; ++i) {
    for (const char* h : {"a.test", "b.test"}) {
      reqs.push_back(Req(server_.Url("/page?i=" + std::to_string(i), h)));
    }
  }
  for (const FetchResult& r : FetchMany(reqs, fetcher->get())) {
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  }
  std::map<std::string, std::vector<HttpRequest>> by_host;
  for (const HttpRequest& r : server_.Requests()) {
    by_host[r.Header("host").substr(0, 6)].push_back(r);
  }
  ASSERT_EQ(by_host["a.test"].size(), 3u);
  ASSERT_EQ(by_host["b.test"].size(), 3u);
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_GE(SecondsBetween(by_host["a.test"][i - 1], by_host["a.test"][i]), 0.2);
    EXPECT_GE(SecondsBetween(by_host["b.test"][i - 1], by_host["b.test"][i]), 0.4);
  }
  // The two hosts were fetched side by side, not one after the other.
  EXPECT_LT(by_host["b.test"][0].arrived, by_host["a.test"][1].arrived);
}

TEST_F(FetchHostsTest, GlobalConcurrencyLimit) {
  options_.max_connections = 2;
  options_.max_per_host = 4;
  auto fetcher = Fetcher::Create(options_);
  ASSERT_TRUE(fetcher.ok());
  std::vector<FetchRequest> reqs;
  for (int i = 0; i < 2; ++i) {
    for (const char* h : {"a.test", "b.test", "c.test"}) {
      reqs.push_back(Req(server_.Url("/held?i=" + std::to_string(i), h)));
    }
  }
  for (const FetchResult& r : FetchMany(reqs, fetcher->get())) EXPECT_TRUE(r.status.ok());
  EXPECT_LE(max_in_flight_.load(), 2);
  EXPECT_EQ(server_.Requests().size(), 6u);
}

TEST_F(FetchHostsTest, PerHostConcurrencyLimit) {
  options_.max_connections = 8;
  options_.max_per_host = 1;
  auto fetcher = Fetcher::Create(options_);
  ASSERT_TRUE(fetcher.ok());
  std::vector<FetchRequest> reqs;
  for (int i = 0; i < 4; ++i)
    reqs.push_back(Req(server_.Url("/held?i=" + std::to_string(i), "a.test")));
  for (const FetchResult& r : FetchMany(reqs, fetcher->get())) EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(max_in_flight_.load(), 1);
}

// robots.txt per origin: parsed rules, 404 = allow all, 500 and no answer = disallow all,
// one robots.txt request per origin however many pages, Crawl-delay applied.
TEST_F(FetchHostsTest, CrawlerObeysRobots) {
  options_.resolve.push_back(server_.Resolve("d.test"));
  options_.total_timeout_ms = 500;
  options_.max_retries = 0;
  server_.Handle("/robots.txt", [](const HttpRequest& req, HttpConn& c) {
    const std::string host = req.Header("host").substr(0, 6);
    if (host == "a.test") {
      c.Respond(200,
                "User-agent: *\nDisallow: /\n\n"
                "User-agent: newsclaim-test\nDisallow: /private/\nCrawl-delay: 0.4\n",
                {{"Content-Type", "text/plain"}});
    } else if (host == "b.test") {
      c.Respond(404, "no robots here");
    } else if (host == "c.test") {
      c.Respond(500, "broken");
    } else {
      c.Sleep(60000);  // d.test never answers
    }
  });
  CrawlOptions crawl;
  crawl.fetch = options_;
  std::vector<FetchResult> robots_responses;
  crawl.on_robots = [&](const FetchResult& r) { robots_responses.push_back(r); };
  auto crawler = Crawler::Create(crawl);
  ASSERT_TRUE(crawler.ok());
  const std::vector<FetchRequest> reqs = {
      Req(server_.Url("/page?1", "a.test")),     Req(server_.Url("/private/x", "a.test")),
      Req(server_.Url("/page?2", "a.test")),     Req(server_.Url("/private/x", "b.test")),
      Req(server_.Url("/page", "c.test")),       Req(server_.Url("/page", "d.test")),
      Req(server_.Url("/robots.txt", "c.test")),
  };
  std::vector<FetchResult> out(reqs.size());
  (*crawler)->FetchAll(reqs, [&](size_t i, FetchResult r) { out[i] = std::move(r); });
  // Every robots.txt fetch is reported (for the archive), once per origin: a.test's file
  // with its body, b.test's 404, c.test's 500 and d.test's timeout.
  ASSERT_EQ(robots_responses.size(), 4u);
  int with_body = 0;
  for (const FetchResult& r : robots_responses) {
    EXPECT_NE(r.doc.uri.find("/robots.txt"), std::string::npos) << r.doc.uri;
    if (r.doc.bytes.find("Disallow: /private/") != std::string::npos) ++with_body;
  }
  EXPECT_EQ(with_body, 1);
  EXPECT_TRUE(out[0].status.ok()) << out[0].status.ToString();
  EXPECT_TRUE(out[1].robots_disallowed);
  EXPECT_EQ(out[1].status.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(out[2].status.ok());
  EXPECT_FALSE(out[3].robots_disallowed);  // robots.txt 404: allow all
  EXPECT_EQ(out[3].doc.http_status, 404);  // (the page itself does not exist)
  // 500 and no answer: disallow all, reported as the host being unavailable.
  for (size_t i : {4, 5}) {
    EXPECT_FALSE(out[i].robots_disallowed);
    EXPECT_EQ(out[i].status.code(), StatusCode::kUnavailable) << out[i].status.ToString();
    EXPECT_NE(out[i].status.message().find("robots.txt unreachable"), std::string::npos);
  }
  EXPECT_FALSE(out[6].robots_disallowed);  // robots.txt itself is always allowed...
  EXPECT_EQ(out[6].status.code(), StatusCode::kUnavailable);  // ...but c.test is failing
  std::map<std::string, int> robots_fetches;
  std::vector<HttpRequest> a_pages;
  for (const HttpRequest& r : server_.Requests()) {
    const std::string host = r.Header("host").substr(0, 6);
    if (r.path == "/robots.txt") ++robots_fetches[host];
    if (host == "a.test" && r.path != "/robots.txt") a_pages.push_back(r);
    EXPECT_EQ(r.path.find("/private/x") == 0 && host == "a.test", false);
    EXPECT_EQ(r.Header("user-agent"), kAgent);
  }
  EXPECT_EQ(robots_fetches["a.test"], 1);
  EXPECT_EQ(robots_fetches["b.test"], 1);
  EXPECT_EQ(robots_fetches["c.test"], 1);  // not again as a page: the host is failing
  EXPECT_EQ(robots_fetches["d.test"], 1);
  ASSERT_EQ(a_pages.size(), 2u);
  EXPECT_GE(SecondsBetween(a_pages[0], a_pages[1]), 0.3);  // Crawl-delay: 0.4

  // A second batch reuses the cached robots.txt.
  (*crawler)->FetchAll({Req(server_.Url("/private/y", "a.test"))},
                       [&](size_t, FetchResult r) { EXPECT_TRUE(r.robots_disallowed); });
  int a_robots = 0;
  for (const HttpRequest& r : server_.Requests()) {
    a_robots += r.path == "/robots.txt" && r.Header("host").substr(0, 6) == "a.test";
  }
  EXPECT_EQ(a_robots, 1);
}

// Redirects are followed by the Crawler, which checks each target against its own
// origin's robots.txt before requesting it; every hop is kept for archiving.
TEST_F(FetchHostsTest, CrawlerChecksRobotsAtRedirectTargets) {
  server_.Handle("/robots.txt", [](const HttpRequest& req, HttpConn& c) {
    const std::string host = req.Header("host").substr(0, 6);
    c.Respond(200, host == "a.test" ? "User-agent: *\nDisallow: /private/\n"
                                    : "User-agent: *\nDisallow: /secret\n");
  });
  const std::string b_secret = server_.Url("/secret", "b.test");
  server_.Handle("/go-private", [](const HttpRequest&, HttpConn& c) {
    c.Respond(302, "", {{"Location", "/private/x"}});
  });
  server_.Handle("/go-b", [b_secret](const HttpRequest&, HttpConn& c) {
    c.Respond(302, "", {{"Location", b_secret}});
  });
  server_.Handle("/go-ok", [](const HttpRequest&, HttpConn& c) {
    c.Respond(301, "", {{"Location", "/page"}});
  });
  server_.Handle("/go-file", [](const HttpRequest&, HttpConn& c) {
    c.Respond(302, "", {{"Location", "file:///etc/passwd"}});
  });
  options_.politeness_delay_s = 0;
  CrawlOptions crawl;
  crawl.fetch = options_;
  auto crawler = Crawler::Create(crawl);
  ASSERT_TRUE(crawler.ok());
  const std::vector<FetchRequest> reqs = {
      Req(server_.Url("/go-private", "a.test")), Req(server_.Url("/go-b", "a.test")),
      Req(server_.Url("/go-ok", "a.test")), Req(server_.Url("/go-file", "a.test"))};
  std::vector<FetchResult> out(reqs.size());
  (*crawler)->FetchAll(reqs, [&](size_t i, FetchResult r) { out[i] = std::move(r); });
  EXPECT_TRUE(out[0].robots_disallowed);
  EXPECT_NE(out[0].status.message().find("redirect to"), std::string::npos);
  EXPECT_EQ(out[0].doc.uri, reqs[0].url);
  ASSERT_EQ(out[0].hops.size(), 1u);
  EXPECT_EQ(out[0].hops[0].doc.http_status, 302);
  EXPECT_TRUE(out[1].robots_disallowed) << out[1].status.ToString();
  EXPECT_NE(out[1].status.message().find("b.test"), std::string::npos);
  ASSERT_TRUE(out[2].status.ok()) << out[2].status.ToString();
  EXPECT_EQ(out[2].doc.uri, reqs[2].url);
  EXPECT_EQ(out[2].final_url, server_.Url("/page", "a.test"));
  EXPECT_EQ(out[2].doc.bytes, "page");
  ASSERT_EQ(out[2].hops.size(), 1u);
  EXPECT_EQ(out[2].hops[0].doc.http_status, 301);
  EXPECT_EQ(out[2].hops[0].final_url, reqs[2].url);
  EXPECT_EQ(out[3].status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out[3].status.message().find("file:///etc/passwd"), std::string::npos);
  int robots_b = 0;
  for (const HttpRequest& r : server_.Requests()) {
    EXPECT_NE(r.path, "/private/x");
    EXPECT_NE(r.path, "/secret");
    robots_b += r.path == "/robots.txt" && r.Header("host").substr(0, 6) == "b.test";
  }
  EXPECT_EQ(robots_b, 1);  // the redirect target's origin had its robots.txt read
  // The exchange is kept for archiving: request and response heads and the peer address.
  EXPECT_EQ(out[2].request_head.rfind("GET /page HTTP/1.1\r\n", 0), 0u) << out[2].request_head;
  EXPECT_EQ(out[2].response_head.rfind("HTTP/1.1 200", 0), 0u) << out[2].response_head;
  EXPECT_NE(out[2].response_head.find("Content-Length: 4"), std::string::npos);
  EXPECT_EQ(out[2].ip, "127.0.0.1");
}

// The politeness delay holds across FetchAll calls (robots.txt, then pages).
TEST_F(FetchHostsTest, PolitenessHoldsAcrossBatches) {
  options_.politeness_delay_s = 0.3;
  auto fetcher = Fetcher::Create(options_);
  ASSERT_TRUE(fetcher.ok());
  FetchMany({Req(server_.Url("/page?1", "a.test"))}, fetcher->get());
  FetchMany({Req(server_.Url("/page?2", "a.test"))}, fetcher->get());
  const std::vector<HttpRequest> reqs = server_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_GE(SecondsBetween(reqs[0], reqs[1]), 0.25);
}

TEST(FetchHelpersTest, UrlOrigin) {
  EXPECT_EQ(UrlOrigin("HTTPS://UDN.com:443/news?x=1"), "https://udn.com");
  EXPECT_EQ(UrlOrigin("http://a.b:8080/x"), "http://a.b:8080");
  EXPECT_EQ(UrlOrigin("http://a.b:80"), "http://a.b");
  EXPECT_EQ(UrlOrigin("https://a.b:80/"), "https://a.b:80");
  EXPECT_EQ(UrlOrigin("file:///etc/passwd"), "");
  EXPECT_EQ(UrlOrigin("nope"), "");
}

TEST(FetchHelpersTest, CharsetOfContentType) {
  const std::pair<const char*, const char*> kCases[] = {
      {"text/html; charset=UTF-8", "utf-8"},           {"text/html;charset=\"GBK\"", "gbk"},
      {"text/html; charset = big5 ; foo=bar", "big5"}, {"text/html", ""},
      {"application/xml; xcharset=utf-8", ""},         {"", ""},
  };
  for (const auto& [in, want] : kCases) {
    SCOPED_TRACE(in);
    EXPECT_EQ(CharsetOfContentType(in), want);
  }
}

TEST(FetchHelpersTest, ParseRetryAfter) {
  const int64_t now = 1795459122;  // 2026-11-23T18:38:42Z
  EXPECT_EQ(ParseRetryAfter("120", now), 120);
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), 0);
  EXPECT_EQ(ParseRetryAfter("Mon, 23 Nov 2026 18:40:42 GMT", now), 120);
  EXPECT_EQ(ParseRetryAfter("Mon, 23 Nov 2026 18:00:00 GMT", now), 0);  // in the past
  EXPECT_EQ(ParseRetryAfter("soon", now), -1);
  EXPECT_EQ(ParseRetryAfter("", now), -1);
  EXPECT_EQ(ParseRetryAfter("-5", now), -1);
}

TEST(FetchHelpersTest, UrlHost) {
  EXPECT_EQ(UrlHost("https://UDN.com:443/news?x=1"), "udn.com");
  EXPECT_EQ(UrlHost("http://127.0.0.1:8080/"), "127.0.0.1");
  EXPECT_EQ(UrlHost("ftp://a.example/x"), "");
  EXPECT_EQ(UrlHost("/relative"), "");
  EXPECT_EQ(UrlHost(""), "");
}

}  // namespace
}  // namespace newsclaim::ingest
