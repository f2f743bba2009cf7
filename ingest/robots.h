// robots.txt per RFC 9309: parsing into user-agent groups and matching a URL path against
// them (longest match, Allow wins ties, `*` and `$`). Internal to ingest; the fetcher
// and the CLI see only what ingest/ingest.h exposes.
#ifndef NEWSCLAIM_INGEST_ROBOTS_H_
#define NEWSCLAIM_INGEST_ROBOTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsclaim::ingest {

// The parsed rules of one host's robots.txt. Immutable after construction; safe to share
// between threads for reading.
class RobotsTxt {
 public:
  // Bytes past this are ignored (RFC 9309 2.5: crawlers MUST parse at least 500 KiB).
  static constexpr size_t kMaxBytes = 500 * 1024;

  // Parses a robots.txt body. Never fails: lines that are not understood are skipped, as
  // the RFC asks, and a body that is not a robots.txt at all (an HTML error page served
  // with 200) simply yields no rules, which allows everything.
  static RobotsTxt Parse(std::string_view body);
  // Everything allowed (no robots.txt: HTTP 4xx).
  static RobotsTxt AllowAll();
  // Everything disallowed (robots.txt unreachable: HTTP 5xx or a network error).
  static RobotsTxt DisallowAll();
  // The rules implied by fetching /robots.txt: 2xx parses body; 3xx (more redirects than
  // were followed) and 4xx except 429 mean "unavailable" and allow all; anything else
  // (5xx, 429, status 0 for a network failure) means "unreachable" and disallows all
  // (RFC 9309 2.3.1).
  static RobotsTxt FromHttp(int http_status, std::string_view body);

  // True when a crawler whose User-Agent is `user_agent` (a full string such as
  // "newsclaim/0.1 (+mailto:ops@example.org)"; its product token "newsclaim" is what is
  // matched) may fetch `path`, the path and query of a URL ("/a/b?c=d"; "" means "/").
  // "/robots.txt" is always allowed.
  bool IsAllowed(std::string_view user_agent, std::string_view path) const;

  // The Crawl-delay in seconds of the group that applies to `user_agent`, if it gives one
  // (non-standard but widely used; the first valid value of the applicable groups).
  std::optional<double> CrawlDelay(std::string_view user_agent) const;

  // Sitemap URLs listed anywhere in the file, in order.
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }

 private:
  struct Rule {
    std::string pattern;  // normalised (see NormalizePath in robots.cc)
    bool allow = false;
  };
  struct Group {
    std::vector<std::string> agents;  // lower-case product tokens; "*" for the default
    std::vector<Rule> rules;
    std::optional<double> crawl_delay;
  };

  // The groups that apply to the product token: every group naming it, else every "*"
  // group, else none.
  std::vector<const Group*> GroupsFor(std::string_view user_agent) const;

  std::vector<Group> groups_;
  std::vector<std::string> sitemaps_;
  bool disallow_all_ = false;
};

// The product token of a User-Agent string, lower-cased: the leading run of letters,
// '-' and '_' ("newsclaim/0.1 (...)" -> "newsclaim"). "*" stays "*".
std::string RobotsProductToken(std::string_view user_agent);

// The part of a URL robots.txt rules apply to: path and query, without scheme, host and
// fragment; "/" when the path is empty ("http://a.b" -> "/", "http://a.b/x?y#z" -> "/x?y").
std::string RobotsPathOf(std::string_view url);

// True when `pattern` (as written in a robots.txt, `*` and a final `$` special) matches
// `path` from its start. Both are normalised first. Exposed for tests.
bool RobotsPatternMatches(std::string_view pattern, std::string_view path);

}  // namespace newsclaim::ingest

#endif  // NEWSCLAIM_INGEST_ROBOTS_H_
