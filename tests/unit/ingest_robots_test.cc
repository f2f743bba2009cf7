// robots.txt (RFC 9309): pattern matching, group selection, longest match, encodings,
// line syntax, Crawl-delay, Sitemap and HTTP status handling. Cases follow the RFC's
// examples and the kinds of cases Google's robotstxt test suite covers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/robots.h"

namespace newsclaim::ingest {
namespace {

struct PatternCase {
  const char* pattern;
  const char* path;
  bool matches;
};

TEST(RobotsPatternTest, Table) {
  // The first rows are the path-matching table every robots.txt guide reproduces.
  const PatternCase kCases[] = {
      {"/", "/", true},
      {"/", "/anything", true},
      {"/fish", "/fish", true},
      {"/fish", "/fish.html", true},
      {"/fish", "/fish/salmon.html", true},
      {"/fish", "/fishheads", true},
      {"/fish", "/fish.php?id=anything", true},
      {"/fish", "/Fish.asp", false},
      {"/fish", "/catfish", false},
      {"/fish", "/?id=fish", false},
      {"/fish", "/", false},
      {"/fish*", "/fish", true},
      {"/fish*", "/fishheads/yummy.html", true},
      {"/fish*", "/catfish", false},
      {"/fish/", "/fish/", true},
      {"/fish/", "/fish/?id=anything", true},
      {"/fish/", "/fish/salmon.htm", true},
      {"/fish/", "/fish", false},
      {"/fish/", "/fish.html", false},
      {"/fish/", "/Fish/Salmon.asp", false},
      {"/*.php", "/filename.php", true},
      {"/*.php", "/folder/filename.php", true},
      {"/*.php", "/folder/filename.php?parameters", true},
      {"/*.php", "/folder/any.php.file.html", true},
      {"/*.php", "/filename.php/", true},
      {"/*.php", "/", false},
      {"/*.php", "/windows.PHP", false},
      {"/*.php$", "/filename.php", true},
      {"/*.php$", "/folder/filename.php", true},
      {"/*.php$", "/filename.php?parameters", false},
      {"/*.php$", "/filename.php/", false},
      {"/*.php$", "/filename.php5", false},
      {"/*.php$", "/windows.PHP", false},
      {"/fish*.php", "/fish.php", true},
      {"/fish*.php", "/fishheads/catfish.php?parameters", true},
      {"/fish*.php", "/Fish.PHP", false},
      {"*", "/", true},
      {"*", "/x/y", true},
      {"/$", "/", true},
      {"/$", "/a", false},
      {"/*$", "/anything", true},
      {"/**/a", "/x/y/a", true},
      {"/a*b*c$", "/aXbYc", true},
      {"/a*b*c$", "/aXbYcZ", false},
      {"/a*b*c$", "/abcabc", true},
      // '$' is only special at the end of a pattern.
      {"/a$b", "/a$b", true},
      {"/a$b", "/a$bc", true},
      {"/a$b", "/ab", false},
      // RFC 9309 2.2.2: non-ASCII and percent-encoded octets compare equal.
      {"/foo/bar/ツ", "/foo/bar/%E3%83%84", true},
      {"/foo/bar/ツ", "/foo/bar/ツ", true},
      {"/foo/bar/%E3%83%84", "/foo/bar/%e3%83%84", true},
      {"/foo/bar/%E3%83%84", "/foo/bar/ツ", true},
      {"/foo/bar/%62%61%7A", "/foo/bar/baz", true},
      {"/foo/bar/baz", "/foo/bar/%62%61%7A", true},
      // Reserved characters stay encoded: %2F is not a path separator.
      {"/a/b", "/a%2Fb", false},
      {"/a%2fb", "/a%2Fb", true},
      {"/foo/bar?qux=taz&baz=http://foo.bar?tar&par", "/foo/bar?qux=taz&baz=http://foo.bar?tar&par",
       true},
      {"/中文", "/%E4%B8%AD%E6%96%87/page", true},
  };
  for (const PatternCase& c : kCases) {
    SCOPED_TRACE(std::string(c.pattern) + " vs " + c.path);
    EXPECT_EQ(RobotsPatternMatches(c.pattern, c.path), c.matches);
  }
}

struct AllowCase {
  const char* name;
  const char* robots;
  const char* agent;
  const char* path;
  bool allowed;
};

// RFC 9309 5.1.
constexpr char kRfcExample[] =
    "User-Agent: *\n"
    "Disallow: *.gif$\n"
    "Disallow: /example/\n"
    "Allow: /publications/\n"
    "\n"
    "User-Agent: foobot\n"
    "Disallow:/\n"
    "Allow:/example/page.html\n"
    "Allow:/example/allowed.gif\n"
    "\n"
    "User-Agent: barbot\n"
    "User-Agent: bazbot\n"
    "Disallow: /example/page.html\n"
    "\n"
    "User-Agent: quxbot\n"
    "\n"
    "EOF\n";

// Groups that are not contiguous and a rule before any user-agent line.
constexpr char kScatteredGroups[] =
    "allow: /foo/bar/\n"
    "\n"
    "user-agent: FooBot\n"
    "disallow: /\n"
    "allow: /x/\n"
    "user-agent: BarBot\n"
    "disallow: /\n"
    "allow: /y/\n"
    "\n"
    "\n"
    "allow: /w/\n"
    "user-agent: BazBot\n"
    "\n"
    "user-agent: FooBot\n"
    "allow: /z/\n"
    "disallow: /\n";

TEST(RobotsTxtTest, AllowTable) {
  const AllowCase kCases[] = {
      {"rfc_star_gif", kRfcExample, "otherbot", "/a/b.gif", false},
      {"rfc_star_gif_query", kRfcExample, "otherbot", "/a/b.gif?x", true},
      {"rfc_star_example", kRfcExample, "otherbot", "/example/x", false},
      {"rfc_star_publications", kRfcExample, "otherbot", "/publications/x", true},
      {"rfc_star_other", kRfcExample, "otherbot", "/news", true},
      {"rfc_foobot_root", kRfcExample, "foobot", "/", false},
      {"rfc_foobot_page", kRfcExample, "foobot", "/example/page.html", true},
      {"rfc_foobot_gif", kRfcExample, "foobot", "/example/allowed.gif", true},
      {"rfc_foobot_other", kRfcExample, "foobot", "/publications/x", false},
      {"rfc_foobot_full_ua", kRfcExample, "FooBot/1.2 (+http://foo.example)", "/", false},
      {"rfc_barbot_page", kRfcExample, "barbot", "/example/page.html", false},
      {"rfc_barbot_gif", kRfcExample, "barbot", "/x.gif", true},
      {"rfc_bazbot_shares_group", kRfcExample, "bazbot", "/example/page.html", false},
      {"rfc_quxbot_empty_group", kRfcExample, "quxbot", "/example/x", true},
      {"scattered_foobot_x", kScatteredGroups, "FooBot", "/x/b", true},
      {"scattered_foobot_z", kScatteredGroups, "FooBot", "/z/d", true},
      {"scattered_foobot_y", kScatteredGroups, "FooBot", "/y/c", false},
      {"scattered_foobot_w", kScatteredGroups, "FooBot", "/w/a", false},
      {"scattered_foobot_before_agents", kScatteredGroups, "FooBot", "/foo/bar/", false},
      {"scattered_barbot_y", kScatteredGroups, "BarBot", "/y/c", true},
      {"scattered_barbot_w_after_blank", kScatteredGroups, "BarBot", "/w/a", true},
      {"scattered_barbot_x", kScatteredGroups, "BarBot", "/x/b", false},
      {"scattered_bazbot_z", kScatteredGroups, "BazBot", "/z/d", true},
      {"scattered_bazbot_root", kScatteredGroups, "BazBot", "/a", false},
      {"scattered_no_global", kScatteredGroups, "QuxBot", "/", true},
      {"empty_file", "", "FooBot", "/x", true},
      {"html_error_page", "<html><body>Not here</body></html>", "FooBot", "/x", true},
      {"specific_beats_global", "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n",
       "FooBot", "/x", false},
      {"global_for_others", "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n", "BarBot",
       "/x", true},
      {"global_ignored_when_specific",
       "user-agent: *\ndisallow: /x/\nuser-agent: FooBot\ndisallow: /y/\n", "FooBot", "/x/page",
       true},
      {"specific_rule", "user-agent: *\ndisallow: /x/\nuser-agent: FooBot\ndisallow: /y/\n",
       "FooBot", "/y/page", false},
      {"keys_case_insensitive", "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n", "FooBot", "/x/y",
       true},
      {"keys_case_insensitive_2", "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n", "FooBot", "/a/y",
       false},
      {"agent_case_insensitive", "User-Agent: FOOBOT\nDisallow: /\n", "foobot", "/x", false},
      {"agent_up_to_first_space", "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\n",
       "Foo", "/x/", true},
      {"agent_second_word_ignored", "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\n",
       "Bar", "/x/", false},
      {"agent_prefix_is_not_a_match", "User-Agent: FooBotX\nDisallow: /\n", "FooBot", "/x", true},
      {"agent_with_version", "User-Agent: FooBot/2.1\nDisallow: /\n", "FooBot", "/x", false},
      {"path_case_sensitive", "user-agent: FooBot\ndisallow: /x/\n", "FooBot", "/X/", true},
      {"tie_allow_wins", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/page.html\n",
       "FooBot", "/x/page.html", true},
      {"longest_disallow", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot",
       "/page.html", false},
      {"longest_allow", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot", "/page",
       true},
      {"longest_allow_prefix", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot",
       "/x/page.html", true},
      {"longest_disallow_other", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n",
       "FooBot", "/x/y.html", false},
      {"rfc_longest_match_dir",
       "User-Agent: foobot\nAllow: /example/page/\n"
       "Disallow: /example/page/disallowed.gif\n",
       "foobot", "/example/page/", true},
      {"rfc_longest_match_file",
       "User-Agent: foobot\nAllow: /example/page/\n"
       "Disallow: /example/page/disallowed.gif\n",
       "foobot", "/example/page/disallowed.gif", false},
      {"empty_values", "user-agent: FooBot\nallow: \ndisallow: \n", "FooBot", "/x", true},
      {"root_only", "user-agent: FooBot\ndisallow: /\nallow: /$\n", "FooBot", "/", true},
      {"root_only_page", "user-agent: FooBot\ndisallow: /\nallow: /$\n", "FooBot", "/page.html",
       false},
      {"empty_path_is_root", "user-agent: FooBot\ndisallow: /\nallow: /$\n", "FooBot", "", true},
      {"robots_txt_always_allowed", "user-agent: *\ndisallow: /\n", "FooBot", "/robots.txt", true},
      {"no_colon", "user-agent FooBot\ndisallow /\n", "FooBot", "/x", false},
      {"typo_dissallow", "user-agent: FooBot\ndissallow: /\n", "FooBot", "/x", false},
      {"typo_useragent", "useragent: FooBot\ndisallow: /\n", "FooBot", "/x", false},
      {"comments", "# hello\nuser-agent: FooBot # me\ndisallow: /a#b\n", "FooBot", "/a", false},
      {"comment_cuts_pattern", "user-agent: FooBot\ndisallow: /a#b\n", "FooBot", "/ab", false},
      {"crlf", "user-agent: FooBot\r\ndisallow: /x\r\n", "FooBot", "/x", false},
      {"cr_only", "user-agent: FooBot\rdisallow: /x\rallow: /x/y\r", "FooBot", "/x/y", true},
      {"cr_only_disallow", "user-agent: FooBot\rdisallow: /x\rallow: /x/y\r", "FooBot", "/x/z",
       false},
      {"no_final_newline", "user-agent: FooBot\ndisallow: /x", "FooBot", "/x", false},
      {"bom", "\xEF\xBB\xBFuser-agent: FooBot\ndisallow: /x\n", "FooBot", "/x", false},
      {"leading_whitespace", "  user-agent: FooBot\n\tdisallow: /x\n", "FooBot", "/x", false},
      {"pattern_without_slash", "user-agent: FooBot\ndisallow: private\n", "FooBot", "/private/a",
       false},
      {"sitemap_does_not_end_group",
       "user-agent: FooBot\nsitemap: http://a.example/s.xml\nuser-agent: BarBot\ndisallow: /\n",
       "FooBot", "/x", false},
      {"unknown_key_ignored", "user-agent: FooBot\nnoindex: /x\ndisallow: /y\n", "FooBot", "/x",
       true},
      {"query_matched", "user-agent: *\ndisallow: /*?sessionid=\n", "FooBot", "/a?sessionid=1",
       false},
      {"encoded_rule", "user-agent: *\nallow: /foo/bar/ツ\ndisallow: /\n", "FooBot",
       "/foo/bar/%E3%83%84", true},
      {"decoded_unreserved", "user-agent: *\nallow: /foo/bar/%62%61%7A\ndisallow: /\n", "FooBot",
       "/foo/bar/baz", true},
      {"star_agent_with_trailing", "user-agent: * \ndisallow: /\n", "FooBot", "/x", false},
  };
  for (const AllowCase& c : kCases) {
    SCOPED_TRACE(c.name);
    const RobotsTxt robots = RobotsTxt::Parse(c.robots);
    EXPECT_EQ(robots.IsAllowed(c.agent, c.path), c.allowed);
  }
}

TEST(RobotsTxtTest, BytesPastTheLimitAreIgnored) {
  std::string body = "user-agent: FooBot\n";
  body += std::string(RobotsTxt::kMaxBytes, '#');
  body += "\ndisallow: /\n";
  EXPECT_TRUE(RobotsTxt::Parse(body).IsAllowed("FooBot", "/x"));
  // The same rule inside the limit applies.
  body = "user-agent: FooBot\ndisallow: /\n" + std::string(RobotsTxt::kMaxBytes, '#');
  EXPECT_FALSE(RobotsTxt::Parse(body).IsAllowed("FooBot", "/x"));
}

TEST(RobotsTxtTest, ManyWildcardsStayFast) {
  // A hostile pattern against a long path must not explode (quadratic at worst).
  const std::string pattern = "/" + std::string(2000, '*') + "x$";
  const std::string robots = "user-agent: *\ndisallow: " + pattern + "\n";
  const std::string path = "/" + std::string(5000, 'a');
  EXPECT_TRUE(RobotsTxt::Parse(robots).IsAllowed("FooBot", path));
}

TEST(RobotsTxtTest, HttpStatus) {
  const char kBody[] = "user-agent: *\ndisallow: /private/\n";
  struct Case {
    int status;
    const char* path;
    bool allowed;
  };
  const Case kCases[] = {
      {200, "/private/x", false}, {200, "/public", true},    {204, "/private/x", false},
      {301, "/private/x", true},  {404, "/private/x", true}, {403, "/private/x", true},
      {410, "/anything", true},   {429, "/anything", false}, {500, "/anything", false},
      {503, "/anything", false},  {0, "/anything", false},   {500, "/robots.txt", true},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::to_string(c.status) + " " + c.path);
    EXPECT_EQ(RobotsTxt::FromHttp(c.status, kBody).IsAllowed("newsclaim", c.path), c.allowed);
  }
  EXPECT_TRUE(RobotsTxt::AllowAll().IsAllowed("x", "/a"));
  EXPECT_FALSE(RobotsTxt::DisallowAll().IsAllowed("x", "/a"));
}

TEST(RobotsTxtTest, CrawlDelay) {
  const RobotsTxt robots = RobotsTxt::Parse(
      "User-agent: *\nCrawl-delay: 2.5\nDisallow: /x\n"
      "User-agent: FooBot\nCrawl-delay: 10\n"
      "User-agent: BarBot\nCrawl-delay: soon\n"
      "User-agent: BazBot\nCrawl-delay: -3\nCrawl-delay: 4\n"
      "User-agent: QuxBot\nDisallow: /\n");
  EXPECT_EQ(robots.CrawlDelay("newsclaim/0.1"), 2.5);
  EXPECT_EQ(robots.CrawlDelay("FooBot"), 10.0);
  EXPECT_EQ(robots.CrawlDelay("BarBot"), std::nullopt);
  EXPECT_EQ(robots.CrawlDelay("BazBot"), 4.0);  // "-3" is not a delay
  EXPECT_EQ(robots.CrawlDelay("QuxBot"), std::nullopt);
  EXPECT_EQ(RobotsTxt::Parse("").CrawlDelay("FooBot"), std::nullopt);
}

TEST(RobotsTxtTest, Sitemaps) {
  const RobotsTxt robots = RobotsTxt::Parse(
      "Sitemap: https://a.example/sitemap.xml\n"
      "User-agent: *\nDisallow: /x\n"
      "sitemap: https://a.example/news-sitemap.xml # news\n"
      "Sitemap:\n");
  EXPECT_EQ(robots.sitemaps(), (std::vector<std::string>{"https://a.example/sitemap.xml",
                                                         "https://a.example/news-sitemap.xml"}));
}

TEST(RobotsTxtTest, ProductToken) {
  const std::pair<const char*, const char*> kCases[] = {
      {"newsclaim/0.1 (+mailto:ops@example.org)", "newsclaim"},
      {"FooBot", "foobot"},
      {"Foo-Bot_2", "foo-bot_"},
      {"  Foo Bar", "foo"},
      {"*", "*"},
      {"* ", "*"},
      {"/x", ""},
      {"", ""},
  };
  for (const auto& [in, want] : kCases) {
    SCOPED_TRACE(in);
    EXPECT_EQ(RobotsProductToken(in), want);
  }
}

TEST(RobotsTxtTest, PathOf) {
  const std::pair<const char*, const char*> kCases[] = {
      {"http://a.example", "/"},
      {"http://a.example/", "/"},
      {"https://a.example/x/y?q=1#frag", "/x/y?q=1"},
      {"https://a.example?q=1", "/?q=1"},
      {"https://user@a.example:8080/p", "/p"},
      {"/already/a/path", "/already/a/path"},
  };
  for (const auto& [in, want] : kCases) {
    SCOPED_TRACE(in);
    EXPECT_EQ(RobotsPathOf(in), want);
  }
}

}  // namespace
}  // namespace newsclaim::ingest
