// Crawler: robots.txt per origin in front of the Fetcher (see ingest.h). Robots files are
// fetched in a first round for the origins a batch needs, then the allowed pages; redirects
// are followed here, round by round, so every target is checked against its own origin's
// robots.txt before it is requested.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ingest/fetch.h"
#include "ingest/ingest.h"
#include "ingest/robots.h"

namespace newsclaim::ingest {

struct Crawler::Impl {
  CrawlOptions options;
  std::unique_ptr<Fetcher> fetcher;
  std::map<std::string, RobotsTxt> robots;  // by origin
  // Origins whose robots.txt was unreachable (5xx, 429, no answer), with why: their URLs
  // are not fetched (disallow all, RFC 9309) and fail as kUnavailable, so the caller
  // counts a host that is down as a failure to retry rather than as a robots.txt rule.
  std::map<std::string, std::string> unreachable;

  // RFC 9309 2.3.1: a robots.txt that was read is parsed; 4xx ("unavailable") allows all;
  // a server error or no answer ("unreachable") disallows all. A 2xx whose body did not
  // arrive whole is treated as unreachable rather than as an empty (allow-all) file.
  static RobotsTxt FromResult(const FetchResult& r) {
    const int code = r.doc.http_status;
    if (r.status.ok() || (code >= 300 && code < 500)) return RobotsTxt::FromHttp(code, r.doc.bytes);
    return RobotsTxt::DisallowAll();
  }

  void LoadRobots(const std::vector<FetchRequest>& requests) {
    std::vector<std::string> origins;
    for (const FetchRequest& req : requests) {
      const std::string origin = UrlOrigin(req.url);
      if (origin.empty() || robots.count(origin) != 0) continue;
      robots.emplace(origin, RobotsTxt::DisallowAll());  // replaced below
      origins.push_back(origin);
    }
    if (origins.empty()) return;
    std::vector<FetchRequest> fetches(origins.size());
    for (size_t i = 0; i < origins.size(); ++i) {
      fetches[i].url = origins[i] + "/robots.txt";
      fetches[i].follow_redirects = true;
    }
    fetcher->FetchAll(fetches, [&](size_t i, FetchResult r) {
      if (options.on_robots) options.on_robots(r);
      RobotsTxt txt = FromResult(r);
      const int code = r.doc.http_status;
      if (!r.status.ok() && !(code >= 300 && code < 500 && code != 429)) {
        unreachable[origins[i]] = r.status.message();
      }
      if (std::optional<double> delay = txt.CrawlDelay(options.fetch.user_agent)) {
        const std::string host = UrlHost(origins[i]);
        auto configured = options.host_delay.find(host);
        fetcher->SetHostDelay(host, configured == options.host_delay.end()
                                        ? *delay
                                        : std::max(*delay, configured->second));
      }
      robots[origins[i]] = std::move(txt);
    });
  }
};

Crawler::Crawler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Crawler::~Crawler() = default;

StatusOr<std::unique_ptr<Crawler>> Crawler::Create(const CrawlOptions& options) {
  FetchOptions fetch = options.fetch;
  fetch.follow_redirects = false;  // followed here, with robots.txt checked at each target
  StatusOr<std::unique_ptr<Fetcher>> fetcher = Fetcher::Create(fetch);
  if (!fetcher.ok()) return fetcher.status();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->fetcher = std::move(fetcher).value();
  for (const auto& [host, seconds] : options.host_delay) impl->fetcher->SetHostDelay(host, seconds);
  return std::unique_ptr<Crawler>(new Crawler(std::move(impl)));
}

void Crawler::FetchAll(const std::vector<FetchRequest>& requests,
                       const std::function<void(size_t, FetchResult)>& on_done) {
  Impl& im = *impl_;
  // One entry per request still going: its current URL (the request's, then each
  // redirect target) and the redirect responses so far. Each round fetches every current
  // URL its origin's robots.txt allows; redirect targets make up the next round.
  struct Chain {
    size_t index;
    FetchRequest current;
    std::vector<FetchResult> hops;
  };
  std::vector<Chain> round;
  round.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) round.push_back({i, requests[i], {}});

  const auto finish = [&](Chain& c, FetchResult r) {
    r.doc.uri = requests[c.index].url;
    if (r.final_url.empty()) r.final_url = c.current.url;
    r.hops = std::move(c.hops);
    on_done(c.index, std::move(r));
  };

  while (!round.empty()) {
    if (im.options.obey_robots) {
      std::vector<FetchRequest> current;
      current.reserve(round.size());
      for (const Chain& c : round) current.push_back(c.current);
      im.LoadRobots(current);
    }
    std::vector<FetchRequest> allowed;
    std::vector<size_t> chain_of;  // index into round
    for (size_t k = 0; k < round.size(); ++k) {
      Chain& c = round[k];
      const std::string origin = UrlOrigin(c.current.url);
      if (im.options.obey_robots && !origin.empty()) {
        if (auto down = im.unreachable.find(origin); down != im.unreachable.end()) {
          FetchResult r;
          r.doc.kind = SourceKind::kHttp;
          r.status = UnavailableError(
              (c.hops.empty() ? std::string() : "redirect to " + c.current.url + ": ") + origin +
              "/robots.txt unreachable (" + down->second +
              "), so nothing is fetched there this run");
          finish(c, std::move(r));
          continue;
        }
        const RobotsTxt& txt = im.robots.at(origin);
        if (!txt.IsAllowed(im.options.fetch.user_agent, RobotsPathOf(c.current.url))) {
          FetchResult r;
          r.doc.kind = SourceKind::kHttp;
          r.robots_disallowed = true;
          r.status = FailedPreconditionError(
              (c.hops.empty() ? std::string() : "redirect to " + c.current.url + " ") +
              "disallowed by " + origin + "/robots.txt");
          finish(c, std::move(r));
          continue;
        }
      }
      allowed.push_back(c.current);
      chain_of.push_back(k);
    }
    std::vector<Chain> next;
    im.fetcher->FetchAll(allowed, [&](size_t j, FetchResult r) {
      Chain& c = round[chain_of[j]];
      const int code = r.doc.http_status;
      const bool redirect = code >= 300 && code < 400 && code != 304;
      if (!redirect) {
        finish(c, std::move(r));
        return;
      }
      if (r.redirect_url.empty()) {
        r.status = InvalidArgumentError("HTTP " + std::to_string(code) + " without a Location");
        finish(c, std::move(r));
        return;
      }
      const std::string target = r.redirect_url;
      if (UrlHost(target).empty()) {
        r.status = InvalidArgumentError("redirect to a URL that is not http(s): " + target);
        finish(c, std::move(r));
        return;
      }
      if (static_cast<int>(c.hops.size()) >= im.options.fetch.max_redirects) {
        r.status =
            InvalidArgumentError("more than " + std::to_string(im.options.fetch.max_redirects) +
                                 " redirects (last to " + target + ")");
        finish(c, std::move(r));
        return;
      }
      r.final_url = c.current.url;
      c.hops.push_back(std::move(r));
      Chain n{c.index, FetchRequest{}, std::move(c.hops)};
      n.current.url = target;  // validators belong to the first URL only
      next.push_back(std::move(n));
    });
    round = std::move(next);
  }
}

}  // namespace newsclaim::ingest
