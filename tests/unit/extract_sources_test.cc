// Tests of attribution cues and figure attribution (extract/sources.cc) with
// rules/sources.toml.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/utf8.h"
#include "extract/sources.h"
#include "normalize/normalize.h"
#include "tests/unit/extract_chips_test_util.h"

namespace newsclaim::extract {
namespace {

using testing::LoadInto;
using testing::LoadText;
using testing::MakeArticle;

class SourcesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rules_ = new SourceRules();
    diags_ =
        new std::vector<RuleDiagnostic>(LoadInto(rules_, testing::RulesDir() + "/sources.toml"));
  }
  static void TearDownTestSuite() {
    delete rules_;
    delete diags_;
  }
  static std::vector<std::string> Names(const std::string& body) {
    std::vector<std::string> out;
    for (const Source& s : rules_->Find(MakeArticle(body))) out.push_back(s.name);
    return out;
  }
  // The source name attributed to the figure written as `figure` (its first occurrence
  // after `after`), or "" when none.
  static std::string SourceOf(const std::string& body, const std::string& figure,
                              const std::string& after = "") {
    Article a = MakeArticle(body);
    std::vector<Source> sources = rules_->Find(a);
    size_t from = after.empty() ? 0 : body.find(after);
    size_t at = body.find(figure, from == std::string::npos ? 0 : from);
    EXPECT_NE(at, std::string::npos) << figure;
    if (at == std::string::npos) return "?";
    std::vector<Figure> figures(1);
    figures[0].span = {static_cast<uint32_t>(at), static_cast<uint32_t>(at + figure.size())};
    rules_->Attribute(a, sources, &figures);
    if (figures[0].source < 0) return "";
    EXPECT_LT(static_cast<size_t>(figures[0].source), sources.size());
    return sources[figures[0].source].name;
  }
  static SourceRules* rules_;
  static std::vector<RuleDiagnostic>* diags_;
};
SourceRules* SourcesTest::rules_ = nullptr;
std::vector<RuleDiagnostic>* SourcesTest::diags_ = nullptr;

TEST_F(SourcesTest, RuleFileLoadsCleanly) {
  for (const RuleDiagnostic& d : *diags_) ADD_FAILURE() << d.ToString();
  EXPECT_GT(rules_->size(), 10u);
}

struct FindCase {
  const char* name;
  const char* text;
  std::vector<std::string> want;  // source names in body order
};

TEST_F(SourcesTest, FindsNames) {
  const FindCase cases[] = {
      {"person with affiliation",
       "美國智庫蘭德公司（RAND）研究員海姆（Lennart Heim）也表示，華為取得約三百萬顆晶片。",
       {"美國智庫蘭德公司（RAND）研究員海姆（Lennart Heim）", "美國智庫蘭德公司（RAND）"}},
      {"outlet in book marks", "據《金融時報》報導，美國不會出售最好的產品。", {"金融時報"}},
      {"according to firm",
       "据半导体研究公司SemiAnalysis估计，Nvidia生产了约一百万颗。",
       {"半导体研究公司SemiAnalysis"}},
      {"insiders", "知情人士透露，阿里巴巴已開始攜手中芯國際生產。", {"知情人士"}},
      {"firm predicts", "IDTechEx預測，AI晶片市場將達到4,530億美元。", {"IDTechEx"}},
      {"spokesperson with quote", "輝達發言人說：「競爭確實已來臨。」", {"輝達發言人"}},
      {"relayed",
       "科技媒體The Information引述知情人士說法報導，阿里巴巴持續訓練模型。",
       {"科技媒體The Information", "知情人士"}},
      {"leading conjunction", "但分析師表示，這些晶片仍包含關鍵組件。", {"分析師"}},
      {"adverb and report",
       "SemiAnalysis之前还发布报告指出，华为芯片采用台积电7奈米。",
       {"SemiAnalysis"}},
      {"time word", "紐約時報中文網今天報導，中國企業均已啟動晶片設計業務。", {"紐約時報中文網"}},
      {"date inside", "智譜AI在1月表示，其最新大模型已完全基於華為晶片。", {"智譜AI"}},
      {"title and name",
       "華盛頓智庫進步研究所總監蒂姆．菲斯特表示，今年中國企業生產的AI晶片數量約僅為外國企業的2%。",
       {"華盛頓智庫進步研究所總監蒂姆．菲斯特", "華盛頓智庫進步研究所"}},
      {"minister",
       "美国商务部长卢特尼克（Howard Lutnick）表示，美国不会出售最好的产品。",
       {"美国商务部长卢特尼克（Howard Lutnick）"}},
      {"latin names with spaces",
       "清华大学的电机工程师 Yu Wang 说，我们无法获得高端芯片。",
       {"清华大学的电机工程师 Yu Wang", "清华大学"}},
      {"rule maker", "2024年12月，BIS再將24款半導體生產設備納入限制清單。", {"BIS"}},
      {"conjunction before name", "虽然中芯称已能生产7奈米芯片。", {"中芯"}},
      {"according to", "Sales rose 5%, according to Reuters.", {"Reuters"}},
      {"according to a report",
       "According to a report by TrendForce, prices fell.",
       {"TrendForce"}},
      {"said",
       "Analysts at Bernstein estimated the market at $50 billion.",
       {"Analysts at Bernstein"}},
      {"said after quote", "\"Demand is strong,\" said Jane Doe, an analyst.", {"Jane Doe"}},
      {"per", "Prices rose 5% last year, per Bloomberg.", {"Bloomberg"}},
      {"statement", "英伟达在声明中表示，销售额增长了5%。", {"英伟达"}},
      {"interview", "黄仁勋接受CNBC采访时表示，需求强劲。", {"黄仁勋"}},
      {"published data", "国家统计局公布的数据显示，出口增长5%。", {"国家统计局"}},
      {"adverb of time", "中共长期宣称要实现科技自主。", {"中共"}},
      {"credited report", "（本文参考了Tom’s Hardware的报导）", {"Tom’s Hardware"}},
      {"pronoun then verb", "分析师海姆表示，需求强劲。他补充说，价格会上涨。", {"分析师海姆"}},
      {"outlet then says", "美媒报道称，中国晶片产量不足。", {"美媒"}},
  };
  for (const FindCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Names(c.text), c.want) << c.text;
  }
}

TEST_F(SourcesTest, IgnoresWhatIsNoAttribution) {
  const FindCase cases[] = {
      {"lai shuo", "對發展AI來說，存儲晶片和先進晶片都十分重要。", {}},
      {"hao cheng", "华为AI处理器Ascend 910C号称是中国制。", {}},
      {"relative clause", "这些内容收录在最新发布的报告中。", {}},
      {"no name", "预计未来算力需求只会有增无减。", {}},
      {"reportedly", "阿里巴巴和百度据传已开始以内部设计晶片训练AI模型。", {}},
      {"it is understood", "据悉，双方已达成协议。", {}},
      {"demonstrative", "这表示价格还会上涨。", {}},
      {"byline", "（大紀元記者紀語安綜合報導）美國總統川普允許輝達出售晶片。", {}},
      {"english pronoun", "It said that prices rose.", {}},
      {"per cent", "It grew 5 per cent per year.", {}},
      {"anaphor alone", "報導指出，三屆美國政府均透過出口管制阻止中國企業。", {}},
      {"leading word alone", "據報導，智譜AI提交了文件。", {}},
      {"negated", "中芯國際未透露產量。", {}},
      {"for example", "舉例說，Meta的模型訓練一次需3.8×10^25 FLOPS。", {}},
      {"in a book title", "收錄在《數據中心與雲端AI晶片:技術、市場與預測》中。", {}},
  };
  for (const FindCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Names(c.text), c.want) << c.text;
  }
}

TEST_F(SourcesTest, KindsFromMarkers) {
  struct KindCase {
    const char* text;
    EntityKind kind;
  };
  const KindCase cases[] = {
      {"據《金融時報》報導，價格上漲。", EntityKind::kOutlet},
      {"知情人士透露，價格上漲。", EntityKind::kPerson},
      {"据半导体研究公司SemiAnalysis估计，价格上涨。", EntityKind::kOrganisation},
      {"IDTechEx預測，價格上漲。", EntityKind::kOrganisation},
      {"輝達發言人說，價格上漲。", EntityKind::kPerson},
      {"路透社報導，價格上漲。", EntityKind::kOutlet},
  };
  for (const KindCase& c : cases) {
    SCOPED_TRACE(c.text);
    std::vector<Source> s = rules_->Find(MakeArticle(c.text));
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(EntityKindName(s[0].kind), std::string(EntityKindName(c.kind)));
  }
}

TEST_F(SourcesTest, SpansPointIntoBody) {
  const std::string body = "另外，研究機構ＴｒｅｎｄＦｏｒｃｅ指出，價格上漲5%。";
  std::vector<Source> s = rules_->Find(MakeArticle(body));
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].name, "研究機構ＴｒｅｎｄＦｏｒｃｅ");
  EXPECT_EQ(body.substr(s[0].span.begin, s[0].span.end - s[0].span.begin), s[0].name);
}

struct AttributeCase {
  const char* name;
  const char* text;
  const char* figure;
  const char* want;  // substring of the source name, "" for none
  const char* after = "";
};

TEST_F(SourcesTest, AttributesFigures) {
  const AttributeCase cases[] = {
      {"cue before in sentence",
       "華盛頓智庫進步研究所總監蒂姆．菲斯特表示，今年中國企業生產的AI晶片數量約僅為外國企業的2%。",
       "2%", "菲斯特"},
      {"cue after in sentence", "中国在 AI 芯片上落后美国 5-10 年，Ahmed Banafa 表示。", "5-10 年",
       "Ahmed Banafa"},
      {"nearest cue before wins",
       "據《金融時報》報導，7月15日，美國商務部長盧特尼克表示，美國將出售15%的產品。", "15%",
       "盧特尼克"},
      {"according to", "据半导体研究公司SemiAnalysis估计，Nvidia去年生产了约一百万颗HGX H20。",
       "约一百万颗", "SemiAnalysis"},
      {"two figures one cue",
       "IDTechEx預測，AI晶片市場到2030年將達到4,530億美元，複合年增長率達14%。", "14%", "IDTechEx"},
      {"person not next sentence",
       "加州的工程师 Ahmed Banafa 表示，中国落后美国 5-10 年。华为的最先进技术只有 7 纳米。",
       "7 纳米", ""},
      {"no cue", "NVIDIA僅靠數據中心GPU就錄得超過800億美元收入。", "800億美元", ""},
      {"report continues outlet across paragraphs",
       "紐約時報中文網今天報導，中國企業正在興建數十座工廠。\n菲斯特表示，產量約為2%。\n報導說，"
       "中外廠商的產量差距達到30%。",
       "30%", "紐約時報"},
      {"framing paragraph",
       "據《金融時報》報導，北京要求企業暫停採購。此舉影響約20%的訂單。\n另一段有5%。", "20%",
       "金融時報"},
      {"framing ends with paragraph", "據《金融時報》報導，北京要求企業暫停採購。\n另一段有5%。",
       "5%", ""},
      {"quotation continues", "輝達發言人說：「競爭確實已來臨。我們的份額仍有80%。」另有報告。",
       "80%", "輝達發言人"},
      {"pronoun", "分析师海姆表示，需求强劲。\n他说，价格会上涨10%。", "10%", "海姆"},
      {"rule maker",
       "2024年12月，BIS再將24款半導體生產設備及3款軟件工具納入限制清單，另有140家中國企業被列入「實"
       "體清單」。",
       "140家", "BIS"},
      {"conjunction", "虽然中芯称已能生产7奈米芯片，并计划推进至6奈米与5奈米。", "5奈米", "中芯"},
      {"english", "Sales rose 5% last year, according to Reuters.", "5%", "Reuters"},
      {"quotation before cue", "「我們的份額仍有80%。」輝達發言人說。", "80%", "輝達發言人"},
      {"english quotation before cue", "\"Our share is 80%,\" said Jane Doe, an analyst.", "80%",
       "Jane Doe"},
      {"report anaphor without outlet falls back", "報導說，產量差距達到30%。", "30%", ""},
  };
  for (const AttributeCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::string got = SourceOf(c.text, c.figure, c.after);
    if (std::string(c.want).empty()) {
      EXPECT_EQ(got, "") << c.text;
    } else {
      EXPECT_NE(got.find(c.want), std::string::npos) << "got '" << got << "' in " << c.text;
    }
  }
}

// Extract uses FindAndAttribute (one scan of the text): the same sources as Find and the
// same attribution as Attribute with them, for every figure position of the cases.
TEST_F(SourcesTest, FindAndAttributeEqualsFindThenAttribute) {
  const char* texts[] = {
      "據《金融時報》報導，7月15日，美國商務部長盧特尼克表示，美國將出售15%的產品。",
      "紐約時報中文網今天報導，中國企業正在興建數十座工廠。\n菲斯特表示，產量約為2%。\n報導說，"
      "中外廠商的產量差距達到30%。",
      "輝達發言人說：「競爭確實已來臨。我們的份額仍有80%。」另有報告。\n分析师海姆表示，需求强劲。"
      "\n他说，价格会上涨10%。",
      "\"Our share is 80%,\" said Jane Doe, an analyst. Sales rose 5% last year, according to "
      "Reuters. Per Bloomberg, prices fell 3%.",
      "2024年12月，BIS再將24款半導體生產設備及3款軟件工具納入限制清單，另有140家中國企業被列入「實"
      "體清單」。",
      "虽然中芯称已能生产7奈米芯片，并计划推进至6奈米与5奈米。",
  };
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    const Article a = MakeArticle(text);
    // A figure at every character.
    std::vector<Figure> figures;
    for (size_t pos = 0; pos < a.body.size();) {
      const size_t begin = pos;
      utf8::Next(a.body, &pos);
      Figure f;
      f.span = {static_cast<uint32_t>(begin), static_cast<uint32_t>(pos)};
      figures.push_back(f);
    }
    const std::vector<Source> want_sources = rules_->Find(a);
    std::vector<Figure> want = figures;
    rules_->Attribute(a, want_sources, &want);
    std::vector<Figure> got = figures;
    const std::vector<Source> got_sources = rules_->FindAndAttribute(a, &got);
    ASSERT_EQ(got_sources.size(), want_sources.size());
    EXPECT_FALSE(got_sources.empty());
    for (size_t i = 0; i < got_sources.size(); ++i) {
      EXPECT_EQ(got_sources[i].name, want_sources[i].name);
      EXPECT_EQ(got_sources[i].span, want_sources[i].span);
      EXPECT_EQ(got_sources[i].kind, want_sources[i].kind);
    }
    int attributed = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].source, want[i].source) << "figure at byte " << got[i].span.begin;
      attributed += got[i].source >= 0;
    }
    EXPECT_GT(attributed, 0);
  }
}

TEST_F(SourcesTest, RuleExamplesHold) {
  std::shared_ptr<const RuleSet> rule_set = testing::RuleSetWith({"sources.toml"});
  ASSERT_NE(rule_set, nullptr);
  std::vector<RuleExample> examples =
      testing::ExamplesOf(*rules_, testing::RulesDir() + "/sources.toml");
  EXPECT_GT(examples.size(), 30u);
  for (const RuleExample& ex : examples) {
    SCOPED_TRACE(ex.rule + ": " + ex.text);
    EXPECT_EQ(rules_->CheckExample(ex, MakeArticle(ex.text), *rule_set), "")
        << "sources.toml:" << ex.line;
  }
}

// The same examples through normalize's real fold (NFKC + OpenCC t2s + rules/fold.toml),
// the way `newsclaim rules check` prepares them.
TEST_F(SourcesTest, RuleExamplesHoldWithRealFold) {
  std::shared_ptr<const RuleSet> rule_set = testing::RuleSetWith({"sources.toml"});
  ASSERT_NE(rule_set, nullptr);
  StatusOr<normalize::FoldRules> fold =
      normalize::LoadFoldRules(testing::RulesDir() + "/fold.toml");
  ASSERT_TRUE(fold.ok()) << fold.status().ToString();
  for (const RuleExample& ex :
       testing::ExamplesOf(*rules_, testing::RulesDir() + "/sources.toml")) {
    SCOPED_TRACE(ex.rule + ": " + ex.text);
    EXPECT_EQ(rules_->CheckExample(ex, normalize::FromText(ex.text, *fold), *rule_set), "")
        << "sources.toml:" << ex.line;
  }
}

TEST_F(SourcesTest, CheckExampleReportsFailures) {
  std::shared_ptr<const RuleSet> rule_set = testing::RuleSetWith({"sources.toml"});
  ASSERT_NE(rule_set, nullptr);
  RuleExample ex;
  ex.rule = "zh said";
  ex.text = "價格上漲5%。";
  ex.must_match = true;
  EXPECT_NE(rules_->CheckExample(ex, MakeArticle(ex.text), *rule_set), "");
  ex.text = "知情人士透露，價格上漲。";
  ex.must_match = false;
  EXPECT_NE(rules_->CheckExample(ex, MakeArticle(ex.text), *rule_set), "");
}

struct BadRule {
  const char* name;
  const char* toml;
  int line;
  const char* message;
};

TEST(SourceRulesLoad, ReportsMistakesWithLines) {
  const BadRule cases[] = {
      {"bad regex", "[[source_cue]]\nname = \"x\"\npattern = \"(表示\"\n", 1, "bad regex"},
      {"two groups", "[[source_cue]]\nname = \"x\"\npattern = \"(a)(b)\"\n", 1,
       "at most one capturing group"},
      {"unknown field", "[[source_cue]]\nname = \"x\"\npattern = \"说\"\nkind = \"person\"\n", 4,
       "unknown field 'kind'"},
      {"bad kind", "[[source_kind]]\nname = \"x\"\nkind = \"robot\"\nmarkers = [\"a\"]\n", 1,
       "'kind' must be"},
      {"bad target", "[[source_anaphor]]\nname = \"x\"\nrefers_to = \"it\"\nwords = [\"a\"]\n", 1,
       "'refers_to' must be"},
      {"bad split regex", "[[source_trim]]\nname = \"x\"\nsplit_patterns = [\"[\"]\n", 1,
       "bad regex in 'split_patterns'"},
      {"too many expects",
       "[[source_cue]]\nname = \"x\"\npattern = \"说\"\nexamples = [\"a\"]\nexpect = [\"a\", "
       "\"b\"]\n",
       1, "'expect' has more entries"},
  };
  for (const BadRule& c : cases) {
    SCOPED_TRACE(c.name);
    SourceRules rules;
    std::vector<RuleDiagnostic> d = LoadText(&rules, c.toml);
    ASSERT_FALSE(d.empty());
    EXPECT_EQ(d[0].line, c.line) << d[0].ToString();
    EXPECT_NE(d[0].message.find(c.message), std::string::npos) << d[0].ToString();
  }
}

TEST(SourceRulesLoad, EmptyRulesFindNothing) {
  SourceRules rules;
  std::vector<RuleDiagnostic> d;
  rules.Finalize(&d);
  EXPECT_TRUE(d.empty());
  Article a = MakeArticle("知情人士透露，價格上漲5%。");
  EXPECT_TRUE(rules.Find(a).empty());
  std::vector<Figure> figures(1);
  figures[0].span = {0, 3};
  figures[0].source = 7;
  rules.Attribute(a, {}, &figures);
  EXPECT_EQ(figures[0].source, -1);
}

}  // namespace
}  // namespace newsclaim::extract
