// robots.txt parsing and matching (RFC 9309), lenient where real files are sloppy in the
// same ways Google's open-source parser tolerates.
#include "ingest/robots.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

namespace newsclaim::ingest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AppendPercent(std::string* out, unsigned char c) {
  static const char kHex[] = "0123456789ABCDEF";
  out->push_back('%');
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 15]);
}

// RFC 9309 2.2.2: compare URIs and patterns with non-ASCII octets percent-encoded and
// percent-encoded unreserved characters decoded, so "/ツ", "/%E3%83%84" and "/%e3%83%84"
// are one path, as are "/%62az" and "/baz". Applied to patterns and paths alike.
std::string NormalizePath(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      const unsigned char v =
          static_cast<unsigned char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      if (IsUnreserved(v)) {
        out.push_back(static_cast<char>(v));
      } else {
        AppendPercent(&out, v);
      }
      i += 2;
    } else if (c >= 0x80 || c <= 0x20 || c == 0x7f) {
      AppendPercent(&out, c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Glob match of a normalised pattern against a normalised path from its start: `*` is any
// run of octets; a pattern ending in `$` must reach the path's end, any other is a prefix.
bool MatchNormalized(std::string_view p, std::string_view s) {
  bool anchored = false;
  if (!p.empty() && p.back() == '$') {
    anchored = true;
    p.remove_suffix(1);
  }
  size_t i = 0, j = 0, star = std::string_view::npos, mark = 0;
  while (true) {
    if (j == p.size() && (!anchored || i == s.size())) return true;
    if (j < p.size() && p[j] == '*') {
      star = j++;
      mark = i;
    } else if (i < s.size() && j < p.size() && p[j] == s[i]) {
      ++i;
      ++j;
    } else if (star != std::string_view::npos && mark < s.size()) {
      j = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
}

enum class Key { kUserAgent, kAllow, kDisallow, kCrawlDelay, kSitemap, kUnknown };

// Keys are case-insensitive; common misspellings are accepted as Google's parser does.
Key ParseKey(std::string_view raw) {
  const std::string k = Lower(raw);
  if (k == "user-agent" || k == "useragent" || k == "user agent" || k == "user_agent") {
    return Key::kUserAgent;
  }
  if (k == "allow") return Key::kAllow;
  if (k == "disallow" || k == "dissallow" || k == "dissalow" || k == "disalow" || k == "diasllow" ||
      k == "disallaw") {
    return Key::kDisallow;
  }
  if (k == "crawl-delay" || k == "crawldelay" || k == "crawl_delay") return Key::kCrawlDelay;
  if (k == "sitemap" || k == "site-map") return Key::kSitemap;
  return Key::kUnknown;
}

// Splits "key: value" (or, leniently, "key value" with no colon and one space-separated
// value) into its parts; false for a line that is neither.
bool SplitLine(std::string_view line, std::string_view* key, std::string_view* value) {
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    *key = Trim(line.substr(0, colon));
    *value = Trim(line.substr(colon + 1));
    return !key->empty();
  }
  size_t sp = 0;
  while (sp < line.size() && !IsSpace(line[sp])) ++sp;
  if (sp == line.size()) return false;
  *key = line.substr(0, sp);
  *value = Trim(line.substr(sp));
  return value->find_first_of(" \t") == std::string_view::npos;
}

std::optional<double> ParseDelay(std::string_view v) {
  double d = 0;
  const char* end = v.data() + v.size();
  const auto [ptr, ec] = std::from_chars(v.data(), end, d);
  if (ec != std::errc() || ptr == v.data() || !std::isfinite(d) || d < 0) return std::nullopt;
  return d;
}

}  // namespace

std::string RobotsProductToken(std::string_view user_agent) {
  user_agent = Trim(user_agent);
  if (!user_agent.empty() && user_agent[0] == '*' &&
      (user_agent.size() == 1 || IsSpace(user_agent[1]))) {
    return "*";
  }
  size_t n = 0;
  while (n < user_agent.size()) {
    const char c = user_agent[n];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_')) break;
    ++n;
  }
  return Lower(user_agent.substr(0, n));
}

std::string RobotsPathOf(std::string_view url) {
  const size_t hash = url.find('#');
  if (hash != std::string_view::npos) url = url.substr(0, hash);
  const size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    const size_t slash = url.find_first_of("/?", scheme + 3);
    url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  }
  if (url.empty()) return "/";
  if (url[0] == '?') return "/" + std::string(url);
  return std::string(url);
}

bool RobotsPatternMatches(std::string_view pattern, std::string_view path) {
  return MatchNormalized(NormalizePath(pattern), NormalizePath(path));
}

RobotsTxt RobotsTxt::AllowAll() { return RobotsTxt(); }

RobotsTxt RobotsTxt::DisallowAll() {
  RobotsTxt r;
  r.disallow_all_ = true;
  return r;
}

RobotsTxt RobotsTxt::FromHttp(int http_status, std::string_view body) {
  if (http_status >= 200 && http_status < 300) return Parse(body);
  // 429 is a 4xx but says "you are too fast", not "there are no rules": like Google's
  // crawler we treat it as unreachable rather than as permission to crawl everything.
  if (http_status >= 300 && http_status < 500 && http_status != 429) return AllowAll();
  return DisallowAll();
}

RobotsTxt RobotsTxt::Parse(std::string_view body) {
  RobotsTxt r;
  if (body.size() > kMaxBytes) body = body.substr(0, kMaxBytes);
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  // True while consecutive user-agent lines are adding names to the same group; a rule
  // line ends the run, so the next user-agent line opens a new group (RFC 9309 2.1).
  bool in_agents = false;
  Group* group = nullptr;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t eol = body.find_first_of("\r\n", pos);
    if (eol == std::string_view::npos) eol = body.size();
    std::string_view line = body.substr(pos, eol - pos);
    pos = eol + 1;
    if (eol < body.size() && body[eol] == '\r' && pos < body.size() && body[pos] == '\n') ++pos;
    const size_t comment = line.find('#');
    if (comment != std::string_view::npos) line = line.substr(0, comment);
    line = Trim(line);
    std::string_view key, value;
    if (line.empty() || !SplitLine(line, &key, &value)) continue;
    switch (ParseKey(key)) {
      case Key::kUserAgent: {
        if (!in_agents) {
          r.groups_.emplace_back();
          group = &r.groups_.back();
          in_agents = true;
        }
        std::string token = RobotsProductToken(value);
        if (!token.empty()) group->agents.push_back(std::move(token));
        break;
      }
      case Key::kAllow:
      case Key::kDisallow: {
        in_agents = false;
        // Rules before any user-agent line belong to no group and are ignored; an empty
        // value ("Disallow:") is no rule at all.
        if (group == nullptr || value.empty()) break;
        std::string pattern(value);
        // RFC 9309 wants patterns to start with "/"; "Disallow: private" is read as
        // "/private" rather than dropped, erring on the side of politeness.
        if (pattern[0] != '/' && pattern[0] != '*') pattern.insert(0, "/");
        group->rules.push_back({NormalizePath(pattern), ParseKey(key) == Key::kAllow});
        break;
      }
      case Key::kCrawlDelay:
        in_agents = false;
        if (group != nullptr && !group->crawl_delay) group->crawl_delay = ParseDelay(value);
        break;
      case Key::kSitemap:
        if (!value.empty()) r.sitemaps_.emplace_back(value);
        break;
      case Key::kUnknown:
        break;
    }
  }
  return r;
}

std::vector<const RobotsTxt::Group*> RobotsTxt::GroupsFor(std::string_view user_agent) const {
  const std::string token = RobotsProductToken(user_agent);
  std::vector<const Group*> specific, global;
  for (const Group& g : groups_) {
    for (const std::string& a : g.agents) {
      if (a == "*") {
        global.push_back(&g);
        break;
      }
      if (!token.empty() && token != "*" && a == token) {
        specific.push_back(&g);
        break;
      }
    }
  }
  return specific.empty() ? global : specific;
}

bool RobotsTxt::IsAllowed(std::string_view user_agent, std::string_view path) const {
  const std::string p = NormalizePath(path.empty() ? std::string_view("/") : path);
  if (p == "/robots.txt") return true;
  if (disallow_all_) return false;
  size_t best_len = 0;
  bool best_allow = true;
  bool matched = false;
  for (const Group* g : GroupsFor(user_agent)) {
    for (const Rule& rule : g->rules) {
      if (!MatchNormalized(rule.pattern, p)) continue;
      const size_t len = rule.pattern.size();
      // The most specific (longest) match wins; on a tie Allow wins (RFC 9309 2.2.2).
      if (!matched || len > best_len || (len == best_len && rule.allow)) {
        best_len = len;
        best_allow = rule.allow;
        matched = true;
      }
    }
  }
  return best_allow;
}

std::optional<double> RobotsTxt::CrawlDelay(std::string_view user_agent) const {
  for (const Group* g : GroupsFor(user_agent)) {
    if (g->crawl_delay) return g->crawl_delay;
  }
  return std::nullopt;
}

}  // namespace newsclaim::ingest
