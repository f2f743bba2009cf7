// Internal to store/ and index/: the "newsclaim" search tokenizer itself (CJK unigrams and
// bigrams, width- and case-folded words), inline so that the FTS5 callback
// (store/search.cc) and the duplicate signature (index/index.cc) walk text without a
// token vector or a string per token. Store::TokenizeForSearch documents the tokens.
#ifndef NEWSCLAIM_STORE_SEARCH_TOKENIZER_H_
#define NEWSCLAIM_STORE_SEARCH_TOKENIZER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "store/store.h"

namespace newsclaim::store::tokenizer {

// Longest word token in bytes; longer runs are cut (the span still covers the run).
inline constexpr size_t kMaxWordBytes = 64;

inline bool IsCjk(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) ||    // Hiragana, Katakana
         (c >= 0x3400 && c <= 0x4DBF) ||    // CJK Extension A
         (c >= 0x4E00 && c <= 0x9FFF) ||    // CJK Unified Ideographs
         (c >= 0xAC00 && c <= 0xD7AF) ||    // Hangul syllables
         (c >= 0x1100 && c <= 0x11FF) ||    // Hangul Jamo
         (c >= 0x3130 && c <= 0x318F) ||    // Hangul compatibility Jamo
         (c >= 0x31F0 && c <= 0x31FF) ||    // Katakana phonetic extensions
         (c >= 0xF900 && c <= 0xFAFF) ||    // CJK compatibility ideographs
         (c >= 0x20000 && c <= 0x3FFFF) ||  // CJK Extensions B-H
         c == 0x3005 || c == 0x3007;        // 々 〇
}

// Separators: controls, Latin-1 punctuation and symbols, general punctuation, symbols,
// arrows, CJK punctuation, full-width punctuation left after width folding, specials
// (U+FFFD), private use, emoji.
inline bool IsSeparator(char32_t c) {
  if (c < 0x80) {
    return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
  return c < 0xC0 || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
         (c >= 0x2E00 && c <= 0x2E7F) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xFE10 && c <= 0xFE6F) ||
         (c >= 0xFF00 && c <= 0xFF65) || (c >= 0xFFF0 && c <= 0xFFFF) ||
         (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0xD800 && c <= 0xDFFF);
}

// Width and case folding for words: full-width ASCII -> ASCII, then a lower case for
// ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals (enough for outlet and
// company names; the text was NFKC-normalised upstream where it matters). CJK characters
// fold to themselves.
inline char32_t FoldChar(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  // Latin Extended-A pairs capital/small: even capitals, except in 0x139-0x148 and
  // 0x179-0x17E where the capitals are odd.
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

// Calls emit(token, begin, end, colocated) for every token of text, in order (token: a
// std::string_view valid during the call; [begin, end): its byte span in text).
// A token that is written in text as it folds (every CJK token: the decoder is strict, so
// a character's bytes are its one encoding; most words) points into text; only a word
// that folding changes is copied.
template <typename Emit>
void ForEachToken(std::string_view text, Store::TokenizeMode mode, Emit&& emit) {
  using Mode = Store::TokenizeMode;
  const char* const base = text.data();
  // The CJK run: its previous character's span (prev_end > prev_begin while in a run).
  uint32_t prev_begin = 0, prev_end = 0;
  // The word: its span [word_begin, word_end), its token's size, and the token itself:
  // text[word_begin, tok_end) while folding has changed nothing, else `word`.
  uint32_t word_begin = 0, word_end = 0, tok_end = 0;
  size_t tok_size = 0;
  bool in_word = false, as_written = true;
  std::string word;
  auto flush_word = [&]() {
    if (!in_word) return;
    in_word = false;
    if (as_written) {
      emit(std::string_view(base + word_begin, tok_end - word_begin), word_begin, word_end, false);
    } else {
      emit(std::string_view(word), word_begin, word_end, false);
    }
  };
  // The last character of a run: its unigram (a query phrase ends with it; documents and
  // units had it when it came).
  auto flush_run = [&]() {
    if (prev_end == prev_begin) return;
    if (mode == Mode::kQuery) {
      emit(std::string_view(base + prev_begin, prev_end - prev_begin), prev_begin, prev_end, false);
    }
    prev_begin = prev_end = 0;
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const uint32_t begin = static_cast<uint32_t>(pos);
    const char32_t raw = utf8::Next(text, &pos);
    const uint32_t end = static_cast<uint32_t>(pos);
    const char32_t c = FoldChar(raw);
    if (IsCjk(c)) {
      flush_word();
      // A document position holds the unigram (whose span highlight() marks) and the
      // bigram starting there, colocated; a query phrase is the bigrams, then the last
      // character's unigram (flush_run), one per position.
      if (prev_end > prev_begin && mode != Mode::kUnits) {
        emit(std::string_view(base + prev_begin, end - prev_begin), prev_begin, end,
             mode == Mode::kDocument);
      }
      if (mode != Mode::kQuery)
        emit(std::string_view(base + begin, end - begin), begin, end, false);
      prev_begin = begin;
      prev_end = end;
    } else if (IsSeparator(c)) {
      flush_word();
      flush_run();
    } else {
      flush_run();
      if (!in_word) {
        in_word = true;
        as_written = true;
        word_begin = tok_end = begin;
        tok_size = 0;
      }
      word_end = end;
      if (tok_size < kMaxWordBytes) {
        if (as_written && c == raw) {
          tok_end = end;
          tok_size += end - begin;
        } else {
          if (as_written) {
            word.assign(base + word_begin, tok_end - word_begin);
            as_written = false;
          }
          utf8::Append(c, &word);
          tok_size = word.size();
        }
      }
    }
  }
  flush_word();
  flush_run();
}

}  // namespace newsclaim::store::tokenizer

#endif  // NEWSCLAIM_STORE_SEARCH_TOKENIZER_H_
