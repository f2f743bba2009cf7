// The "newsclaim" FTS5 tokenizer (Store::TokenizeForSearch): CJK bigrams with colocated
// unigrams, lower-cased words, width folding, and what happens to empty and broken input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"

namespace newsclaim::store {
namespace {

using Mode = Store::TokenizeMode;

std::vector<std::string> Texts(const std::vector<Store::SearchToken>& tokens,
                               bool with_colocated = true) {
  std::vector<std::string> out;
  for (const auto& t : tokens) {
    if (t.colocated && !with_colocated) continue;
    out.push_back((t.colocated ? "+" : "") + t.text);
  }
  return out;
}

TEST(IndexTokenizerTest, CjkRunBecomesBigramsWithColocatedUnigrams) {
  const std::string text = "中国芯片";
  const auto tokens = Store::TokenizeForSearch(text, Mode::kDocument);
  EXPECT_EQ(Texts(tokens),
            (std::vector<std::string>{"中", "+中国", "国", "+国芯", "芯", "+芯片", "片"}));
  // Spans are byte offsets into the input: 芯片 is bytes 6..12.
  EXPECT_EQ(tokens[5].begin, 6u);
  EXPECT_EQ(tokens[5].end, 12u);
  EXPECT_EQ(text.substr(tokens[5].begin, tokens[5].end - tokens[5].begin), "芯片");
  EXPECT_EQ(tokens[6].begin, 9u);
  EXPECT_EQ(tokens[6].end, 12u);
}

TEST(IndexTokenizerTest, QueryIsThePositionSequenceOfTheDocument) {
  // A query phrase has one token per position, so "芯片" is found inside "中国芯片产业"
  // (芯片 at one position, 片 at the next).
  EXPECT_EQ(Texts(Store::TokenizeForSearch("芯片", Mode::kQuery)),
            (std::vector<std::string>{"芯片", "片"}));
  // One query token per document position.
  EXPECT_EQ(Texts(Store::TokenizeForSearch("中国芯片", Mode::kDocument), false).size(),
            Texts(Store::TokenizeForSearch("中国芯片", Mode::kQuery)).size());
  EXPECT_EQ(Texts(Store::TokenizeForSearch("中国芯片", Mode::kQuery)),
            (std::vector<std::string>{"中国", "国芯", "芯片", "片"}));
  // A single character is a unigram, which every document position has.
  EXPECT_EQ(Texts(Store::TokenizeForSearch("芯", Mode::kQuery)), (std::vector<std::string>{"芯"}));
}

TEST(IndexTokenizerTest, MixedScriptsWordsAndNumbers) {
  EXPECT_EQ(
      Texts(Store::TokenizeForSearch("NVIDIA H20芯片，售價2.5萬", Mode::kQuery)),
      (std::vector<std::string>{"nvidia", "h20", "芯片", "片", "售價", "價", "2", "5", "萬"}));
  // Full-width Latin reads as ASCII; Latin-1, Greek and Cyrillic capitals are lowered.
  EXPECT_EQ(Texts(Store::TokenizeForSearch("ＡＩ晶片 Ĕ ÉCOLE ΑΒΓ МОСКВА", Mode::kQuery)),
            (std::vector<std::string>{"ai", "晶片", "片", "ĕ", "école", "αβγ", "москва"}));
  // Kana and Hangul are CJK runs too.
  EXPECT_EQ(Texts(Store::TokenizeForSearch("メモリ 반도체", Mode::kQuery)),
            (std::vector<std::string>{"メモ", "モリ", "リ", "반도", "도체", "체"}));
}

TEST(IndexTokenizerTest, UnitsModeGivesEachCharacterAndWordOnce) {
  EXPECT_EQ(Texts(Store::TokenizeForSearch("美國AI晶片", Mode::kUnits)),
            (std::vector<std::string>{"美", "國", "ai", "晶", "片"}));
}

TEST(IndexTokenizerTest, EmptyAndSeparatorsOnly) {
  EXPECT_TRUE(Store::TokenizeForSearch("", Mode::kDocument).empty());
  EXPECT_TRUE(Store::TokenizeForSearch("，。！？ —— 「」 😀 \t\n", Mode::kDocument).empty());
}

TEST(IndexTokenizerTest, InvalidUtf8SeparatesAndSpansStayInside) {
  const std::string text =
      "\xff\xfe芯片\xc3"
      "ab\xe4\xb8";
  const auto tokens = Store::TokenizeForSearch(text, Mode::kDocument);
  EXPECT_EQ(Texts(tokens), (std::vector<std::string>{"芯", "+芯片", "片", "ab"}));
  for (const auto& t : tokens) {
    EXPECT_LE(t.begin, t.end);
    EXPECT_LE(t.end, text.size());
  }
}

TEST(IndexTokenizerTest, LongWordsAreCutButKeepTheirSpan) {
  const std::string word(500, 'x');
  const auto tokens = Store::TokenizeForSearch(word + " y", Mode::kDocument);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].text.size(), 64u);
  EXPECT_EQ(tokens[0].end, 500u);
  EXPECT_EQ(tokens[1].text, "y");
}

}  // namespace
}  // namespace newsclaim::store
