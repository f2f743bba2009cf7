// network_bench: politeness-bound crawl throughput. A loopback HTTP server that answers
// every request after a fixed latency (default 100 ms); H host names (default 100, all
// pointed at it with CURLOPT_RESOLVE) x P pages each (default 10); politeness 1 request
// per second per host. The ideal is politeness-bound: each host's first page at t=0, then
// one a second, so (P - 1) s + the latency. Reports the elapsed time of each run, the
// median and its ratio to the ideal (target: within 1.2x).
//
//   network_bench [--hosts N] [--pages N] [--latency-ms N] [--delay S] [--runs N]
//                 [--robots] [--cli PATH-TO-newsclaim]
//
// Default mode drives ingest::Crawler directly (fetching alone). --cli runs the real
// `newsclaim ingest URL...` (fetch, WARC archive, normalise, extract, store) into a fresh
// database per run. --robots also fetches each host's robots.txt first (the ideal then
// starts one politeness delay later).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "tests/unit/ingest_test_http_server.h"

namespace {

using newsclaim::testing::HttpConn;
using newsclaim::testing::HttpRequest;
using newsclaim::testing::HttpServer;

std::string Page(int n) {
  return "<!DOCTYPE html><html><head><title>第" + std::to_string(n) +
         "篇</title></head><body><article><h1>晶片出貨</h1><p>據報導，第" + std::to_string(n) +
         "批晶片出貨量約" + std::to_string(n * 3 + 1) +
         "萬顆，較去年增長12%。</p></article></body></html>";
}

}  // namespace

int main(int argc, char** argv) {
  int hosts = 100, pages = 10, latency_ms = 100, runs = 3;
  double delay = 1.0;
  bool robots = false;
  std::string cli;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--hosts") {
      hosts = std::atoi(next().c_str());
    } else if (a == "--pages") {
      pages = std::atoi(next().c_str());
    } else if (a == "--latency-ms") {
      latency_ms = std::atoi(next().c_str());
    } else if (a == "--delay") {
      delay = std::atof(next().c_str());
    } else if (a == "--runs") {
      runs = std::atoi(next().c_str());
    } else if (a == "--robots") {
      robots = true;
    } else if (a == "--cli") {
      cli = next();
    } else {
      std::fprintf(stderr, "usage: see the comment at the top of bench/network_bench.cc\n");
      return 2;
    }
  }
  HttpServer server;
  server.Handle("/robots.txt", [latency_ms](const HttpRequest&, HttpConn& c) {
    c.Sleep(latency_ms);
    c.Respond(200, "User-agent: *\nDisallow: /private/\n", {{"Content-Type", "text/plain"}});
  });
  std::vector<std::string> resolve, urls;
  for (int h = 0; h < hosts; ++h) {
    const std::string name = "h" + std::to_string(h) + ".bench.test";
    resolve.push_back(server.Resolve(name));
    for (int p = 0; p < pages; ++p) {
      urls.push_back(server.Url("/p/" + std::to_string(p) + "?h=" + std::to_string(h), name));
    }
  }
  // One distinct body per URL so the CLI stores every page as a new document.
  for (int p = 0; p < pages; ++p) {
    server.Handle("/p/" + std::to_string(p), [latency_ms, p](const HttpRequest& req, HttpConn& c) {
      c.Sleep(latency_ms);
      const int h = std::atoi(req.path.substr(req.path.find("h=") + 2).c_str());
      c.Respond(200, Page(h * 1000 + p), {{"Content-Type", "text/html; charset=utf-8"}});
    });
  }
  const double ideal = (pages - 1) * delay + latency_ms / 1000.0 + (robots ? delay : 0.0);
  std::vector<double> times;
  const std::string tmp =
      (std::filesystem::temp_directory_path() / ("nc_network_bench_" + std::to_string(::getpid())))
          .string();
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    int failed = 0;
    if (cli.empty()) {
      newsclaim::ingest::CrawlOptions crawl;
      crawl.obey_robots = robots;
      crawl.fetch.user_agent = "newsclaim-bench/1.0 (+mailto:bench@example.org)";
      crawl.fetch.max_connections = hosts;
      crawl.fetch.max_per_host = 1;
      crawl.fetch.politeness_delay_s = delay;
      crawl.fetch.resolve = resolve;
      auto crawler = newsclaim::ingest::Crawler::Create(crawl);
      if (!crawler.ok()) return 1;
      std::vector<newsclaim::ingest::FetchRequest> reqs;
      for (const std::string& u : urls) reqs.push_back({u, "", "", std::nullopt});
      (*crawler)->FetchAll(
          reqs, [&](size_t, newsclaim::ingest::FetchResult r) { failed += !r.status.ok(); });
    } else {
      std::filesystem::remove_all(tmp);
      std::filesystem::create_directories(tmp);
      std::vector<std::string> args = {cli,
                                       "ingest",
                                       "-q",
                                       "--db",
                                       tmp + "/b.db",
                                       "--delay",
                                       std::to_string(delay),
                                       "--concurrency",
                                       std::to_string(hosts),
                                       "--user-agent",
                                       "newsclaim-bench/1.0 (+mailto:bench@example.org)"};
      for (const std::string& u : urls) args.push_back(u);
      if (!robots) args.push_back("--no-robots");
      for (const std::string& r : resolve) {
        args.push_back("--resolve");
        args.push_back(r);
      }
      const pid_t pid = fork();
      if (pid == 0) {
        std::vector<char*> av;
        for (std::string& s : args) av.push_back(s.data());
        av.push_back(nullptr);
        execv(cli.c_str(), av.data());
        _exit(127);
      }
      int status = 0;
      waitpid(pid, &status, 0);
      failed = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    times.push_back(secs);
    std::printf("run %d: %.2f s (%s)\n", run + 1, secs,
                failed == 0 ? "all ok" : ("failures/exit " + std::to_string(failed)).c_str());
  }
  std::filesystem::remove_all(tmp);
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  std::printf(
      "mode=%s hosts=%d pages/host=%d latency=%d ms delay=%.2f s robots=%s: median %.2f s, "
      "ideal %.2f s, ratio %.3f\n",
      cli.empty() ? "crawler" : "cli", hosts, pages, latency_ms, delay, robots ? "yes" : "no",
      median, ideal, median / ideal);
  return median / ideal <= 1.2 ? 0 : 1;
}
