// The rule loader: file:line diagnostics for every kind of mistake, the rules version, and
// every example and counter-example of the figure rules in rules/.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "normalize/normalize.h"

namespace newsclaim::extract {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "nc_rules_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(fs::path(path_) / name, std::ios::binary) << text;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const char* const kFigureFiles[] = {"units.toml", "numbers.toml", "qualifiers.toml",
                                    "exclusions.toml"};

void CopyFigureRules(const TempDir& dir) {
  for (const char* f : kFigureFiles) {
    fs::copy_file(fs::path(NEWSCLAIM_SOURCE_DIR) / "rules" / f, fs::path(dir.path()) / f);
  }
}

std::string Joined(const std::vector<RuleDiagnostic>& diags) {
  std::string s;
  for (const RuleDiagnostic& d : diags) s += d.ToString() + "\n";
  return s;
}

TEST(RuleLoaderTest, FigureRulesLoadAndEveryExampleHolds) {
  TempDir dir;
  CopyFigureRules(dir);
  auto rules = RuleSet::LoadDir(dir.path());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_GT((*rules)->rule_count(), 50u);
  const std::vector<RuleDiagnostic> failures = RunExamples(**rules, [](std::string_view text) {
    return normalize::FromText(text, normalize::FoldRules());
  });
  EXPECT_TRUE(failures.empty()) << Joined(failures);
}

TEST(RuleLoaderTest, RepositoryRulesCheckClean) {
  const std::vector<RuleDiagnostic> diags =
      RuleSet::Check(std::string(NEWSCLAIM_SOURCE_DIR) + "/rules");
  EXPECT_TRUE(diags.empty()) << Joined(diags);
}

struct BadRule {
  const char* name;
  const char* toml;
  int line;
  const char* message;  // a substring of the diagnostic
};

TEST(RuleLoaderTest, ReportsFileLineAndReason) {
  const BadRule cases[] = {
      {"parse error", "[[unit]]\nname = \"a\"\nunit = \n", 3, ""},
      {"unknown section", "\n[[unitt]]\nname = \"a\"\n", 2, "unknown section 'unitt'"},
      {"not an array of tables", "unit = 5\n", 1, "must be an array of tables"},
      {"unknown field", "[[unit]]\nname = \"a\"\nunit = \"x\"\npattern = 'x'\ncolour = 1\n", 5,
       "unknown field 'colour'"},
      {"wrong type", "[[scale]]\nname = \"a\"\npattern = 'k'\nfactor = \"many\"\n", 4,
       "'factor' must be a number"},
      {"missing field", "[[scale]]\nname = \"a\"\nfactor = 2\n", 1, "missing field 'pattern'"},
      {"bad regexp", "[[unit]]\nname = \"a\"\nunit = \"x\"\n\npattern = '美元|(US'\n", 5,
       "missing ): 美元|(US"},
      {"empty match", "[[unit]]\nname = \"a\"\nunit = \"x\"\npattern = 'x*'\n", 4,
       "matches the empty string"},
      {"bad qualifier", "[[qualifier]]\nname = \"a\"\nqualifier = \"maybe\"\nbefore = 'x'\n", 3,
       "qualifier must be"},
      {"bad shape", "[[exclude]]\nname = \"a\"\nnumber = \"odd\"\n", 3, "number must be"},
      {"figures_only not a bool",
       "[[exclude]]\nname = \"a\"\nbefore = '第'\nfigures_only = \"yes\"\n", 4,
       "'figures_only' must be true or false"},
      {"figures_only on a span", "[[exclude]]\nname = \"a\"\npattern = 'x'\nfigures_only = true\n",
       4, "'figures_only' applies to context rules"},
      {"examples not strings",
       "[[unit]]\nname = \"a\"\nunit = \"x\"\npattern = 'x'\n"
       "examples = [1]\n",
       5, "must hold strings only"},
  };
  for (const BadRule& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    dir.Write("bad.toml", c.toml);
    const std::vector<RuleDiagnostic> diags = RuleSet::Check(dir.path());
    ASSERT_FALSE(diags.empty());
    EXPECT_EQ(diags[0].file, (fs::path(dir.path()) / "bad.toml").string());
    EXPECT_EQ(diags[0].line, c.line) << Joined(diags);
    EXPECT_NE(diags[0].message.find(c.message), std::string::npos) << Joined(diags);
    EXPECT_NE(diags[0].ToString().find("bad.toml:" + std::to_string(c.line) + ": "),
              std::string::npos);
    const auto loaded = RuleSet::LoadDir(dir.path());
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(RuleLoaderTest, DuplicateNamesAcrossFiles) {
  TempDir dir;
  dir.Write("a.toml", "[[unit]]\nname = \"dup\"\nunit = \"x\"\npattern = 'x'\n");
  dir.Write("b.toml", "\n[[scale]]\nname = \"dup\"\npattern = 'k'\nfactor = 1000\n");
  const std::vector<RuleDiagnostic> diags = RuleSet::Check(dir.path());
  ASSERT_EQ(diags.size(), 1u) << Joined(diags);
  EXPECT_EQ(fs::path(diags[0].file).filename(), "b.toml");
  EXPECT_EQ(diags[0].line, 3);
  EXPECT_NE(diags[0].message.find("a.toml:1"), std::string::npos) << diags[0].message;
}

TEST(RuleLoaderTest, CheckReportsEveryProblem) {
  TempDir dir;
  dir.Write("a.toml",
            "[[unit]]\nname = \"a\"\nunit = \"x\"\npattern = '('\n"
            "[[unit]]\nname = \"b\"\nunit = \"x\"\npattern = ')'\n");
  dir.Write("b.toml", "oops = 1\n");
  EXPECT_EQ(RuleSet::Check(dir.path()).size(), 3u) << Joined(RuleSet::Check(dir.path()));
}

TEST(RuleLoaderTest, FoldRulesAreNormalizesButCountInTheVersion) {
  TempDir dir;
  dir.Write("fold.toml", "[[keep]]\nwritten = \"昇騰\"\nfolded = \"昇腾\"\n");
  dir.Write("units.toml", "[[unit]]\nname = \"pct\"\nunit = \"%\"\npattern = '%'\n");
  auto first = RuleSet::LoadDir(dir.path());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ((*first)->rule_count(), 1u);
  EXPECT_EQ((*first)->version().size(), 64u);
  auto same = RuleSet::LoadDir(dir.path());
  ASSERT_TRUE(same.ok());
  EXPECT_EQ((*same)->version(), (*first)->version());
  dir.Write("fold.toml", "[[keep]]\nwritten = \"昇騰\"\nfolded = \"昇腾!\"\n");
  auto changed = RuleSet::LoadDir(dir.path());
  ASSERT_TRUE(changed.ok());
  EXPECT_NE((*changed)->version(), (*first)->version());
}

TEST(RuleLoaderTest, MissingDirectoryIsNotFound) {
  const auto r = RuleSet::LoadDir("/nonexistent/newsclaim/rules");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(RuleLoaderTest, FailingExampleIsReportedAtItsLine) {
  TempDir dir;
  dir.Write("units.toml",
            "[[unit]]\nname = \"pct\"\nunit = \"%\"\npattern = '%'\n"
            "examples = [\"5%\",\n  \"5 percent\"]\ncounter_examples = [\"5%\"]\n");
  auto rules = RuleSet::LoadDir(dir.path());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const std::vector<RuleDiagnostic> failures = RunExamples(
      **rules, [](std::string_view t) { return normalize::FromText(t, normalize::FoldRules()); });
  ASSERT_EQ(failures.size(), 2u) << Joined(failures);
  EXPECT_EQ(failures[0].line, 6);
  EXPECT_NE(failures[0].message.find("5 percent"), std::string::npos);
  EXPECT_EQ(failures[1].line, 7);
  EXPECT_NE(failures[1].message.find("counter-example"), std::string::npos);
}

// figures_only exclusions drop numbers from figures but not from numbers-only mode; the
// other exclusions hold in both. Checked on the repository's rules and on a one-rule file.
TEST(RuleLoaderTest, FiguresOnlyExclusionsKeepNumbersInNumbersMode) {
  auto repo = RuleSet::LoadDir(std::string(NEWSCLAIM_SOURCE_DIR) + "/rules");
  ASSERT_TRUE(repo.ok()) << repo.status().ToString();
  FigureOptions numbers;
  numbers.numbers_only = true;
  auto values = [](const std::vector<Figure>& found) {
    std::vector<double> v;
    for (const Figure& f : found) v.push_back(f.value.value_or(-1));
    return v;
  };
  const Article date = normalize::FromText("1991年1月16日晚20点，第3名", normalize::FoldRules());
  EXPECT_TRUE(FindFigures(date, **repo).empty());
  EXPECT_EQ(values(FindFigures(date, **repo, numbers)), (std::vector<double>{1991, 1, 16, 20, 3}));
  for (const char* text : {"访问 https://a.example/2024/30 查看", "《中国制造2025》", "一切"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(
        FindFigures(normalize::FromText(text, normalize::FoldRules()), **repo, numbers).empty());
  }

  // Without figures_only the same context rule drops the number in both modes.
  for (const bool figures_only : {false, true}) {
    SCOPED_TRACE(figures_only);
    TempDir dir;
    dir.Write("x.toml", std::string("[[unit]]\nname = \"pct\"\nunit = \"%\"\npattern = '%'\n"
                                    "[[exclude]]\nname = \"rank\"\nbefore = '第'\n") +
                            (figures_only ? "figures_only = true\n" : ""));
    auto rules = RuleSet::LoadDir(dir.path());
    ASSERT_TRUE(rules.ok()) << rules.status().ToString();
    const Article rank = normalize::FromText("第5%与6%", normalize::FoldRules());
    EXPECT_EQ(values(FindFigures(rank, **rules)), (std::vector<double>{6}));
    EXPECT_EQ(values(FindFigures(rank, **rules, numbers)),
              figures_only ? (std::vector<double>{5, 6}) : (std::vector<double>{6}));
  }
}

}  // namespace
}  // namespace newsclaim::extract
