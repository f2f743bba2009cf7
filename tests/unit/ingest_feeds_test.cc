// Feeds and sitemaps: RSS 2.0, RSS 1.0, Atom, sitemap index, url set (gzipped), Google
// News sitemap, legacy encodings, and hostile documents (XXE, billion laughs, gzip bomb,
// broken and truncated XML) from tests/data/feeds/.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/feeds.h"

namespace newsclaim::ingest {
namespace {

namespace fs = std::filesystem;

std::string ReadData(const std::string& name) {
  std::ifstream in(fs::path(NEWSCLAIM_SOURCE_DIR) / "tests/data/feeds" / name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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

StatusOr<Feed> ParseData(const std::string& name, const std::string& base,
                         const FeedOptions& options = {}) {
  return ParseFeed(ReadData(name), base, options);
}

std::vector<std::string> Urls(const Feed& feed) {
  std::vector<std::string> out;
  for (const FeedEntry& e : feed.entries) out.push_back(e.url);
  return out;
}

TEST(FeedsTest, Rss2) {
  StatusOr<Feed> feed = ParseData("rss2_udn.xml", "https://udn.com/rssfeed/news/2/7240");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, FeedKind::kRss2);
  EXPECT_EQ(feed->title, "聯合新聞網 - 科技");
  EXPECT_FALSE(feed->recovered);
  EXPECT_FALSE(feed->external_entities);
  EXPECT_EQ(Urls(*feed), (std::vector<std::string>{"https://udn.com/news/story/7240/9001001",
                                                   "https://udn.com/news/story/7240/9001002",
                                                   "https://udn.com/news/story/7240/9001003",
                                                   "https://udn.com/news/story/7240/9001005"}));
  // Dropped: the non-permalink guid and the javascript: link; the duplicate is merged.
  EXPECT_EQ(feed->skipped, 2);
  const FeedEntry& first = feed->entries[0];
  EXPECT_EQ(first.title, "輝達H20晶片 陸企訂單 約140萬到150萬顆");
  EXPECT_EQ(first.published, "2026-11-23T18:38:42+08:00");
  EXPECT_EQ(first.id, "https://udn.com/news/story/7240/9001001");
  EXPECT_EQ(feed->entries[1].title, "華為昇騰910C 量產 進度");
  EXPECT_EQ(feed->entries[1].published, "2026-11-22T09:05:00Z");
  EXPECT_EQ(feed->entries[2].published, "2026-11-21T08:00:00");
  EXPECT_EQ(feed->entries[3].published, "2026-11-20T10:00:00+08:00");  // dc:date
}

TEST(FeedsTest, Rss1Rdf) {
  StatusOr<Feed> feed = ParseData("rss1_slashdot.rdf", "https://rss.slashdot.org/Slashdot/");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, FeedKind::kRss1);
  EXPECT_EQ(feed->title, "Slashdot");
  ASSERT_EQ(feed->entries.size(), 2u);
  EXPECT_EQ(feed->entries[0].url,
            "https://hardware.slashdot.org/story/26/11/23/1838/"
            "chip-export-rules?utm_source=rss1.0mainlinkanon&utm_medium=feed");
  EXPECT_EQ(feed->entries[0].title, "US Tightens Chip Export Rules Café Edition");  // Latin-1
  EXPECT_EQ(feed->entries[0].id,
            "https://hardware.slashdot.org/story/26/11/23/1838/chip-export-rules");
  EXPECT_EQ(feed->entries[0].published, "2026-11-23T18:38:42+00:00");
  EXPECT_EQ(feed->entries[1].url, "https://tech.slashdot.org/story/26/11/22/0905/caf-numbers");
  EXPECT_EQ(feed->entries[1].published, "2026-11-22T09:05:00Z");
}

TEST(FeedsTest, Atom) {
  StatusOr<Feed> feed = ParseData("atom_blog.xml", "https://feeds.example.org/atom");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, FeedKind::kAtom);
  EXPECT_EQ(feed->title, "Chip Notes");
  EXPECT_EQ(Urls(*feed), (std::vector<std::string>{"https://www.example.org/blog/2026/11/flops",
                                                   "https://mirror.example.net/posts/2",
                                                   "https://www.example.org/blog/3"}));
  EXPECT_EQ(feed->skipped, 1);  // urn: id and no link
  EXPECT_EQ(feed->entries[0].title, "3.8×10^25 FLOPS &amp; counting");
  EXPECT_EQ(feed->entries[0].published, "2026-11-23T10:00:00+08:00");
  EXPECT_EQ(feed->entries[0].updated, "2026-11-23T12:30:00+08:00");
  EXPECT_EQ(feed->entries[0].id, "tag:example.org,2026:1");
  EXPECT_EQ(feed->entries[1].published, "2026-11-22T09:05:00Z");
  EXPECT_EQ(feed->entries[2].updated, "2026-11-21");
}

TEST(FeedsTest, SitemapIndex) {
  StatusOr<Feed> feed = ParseData("sitemap_index.xml", "https://www.example.com/sitemap.xml");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, FeedKind::kSitemapIndex);
  EXPECT_EQ(Urls(*feed),
            (std::vector<std::string>{"https://www.example.com/sitemap-news.xml",
                                      "https://www.example.com/sitemap-2026-11.xml.gz"}));
  EXPECT_EQ(feed->entries[0].updated, "2026-11-23T18:38:42+08:00");
  EXPECT_EQ(feed->skipped, 1);  // file:///etc/passwd
}

TEST(FeedsTest, GzippedUrlSet) {
  StatusOr<Feed> feed = ParseData("sitemap_urlset.xml.gz", "https://www.example.com/s.xml.gz");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, FeedKind::kUrlSet);
  EXPECT_EQ(Urls(*feed), (std::vector<std::string>{"https://www.example.com/a/1.html",
                                                   "https://www.example.com/a/2.html?x=1&y=2",
                                                   "https://www.example.com/a/3.html"}));
  EXPECT_EQ(feed->entries[0].updated, "2026-11-23");
  EXPECT_EQ(feed->entries[1].updated, "2026-11-22T09:05:00Z");
  EXPECT_EQ(feed->entries[2].updated, "");
}

TEST(FeedsTest, GoogleNewsSitemap) {
  StatusOr<Feed> feed = ParseData("news_sitemap.xml", "https://www.epochtimes.com/news.xml");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, FeedKind::kUrlSet);
  ASSERT_EQ(feed->entries.size(), 2u);
  EXPECT_EQ(feed->entries[0].url, "https://www.epochtimes.com/gb/26/11/23/n1000001.htm");
  EXPECT_EQ(feed->entries[0].title, "美国收紧AI芯片出口 华为昇腾910C受关注");
  EXPECT_EQ(feed->entries[0].published, "2026-11-23T18:38:42+08:00");
  EXPECT_EQ(feed->entries[1].title, "昆仑芯P800 出货超过3万片");
  EXPECT_EQ(feed->entries[1].published, "2026-11-22");
}

TEST(FeedsTest, LegacyEncodings) {
  StatusOr<Feed> gb = ParseData("rss2_gb18030.xml", "https://www.solidot.org/index.rss");
  ASSERT_TRUE(gb.ok()) << gb.status().ToString();
  EXPECT_EQ(gb->title, "奇客Solidot–传递最新科技情报");
  ASSERT_EQ(gb->entries.size(), 1u);
  EXPECT_EQ(gb->entries[0].title, "英伟达H20芯片在华销量约为外国企业的2%");
  StatusOr<Feed> big5 = ParseData("rss2_big5.xml", "https://news.example.hk/rss");
  ASSERT_TRUE(big5.ok()) << big5.status().ToString();
  ASSERT_EQ(big5->entries.size(), 1u);
  EXPECT_EQ(big5->entries[0].title, "輝達晶片出口管制　超過800億美元");
  EXPECT_EQ(big5->entries[0].published, "2026-11-23T10:00:00");  // HKT: zone unknown
}

// Regression guard for XXE: external entities must contribute nothing, never file bytes.
TEST(FeedsTest, ExternalEntitiesAreNotRead) {
  StatusOr<Feed> feed = ParseData("xxe.xml", "https://evil.example/rss");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->title.find("root:"), std::string::npos) << feed->title;
  ASSERT_EQ(feed->entries.size(), 1u);
  EXPECT_EQ(feed->entries[0].title, "leak: safe text");
  EXPECT_EQ(feed->entries[0].url, "https://evil.example/");
  EXPECT_TRUE(feed->external_entities);  // flagged, so the CLI can refuse the document

  // The same against a file whose content we know, through every place a value is read.
  const fs::path secret =
      fs::temp_directory_path() / ("nc_feeds_secret_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(secret) << "TOPSECRET-4711";
  const std::string uri = "file://" + secret.string();
  const std::string docs[] = {
      "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY s SYSTEM \"" + uri +
          "\">]><rss version=\"2.0\"><channel><title>&s;</title><item><title>&s;</title>"
          "<link>https://a.example/&s;</link></item></channel></rss>",
      "<?xml version=\"1.0\"?><!DOCTYPE urlset [<!ENTITY s SYSTEM \"" + uri +
          "\">]><urlset><url><loc>https://a.example/&s;</loc><news:news "
          "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><news:title>&s;"
          "</news:title></news:news></url></urlset>",
      "<?xml version=\"1.0\"?><!DOCTYPE feed [<!ENTITY % p SYSTEM \"" + uri +
          "\"> %p;]><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><entry>"
          "<title>x</title><link href=\"https://a.example/1\"/></entry></feed>",
      "<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"" + uri +
          "\"><rss version=\"2.0\"><channel><item><title>&s;</title>"
          "<link>https://a.example/1</link></item></channel></rss>",
  };
  for (const std::string& doc : docs) {
    SCOPED_TRACE(doc);
    StatusOr<Feed> f = ParseFeed(doc, "https://a.example/", {});
    if (!f.ok()) continue;  // refusing the document is fine too
    EXPECT_EQ(f->title.find("TOPSECRET"), std::string::npos);
    for (const FeedEntry& e : f->entries) {
      EXPECT_EQ(e.title.find("TOPSECRET"), std::string::npos);
      EXPECT_EQ(e.url.find("TOPSECRET"), std::string::npos);
    }
  }
  fs::remove(secret);
}

TEST(FeedsTest, BillionLaughsStaysSmall) {
  StatusOr<Feed> feed = ParseData("billion_laughs.xml", "https://a.example/rss");
  if (feed.ok()) {
    EXPECT_LE(feed->title.size(), 4096u);
    for (const FeedEntry& e : feed->entries) EXPECT_LE(e.title.size(), 4096u);
  }
}

TEST(FeedsTest, BrokenXmlIsRecovered) {
  StatusOr<Feed> feed = ParseData("broken_ampersand.xml", "https://a.example/rss");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_TRUE(feed->recovered);
  const std::vector<std::string> urls = Urls(*feed);
  EXPECT_NE(std::find(urls.begin(), urls.end(), "https://a.example/2"), urls.end());

  StatusOr<Feed> cut = ParseData("truncated.xml", "https://a.example/rss");
  ASSERT_TRUE(cut.ok()) << cut.status().ToString();
  EXPECT_TRUE(cut->recovered);
  ASSERT_GE(cut->entries.size(), 1u);
  EXPECT_EQ(cut->entries[0].url, "https://a.example/1");
}

// Regression: libxml2 printed "encoding error : input conversion failed" on stderr for
// bytes invalid in the declared encoding, which a cron job must not do.
TEST(FeedsTest, BadBytesInDeclaredEncodingStayQuiet) {
  const std::string doc =
      "<?xml version=\"1.0\" encoding=\"Big5\"?><rss version=\"2.0\"><channel><item>"
      "<title>\x80\x8a\xe9\x87</title><link>https://a.example/1</link></item></channel></rss>";
  ::testing::internal::CaptureStderr();
  StatusOr<Feed> feed = ParseFeed(doc, "https://a.example/", {});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  (void)feed;
}

struct FailCase {
  const char* name;
  std::string bytes;
  StatusCode code;
};

TEST(FeedsTest, Failures) {
  const std::string bomb = Gzip(std::string(8 << 20, '<'));
  std::string corrupt = Gzip(ReadData("rss2_udn.xml"));
  corrupt.resize(corrupt.size() / 2);
  const FailCase kCases[] = {
      {"html_page", ReadData("not_a_feed.html"), StatusCode::kInvalidArgument},
      {"empty", "", StatusCode::kInvalidArgument},
      {"plain_text", "just some words, not XML", StatusCode::kInvalidArgument},
      {"json", "{\"items\": []}", StatusCode::kInvalidArgument},
      {"other_xml", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
       StatusCode::kInvalidArgument},
      {"rdf_without_rss", "<rdf:RDF xmlns:rdf=\"urn:not-rdf\"><item/></rdf:RDF>",
       StatusCode::kInvalidArgument},
      {"gzip_bomb", bomb, StatusCode::kResourceExhausted},
      {"corrupt_gzip", corrupt, StatusCode::kDataLoss},
  };
  FeedOptions options;
  options.max_bytes = 1 << 20;
  for (const FailCase& c : kCases) {
    SCOPED_TRACE(c.name);
    StatusOr<Feed> feed = ParseFeed(c.bytes, "https://a.example/", options);
    ASSERT_FALSE(feed.ok());
    EXPECT_EQ(feed.status().code(), c.code) << feed.status().ToString();
  }
  options.max_bytes = 100;
  StatusOr<Feed> big = ParseData("rss2_udn.xml", "https://udn.com/", options);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
}

TEST(FeedsTest, MaxEntries) {
  FeedOptions options;
  options.max_entries = 2;
  StatusOr<Feed> feed = ParseData("rss2_udn.xml", "https://udn.com/x", options);
  ASSERT_TRUE(feed.ok());
  EXPECT_EQ(feed->entries.size(), 2u);
  EXPECT_EQ(feed->skipped, 4);  // 2 without a URL + 2 past the cap
}

TEST(FeedsTest, NormalizeDate) {
  const std::pair<const char*, const char*> kCases[] = {
      {"Mon, 23 Nov 2026 18:38:42 +0800", "2026-11-23T18:38:42+08:00"},
      {"Mon, 23 Nov 2026 18:38:42 GMT", "2026-11-23T18:38:42Z"},
      {"23 Nov 2026 18:38 -0500", "2026-11-23T18:38:00-05:00"},
      {"Mon,  3 Nov 26 08:00:00 EST", "2026-11-03T08:00:00-05:00"},
      {"Tue, 1 Sept 2026 01:02:03 PDT", "2026-09-01T01:02:03-07:00"},
      {"Mon, 23 Nov 2026 18:38:42", "2026-11-23T18:38:42"},
      {"Mon, 23 Nov 2026 18:38:42 CET", "2026-11-23T18:38:42"},
      {"  2026-11-23  ", "2026-11-23"},
      {"2026", "2026"},
      {"2026-11", "2026-11"},
      {"2026-11-23T18:38Z", "2026-11-23T18:38:00Z"},
      {"2026-11-23T18:38:42.5+08:00", "2026-11-23T18:38:42+08:00"},
      {"2026-11-23t18:38:42z", "2026-11-23T18:38:42Z"},
      {"2026-11-23 18:38:42", "2026-11-23T18:38:42"},
      {"2026-11-23T18:38:42+0800", "2026-11-23T18:38:42+08:00"},
      // Not dates.
      {"", ""},
      {"yesterday", ""},
      {"2026-13-01", ""},
      {"2026-02-30", ""},
      {"2026-11-23T25:00:00Z", ""},
      {"2026-11-23T18:38:42+0800junk", ""},
      {"Mon, 32 Nov 2026 18:38:42 GMT", ""},
      {"Mon, 23 Foo 2026 18:38:42 GMT", ""},
      {"Mon, 23 Nov 2026 8:38 GMT", ""},
      {"2026年11月23日", ""},
  };
  for (const auto& [in, want] : kCases) {
    SCOPED_TRACE(in);
    EXPECT_EQ(NormalizeFeedDate(in), want);
  }
}

}  // namespace
}  // namespace newsclaim::ingest
