// HTML cleaning: boilerplate elements and class/id hints, content scoring across layouts
// (<div> articles, bodies split over siblings, <br> runs, <td> layouts), deep nesting.
#include <gtest/gtest.h>

#include <string>

#include "normalize/html_clean.h"
#include "normalize/normalize.h"
#include "tests/unit/normalize_test_util.h"

namespace newsclaim::normalize {
namespace {

const char kP1[] =
    "中國政府和民間正大力發展人工智慧產業，同時在美國出口管制下追求科技自立。但美媒指出，中國本土製"
    "造晶片遠無法滿足其AI發展需求。";
const char kP2[] =
    "報導指出，三屆美國政府均透過出口管制阻止中國企業購買先進晶片及製造設備，這是中國晶片性能落後的"
    "原因之一。";
const char kP3[] =
    "華盛頓智庫進步研究所總監表示，今年中國企業生產的AI晶片數量約僅為外國企業的2%，差距仍在擴大。";

std::string P(const char* s) { return std::string("<p>") + s + "</p>"; }

TEST(HtmlCleanTest, DropsBoilerplateElementsAndHintedBlocks) {
  const std::string html =
      "<html><head><title>晶片製造能力拖累 | 聯合新聞網</title><style>p{color:red}</style>"
      "<script>var a='不該出現';</script></head><body>"
      "<header><a href=/>首頁</a><a href=/news>新聞</a></header>"
      "<nav><ul><li><a href=/a>要聞</a></li><li><a href=/b>兩岸</a></li></ul></nav>"
      "<div class=\"main-content\"><h1>晶片製造能力拖累</h1>" +
      P(kP1) + "<h2>產能差距</h2>" + P(kP2) + P(kP3) +
      "<div class=\"related-news\"><h3>相關新聞</h3><ul><li><a "
      "href=/x>現代廠逾300工人包機返韓，示威者舉標語接機</a></li>"
      "<li><a href=/y>柯文哲7000萬交保遭撤銷</a></li></ul></div>"
      "<div id=\"comments\">網友評論：這篇文章很好，值得一讀再讀，謝謝分享。</div>"
      "<div class=\"share-bar\"><a href=#>分享到微博</a></div></div>"
      "<aside><p>熱門文章：川普啟動展銷模式高喊贏太多，好戲還在後頭。</p></aside>"
      "<footer>聯合新聞網 版權所有 © 2026</footer><noscript>請開啟JavaScript</noscript>"
      "</body></html>";
  const Article a = testing::NormalizeHtml(html);
  EXPECT_NE(a.body.find(kP1), std::string::npos);
  EXPECT_NE(a.body.find(kP2), std::string::npos);
  EXPECT_NE(a.body.find(kP3), std::string::npos);
  EXPECT_NE(a.body.find("產能差距"), std::string::npos) << "the article's own heading is kept";
  for (const char* bad : {"不該出現", "首頁", "要聞", "現代廠逾300工人", "柯文哲", "網友評論",
                          "分享到", "熱門文章", "版權所有", "JavaScript", "color"}) {
    EXPECT_EQ(a.body.find(bad), std::string::npos) << bad;
  }
  EXPECT_EQ(a.title, "晶片製造能力拖累");
  EXPECT_EQ(a.outlet, "聯合新聞網");
  EXPECT_EQ(a.body.find("晶片製造能力拖累"), std::string::npos) << "headline is metadata";
}

TEST(HtmlCleanTest, ParagraphsAreJoinedByNewlines) {
  const Article a = testing::NormalizeHtml("<html><body><article>" + P(kP1) + P(kP2) +
                                           "</article></body></html>");
  EXPECT_EQ(a.body, std::string(kP1) + "\n" + kP2);
}

TEST(HtmlCleanTest, BrSeparatedRunsBecomeParagraphs) {
  const Article a =
      testing::NormalizeHtml(std::string("<html><body><div class=menu><a href=/>首頁</a></div>"
                                         "<div id=text>") +
                             kP1 + "<br><br>" + kP2 + "<br>" + kP3 + "</div></body></html>");
  EXPECT_EQ(a.body, std::string(kP1) + "\n" + kP2 + "\n" + kP3);
}

TEST(HtmlCleanTest, TableLayoutFindsTheContentCell) {
  std::string nav;
  for (int i = 0; i < 12; ++i)
    nav += "<a href=/n" + std::to_string(i) + ">頻道" + std::to_string(i) + "</a> | ";
  const Article a = testing::NormalizeHtml(
      "<html><body><table><tr><td colspan=2>" + nav + "</td></tr><tr><td width=600>" + P(kP1) +
      P(kP2) + P(kP3) +
      "</td><td><a href=/ad><img src=x.jpg alt=廣告></a><br><a href=/z>推薦閱讀</a>"
      "</td></tr></table></body></html>");
  EXPECT_EQ(a.body, std::string(kP1) + "\n" + kP2 + "\n" + kP3);
}

TEST(HtmlCleanTest, BodySplitOverSiblingBlocks) {
  const Article a = testing::NormalizeHtml(
      "<html><body><div class=wrap><div class=part>" + P(kP1) + P(kP2) +
      "</div><div class=ad-slot><a href=/buy>立即購買</a></div><div class=part>" + P(kP3) + P(kP1) +
      "</div></div></body></html>");
  EXPECT_NE(a.body.find(kP2), std::string::npos);
  EXPECT_NE(a.body.find(kP3), std::string::npos);
  EXPECT_EQ(a.body.find("立即購買"), std::string::npos);
}

TEST(HtmlCleanTest, DataTablesAndListsInTheArticleAreKept) {
  const Article a = testing::NormalizeHtml(
      "<html><body><article>" + P(kP1) +
      "<table><tr><th>晶片</th><th>製程</th></tr><tr><td>Ascend 910C</td>"
      "<td>7奈米</td></tr></table>" +
      P(kP2) + "<ul><li>第一，產能不足，良率偏低。</li><li>第二，軟體生態落後。</li></ul>" +
      P(kP3) + "</article></body></html>");
  EXPECT_NE(a.body.find("Ascend 910C\t7奈米"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find("第一，產能不足，良率偏低。"), std::string::npos) << a.body;
}

TEST(HtmlCleanTest, DeepNestingDoesNotOverflow) {
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += P(kP1);
  for (int i = 0; i < 100000; ++i) html += "</div>";
  html += "</body></html>";
  const Article a = testing::NormalizeHtml(html);
  EXPECT_NE(a.body.find(kP1), std::string::npos);
}

TEST(HtmlCleanTest, DeepUnclosedInlineElements) {
  std::string html = "<html><body><p>";
  for (int i = 0; i < 50000; ++i) html += "<b><i>";
  html += kP1;
  const Article a = testing::NormalizeHtml(html);
  EXPECT_NE(a.body.find(kP1), std::string::npos);
}

TEST(HtmlCleanTest, MostlyMarkupTextDumpIsParsedAsHtml) {
  std::string html = "<div class=nav><a href=/1>一</a><a href=/2>二</a><a href=/3>三</a></div>";
  html += "<table><tr><td>" + P(kP1) + P(kP2) + P(kP3) + "</td></tr></table>";
  EXPECT_TRUE(internal::LooksLikeHtml(html));
  EXPECT_FALSE(internal::LooksLikeHtml(std::string(kP1) + "\n<br>\n" + kP2));
  RawDocument raw;
  raw.bytes = html;
  raw.format = DocFormat::kText;
  StatusOr<Article> a = Normalize(raw, NormalizeOptions());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->body, std::string(kP1) + "\n" + kP2 + "\n" + kP3);
}

TEST(HtmlCleanTest, CaptionAfterImageIsNotBody) {
  const Article a = testing::NormalizeHtml(
      "<html><body><article><img "
      "src=a.jpg><h6>2025年7月26日，英偉達總部外景。（周容／大紀元）</h6>" +
      P(kP1) + P(kP2) + "</article></body></html>");
  EXPECT_EQ(a.body.find("周容"), std::string::npos);
  EXPECT_NE(a.body.find(kP1), std::string::npos);
}

// Wire-service style: short paragraphs, none long enough to be "good" prose alone, and a
// sentence made of names with few function words.
TEST(HtmlCleanTest, ShortNewsParagraphsAreAllKept) {
  const char* paras[] = {
      "A row involving Taylor Swift, her former record label and a couple of big name US "
      "politicians looks like it is coming to an end.",
      "Swift got high profile support last week, after accusing them of trying to stop her "
      "performing her back catalogue.",
      "But the company says she didn't need their permission in the first place.",
      "Braun has worked with the likes of Kanye West and Kim Kardashian - both of whom Taylor "
      "Swift has had feuds with in the past.",
      "Her post got the attention of two big-name Democratic politicians: Senator Elizabeth "
      "Warren and congresswoman Alexandria Ocasio-Cortez."};
  std::string html = "<html><body><div class=story>";
  for (const char* p : paras) html += P(p);
  html += "</div><div class=more><a href=/a>Other news</a></div></body></html>";
  const Article a = testing::NormalizeHtml(html);
  for (const char* p : paras) EXPECT_NE(a.body.find(p), std::string::npos) << p;
  EXPECT_EQ(a.body.find("Other news"), std::string::npos);
}

// The article ends in plain lines (a list of dates) that are text, up to the first link
// or boilerplate line.
TEST(HtmlCleanTest, PlainLinesClosingTheArticleAreKept) {
  const Article a = testing::NormalizeHtml(
      "<html><body><article>"
      "<p>The Doobie Brothers will unite with former frontman Michael McDonald for a 2020 North "
      "American tour celebrating the band's 50th anniversary, and they announced it while "
      "closing out their concert at the Ryman Auditorium in Nashville.</p>"
      "<p>Tickets for the anniversary tour go on sale to the general public starting Friday, "
      "December 6th, at 10 a.m. local time, and the band said it was truly excited about a "
      "celebration of its entire history.</p>"
      "<p>The Doobie Brothers Tour Dates</p>"
      "<p>June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre<br>June 10 – Tampa, FL @ "
      "MidFlorida Amphitheatre<br>June 17 – Nashville, TN @ Bridgestone Arena</p>"
      "<p><a href=/x>Sign up for our newsletter</a></p><p>More music news</p>"
      "</article></body></html>");
  for (const char* line : {"The Doobie Brothers Tour Dates", "June 9 – West Palm Beach",
                           "June 17 – Nashville, TN @ Bridgestone Arena"}) {
    EXPECT_NE(a.body.find(line), std::string::npos) << line;
  }
  EXPECT_EQ(a.body.find("Sign up"), std::string::npos);
  EXPECT_EQ(a.body.find("More music news"), std::string::npos) << "after the link line";
}

// Slideshow furniture inside the article: a caption in its short and expanded forms,
// viewer controls, counters, a JavaScript notice and a contact address go; a separator
// rule between paragraphs stays.
TEST(HtmlCleanTest, SlideshowFurnitureInsideTheArticleIsDropped) {
  const char kLead[] =
      "HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper on Wednesday accused China of "
      "using coercion and intimidation to advance its interests in the region, which he said "
      "was a threat to smaller nations.";
  const char kQuote[] =
      "\"We will not accept attempts to assert unlawful maritime claims at the expense of "
      "law-abiding nations,\" Esper said in a speech to Vietnamese officials at the ministry.";
  const char kLast[] =
      "Vietnam is one of the region's most vocal critics of China's sweeping territorial "
      "claims in the South China Sea, and it has sought closer ties with Washington in "
      "recent years.";
  const Article a = testing::NormalizeHtml(
      std::string("<html><body><div class=article>") + P(kLead) +
      "<p>U.S. Defense Secretary Mark Esper, left, and Vietnamese Defense Minister Ngo Xuan "
      "Lich shake hands in Hanoi on Wednesday during a visit. less</p>"
      "<p>U.S. Defense Secretary Mark Esper, left, and Vietnamese Defense Minister Ngo Xuan "
      "Lich shake hands in Hanoi ... more</p><p>Caption</p><p>Close</p><p>1 of 6</p>" +
      P(kQuote) + "<p>This slideshow requires JavaScript.</p><p>___</p>" + P(kLast) +
      "<p>reporter.name@example.com</p></div></body></html>");
  EXPECT_EQ(a.body, std::string(kLead) + "\n" + kQuote + "\n___\n" + kLast);
}

// An article printed in chunks of one template between ad rows: every chunk is kept,
// though the first is much shorter than the second.
TEST(HtmlCleanTest, ArticleChunksOfOneTemplateAreJoined) {
  auto chunk = [](const std::string& paras) {
    return "<div class=grid><div class=\"body article__body\">" + paras +
           "</div><div class=rail></div></div>";
  };
  const Article a = testing::NormalizeHtml(
      "<html><body><div class=chunks>" + chunk(P(kP1)) +
      "<div class=\"row full-bleed\"><span>Advertisement</span></div>" +
      chunk(P(kP2) + P(kP3) + P(kP2) + P(kP3) + P(kP2)) + "</div></body></html>");
  EXPECT_NE(a.body.find(kP1), std::string::npos) << a.body;
  EXPECT_NE(a.body.find(kP3), std::string::npos) << a.body;
  EXPECT_EQ(a.body.find("Advertisement"), std::string::npos);
}

}  // namespace
}  // namespace newsclaim::normalize
