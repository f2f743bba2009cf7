// Metadata: dates, bylines and datelines, titles, JSON-LD and <meta>, front matter, text
// dump cleaning rules.
#include <gtest/gtest.h>

#include <string>

#include "normalize/boilerplate.h"
#include "normalize/metadata.h"
#include "normalize/normalize.h"
#include "tests/unit/normalize_test_util.h"

namespace newsclaim::normalize {
namespace {

TEST(ParseDateTest, Table) {
  const std::pair<const char*, const char*> cases[] = {
      {"2025-08-21", "2025-08-21"},
      {"2025-08-21T10:05:00+08:00", "2025-08-21T10:05:00+08:00"},
      {"2019-11-18T11:30:00Z", "2019-11-18T11:30:00Z"},
      {"2025/8/21 10:05", "2025-08-21T10:05"},
      {"2021年03月23日 10:05", "2021-03-23T10:05"},
      {"发表于 2024年05月06日 23时48分 星期一", "2024-05-06T23:48"},
      {"2025年8月21日 下午3:30", "2025-08-21T15:30"},
      {"【大纪元2025年08月21日讯】", "2025-08-21"},
      {"２０２５年０８月２１日", "2025-08-21"},
      {"Aug 21, 2025", "2025-08-21"},
      {"21 August 2025", "2025-08-21"},
      {"Thu, 21 Aug 2025 10:00:00 GMT", "2025-08-21"},
      {"2025-13-45", ""},
      {"no date here 2025", ""},
      {"3.8×10^25 FLOPS", ""},
  };
  for (const auto& [in, want] : cases) {
    SCOPED_TRACE(in);
    EXPECT_EQ(internal::ParseDate(in), want);
  }
}

TEST(BylineTest, BlocksThatAreBylines) {
  struct Case {
    const char* text;
    const char* outlet;
    const char* author;
    const char* published;
  };
  const Case cases[] = {
      {"中央社／ 台北25日電", "中央社", "", ""},
      {"經濟日報／ 編譯林文彬／綜合外電", "經濟日報", "林文彬", ""},
      {"記者王小明／台北報導", "", "王小明", ""},
      {"文／陳大文", "", "陳大文", ""},
      {"Wilson (42865)发表于 2024年05月06日 23时48分 星期一 新浪微博分享", "", "Wilson",
       "2024-05-06T23:48"},
      {"date 2026-02-25 快訊", "", "", "2026-02-25"},
      {"2021年03月23日 10:05", "", "", "2021-03-23T10:05"},
      {"2024-05-06 10:00 来源：新华网 作者：张三", "新华网", "张三", "2024-05-06T10:00"},
      {"By Jane Doe and John Roe", "", "Jane Doe", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    internal::Byline b;
    ASSERT_TRUE(internal::ParseBylineBlock(c.text, &b));
    EXPECT_EQ(b.outlet, c.outlet);
    EXPECT_EQ(b.author, c.author);
    EXPECT_EQ(b.published, c.published);
  }
}

TEST(BylineTest, BlocksThatAreNot) {
  for (const char* text : {
           "中國欲大力發展AI產業 美媒指晶片製造能力拖累",
           "0:00 / 0:00",
           "AI/機器學習",
           "華盛頓智庫進步研究所總監蒂姆．菲斯特表示，今年中國企業生產的AI晶片數量約僅為外國企業的2"
           "%。",
           "比赛时间2025年8月21日，地点在北京。",
           "柯文哲7000萬交保遭撤銷 下周一再開羈押庭時間曝光",
       }) {
    SCOPED_TRACE(text);
    internal::Byline b;
    EXPECT_FALSE(internal::ParseBylineBlock(text, &b));
  }
}

TEST(BylineTest, DatelinePrefix) {
  const std::string p =
      "【大纪元2025年08月21日讯】（大纪元记者纪语安综合报导）美国总统川普刚刚允许英伟达销售。";
  internal::Byline b;
  const size_t cut = internal::ParseDatelinePrefix(p, &b);
  EXPECT_EQ(p.substr(cut), "美国总统川普刚刚允许英伟达销售。");
  EXPECT_EQ(b.outlet, "大纪元");
  EXPECT_EQ(b.author, "纪语安");
  EXPECT_EQ(b.published, "2025-08-21");

  internal::Byline none;
  EXPECT_EQ(internal::ParseDatelinePrefix("（本文参考了报导）这是正文。", &none), 0u);
  EXPECT_EQ(internal::ParseDatelinePrefix("美国总统川普刚刚允许。", &none), 0u);
}

TEST(TitleTest, SiteSuffixes) {
  std::string site;
  EXPECT_EQ(internal::CleanTitle("中國欲大力發展AI產業 | 兩岸 | 聯合新聞網", &site),
            "中國欲大力發展AI產業");
  EXPECT_EQ(site, "聯合新聞網");
  site.clear();
  EXPECT_EQ(internal::CleanTitle("分析：中国公司为何依赖英伟达芯片_大纪元", &site),
            "分析：中国公司为何依赖英伟达芯片");
  EXPECT_EQ(site, "大纪元");
  site.clear();
  EXPECT_EQ(internal::CleanTitle("A plain headline", &site), "A plain headline");
  EXPECT_EQ(site, "");
  EXPECT_EQ(internal::CleanOutlet("奇客Solidot–传递最新科技情报"), "奇客Solidot");
  EXPECT_EQ(internal::CleanOutlet("中央社"), "中央社");
}

TEST(HtmlMetadataTest, MetaAndJsonLd) {
  RawDocument raw;
  raw.format = DocFormat::kHtml;
  raw.bytes =
      "<html lang=zh-TW><head><title>標題 - 經濟日報</title>"
      "<meta property=\"og:site_name\" content=\"經濟日報\">"
      "<meta property=\"og:title\" content=\"不輸給H20？阿里巴巴傳用自家晶片訓練AI\">"
      "<link rel=canonical href=\"https://money.udn.com/a/1\">"
      "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":[{"
      "\"@type\":\"NewsArticle\",\"datePublished\":\"2025-09-12T10:05:00+08:00\",\"author\":"
      "[{\"@type\":\"Person\",\"name\":\"林文彬\"}]}]}</script></head><body><article>"
      "<p>"
      "中國大陸科技巨擘阿里巴巴集團和百度，據傳已開始以內部設計晶片訓練人工智慧模型，取代部分輝達製"
      "造的AI晶片。</p>"
      "</article></body></html>";
  StatusOr<Article> a = Normalize(raw, NormalizeOptions());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->title, "不輸給H20？阿里巴巴傳用自家晶片訓練AI");
  EXPECT_EQ(a->outlet, "經濟日報");
  EXPECT_EQ(a->author, "林文彬");
  EXPECT_EQ(a->published, "2025-09-12T10:05:00+08:00");
  EXPECT_EQ(a->canonical_url, "https://money.udn.com/a/1");
  EXPECT_EQ(a->language, "zh");
  EXPECT_EQ(a->script, "zh-Hant");
}

TEST(HtmlMetadataTest, MetaDateAndAuthorWithoutJsonLd) {
  RawDocument raw;
  raw.format = DocFormat::kHtml;
  raw.bytes =
      "<html><head><meta property=\"article:published_time\" content=\"2024-01-02T03:04:05Z\">"
      "<meta name=\"author\" content=\"Jane Doe\"><title>Chips - The Daily</title></head><body>"
      "<article><h1>Chips</h1><p>The company said on Monday that it would build a new plant in "
      "Arizona, and that the plant would make the most advanced chips in the United States by "
      "2027, according to a statement.</p></article></body></html>";
  StatusOr<Article> a = Normalize(raw, NormalizeOptions());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->published, "2024-01-02T03:04:05Z");
  EXPECT_EQ(a->author, "Jane Doe");
  EXPECT_EQ(a->title, "Chips");
  EXPECT_EQ(a->outlet, "The Daily");
  EXPECT_EQ(a->language, "en");
  EXPECT_EQ(a->script, "en");
}

TEST(TextDumpTest, FrontMatterAndMarkdown) {
  RawDocument raw;
  raw.format = DocFormat::kMarkdown;
  raw.bytes =
      "---\ntitle: \"中美 AI 芯片竞争\"\nurl: https://example.org/story?sid=1\nsource: 某站–口号\n"
      "date: 2024-05-07\n---\n\n# 中美 AI 芯片竞争\n\n* [首页](/)\n* [科技](/tech)\n\n"
      "**本文已被查看 100 次**\n\n"
      "美国限制[芯片](/tag/chip)出口正在扼杀中国在关键技术领域的进步。过去两年，生成式 AI "
      "技术的发展推动了对 AI 芯片的高涨需求。![图](https://x/y.png)\n\n"
      "京ICP证161336号 [京ICP备15039648号](http://beian.miit.gov.cn)\n";
  StatusOr<Article> a = Normalize(raw, NormalizeOptions());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->title, "中美 AI 芯片竞争");
  EXPECT_EQ(a->outlet, "某站");
  EXPECT_EQ(a->published, "2024-05-07");
  EXPECT_EQ(a->canonical_url, "https://example.org/story?sid=1");
  EXPECT_EQ(a->body,
            "美国限制芯片出口正在扼杀中国在关键技术领域的进步。过去两年，生成式 AI "
            "技术的发展推动了对 AI 芯片的高涨需求。");
}

const BoilerplateRules& Lexicon() {
  static const BoilerplateRules* rules = [] {
    StatusOr<BoilerplateRules> r =
        LoadBoilerplateRules(NEWSCLAIM_SOURCE_DIR "/rules/boilerplate.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new BoilerplateRules(r.ok() ? std::move(r).value() : BoilerplateRules());
  }();
  return *rules;
}

TEST(BoilerplateLineTest, Table) {
  for (const char* text :
       {"本文已被查看 14250 次", "0 則留言", "聽新聞", "0:00 / 0:00", "分享到微博",
        "京ICP证161336号", "举报电话：010-62641205", "Copyright © 2026 Example",
        "🎬 YouTube Premium 只需 HK$148/年", "AI H20 百度 晶片 美國 輝達", "紐約時報 算力 台積電",
        "小米集團董事長雷軍表示，小米的目標與規劃精神高度契合，作為科技公司...", "責任編輯：林妍",
        "https://www.nature.com/articles/d41586"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(internal::IsBoilerplateLine(text, Lexicon()));
  }
  for (const char* text :
       {"中國政府和民間正大力發展人工智慧產業，同時追求科技自立。",
        "美國施壓全球半導體供應鏈 限制中國取得高階晶片", "總結", "他說：「這是一個好的開始……」"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(internal::IsBoilerplateLine(text, Lexicon()));
  }
  for (const char* text : {"延伸閱讀", "相关新闻：", "**热门新闻：**", "udn討論區", "编辑推荐",
                           "Related Articles", "## Comments"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(internal::IsSectionLabel(text, Lexicon()));
  }
  EXPECT_FALSE(internal::IsSectionLabel("中國的應對與啟示", Lexicon()));
}

// ---------------------------------------------------------------------------------------
// Dates, bylines and authors where forums, blogs, portals and official documents put them.

TEST(ParseDateTest, SlashDatesOnlyWhenTheOrderIsCertain) {
  const std::pair<const char*, const char*> cases[] = {
      {"发布日期： 9/17/2004 5:54:13 AM", "2004-09-17T05:54:13"},
      {"7/5/2005 9:23:57 PM", "2005-07-05T21:23:57"},
      {"12/1/2005 12:10 AM", "2005-12-01T00:10"},
      {"17/9/2004", "2004-09-17"},
      {"9/17/2004", "2004-09-17"},
      {"5/7/2005", ""},  // day/month or month/day: unknown
      {"archive/12/27/41810.aspx", ""},
      {"3/15/20051", ""},
      {"第四届年会（2004年12月11－12日，南开大学）", ""},  // a range is an event
      {"2004年12月11日至12月12日", ""},
  };
  for (const auto& [in, want] : cases) {
    SCOPED_TRACE(in);
    EXPECT_EQ(internal::ParseDate(in), want);
  }
}

TEST(BylineTest, PostSignatures) {
  internal::Byline b;
  ASSERT_TRUE(internal::ParseBylineBlock(
      "〓 网易娱乐 明星话题 发布时间 2005/03/15 22:36:13 by duscha 〓", &b));
  EXPECT_EQ(b.author, "duscha");  // not the board name before the label
  EXPECT_EQ(b.published, "2005-03-15T22:36:13");
  EXPECT_TRUE(b.date_labelled);

  internal::Byline f;
  ASSERT_TRUE(internal::ParseBylineBlock("发表时间：2020-05-06 10:00 作者：王明", &f));
  EXPECT_EQ(f.author, "王明");
  EXPECT_EQ(f.published, "2020-05-06T10:00");

  internal::Byline c;
  ASSERT_TRUE(internal::ParseBylineBlock(
      "本贴由大卫于2005年8月12日16:12:21在〖心灵体操（在线心理咨询）〗发表.", &c));
  EXPECT_EQ(c.author, "大卫");
  EXPECT_EQ(c.published, "2005-08-12T16:12:21");
  EXPECT_TRUE(c.date_labelled);

  internal::Byline d;
  ASSERT_TRUE(internal::ParseBylineBlock("成文日期： 2022年01月27日", &d));
  EXPECT_EQ(d.published, "2022-01-27");
  EXPECT_TRUE(d.document_date);

  internal::Byline e;
  ASSERT_TRUE(internal::ParseBylineBlock("2021年03月23日 10:05", &e));
  EXPECT_FALSE(e.date_labelled);  // a bare date line
}

TEST(AuthorTest, WriterLabels) {
  EXPECT_EQ(internal::FindWriterLabel("新京报记者 彭冲 山东冠县报道"), "彭冲");
  EXPECT_EQ(internal::FindWriterLabel("作者： 罗银胜"), "罗银胜");
  EXPECT_EQ(internal::FindWriterLabel("文：眉间尺"), "眉间尺");
  EXPECT_EQ(internal::FindWriterLabel("执笔人：闵乐夫 赵兰波 刘韬 刘晋芳 胡玉顺"),
            "闵乐夫 赵兰波 刘韬 刘晋芳 胡玉顺");
  EXPECT_EQ(internal::FindWriterLabel("记者：谢谢。"), "");  // an interview, not a byline
  EXPECT_EQ(internal::FindWriterLabel("编辑：山石"), "");    // an editor, not a writer
  EXPECT_EQ(internal::FindWriterLabel("【编辑:刘欢】"), "");
  EXPECT_EQ(internal::FindWriterLabel(
                "该记者说他很高兴，这次采访让他了解到了很多过去不知道的事情，也认识了许多新朋友。"),
            "");
}

TEST(AuthorTest, TrailingBrackets) {
  EXPECT_EQ(internal::FindTrailingAuthor("（袁源）"), "袁源");
  EXPECT_EQ(internal::FindTrailingAuthor("推动云南工业高质量发展。（记者 胡晓蓉）"), "胡晓蓉");
  EXPECT_EQ(internal::FindTrailingAuthor("过一个廉洁的新春佳节。（常书香 马丹阳 ）"),
            "常书香 马丹阳");
  EXPECT_EQ(internal::FindTrailingAuthor("（新华社）"), "");
  EXPECT_EQ(internal::FindTrailingAuthor("（完）"), "");
  EXPECT_EQ(internal::FindTrailingAuthor("他说（这是一个例子）"), "");
}

TEST(AuthorTest, PersonNameLines) {
  EXPECT_TRUE(internal::IsPersonNameLine("胡平"));
  EXPECT_TRUE(internal::IsPersonNameLine(" 伊琳 李清芬 "));
  EXPECT_TRUE(internal::IsPersonNameLine("欧阳修文"));
  EXPECT_FALSE(internal::IsPersonNameLine("会议议程"));
  EXPECT_FALSE(internal::IsPersonNameLine("文章来源"));
  EXPECT_FALSE(internal::IsPersonNameLine("新华社"));
  EXPECT_FALSE(internal::IsPersonNameLine("王小明说"));
  EXPECT_FALSE(internal::IsPersonNameLine("胡平："));
}

const char kProse1[] =
    "<p>正文第一段，芯片出口管制对企业的影响正在扩大，市场反应强烈，分析人士认为这一趋势仍将持续。<"
    "/p>";
const char kProse2[] =
    "<p>"
    "正文第二段，分析人士认为，这一趋势将持续，而企业需要调整策略，以应对新的市场环境和监管要求。</"
    "p>";

TEST(PageMetadataTest, PostSignatureBeatsTheHeaderDateOfToday) {
  const Article a = testing::NormalizeHtml(
      std::string("<html><body><div class=top>2005年7月23日 星期六</div><h1>很高兴入住博客堂</h1>"
                  "<div class=post>") +
      kProse1 + kProse2 +
      "<p class=postfoot>发表于 2004年12月27日 12:40 - (阅读:3727;评论:63)</p></div>"
      "</body></html>");
  EXPECT_EQ(a.published, "2004-12-27T12:40");
}

TEST(PageMetadataTest, ThreadIsDatedAndSignedByItsOpeningPost) {
  std::string html = "<html><body><table>";
  const std::pair<const char*, const char*> posts[] = {{"2005/03/31 17:23:39", "笑呀忘啊"},
                                                       {"2005/03/28 13:54:38", "janetchangcn"},
                                                       {"2005/03/15 22:36:13", "duscha"},
                                                       {"2005/03/16 01:08:28", "mi来mi去"}};
  for (const auto& [when, who] : posts) {
    html += std::string("<tr><td>") + who + "</td><td>" + kProse1 + kProse2 +
            "<p>〓 网易娱乐 明星话题 发布时间 " + when + " by " + who + " 〓</p></td></tr>";
  }
  html += "</table></body></html>";
  const Article a = testing::NormalizeHtml(html);
  EXPECT_EQ(a.published, "2005-03-15T22:36:13");
  EXPECT_EQ(a.author, "duscha");
}

TEST(PageMetadataTest, AuthorRanking) {
  const std::string body = std::string("<div class=content>") + kProse1 + kProse2;
  const std::pair<std::string, const char*> cases[] = {
      // A writer beats an editor, whichever comes last.
      {body + "<p>新京报记者 彭冲 山东冠县报道</p><p>【编辑:刘欢】</p></div>", "彭冲"},
      // A bracketed name closing the last paragraph beats the desk editor below it.
      {std::string("<div class=content>") + kProse1 +
           "<p>正文第二段，分析人士认为，这一趋势将持续，而企业需要调整策略，以应对新的市场环境。"
           "（记者 胡晓蓉）</p></div><div>责任编辑：孙重远</div>",
       "胡晓蓉"},
      // A name that also signs the headline ("茉莉：…").
      {"<p><b>茉莉：我是怎样卷入八九民运的</b></p><p>我是怎样卷入八九民运的</p><p>茉莉</p>" + body +
           "</div>",
       "茉莉"},
      // An editor inside the content when nothing else names anyone.
      {body + "<p>来源：新闻晨报</p><p>编辑：山石</p></div>", "山石"},
      // A name alone under the headline.
      {"<p align=center><strong>比赛革命的革命</strong></p><p>胡平<br><br>" +
           std::string(kProse1).substr(3),
       "胡平"},
  };
  for (const auto& [html, want] : cases) {
    SCOPED_TRACE(html.substr(0, 80));
    EXPECT_EQ(testing::NormalizeHtml("<html><body>" + html + "</body></html>").author, want);
  }
}

TEST(PageMetadataTest, OfficialDocumentDateAndIssuer) {
  const Article a = testing::NormalizeHtml(
      std::string("<html><head><meta name=\"PubDate\" content=\"2022-01-28 00:00:00\"></head>"
                  "<body><table><tr><td>发文机关：</td><td>吉林省人民政府</td>"
                  "<td>成文日期：</td><td>2022年01月27日</td></tr>"
                  "<tr><td>发布日期：</td><td>2022年01月28日</td></tr></table>"
                  "<div class=content>") +
      kProse1 + kProse2 + "</div></body></html>");
  EXPECT_EQ(a.published, "2022-01-27");
  EXPECT_EQ(a.author, "吉林省人民政府");
}

}  // namespace
}  // namespace newsclaim::normalize
