// Metadata: dates, bylines and datelines, titles, JSON-LD and <meta>, front matter, text
// dump cleaning rules.
#include <gtest/gtest.h>

#include <string>

#include "normalize/boilerplate.h"
#include "normalize/metadata.h"
#include "normalize/normalize.h"

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

}  // namespace
}  // namespace newsclaim::normalize
