// The search fold's fast path (index::FoldForSearch: only the clauses holding a character
// the tw2sp dictionaries change go through OpenCC) against OpenCC over the whole text, on
// the seed articles in both scripts, Taiwan phrases cut at every position, and text with
// punctuation, symbols, emoji, NUL and invalid bytes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "index/index.h"

namespace newsclaim::index {
namespace {

void ExpectSameFold(const std::string& text) {
  StatusOr<std::string> fast = FoldForSearch(text);
  StatusOr<std::string> whole = FoldForSearchWhole(text);
  ASSERT_TRUE(fast.ok()) << fast.status().ToString();
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(*fast, *whole) << "input: " << text;
}

TEST(IndexFoldTest, FastPathEqualsOpenCCOnTheSeedArticles) {
  int seeds = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(NEWSCLAIM_SOURCE_DIR) + "/corpus/seeds")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    ExpectSameFold(text);
    // Line by line too: clause boundaries at the start and end of the input.
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) ExpectSameFold(line);
    ++seeds;
  }
  EXPECT_GE(seeds, 5);
}

TEST(IndexFoldTest, FastPathEqualsOpenCCOnPhrasesCutAnywhere) {
  const std::string text =
      "台積電的晶片與軟體，記憶體和伺服器。據路透社報導，「資訊」產業的滑鼠、硬碟、"
      "網路及程式設計師；計程車與捷運。A股、B股與港股的記憶體概念股上漲3.5%。";
  ExpectSameFold(text);
  // Every prefix and suffix at a character boundary: phrases cut in the middle.
  std::vector<size_t> cuts;
  for (size_t pos = 0; pos < text.size();) {
    cuts.push_back(pos);
    utf8::Next(text, &pos);
  }
  for (size_t cut : cuts) {
    ExpectSameFold(text.substr(0, cut));
    ExpectSameFold(text.substr(cut));
  }
}

TEST(IndexFoldTest, FastPathEqualsOpenCCOnMixedAndBrokenText) {
  for (const std::string& text :
       {std::string(""), std::string("Ascend 910C and H20, 7nm; 5% up"), std::string("晶片"),
        std::string("晶片 晶片\n\n軟體\t記憶體"), std::string("NVIDIA 的 H20 晶片 🚀 出貨"),
        std::string("ＡＢＣ１２３　全形與半形"), std::string("軟\0體", 7),
        std::string("晶\xff片\xc3(軟體"), std::string("「」『』（）《》〈〉…—～·•")}) {
    ExpectSameFold(text);
  }
}

}  // namespace
}  // namespace newsclaim::index
