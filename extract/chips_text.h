// Internal to extract/: helpers shared by the chip gazetteer and the attribution cues:
// a view of the text rules run on (folded or body) with its way back to body offsets,
// a few UTF-8 character tests, and a checked reader for rule-file tables.
#ifndef NEWSCLAIM_EXTRACT_CHIPS_TEXT_H_
#define NEWSCLAIM_EXTRACT_CHIPS_TEXT_H_

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "core/utf8.h"
#include "extract/internal.h"

namespace newsclaim::extract::text {

// A text that rules run on, with the map of its byte offsets to Article::body.
class MatchText {
 public:
  // The article's folded text when it carries a consistent offset map
  // (folded_to_body.size() == folded.size() + 1), else its body.
  static MatchText Folded(const Article& article);
  // The body as written (identity map).
  static MatchText Body(const Article& article);

  std::string_view text() const { return text_; }
  // True when text() is the body itself.
  bool is_body() const { return map_ == nullptr; }
  // Body offset of the character that produced text byte i (i <= text().size()).
  uint32_t BodyBegin(uint32_t i) const;
  // Body offset just past the character that produced text byte i - 1 (0 < i).
  uint32_t BodyEnd(uint32_t i) const;
  // Body span of text span [b, e).
  Span ToBody(uint32_t b, uint32_t e) const;

 private:
  std::string_view text_;
  const std::vector<uint32_t>* map_ = nullptr;
  uint32_t body_size_ = 0;
};

inline bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
// Han ideographs (the blocks news text uses).
bool IsHan(char32_t cp);
// Spaces that separate words: ASCII blanks, NBSP, ideographic space.
bool IsSpace(char32_t cp);
// Code point starting at byte pos (U+FFFD on invalid bytes); *len gets its byte length.
// Inline: the attribution and chip scans call it at every character.
inline char32_t DecodeAt(std::string_view s, size_t pos, size_t* len) {
  size_t p = pos;
  const char32_t cp = utf8::Next(s, &p);
  *len = p - pos;
  return cp;
}
// Code point ending just before byte pos (pos > 0); *start gets its first byte.
char32_t DecodeBefore(std::string_view s, size_t pos, size_t* start);
// Number of code points in s[b, e).
size_t CodePoints(std::string_view s, size_t b, size_t e);
// ASCII letters lower-cased, everything else as is.
std::string AsciiLower(std::string_view s);

// Reads the fields of one rule-file table, reporting type errors and unknown fields
// through diag with the line of the offending value.
class TableReader {
 public:
  TableReader(const toml::table& table, Diagnostics& diag);
  // A string field; reports a missing required field or a wrong type.
  std::optional<std::string> String(std::string_view key, bool required);
  // An array of non-empty strings (missing: empty vector).
  std::vector<std::string> Strings(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  // Marks `examples` and `counter_examples` (collected by the loader) as known and
  // checks their type.
  void Examples();
  // Reports every field not asked for; call last. Returns true when no error was
  // reported for this table.
  bool Finish();
  int line() const { return line_; }

 private:
  const toml::table& table_;
  Diagnostics& diag_;
  int line_ = 0;
  bool ok_ = true;
  std::set<std::string, std::less<>> known_;
};

}  // namespace newsclaim::extract::text

#endif  // NEWSCLAIM_EXTRACT_CHIPS_TEXT_H_
