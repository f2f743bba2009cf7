// The "newsclaim" FTS5 tokenizer (Store::TokenizeForSearch): CJK bigrams with colocated
// unigrams, lower-cased words, width folding, and what happens to empty and broken input.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "store/search_tokenizer.h"
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

// The tokenizer as first written (a CJK run buffered, then its tokens; every token
// copied into a string), kept as the reference that the streaming, non-copying
// tokenizer::ForEachToken must reproduce token for token.
std::vector<Store::SearchToken> ReferenceTokens(std::string_view text, Mode mode) {
  using tokenizer::FoldChar;
  using tokenizer::IsCjk;
  using tokenizer::IsSeparator;
  struct Cp {
    char32_t c;
    uint32_t begin, end;
  };
  std::vector<Store::SearchToken> out;
  auto emit = [&](const std::string& t, uint32_t b, uint32_t e, bool colocated) {
    out.push_back({t, b, e, colocated});
  };
  std::vector<Cp> run;
  std::string word;
  uint32_t word_begin = 0, word_end = 0;
  std::string buf;
  auto flush_word = [&]() {
    if (word_end > word_begin) emit(word, word_begin, word_end, false);
    word.clear();
    word_begin = word_end = 0;
  };
  auto flush_run = [&]() {
    const size_t n = run.size();
    for (size_t i = 0; i < n; ++i) {
      if (mode == Mode::kUnits) {
        buf.clear();
        utf8::Append(run[i].c, &buf);
        emit(buf, run[i].begin, run[i].end, false);
        continue;
      }
      if (mode == Mode::kDocument || i + 1 == n) {
        buf.clear();
        utf8::Append(run[i].c, &buf);
        emit(buf, run[i].begin, run[i].end, false);
      }
      if (i + 1 < n) {
        buf.clear();
        utf8::Append(run[i].c, &buf);
        utf8::Append(run[i + 1].c, &buf);
        emit(buf, run[i].begin, run[i + 1].end, mode == Mode::kDocument);
      }
    }
    run.clear();
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const uint32_t begin = static_cast<uint32_t>(pos);
    const char32_t raw = utf8::Next(text, &pos);
    const uint32_t end = static_cast<uint32_t>(pos);
    const char32_t c = FoldChar(raw);
    if (IsCjk(c)) {
      flush_word();
      run.push_back({c, begin, end});
    } else if (IsSeparator(c)) {
      flush_word();
      flush_run();
    } else {
      flush_run();
      if (word_end == word_begin) word_begin = begin;
      word_end = end;
      if (word.size() < tokenizer::kMaxWordBytes) utf8::Append(c, &word);
    }
  }
  flush_word();
  flush_run();
  return out;
}

void ExpectSameAsReference(const std::string& text) {
  for (Mode mode : {Mode::kDocument, Mode::kQuery, Mode::kUnits}) {
    const std::vector<Store::SearchToken> got = Store::TokenizeForSearch(text, mode);
    const std::vector<Store::SearchToken> want = ReferenceTokens(text, mode);
    ASSERT_EQ(got.size(), want.size()) << "mode " << static_cast<int>(mode) << ": " << text;
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].text, want[i].text) << i << ": " << text;
      ASSERT_EQ(got[i].begin, want[i].begin) << i << ": " << text;
      ASSERT_EQ(got[i].end, want[i].end) << i << ": " << text;
      ASSERT_EQ(got[i].colocated, want[i].colocated) << i << ": " << text;
    }
  }
}

TEST(IndexTokenizerTest, StreamingTokenizerEqualsTheReferenceOnCraftedText) {
  for (const std::string& text : {
           std::string(""),
           std::string("中"),
           std::string("中国芯片"),
           std::string("a"),
           std::string("NVIDIA H20芯片，售價2.5萬"),
           std::string("ＡＩ晶片 Ĕ ÉCOLE ΑΒΓ МОСКВА"),
           std::string("メモリ 반도체"),
           std::string("\xff\xfe芯片\xc3"
                       "ab\xe4\xb8"),
           // Words that folding changes after, before and across the 64-byte cut.
           std::string(70, 'x') + "ＡＢ " + std::string(63, 'y') + "Ｚz " + std::string(62, 'q') +
               "ÉÉ w" + "ＡＢＣ" + std::string(80, 'a'),
           std::string("abcＤＥＦghi中文ＪＫＬ mixed…words—and “quotes”"),
           std::string("𠀀𠀁 CJK Extension B 々〇 ｶﾀｶﾅ ＡＢＣ１２３"),
       }) {
    ExpectSameAsReference(text);
  }
}

TEST(IndexTokenizerTest, StreamingTokenizerEqualsTheReferenceOnTheSeedsAndRandomText) {
  int seeds = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(NEWSCLAIM_SOURCE_DIR) + "/corpus/seeds")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    ExpectSameAsReference(ss.str());
    ++seeds;
  }
  EXPECT_GE(seeds, 5);
  // Random mixes of the characters each branch handles (CJK, separators, ASCII and
  // folded letters of every width, broken bytes), and random bytes.
  const std::vector<std::string> pieces = {"中",
                                           "國",
                                           "芯",
                                           "ア",
                                           "반",
                                           "𠀀",
                                           " ",
                                           "，",
                                           "。",
                                           "\n",
                                           "—",
                                           "😀",
                                           "a",
                                           "Z",
                                           "9",
                                           "Ａ",
                                           "ｚ",
                                           "５",
                                           "É",
                                           "ß",
                                           "Ā",
                                           "Ł",
                                           "Ω",
                                           "Ж",
                                           "Ё",
                                           "\xff",
                                           "\xe4\xb8",
                                           "\xc3",
                                           std::string(1, '\0')};
  std::mt19937 rng(20261124);
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    const int n = static_cast<int>(rng() % 120);
    for (int k = 0; k < n; ++k) {
      if (rng() % 8 == 0) {
        text.append(static_cast<size_t>(rng() % 70), static_cast<char>('a' + rng() % 26));
      } else {
        text += pieces[rng() % pieces.size()];
      }
    }
    ExpectSameAsReference(text);
    std::string bytes(static_cast<size_t>(rng() % 64), '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    ExpectSameAsReference(bytes);
  }
}

}  // namespace
}  // namespace newsclaim::store
