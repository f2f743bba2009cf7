// Crawler: robots.txt per origin in front of the Fetcher (see ingest.h). Robots files are
// fetched in a first round for the origins a batch needs, then the allowed pages.
#include <map>
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
    for (size_t i = 0; i < origins.size(); ++i) fetches[i].url = origins[i] + "/robots.txt";
    fetcher->FetchAll(fetches, [&](size_t i, FetchResult r) {
      RobotsTxt txt = FromResult(r);
      if (std::optional<double> delay = txt.CrawlDelay(options.fetch.user_agent)) {
        fetcher->SetHostDelay(UrlHost(origins[i]), *delay);
      }
      robots[origins[i]] = std::move(txt);
    });
  }
};

Crawler::Crawler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Crawler::~Crawler() = default;

StatusOr<std::unique_ptr<Crawler>> Crawler::Create(const CrawlOptions& options) {
  StatusOr<std::unique_ptr<Fetcher>> fetcher = Fetcher::Create(options.fetch);
  if (!fetcher.ok()) return fetcher.status();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->fetcher = std::move(fetcher).value();
  return std::unique_ptr<Crawler>(new Crawler(std::move(impl)));
}

void Crawler::FetchAll(const std::vector<FetchRequest>& requests,
                       const std::function<void(size_t, FetchResult)>& on_done) {
  Impl& im = *impl_;
  if (im.options.obey_robots) im.LoadRobots(requests);
  std::vector<FetchRequest> allowed;
  std::vector<size_t> index_of;
  for (size_t i = 0; i < requests.size(); ++i) {
    const std::string origin = UrlOrigin(requests[i].url);
    if (im.options.obey_robots && !origin.empty()) {
      const RobotsTxt& txt = im.robots.at(origin);
      if (!txt.IsAllowed(im.options.fetch.user_agent, RobotsPathOf(requests[i].url))) {
        FetchResult r;
        r.doc.uri = requests[i].url;
        r.doc.kind = SourceKind::kHttp;
        r.robots_disallowed = true;
        r.status = FailedPreconditionError("disallowed by " + origin + "/robots.txt");
        on_done(i, std::move(r));
        continue;
      }
    }
    allowed.push_back(requests[i]);
    index_of.push_back(i);
  }
  im.fetcher->FetchAll(allowed,
                       [&](size_t j, FetchResult r) { on_done(index_of[j], std::move(r)); });
}

}  // namespace newsclaim::ingest
