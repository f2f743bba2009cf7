// Folding: NFKC + t2s, fold rules, and the folded -> body offset map.
#include <gtest/gtest.h>
#include <opencc/opencc.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/utf8.h"
#include "normalize/normalize.h"

namespace newsclaim::normalize {
namespace {

FoldRules Ascend() {
  FoldRules r;
  r.keep = {{"昇騰", "昇腾"}, {"昇腾", "昇腾"}};
  return r;
}

// Every folded code point maps to the start of a body code point, the map never goes
// backwards, and its last entry is body.size().
void CheckMap(const Article& a) {
  ASSERT_EQ(a.folded_to_body.size(), a.folded.size() + 1);
  EXPECT_EQ(a.folded_to_body.back(), a.body.size());
  for (size_t i = 0; i < a.folded.size(); ++i) {
    const uint32_t b = a.folded_to_body[i];
    ASSERT_LT(b, a.body.size());
    EXPECT_NE(static_cast<unsigned char>(a.body[b]) & 0xC0, 0x80) << "mid-character at " << i;
    if (i > 0) {
      EXPECT_LE(a.folded_to_body[i - 1], b);
    }
  }
}

struct Case {
  const char* input;
  const char* folded;
};

TEST(FoldTest, Table) {
  const Case cases[] = {
      {"plain ASCII, 2% of 3.8e25 FLOPS", "plain ASCII, 2% of 3.8e25 FLOPS"},
      {"輝達晶片", "辉达晶片"},
      {"華為昇騰910C", "华为昇腾910C"},
      {"华为昇腾芯片", "华为昇腾芯片"},
      {"１２３％，ＡＢＣ", "123%,ABC"},
      {"價格\u00a0100\u202f美元", "价格 100 美元"},
      {"崑崙P800與寒武紀", "昆仑P800与寒武纪"},
      {"第一行\n第二行", "第一行\n第二行"},
      {"", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    const Article a = FromText(c.input, Ascend());
    EXPECT_EQ(a.body, c.input);
    EXPECT_EQ(a.folded, c.folded);
    CheckMap(a);
  }
}

TEST(FoldTest, WithoutRulesOpenCcBreaksAscend) {
  // The trap the fold rules exist for; if OpenCC ever fixes it the rule is harmless.
  const Article a = FromText("昇騰", FoldRules());
  EXPECT_EQ(a.folded, "升腾");
}

// Each folded character maps back to the body text that produced it: folding the body
// character at the mapped offset gives the folded character again.
TEST(FoldTest, EveryFoldedSpanMapsBackToItsOriginal) {
  const std::string text =
      "中國欲大力發展AI產業，美媒指晶片製造能力拖累。華為採用台積電７奈米，約僅為２％。\n"
      "Nvidia H20\u00a0與崑崙P800（百度）";
  const Article a = FromText(text, Ascend());
  CheckMap(a);
  size_t pos = 0;
  while (pos < a.folded.size()) {
    const size_t start = pos;
    utf8::Next(a.folded, &pos);
    const uint32_t b = a.folded_to_body[start];
    const uint32_t e = a.folded_to_body[pos];
    if (e == b) continue;  // NFKC expanded one character into several: see the first one
    const std::string original = a.body.substr(b, e - b);
    const std::string refolded = FromText(original, Ascend()).folded;
    EXPECT_EQ(refolded, a.folded.substr(start, pos - start)) << "original '" << original << "'";
  }
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What folding must produce without fold rules: NFKC, then OpenCC t2s over each whole
// line, straight from the library (no fast path, no clause splitting).
std::string ReferenceFold(const opencc::SimpleConverter& t2s, const std::string& body) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  std::string out;
  std::istringstream lines(body);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (!first) out += '\n';
    first = false;
    std::string n;
    icu::StringByteSink<std::string> sink(&n);
    nfkc->normalizeUTF8(0, icu::StringPiece(line.data(), static_cast<int32_t>(line.size())), sink,
                        nullptr, status);
    out += t2s.Convert(n);
  }
  return out;
}

// The fold copies clauses without a character t2s changes instead of running OpenCC on
// them; its output must stay identical to OpenCC's on real text in both scripts: the seeds,
// the Chinese extraction pages, and each of them converted to Traditional (Taiwan phrases)
// and to Simplified by OpenCC itself.
TEST(FoldTest, FastPathEqualsOpenCcOverTheCorpus) {
  const opencc::SimpleConverter t2s("t2s.json");
  const opencc::SimpleConverter s2twp("s2twp.json");
  const opencc::SimpleConverter tw2sp("tw2sp.json");
  std::vector<std::string> texts;
  const std::filesystem::path src(NEWSCLAIM_SOURCE_DIR);
  for (const char* dir : {"corpus/seeds", "tests/data/extraction/zh"}) {
    for (const auto& e : std::filesystem::directory_iterator(src / dir)) {
      RawDocument raw;
      raw.uri = e.path().string();
      raw.bytes = ReadAll(e.path());
      raw.format = e.path().extension() == ".html" ? DocFormat::kHtml
                   : e.path().extension() == ".md" ? DocFormat::kMarkdown
                                                   : DocFormat::kText;
      StatusOr<Article> a = Normalize(raw, NormalizeOptions());
      if (!a.ok() || a->body.empty()) continue;
      texts.push_back(a->body);
      texts.push_back(s2twp.Convert(a->body));
      texts.push_back(tw2sp.Convert(a->body));
    }
  }
  texts.push_back("乾隆皇帝與乾燥的天氣，著作與著急；一併、並且。後來的皇后，頭髮與發展。");
  ASSERT_GE(texts.size(), 20u);
  size_t chars = 0;
  for (const std::string& text : texts) {
    const Article a = FromText(text, FoldRules());
    ASSERT_EQ(a.folded, ReferenceFold(t2s, a.body)) << a.body.substr(0, 200);
    CheckMap(a);
    chars += a.body.size();
  }
  EXPECT_GT(chars, 200000u);
}

// MayChange(text) false promises Convert(text) == text. Checked on every clause of the
// seeds in both scripts, for t2s and tw2sp; and it must be false for most Simplified
// clauses, or it saves nothing.
TEST(FoldTest, MayChangeFalseMeansOpenCcKeepsTheText) {
  std::vector<std::string> clauses;
  const std::filesystem::path src(NEWSCLAIM_SOURCE_DIR);
  const opencc::SimpleConverter s2twp("s2twp.json");
  for (const auto& e : std::filesystem::directory_iterator(src / "corpus/seeds")) {
    const std::string text = ReadAll(e.path());
    for (const std::string& t : {text, s2twp.Convert(text)}) {
      size_t begin = 0;
      for (size_t pos = 0; pos <= t.size(); ++pos) {
        if (pos == t.size() || t.compare(pos, 3, "，") == 0 || t.compare(pos, 3, "。") == 0 ||
            t[pos] == '\n') {
          if (pos > begin) clauses.push_back(t.substr(begin, pos - begin));
          begin = pos + (pos < t.size() && t[pos] != '\n' ? 3 : 1);
          if (pos < t.size() && t[pos] != '\n') pos += 2;
        }
      }
    }
  }
  ASSERT_GT(clauses.size(), 200u);
  for (const char* config : {"t2s.json", "tw2sp.json"}) {
    SCOPED_TRACE(config);
    StatusOr<std::unique_ptr<const OpenCcConversion>> conv = OpenCcConversion::Load(config);
    ASSERT_TRUE(conv.ok()) << conv.status().ToString();
    size_t kept = 0;
    for (const std::string& c : clauses) {
      if ((*conv)->MayChange(c)) continue;
      ++kept;
      ASSERT_EQ((*conv)->Convert(c), c) << c;
    }
    EXPECT_GT(kept, clauses.size() / 4);
    EXPECT_TRUE((*conv)->MayChange("他說臺灣的晶片"));
  }
}

TEST(FoldTest, KeepTermMapsToItsOriginalSpan) {
  const std::string text = "華為昇騰910C";
  const Article a = FromText(text, Ascend());
  const size_t f = a.folded.find("昇腾");
  ASSERT_NE(f, std::string::npos);
  const uint32_t b = a.folded_to_body[f];
  const uint32_t e = a.folded_to_body[f + std::string("昇腾").size()];
  EXPECT_EQ(text.substr(b, e - b), "昇騰");
}

TEST(FoldTest, KeepTermsMayStartWithAscii) {
  FoldRules r;
  r.keep = {{"AI晶片", "AI芯片"}};
  const Article a = FromText("新ＡＩ晶片", r);
  EXPECT_EQ(a.folded, "新AI芯片");
  CheckMap(a);
}

TEST(FoldTest, InvalidUtf8IsSafe) {
  const std::string text = std::string("晶片\xFF\xC3") + "輝達";
  const Article a = FromText(text, FoldRules());
  EXPECT_EQ(a.body, text);
  CheckMap(a);
  EXPECT_NE(a.folded.find("辉达"), std::string::npos);
}

TEST(FoldTest, SentencesEndAtChinesePunctuationAndNewlines) {
  const std::string text = "第一句。第二句！第三句？\n第四行没有句号\nThe U.S. said so. Fine.";
  const Article a = FromText(text, FoldRules());
  std::vector<std::string> got;
  for (const Span& s : a.sentences) got.push_back(text.substr(s.begin, s.end - s.begin));
  const std::vector<std::string> want = {"第一句。",       "第二句！",          "第三句？",
                                         "第四行没有句号", "The U.S. said so.", "Fine."};
  EXPECT_EQ(got, want);
}

class FoldRulesFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& content) {
    path_ = std::filesystem::temp_directory_path() /
            ("normalize_fold_test_" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
    std::ofstream(path_) << content;
    return path_.string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  std::filesystem::path path_;
};

TEST_F(FoldRulesFileTest, LoadsTheShippedFile) {
  StatusOr<FoldRules> r = LoadFoldRules(NEWSCLAIM_SOURCE_DIR "/rules/fold.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(FromText("昇騰與昇腾", *r).folded, "昇腾与昇腾");
}

TEST_F(FoldRulesFileTest, ErrorsNameFileAndLine) {
  struct Bad {
    const char* name;
    const char* content;
    const char* want;  // substring of the message
  };
  const Bad cases[] = {
      {"syntax", "[[keep]]\nwritten = \"a\"\nfolded = \n", ":3:"},
      {"missing folded", "[[keep]]\nwritten = \"a\"\n\n[[keep]]\nwritten = \"b\"\nfolded = \"c\"\n",
       ":1:"},
      {"unknown key", "[[keep]]\nwritten = \"a\"\nfolded = \"b\"\nfold = \"c\"\n", ":4:"},
      {"not an array", "keep = 3\n", ":1:"},
      {"ascii term", "[[keep]]\nwritten = \"Ascend\"\nfolded = \"ascend\"\n", ":1:"},
  };
  for (const Bad& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = Write(c.content);
    StatusOr<FoldRules> r = LoadFoldRules(path);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(path + c.want), std::string::npos) << r.status().message();
  }
  StatusOr<FoldRules> missing = LoadFoldRules("/nonexistent/fold.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace newsclaim::normalize
