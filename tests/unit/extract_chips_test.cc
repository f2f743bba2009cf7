// Tests of the chip gazetteer (extract/chips.cc) with rules/chips.toml.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extract/chips.h"
#include "normalize/normalize.h"
#include "tests/unit/extract_chips_test_util.h"

namespace newsclaim::extract {
namespace {

using testing::LoadInto;
using testing::LoadText;
using testing::MakeArticle;

class ChipsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rules_ = new ChipRules();
    diags_ = new std::vector<RuleDiagnostic>(LoadInto(rules_, testing::RulesDir() + "/chips.toml"));
  }
  static void TearDownTestSuite() {
    delete rules_;
    delete diags_;
  }
  static std::vector<std::string> Canonicals(const std::string& body, bool fold = true) {
    std::vector<std::string> out;
    for (const ChipMention& m : rules_->Find(MakeArticle(body, fold))) out.push_back(m.canonical);
    return out;
  }
  static ChipRules* rules_;
  static std::vector<RuleDiagnostic>* diags_;
};
ChipRules* ChipsTest::rules_ = nullptr;
std::vector<RuleDiagnostic>* ChipsTest::diags_ = nullptr;

TEST_F(ChipsTest, RuleFileLoadsCleanly) {
  for (const RuleDiagnostic& d : *diags_) ADD_FAILURE() << d.ToString();
  EXPECT_GT(rules_->size(), 60u);
}

struct FindCase {
  const char* name;
  const char* text;
  std::vector<std::string> want;  // canonical names in text order
};

TEST_F(ChipsTest, FindsChips) {
  const FindCase cases[] = {
      {"vendor prefix trad", "輝達H20晶片", {"NVIDIA H20"}},
      {"vendor prefix simp", "英伟达H20芯片", {"NVIDIA H20"}},
      {"english vendor", "Nvidia H20 chips", {"NVIDIA H20"}},
      {"context word", "中企暂停采购H20芯片", {"NVIDIA H20"}},
      {"platform prefix", "约一百万颗HGX H20", {"NVIDIA H20"}},
      {"longest with suffix", "16,384塊NVIDIA H100 SXM5 80GB GPU", {"NVIDIA H100"}},
      {"list in parentheses", "特供晶片（如H800、H20）", {"NVIDIA H800", "NVIDIA H20"}},
      {"two vendors", "個別晶片（如NVIDIA H20、AMD MI308）", {"NVIDIA H20", "AMD MI308"}},
      {"family plus model", "昇腾910C", {"Huawei Ascend 910C"}},
      {"family plus model trad", "華為昇騰910C晶片", {"Huawei Ascend 910C"}},
      {"family plus model english", "Ascend 910C", {"Huawei Ascend 910C"}},
      {"family plus digits", "华为Ascend 910", {"Huawei Ascend 910"}},
      {"family alone", "华为昇腾（Ascend）AI处理器", {"Huawei Ascend", "Huawei Ascend"}},
      {"kunlun trad", "百度崑崙P800晶片", {"Baidu Kunlun P800"}},
      {"kunlun english", "Kunlun P800", {"Baidu Kunlun P800"}},
      {"zhenwu", "阿里巴巴今年初以來持續以自家Zhenwu晶片訓練模型", {"Alibaba Zhenwu"}},
      {"hopper family", "5万颗Nvidia Hopper系列GPU", {"NVIDIA Hopper"}},
      {"mtt prefix", "摩尔线程MTT S4000", {"Moore Threads MTT S4000"}},
      {"cambricon digits", "寒武纪思元590", {"Cambricon MLU590"}},
      {"tpu version", "谷歌TPU v5p", {"Google TPU v5p"}},
      {"gaudi", "Intel Gaudi 3 accelerators", {"Intel Gaudi 3"}},
      {"trainium", "亚马逊Trainium2芯片", {"AWS Trainium2"}},
      {"plural", "thousands of A100s and H100s in a GPU cluster", {"NVIDIA A100", "NVIDIA H100"}},
      {"full-width digits", "輝達Ｈ２０晶片", {"NVIDIA H20"}},
      {"window across sentence", "不輸給H20？輝達證實", {"NVIDIA H20"}},
      {"rtx", "中国特供版RTX 4090D显卡", {"NVIDIA RTX 4090D"}},
      {"gb200 not b200", "GB200 NVL72", {"NVIDIA GB200"}},
  };
  for (const FindCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Canonicals(c.text), c.want) << c.text;
  }
}

TEST_F(ChipsTest, RejectsWhatIsNoChip) {
  const FindCase cases[] = {
      {"chemistry", "H20 是水的化学式", {}},
      {"h2o", "H20 is not H2O", {}},
      {"longer number", "A1000晶片", {}},
      {"inside longer model", "H1000芯片", {}},
      {"prefix letter", "XH20芯片", {}},
      {"road", "A100公路", {}},
      {"digits without family", "910芯片", {}},
      {"vendor and digits", "华为310名员工", {}},
      {"mountain", "昆仑山脉", {}},
      {"other company", "昆仑万维发布了新的AI芯片", {}},
      {"english verb", "prices ascend", {}},
      {"surname", "Edward Hopper painted Nighthawks", {}},
      {"astronomer", "天文学家Vera Rubin发现暗物质证据", {}},
      {"deity", "武当山供奉真武", {}},
      {"vendor alone", "阿里巴巴和百度据传已开始以内部设计晶片训练AI模型", {}},
      {"companies alone", "华为、寒武纪、摩尔线程等设计商", {}},
      {"printer", "P800型号的打印机", {}},
  };
  for (const FindCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Canonicals(c.text), c.want) << c.text;
  }
}

TEST_F(ChipsTest, LongestMatchAndBoundaries) {
  const FindCase cases[] = {
      {"h200 not h20", "英伟达H200芯片", {"NVIDIA H200"}},
      {"910c not 910", "昇腾910C", {"Huawei Ascend 910C"}},
      {"910b not 910", "昇腾910B", {"Huawei Ascend 910B"}},
      {"mi300x not mi300a", "AMD MI300X", {"AMD MI300X"}},
      {"gaudi 30", "Gaudi 30 chips", {"Intel Gaudi"}},
      {"ascend 9100", "昇腾9100", {"Huawei Ascend"}},
  };
  for (const FindCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Canonicals(c.text), c.want) << c.text;
  }
}

// OpenCC folds 昇騰 to 升腾; the body is matched too, so the chip is still found.
TEST_F(ChipsTest, AscendSurvivesOpenccFold) {
  Article a = MakeArticle("華為昇騰910C晶片");
  ASSERT_EQ(a.folded.find("昇"), std::string::npos) << "fold no longer breaks 昇騰";
  std::vector<ChipMention> found = rules_->Find(a);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].canonical, "Huawei Ascend 910C");
  EXPECT_EQ(found[0].vendor, "Huawei");
  EXPECT_EQ(found[0].text, "華為昇騰910C");
}

TEST_F(ChipsTest, SpansPointIntoBody) {
  const std::string body = "報導說，輝達（Ｎｖｉｄｉａ）為中國設計的Ｈ２０晶片和崑崙P800。";
  Article a = MakeArticle(body);
  std::vector<ChipMention> found = rules_->Find(a);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].text, "Ｈ２０");
  EXPECT_EQ(body.substr(found[0].span.begin, found[0].span.end - found[0].span.begin), "Ｈ２０");
  EXPECT_EQ(found[1].text, "崑崙P800");
  EXPECT_EQ(found[1].canonical, "Baidu Kunlun P800");
  EXPECT_LT(found[0].span.end, found[1].span.begin);
}

// A model number seen once in a chip context is a chip everywhere in the article.
TEST_F(ChipsTest, OneSensePerArticle) {
  EXPECT_EQ(Canonicals("英伟达将H20芯片销往中国。北京要求企业暂停采购H20。"),
            (std::vector<std::string>{"NVIDIA H20", "NVIDIA H20"}));
}

TEST_F(ChipsTest, WorksOnUnfoldedArticles) {
  EXPECT_EQ(Canonicals("輝達H20晶片與崑崙P800", /*fold=*/false),
            (std::vector<std::string>{"NVIDIA H20", "Baidu Kunlun P800"}));
}

TEST_F(ChipsTest, EmptyAndOddInput) {
  EXPECT_TRUE(Canonicals("").empty());
  EXPECT_TRUE(Canonicals("\xff\xfe H20 \xc3").empty());
  Article broken = MakeArticle("輝達H20晶片");
  broken.folded_to_body.pop_back();  // inconsistent map: the body is used instead
  EXPECT_EQ(rules_->Find(broken).size(), 1u);
}

TEST_F(ChipsTest, RuleExamplesHold) {
  std::shared_ptr<const RuleSet> rule_set = testing::RuleSetWith({"chips.toml"});
  ASSERT_NE(rule_set, nullptr);
  std::vector<RuleExample> examples =
      testing::ExamplesOf(*rules_, testing::RulesDir() + "/chips.toml");
  EXPECT_GT(examples.size(), 100u);
  for (const RuleExample& ex : examples) {
    SCOPED_TRACE(ex.rule + ": " + ex.text);
    EXPECT_EQ(rules_->CheckExample(ex, MakeArticle(ex.text), *rule_set), "")
        << "chips.toml:" << ex.line;
  }
}

// The same examples through normalize's real fold (NFKC + OpenCC t2s + rules/fold.toml),
// the way `newsclaim rules check` prepares them.
TEST_F(ChipsTest, RuleExamplesHoldWithRealFold) {
  std::shared_ptr<const RuleSet> rule_set = testing::RuleSetWith({"chips.toml"});
  ASSERT_NE(rule_set, nullptr);
  StatusOr<normalize::FoldRules> fold =
      normalize::LoadFoldRules(testing::RulesDir() + "/fold.toml");
  ASSERT_TRUE(fold.ok()) << fold.status().ToString();
  for (const RuleExample& ex : testing::ExamplesOf(*rules_, testing::RulesDir() + "/chips.toml")) {
    SCOPED_TRACE(ex.rule + ": " + ex.text);
    EXPECT_EQ(rules_->CheckExample(ex, normalize::FromText(ex.text, *fold), *rule_set), "")
        << "chips.toml:" << ex.line;
  }
}

TEST_F(ChipsTest, CheckExampleReportsFailures) {
  std::shared_ptr<const RuleSet> rule_set = testing::RuleSetWith({"chips.toml"});
  ASSERT_NE(rule_set, nullptr);
  RuleExample ex;
  ex.rule = "NVIDIA H20";
  ex.text = "H20 是水的化学式";
  ex.must_match = true;
  EXPECT_NE(rules_->CheckExample(ex, MakeArticle(ex.text), *rule_set), "");
  ex.text = "輝達H20晶片";
  ex.must_match = false;
  EXPECT_NE(rules_->CheckExample(ex, MakeArticle(ex.text), *rule_set), "");
  ex.rule = "no such chip";
  EXPECT_NE(rules_->CheckExample(ex, MakeArticle(ex.text), *rule_set), "");
}

struct BadRule {
  const char* name;
  const char* toml;
  int line;             // expected line of the first diagnostic
  const char* message;  // substring of it
};

TEST(ChipRulesLoad, ReportsMistakesWithLines) {
  const BadRule cases[] = {
      {"unknown field", "[[chip_vendor]]\nname = \"X\"\naliases = [\"X\"]\nalias = [\"Y\"]\n", 4,
       "unknown field 'alias'"},
      {"missing name", "[[chip_vendor]]\naliases = [\"X\"]\n", 1, "'name'"},
      {"no aliases", "[[chip_vendor]]\nname = \"X\"\n", 1, "aliases"},
      {"wrong type", "[[chip_vendor]]\nname = \"X\"\naliases = \"X\"\n", 3, "array"},
      {"empty alias", "[[chip_vendor]]\nname = \"X\"\naliases = [\"X\", \" \"]\n", 3, "empty"},
      {"unknown vendor", "[[chip]]\nname = \"Y 1\"\nvendor = \"Y\"\naliases = [\"Y1\"]\n", 1,
       "unknown vendor 'Y'"},
      {"unknown family",
       "[[chip_vendor]]\nname = \"Y\"\naliases = [\"Y\"]\n[[chip]]\nname = \"Y 1\"\n"
       "vendor = \"Y\"\nfamily = \"Z\"\naliases = [\"Y1\"]\n",
       4, "unknown family 'Z'"},
      {"alias clash",
       "[[chip_vendor]]\nname = \"Y\"\naliases = [\"Y\"]\n[[chip]]\nname = \"Y 1\"\n"
       "vendor = \"Y\"\naliases = [\"Y1\"]\n[[chip]]\nname = \"Y 2\"\nvendor = \"Y\"\n"
       "aliases = [\"Y1\"]\n",
       8, "also names 'Y 1'"},
      {"duplicate name",
       "[[chip_vendor]]\nname = \"Y\"\naliases = [\"Y\"]\n[[chip_vendor]]\nname = \"Y\"\n"
       "aliases = [\"Z\"]\n",
       4, "defined twice"},
  };
  for (const BadRule& c : cases) {
    SCOPED_TRACE(c.name);
    ChipRules rules;
    std::vector<RuleDiagnostic> d = LoadText(&rules, c.toml);
    ASSERT_FALSE(d.empty());
    EXPECT_EQ(d[0].line, c.line) << d[0].ToString();
    EXPECT_NE(d[0].message.find(c.message), std::string::npos) << d[0].ToString();
  }
}

TEST(ChipRulesLoad, EmptyRulesFindNothing) {
  ChipRules rules;
  std::vector<RuleDiagnostic> d;
  rules.Finalize(&d);
  EXPECT_TRUE(d.empty());
  EXPECT_TRUE(rules.Find(MakeArticle("輝達H20晶片")).empty());
}

}  // namespace
}  // namespace newsclaim::extract
