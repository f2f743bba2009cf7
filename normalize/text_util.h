// Internal helpers of the normalize stage: code point classes (Han, prose punctuation,
// pictographs), whitespace trimming and per-block text statistics.
#ifndef NEWSCLAIM_NORMALIZE_TEXT_UTIL_H_
#define NEWSCLAIM_NORMALIZE_TEXT_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsclaim::normalize::internal {

// CJK unified ideographs (all extensions) and compatibility ideographs.
bool IsHan(char32_t c);
// Han, kana, hangul, bopomofo: scripts written without spaces between words.
bool IsCjk(char32_t c);
// Punctuation that marks running prose: ，。！？、；：「」『』 and , . ! ? ; :
bool IsProsePunct(char32_t c);
// Clause separators and full stops that headlines rarely carry: ，。；, ; and '.'.
bool IsClauseMark(char32_t c);
// Sentence terminators: 。！？ ! ? . and the full-width forms.
bool IsSentenceEnd(char32_t c);
// Emoji pictographs and dingbats that mark promotional lines (🎬 ✨ ➜ ...).
bool IsPictograph(char32_t c);
// Unicode white space, including NBSP, U+202F, U+3000 and zero-width spaces.
bool IsSpace(char32_t c);
bool IsAsciiAlpha(char32_t c);

// Removes leading and trailing IsSpace code points.
std::string_view Trim(std::string_view s);
// Replaces every run of white space (IsSpace, including newlines) with a single ASCII space
// and trims the ends. NBSP and U+202F inside text are treated as spaces here: bodies carry
// plain spaces; Fold's NFKC would map them the same way.
std::string CollapseSpaces(std::string_view s);
// Number of code points.
size_t CodePoints(std::string_view s);
// CodePoints(s) <= n, counting no further than needed.
bool AtMostCodePoints(std::string_view s, size_t n);
// Lower-cases ASCII letters.
std::string AsciiLower(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
// Splits s at every code point for which is_sep returns true; drops empty parts.
std::vector<std::string> SplitOn(std::string_view s, bool (*is_sep)(char32_t));

// Counts used to tell prose from headlines, menus and link lists.
struct TextStats {
  uint32_t code_points = 0;
  uint32_t cjk = 0;    // IsCjk
  uint32_t latin = 0;  // ASCII letters and Latin-1/Extended letters
  uint32_t digits = 0;
  uint32_t prose_punct = 0;    // IsProsePunct
  uint32_t clause_marks = 0;   // IsClauseMark
  uint32_t sentence_ends = 0;  // IsSentenceEnd
  uint32_t words = 0;          // space-separated Latin words
  uint32_t stopwords = 0;      // English function words among them
  uint32_t pictographs = 0;
  // A size comparable across scripts: one per CJK character, one per 2 other
  // non-space characters (a Chinese character carries about a word's meaning).
  double weight = 0;
};
TextStats ComputeStats(std::string_view s);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_TEXT_UTIL_H_
