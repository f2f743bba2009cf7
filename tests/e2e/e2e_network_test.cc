// Network ingestion end to end: the real `newsclaim ingest` against HTTP(S) servers on
// 127.0.0.1 started by the test, many host names pointed at them with --resolve. Feeds
// (RSS 2.0, RSS 1.0, Atom), a sitemap index of a gzipped url set and a Google News sitemap,
// robots.txt, articles in UTF-8, GB18030 and Big5 declared only in the HTTP header;
// misbehaving endpoints that must each end as a stored error row while the run completes;
// incremental second runs; TLS with a CA made at test time; the run lock; SIGKILL and
// restart.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <iconv.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/cli_runner.h"
#include "tests/unit/ingest_test_http_server.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string Convert(const std::string& utf8, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  std::string in = utf8, out(utf8.size() * 4 + 16, '\0');
  char* ip = in.data();
  char* op = out.data();
  size_t il = in.size(), ol = out.size();
  const size_t rc = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  EXPECT_NE(rc, static_cast<size_t>(-1)) << "iconv to " << to;
  out.resize(out.size() - ol);
  return out;
}

std::string Gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A news page whose text is unique to `n` (so each gets its own raw document).
std::string ArticleHtml(const std::string& title, const std::string& n) {
  return "<!DOCTYPE html><html><head><title>" + title + "</title></head><body><article><h1>" +
         title + "</h1><p>據路透社報導，台積電第" + n + "季晶片出貨量約" + n +
         "00萬顆，較去年同期增長12%。分析師表示，人工智慧需求仍然強勁。</p><p>報導指出，"
         "相關訂單預計將持續到明年。</p></article></body></html>";
}

struct Db {
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
    }
  }
  ~Db() { sqlite3_close(h); }
  std::vector<std::vector<std::string>> Rows(const std::string& sql) const {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &q, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(h);
      return rows;
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(q); ++i) {
        const auto* t = sqlite3_column_text(q, i);
        row.push_back(t != nullptr ? reinterpret_cast<const char*>(t) : "");
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(q);
    return rows;
  }
  std::string Text(const std::string& sql) const {
    auto rows = Rows(sql);
    return rows.empty() || rows[0].empty() ? "" : rows[0][0];
  }
  int64_t Count(const std::string& sql) const { return std::atoll(Text(sql).c_str()); }
  sqlite3* h = nullptr;
};

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

class NetworkTest : public ::testing::Test {
 protected:
  // A host name served by server_ (resolved with --resolve).
  std::string Url(const std::string& host, const std::string& path) const {
    return "http://" + host + ":" + std::to_string(server_.port()) + path;
  }
  // Common flags: quick timeouts, no politeness wait, every host at the loopback server.
  std::vector<std::string> Flags(const std::vector<std::string>& hosts) const {
    std::vector<std::string> f = {"--db",          db_,
                                  "--delay",       "0",
                                  "--timeout",     "2",
                                  "--retries",     "1",
                                  "--max-bytes",   "1000000",
                                  "--concurrency", "32",
                                  "--user-agent",  "newsclaim-test/1.0 (+mailto:t@example.org)"};
    for (const std::string& h : hosts) {
      f.push_back("--resolve");
      f.push_back(server_.Resolve(h));
    }
    return f;
  }
  CliResult Ingest(std::vector<std::string> args, const std::vector<std::string>& hosts) {
    std::vector<std::string> all = {"ingest"};
    all.insert(all.end(), args.begin(), args.end());
    for (const std::string& f : Flags(hosts)) all.push_back(f);
    return RunCli(tmp_, all);
  }
  int Hits(const std::string& path) const {
    int n = 0;
    for (const HttpRequest& r : server_.Requests()) n += r.path == path;
    return n;
  }

  TempDir tmp_;
  std::string db_ = tmp_ / "news.db";
  HttpServer server_;
};

// The well-behaved side: three feed formats, a sitemap index of a gzipped url set and a
// Google News sitemap, robots.txt, three charsets; then an incremental second run.
TEST_F(NetworkTest, FeedsSitemapsRobotsCharsetsAndIncrementalRuns) {
  const std::string host = "news.test";
  const std::string base = Url(host, "");
  server_.Handle("/robots.txt", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, "User-agent: *\nDisallow: /private/\n", {{"Content-Type", "text/plain"}});
  });
  const std::string rss =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
      "<item><title>one</title><link>" +
      base +
      "/a/1.html</link></item>"
      "<item><title>two</title><link>/a/2.html</link></item>"
      "<item><title>secret</title><link>" +
      base +
      "/private/s.html</link></item>"
      "</channel></rss>";
  // The RSS feed ignores conditional requests (no validators; the hash tells).
  server_.Handle("/rss.xml", [rss](const HttpRequest&, HttpConn& c) {
    c.Respond(200, rss, {{"Content-Type", "application/rss+xml"}});
  });
  const std::string rdf =
      "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\"><channel rdf:about=\"" +
      base +
      "/\"><title>R</title>"
      "</channel><item rdf:about=\"" +
      base + "/b/1.html\"><title>b</title><link>" + base + "/b/1.html</link></item></rdf:RDF>";
  server_.Handle("/rdf.xml", [rdf](const HttpRequest&, HttpConn& c) {
    c.Respond(200, rdf, {{"Content-Type", "application/rdf+xml"}});
  });
  const std::string atom =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
      "<title>A</title><entry><title>c</title><id>urn:c1</id><link href=\"" +
      base + "/c/1.html\"/><updated>2026-11-01T00:00:00Z</updated></entry></feed>";
  // The Atom feed honours If-None-Match.
  server_.Handle("/atom.xml", [atom](const HttpRequest& r, HttpConn& c) {
    if (r.Header("if-none-match") == "\"atom-v1\"") {
      c.Write("HTTP/1.1 304 Not Modified\r\nETag: \"atom-v1\"\r\nConnection: close\r\n\r\n");
      return;
    }
    c.Respond(200, atom, {{"Content-Type", "application/atom+xml"}, {"ETag", "\"atom-v1\""}});
  });
  server_.Handle("/sitemap_index.xml", [base](const HttpRequest&, HttpConn& c) {
    c.Respond(200,
              "<?xml version=\"1.0\"?><sitemapindex "
              "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>" +
                  base + "/sitemap-1.xml.gz</loc></sitemap><sitemap><loc>" + base +
                  "/news-sitemap.xml</loc></sitemap></sitemapindex>",
              {{"Content-Type", "application/xml"}});
  });
  const std::string urlset = Gzip(
      "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      "<url><loc>" +
      base + "/d/1.html</loc><lastmod>2026-10-01</lastmod></url></urlset>");
  server_.Handle("/sitemap-1.xml.gz", [urlset](const HttpRequest&, HttpConn& c) {
    c.Respond(200, urlset, {{"Content-Type", "application/gzip"}});
  });
  server_.Handle("/news-sitemap.xml", [base](const HttpRequest&, HttpConn& c) {
    c.Respond(
        200,
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
        "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>" +
            base +
            "/e/1.html</loc><news:news><news:publication><news:name>N</news:name>"
            "<news:language>zh</news:language></news:publication>"
            "<news:publication_date>2026-11-20T08:00:00+08:00</news:publication_date>"
            "<news:title>晶片</news:title></news:news></url></urlset>",
        {{"Content-Type", "application/xml"}});
  });
  // Pages: UTF-8, GB18030 and Big5, the charset only in the HTTP header.
  const std::map<std::string, std::pair<std::string, std::string>> pages = {
      {"/a/1.html", {ArticleHtml("晶片一", "1"), "utf-8"}},
      {"/a/2.html", {Convert(ArticleHtml("芯片出货", "2"), "GB18030"), "gb18030"}},
      {"/b/1.html", {Convert(ArticleHtml("晶片出貨", "3"), "BIG5"), "big5"}},
      {"/c/1.html", {ArticleHtml("晶片四", "4"), "utf-8"}},
      {"/d/1.html", {ArticleHtml("晶片五", "5"), "utf-8"}},
      {"/e/1.html", {ArticleHtml("晶片六", "6"), "utf-8"}},
      {"/private/s.html", {ArticleHtml("秘密", "7"), "utf-8"}},
  };
  for (const auto& [path, page] : pages) {
    const std::string body = page.first, charset = page.second;
    server_.Handle(path, [body, charset](const HttpRequest&, HttpConn& c) {
      c.Respond(200, body, {{"Content-Type", "text/html; charset=" + charset}});
    });
  }
  // A page named on the command line, with Last-Modified.
  const std::string lm = "Mon, 02 Nov 2026 10:00:00 GMT";
  server_.Handle("/page.html", [lm](const HttpRequest& r, HttpConn& c) {
    if (r.Header("if-modified-since") == lm) {
      c.Write("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
      return;
    }
    c.Respond(200, ArticleHtml("晶片八", "8"),
              {{"Content-Type", "text/html; charset=utf-8"}, {"Last-Modified", lm}});
  });

  // Each --feed and --sitemap takes one URL: the page URL after one is a page.
  const std::vector<std::string> args = {"--feed",
                                         base + "/rss.xml",
                                         base + "/page.html",
                                         "--feed",
                                         base + "/rdf.xml",
                                         "--feed",
                                         base + "/atom.xml",
                                         "--sitemap",
                                         base + "/sitemap_index.xml",
                                         "--sitemap",
                                         base + "/news-sitemap.xml"};
  const CliResult first = Ingest(args, {host});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("7 added"), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("1 skipped by robots.txt"), std::string::npos) << first.err;
  EXPECT_EQ(Hits("/private/s.html"), 0);
  EXPECT_EQ(Hits("/robots.txt"), 1);
  {
    Db db(db_);
    EXPECT_EQ(db.Count("SELECT count(*) FROM articles"), 7);
    EXPECT_EQ(db.Count("SELECT count(*) FROM errors"), 0);
    for (const char* p : {"/a/1.html", "/a/2.html", "/b/1.html", "/c/1.html", "/d/1.html",
                          "/e/1.html", "/page.html"}) {
      EXPECT_EQ(db.Count("SELECT count(*) FROM articles WHERE uri = " + Quote(base + p)), 1) << p;
    }
    // The charset declared in the HTTP header alone decoded the page.
    EXPECT_EQ(
        db.Text("SELECT lower(charset) FROM articles WHERE uri = " + Quote(base + "/a/2.html")),
        "gb18030");
    EXPECT_NE(db.Text("SELECT body FROM articles WHERE uri = " + Quote(base + "/a/2.html"))
                  .find("台積電第2季晶片出貨量約200萬顆"),
              std::string::npos);
    // Big5 or its superset Big5-HKSCS.
    EXPECT_EQ(db.Text("SELECT substr(lower(charset), 1, 4) FROM articles WHERE uri = " +
                      Quote(base + "/b/1.html")),
              "big5");
    EXPECT_NE(db.Text("SELECT body FROM articles WHERE uri = " + Quote(base + "/b/1.html"))
                  .find("晶片出貨"),
              std::string::npos);
    // Every response is archived and indexed.
    EXPECT_GE(db.Count("SELECT count(*) FROM warc_records"), 13);
    EXPECT_GE(db.Count("SELECT count(*) FROM warc_records WHERE target_uri LIKE '%/robots.txt'"),
              1);
    EXPECT_EQ(db.Count("SELECT count(*) FROM warc_records WHERE raw_sha256 IN "
                       "(SELECT raw_sha256 FROM articles)"),
              7);
    EXPECT_EQ(db.Count("SELECT count(*) FROM fetch_state WHERE last_success != ''"), 13);
  }
  bool have_warc = false;
  for (const auto& e : fs::directory_iterator(db_ + ".warc")) {
    have_warc |= e.path().string().find(".warc.gz") != std::string::npos;
  }
  EXPECT_TRUE(have_warc);

  // Second run: feeds and sitemaps are asked again (conditionally where they allow it),
  // no item page is fetched again, the named page gets a 304.
  const std::vector<HttpRequest> before = server_.Requests();
  const CliResult second = Ingest(args, {host});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("0 added"), std::string::npos) << second.err;
  const std::vector<HttpRequest> after = server_.Requests();
  std::map<std::string, int> again;
  std::string atom_inm;
  for (size_t i = before.size(); i < after.size(); ++i) {
    ++again[after[i].path];
    if (after[i].path == "/atom.xml") atom_inm = after[i].Header("if-none-match");
  }
  for (const char* p : {"/a/1.html", "/a/2.html", "/b/1.html", "/c/1.html", "/d/1.html",
                        "/e/1.html", "/private/s.html", "/sitemap-1.xml.gz"}) {
    EXPECT_EQ(again[p], 0) << p;
  }
  EXPECT_EQ(again["/page.html"], 1);
  EXPECT_EQ(atom_inm, "\"atom-v1\"");
  EXPECT_NE(second.err.find("2 not modified"), std::string::npos) << second.err;
  Db db(db_);
  EXPECT_EQ(db.Count("SELECT count(*) FROM articles"), 7);
}

// A sitemap URL fetched before is fetched again only when its lastmod is newer than the
// last success, and then conditionally.
TEST_F(NetworkTest, SitemapLastmodNewerThanLastSuccessRefetches) {
  auto lastmod = std::make_shared<std::string>("2001-01-01T00:00:00+08:00");
  auto mu = std::make_shared<std::mutex>();
  server_.Handle("/sm.xml", [this, lastmod, mu](const HttpRequest&, HttpConn& c) {
    std::string lm;
    {
      std::lock_guard<std::mutex> lock(*mu);
      lm = *lastmod;
    }
    c.Respond(200,
              "<?xml version=\"1.0\"?><urlset "
              "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>" +
                  Url("sm.test", "/x.html") + "</loc><lastmod>" + lm + "</lastmod></url></urlset>",
              {{"Content-Type", "application/xml"}});
  });
  server_.Handle("/x.html", [](const HttpRequest& r, HttpConn& c) {
    if (r.Header("if-none-match") == "\"x1\"") {
      c.Write("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
      return;
    }
    c.Respond(200, ArticleHtml("地圖", "60"), {{"Content-Type", "text/html"}, {"ETag", "\"x1\""}});
  });
  const std::vector<std::string> args = {"--sitemap", Url("sm.test", "/sm.xml")};
  EXPECT_EQ(Ingest(args, {"sm.test"}).exit_code, 0);
  EXPECT_EQ(Ingest(args, {"sm.test"}).exit_code, 0);
  EXPECT_EQ(Hits("/x.html"), 1);  // lastmod older than the last success: not asked again
  {
    std::lock_guard<std::mutex> lock(*mu);
    *lastmod = "2999-01-01";
  }
  const CliResult third = Ingest(args, {"sm.test"});
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(Hits("/x.html"), 2);
  const std::vector<HttpRequest> reqs = server_.Requests();
  std::string last_inm;
  for (const HttpRequest& r : reqs) {
    if (r.path == "/x.html") last_inm = r.Header("if-none-match");
  }
  EXPECT_EQ(last_inm, "\"x1\"");
  EXPECT_NE(third.err.find("1 not modified"), std::string::npos) << third.err;
}

// Every misbehaving endpoint of the issue ends as an error row with its reason; the good
// page in the same run is stored; exit status 1; memory stays bounded (the caps hold).
TEST_F(NetworkTest, MisbehavingEndpointsEndAsErrorRows) {
  server_.Handle("/ok.html", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, ArticleHtml("正常", "9"), {{"Content-Type", "text/html; charset=utf-8"}});
  });
  server_.Handle("/hang", [](const HttpRequest&, HttpConn& c) { c.Sleep(20000); });
  server_.Handle("/e500", [](const HttpRequest&, HttpConn& c) { c.Respond(500, "oops"); });
  server_.Handle("/e503", [](const HttpRequest&, HttpConn& c) {
    c.Respond(503, "busy", {{"Retry-After", "1"}});
  });
  server_.Handle("/reset", [](const HttpRequest&, HttpConn& c) {
    c.Write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n" +
            std::string(5000, 'x'));
    c.Sleep(100);
    c.Reset();
  });
  server_.Handle("/loop", [](const HttpRequest&, HttpConn& c) {
    c.Respond(302, "", {{"Location", "/loop"}});
  });
  server_.Handle("/to-file", [](const HttpRequest&, HttpConn& c) {
    c.Respond(302, "", {{"Location", "file:///etc/passwd"}});
  });
  server_.Handle("/to-ftp", [](const HttpRequest&, HttpConn& c) {
    c.Respond(301, "", {{"Location", "ftp://127.0.0.1/pub/x"}});
  });
  const std::string bomb = Gzip(std::string(50 << 20, '\0'));
  server_.Handle("/bomb", [bomb](const HttpRequest&, HttpConn& c) {
    c.Respond(200, bomb, {{"Content-Type", "text/html"}, {"Content-Encoding", "gzip"}});
  });
  server_.Handle("/endless", [](const HttpRequest&, HttpConn& c) {
    c.Write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n");
    const std::string chunk(64 << 10, 'a');
    while (c.Write(chunk)) {
    }
  });
  server_.Handle("/slow", [](const HttpRequest&, HttpConn& c) {
    c.Write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n");
    for (int i = 0; i < 1000 && c.Write("a"); ++i) {
      if (!c.Sleep(1000)) break;
    }
  });
  server_.Handle("/image", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, std::string("\x89PNG\r\n\x1a\n", 8) + std::string(200, '\x01'),
              {{"Content-Type", "image/png"}});
  });
  server_.Handle("/chunked", [](const HttpRequest&, HttpConn& c) {
    c.Write(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        "10\r\n<html><body>abc\r\n40\r\nonly part of this");
  });
  server_.Handle("/xxe.xml", [this](const HttpRequest&, HttpConn& c) {
    c.Respond(200,
              "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
              "<rss version=\"2.0\"><channel><title>&x;</title><item><title>&x;</title><link>" +
                  Url("xxe.test", "/ok.html") + "</link></item></channel></rss>",
              {{"Content-Type", "application/rss+xml"}});
  });
  const std::map<std::string, std::string> expected = {
      {"hang.test/hang", "timed out"},
      {"e500.test/e500", "HTTP 500"},
      {"e503.test/e503", "HTTP 503"},
      {"reset.test/reset", "data_loss"},
      {"loop.test/loop", "redirects"},
      {"file.test/to-file", "not http(s): file://"},
      {"ftp.test/to-ftp", "not http(s): ftp://"},
      {"bomb.test/bomb", "larger than 1000000"},
      {"endless.test/endless", "larger than 1000000"},
      {"slow.test/slow", "timed out"},
      {"image.test/image", "Content-Type"},
      {"chunked.test/chunked", "data_loss"},
      {"xxe.test/xxe.xml", "external entity"},
  };
  std::vector<std::string> args = {Url("ok.test", "/ok.html")};
  std::vector<std::string> hosts = {"ok.test"};
  for (const auto& [hp, why] : expected) {
    const std::string h = hp.substr(0, hp.find('/'));
    hosts.push_back(h);
    if (h == "xxe.test") args.push_back("--feed");
    args.push_back(Url(h, hp.substr(hp.find('/'))));
  }
  const auto start = Clock::now();
  const CliResult r = Ingest(args, hosts);
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_LT(secs, 30) << r.err;
  Db db(db_);
  EXPECT_EQ(
      db.Count("SELECT count(*) FROM articles WHERE uri = " + Quote(Url("ok.test", "/ok.html"))),
      1);
  EXPECT_EQ(db.Count("SELECT count(*) FROM articles"), 1);
  for (const auto& [hp, why] : expected) {
    const std::string url = Url(hp.substr(0, hp.find('/')), hp.substr(hp.find('/')));
    const auto rows =
        db.Rows("SELECT code || ': ' || message FROM errors WHERE uri = " + Quote(url));
    ASSERT_EQ(rows.size(), 1u) << url << "\n" << r.err;
    EXPECT_NE(rows[0][0].find(why), std::string::npos) << url << ": " << rows[0][0];
    EXPECT_GE(db.Count("SELECT failures FROM fetch_state WHERE url = " + Quote(url)), 1) << url;
  }
  // The 503 was retried once after its Retry-After; the XXE feed's item was not fetched.
  EXPECT_EQ(Hits("/e503"), 2);
  EXPECT_EQ(Hits("/ok.html"), 1);
  // A redirect loop stops at 5 redirects: 6 requests.
  EXPECT_EQ(Hits("/loop"), 6);
}

// A run that finds the database lock held exits at once with status 3.
TEST_F(NetworkTest, SecondRunExitsWhileTheFirstHoldsTheLock) {
  server_.Handle("/hang", [](const HttpRequest&, HttpConn& c) { c.Sleep(20000); });
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open((tmp_ / "first.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<std::string> a = {"newsclaim",   "ingest",    Url("hang.test", "/hang"),
                                  "--no-robots", "--db",      db_,
                                  "--timeout",   "15",        "--retries",
                                  "0",           "--resolve", server_.Resolve("hang.test")};
    std::vector<char*> argv;
    for (std::string& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(NEWSCLAIM_BINARY, argv.data());
    _exit(127);
  }
  // Wait until the first run is fetching (it holds the lock by then).
  for (int i = 0; i < 200 && Hits("/hang") == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(Hits("/hang"), 1);
  const auto start = Clock::now();
  const CliResult second = Ingest({Url("hang.test", "/hang")}, {"hang.test"});
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_EQ(second.exit_code, 3) << second.err;
  EXPECT_NE(second.err.find("another ingest run (pid " + std::to_string(pid) + ")"),
            std::string::npos)
      << second.err;
  EXPECT_LT(secs, 3.0);
  EXPECT_EQ(Hits("/hang"), 1);
  // The lock dies with its holder: a new run proceeds.
  server_.Handle("/ok.html", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, ArticleHtml("正常", "9"), {{"Content-Type", "text/html; charset=utf-8"}});
  });
  const CliResult third = Ingest({"--no-robots", Url("ok.test", "/ok.html")}, {"ok.test"});
  EXPECT_EQ(third.exit_code, 0) << third.err;
}

// SIGKILL in the middle of a feed's items, then a full run: every item stored once.
TEST_F(NetworkTest, KilledRunLosesAndDuplicatesNothing) {
  constexpr int kItems = 40;
  std::string rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>K</title>";
  for (int i = 0; i < kItems; ++i) {
    const std::string path = "/k/" + std::to_string(i) + ".html";
    rss += "<item><link>" + Url("kill.test", path) + "</link></item>";
    server_.Handle(path, [i](const HttpRequest&, HttpConn& c) {
      c.Sleep(40);
      c.Respond(200, ArticleHtml("晶片" + std::to_string(i), std::to_string(100 + i)),
                {{"Content-Type", "text/html; charset=utf-8"}});
    });
  }
  rss += "</channel></rss>";
  server_.Handle("/k.xml", [rss](const HttpRequest&, HttpConn& c) {
    c.Respond(200, rss, {{"Content-Type", "application/rss+xml"}, {"ETag", "\"k1\""}});
  });
  const std::string feed = Url("kill.test", "/k.xml");
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open((tmp_ / "killed.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<std::string> a = {"newsclaim", "ingest", "--feed", feed};
    for (const std::string& f : Flags({"kill.test"})) a.push_back(f);
    std::vector<char*> argv;
    for (std::string& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(NEWSCLAIM_BINARY, argv.data());
    _exit(127);
  }
  auto pages_hit = [&] {
    int n = 0;
    for (const HttpRequest& r : server_.Requests()) n += r.path.rfind("/k/", 0) == 0;
    return n;
  };
  for (int i = 0; i < 400 && pages_hit() < kItems / 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it was killed";
  const int hit_before = pages_hit();
  ASSERT_LT(hit_before, kItems);

  const CliResult again = Ingest({"--feed", feed}, {"kill.test"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  {
    Db db(db_);
    EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(db.Count("SELECT count(*) FROM articles"), kItems);
    EXPECT_EQ(db.Count("SELECT count(DISTINCT uri) FROM articles"), kItems);
    EXPECT_EQ(db.Count("SELECT count(*) FROM errors"), 0);
  }
  // The restart fetched only what the killed run had not finished with (at most the
  // items in flight were fetched twice), and a third run fetches no item at all.
  EXPECT_LE(pages_hit(), kItems + 2);
  const int hit_after = pages_hit();
  const CliResult third = Ingest({"--feed", feed}, {"kill.test"});
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(pages_hit(), hit_after);
}

// TLS: verification is on; a private CA is trusted only when named with --ca-file.
TEST_F(NetworkTest, TlsIsVerifiedAndACaFileCanBeTrusted) {
  const std::string dir = tmp_.path().string();
  const std::string script =
      "cd " + ShellQuote(dir) +
      " && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca "
      "-keyout ca.key -out ca.pem 2>/dev/null"
      " && openssl req -newkey rsa:2048 -nodes -subj /CN=tls.test -keyout srv.key -out srv.csr "
      "2>/dev/null"
      " && printf 'subjectAltName=DNS:tls.test\\n' > ext.cnf"
      " && openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile ext.cnf -out srv.pem 2>/dev/null";
  ASSERT_EQ(std::system(script.c_str()), 0);
  std::ofstream(tmp_ / "page.html") << ArticleHtml("加密", "77");
  // A free port for s_server.
  int port = 0;
  {
    HttpServer probe;
    port = probe.port();
  }
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(127);
    const int fd = open("s_server.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    const std::string p = std::to_string(port);
    execlp("openssl", "openssl", "s_server", "-quiet", "-accept", p.c_str(), "-cert", "srv.pem",
           "-key", "srv.key", "-WWW", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for it to listen.
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    up = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
    close(s);
  }
  ASSERT_TRUE(up);
  const std::string url = "https://tls.test:" + std::to_string(port) + "/page.html";
  const std::vector<std::string> common = {
      url, "--db",      db_, "--no-robots", "--timeout",
      "5", "--retries", "0", "--resolve",   "tls.test:" + std::to_string(port) + ":127.0.0.1"};
  std::vector<std::string> without = {"ingest"};
  without.insert(without.end(), common.begin(), common.end());
  const CliResult rejected = RunCli(tmp_, without);
  std::vector<std::string> with = without;
  with.push_back("--ca-file");
  with.push_back(tmp_ / "ca.pem");
  const CliResult accepted = RunCli(tmp_, with);
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  EXPECT_EQ(rejected.exit_code, 1) << rejected.err;
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  Db db(db_);
  EXPECT_NE(db.Text("SELECT message FROM errors WHERE uri = " + Quote(url)).find("TLS"),
            std::string::npos);
  EXPECT_EQ(db.Count("SELECT count(*) FROM articles WHERE uri = " + Quote(url)), 1);
}

// A config file drives the same run as flags; unknown keys are refused.
TEST_F(NetworkTest, ConfigFileListsSourcesAndRejectsTypos) {
  server_.Handle("/rss.xml", [this](const HttpRequest&, HttpConn& c) {
    std::string rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>C</title>";
    for (int i = 0; i < 3; ++i) {
      rss += "<item><link>" + Url("cfg.test", "/p/" + std::to_string(i)) + "</link></item>";
    }
    c.Respond(200, rss + "</channel></rss>", {{"Content-Type", "application/rss+xml"}});
  });
  server_.Handle("/p/0", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, ArticleHtml("零", "50"), {{"Content-Type", "text/html"}});
  });
  server_.Handle("/p/1", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, ArticleHtml("一", "51"), {{"Content-Type", "text/html"}});
  });
  server_.Handle("/p/2", [](const HttpRequest&, HttpConn& c) {
    c.Respond(200, ArticleHtml("二", "52"), {{"Content-Type", "text/html"}});
  });
  const std::string cfg = tmp_ / "sources.toml";
  std::ofstream(cfg) << "[fetch]\nuser_agent = \"newsclaim-test/1.0 (+mailto:t@example.org)\"\n"
                        "delay = 0.0\nmax_items = 2\n\n[[feed]]\nurl = \"" +
                            Url("cfg.test", "/rss.xml") + "\"\n";
  const std::string resolve = server_.Resolve("cfg.test");
  CliResult r = RunCli(tmp_, {"ingest", "--config", cfg, "--db", db_, "--resolve", resolve});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 left for the next run"), std::string::npos) << r.err;
  {
    Db db(db_);
    EXPECT_EQ(db.Count("SELECT count(*) FROM articles"), 2);
  }
  // The item left over is fetched next time, and only it.
  r = RunCli(tmp_, {"ingest", "--config", cfg, "--db", db_, "--resolve", resolve});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  {
    Db db(db_);
    EXPECT_EQ(db.Count("SELECT count(*) FROM articles"), 3);
  }
  EXPECT_EQ(Hits("/p/0") + Hits("/p/1") + Hits("/p/2"), 3);

  std::ofstream(tmp_ / "typo.toml") << "[[feed]]\nurl = \"https://a.example/rss\"\nmax_item = 3\n";
  r = RunCli(tmp_, {"ingest", "--config", tmp_ / "typo.toml", "--db", db_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown key \"max_item\""), std::string::npos) << r.err;
  // The bundled example parses.
  r = RunCli(tmp_, {"ingest", "--config", NEWSCLAIM_SOURCE_DIR "/corpus/sources.toml", "--db", db_,
                    "--timeout", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--timeout"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace newsclaim::testing
