// Internal to extract/: the one number parser of newsclaim. Reads Arabic numbers (with
// thousands separators, decimals, scientific notation), Chinese numerals and scales in any
// mix (一万五千亿, 4,530亿, 3万4000, 一百零几万), and English number words (twenty-two).
// Units, qualifiers and scale words such as "million" are rule data (figures.cc), not here.
#ifndef NEWSCLAIM_EXTRACT_NUMBERS_H_
#define NEWSCLAIM_EXTRACT_NUMBERS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace newsclaim::extract {

// What the parser reads: the folded text (NFKC + Simplified), and optionally the original
// text with the folded->original byte map, because NFKC erases two distinctions the grammar
// needs: superscript exponents (10²⁵ folds to "1025") and the width of a comma ("，" folds
// to ",", yet "$20，300" is two amounts while "１，１２３" is one).
struct NumberSource {
  std::string_view text;
  std::string_view original;                           // empty when there is no map
  const std::vector<uint32_t>* to_original = nullptr;  // size text.size() + 1
  // Read "3/5" and "1 4/3" as fractions (a number model's contract); off in figure
  // extraction, where a slash between numbers is as often a date or a ratio (7/24).
  bool slash_fractions = false;

  // The code point of `original` that produced text byte `pos`; 0 without a map.
  char32_t OriginalAt(size_t pos) const;
};

// One number as written. Offsets are bytes into NumberSource::text.
struct ParsedNumber {
  size_t begin = 0;
  size_t end = 0;
  double value = 0;
  bool vague = false;     // 数十, 几百万, 上千: an order of magnitude, value unknown
  bool approx = false;    // an infix 几 inside the numeral (二十几万, 一百零几万)
  bool over = false;      // an infix 多/余 inside the numeral (十多万, 500余万)
  bool chinese = false;   // uses a Chinese numeral or scale character
  bool english = false;   // English number words (twenty-two)
  bool fraction = false;  // X分之Y
  bool negative = false;
  bool decimal = false;       // has a fractional part
  bool lone_char = false;     // a single numeral character (一, 两, 十)
  bool plain_digits = false;  // a bare digit run (2024, 二〇二四): no sign, separator, point
  int digit_count = 0;        // number of digits when plain_digits
  double end_scale = 1;       // scale of a trailing Chinese scale character (万 in 150万), else 1
};

// Tells the parser that a unit begins at a byte offset, so that a scale character that
// starts a unit is left to the unit (千 in 千瓦 = kW, 兆 in 兆瓦 = MW).
using UnitStartsAt = std::function<bool(size_t)>;

// Parses the longest number that starts exactly at `pos`. Returns nullopt when no number
// starts there. When a run of numeral characters starting at pos is not a number (二三十,
// 两两, 万万), *skip_to (if not null) is set past the run so a scanner can skip it whole;
// otherwise it is left unchanged. unit_starts_at may be null. Never reads outside text.
std::optional<ParsedNumber> ParseNumber(const NumberSource& src, size_t pos,
                                        const UnitStartsAt* unit_starts_at, size_t* skip_to);

namespace internal {
bool MayStartNumberAt(std::string_view text, size_t pos);  // MayStartNumber's full test
// One bit per BMP code point: the three-byte characters that may start a number (Chinese
// digits, scales, minus signs, 半, 几...). MayStartNumberAt's table.
const uint64_t* CjkNumberStarts();
}  // namespace internal

// Cheap test on the byte at pos: can a number (or its sign) start there? False positives
// are fine (ParseNumber decides); false negatives are not. Inline: called at every
// character of a text, and most characters are answered by their first byte.
inline bool MayStartNumber(std::string_view text, size_t pos) {
  const unsigned char b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) {
    if ((b >= '0' && b <= '9') || b == '.' || b == '-') return true;
    const unsigned char lower = b | 0x20;
    if (lower < 'a' || lower > 'z') return false;
  } else if (b < 0xE2 || b > 0xE9) {
    return false;
  }
  return internal::MayStartNumberAt(text, pos);
}

// Steps from pos one character at a time (by the lead byte: 1 to 4 bytes, as a scanner over
// the text steps) while MayStartNumber is false and stop(position) is false, and returns the
// first position where either is true, or the first one >= limit (at most text.size()).
// The same answers as testing MayStartNumber at each step, with Chinese text answered from
// the table in a tight loop.
template <typename Stop>
size_t SkipNonNumberStarts(std::string_view text, size_t pos, size_t limit, Stop&& stop) {
  const uint64_t* table = internal::CjkNumberStarts();
  const size_t size = text.size();
  if (limit > size) limit = size;
  while (pos < limit) {
    const unsigned char b = static_cast<unsigned char>(text[pos]);
    size_t len = 1;
    if (b < 0x80) {
      if ((b >= '0' && b <= '9') || b == '.' || b == '-') return pos;
      const unsigned char lower = b | 0x20;
      if (lower >= 'a' && lower <= 'z') {
        // Inside a word (after a letter or digit) no number starts: MayStartNumberAt's test.
        const unsigned char prev = pos > 0 ? static_cast<unsigned char>(text[pos - 1]) : 0;
        const unsigned char prev_lower = prev | 0x20;
        const bool in_word =
            (prev >= '0' && prev <= '9') || (prev_lower >= 'a' && prev_lower <= 'z');
        if (!in_word && internal::MayStartNumberAt(text, pos)) return pos;
      }
    } else if (b >= 0xE2 && b <= 0xE9) {
      len = 3;
      if (pos + 2 < size && (static_cast<unsigned char>(text[pos + 1]) & 0xC0) == 0x80 &&
          (static_cast<unsigned char>(text[pos + 2]) & 0xC0) == 0x80) {
        const uint32_t c = (static_cast<uint32_t>(b & 0x0F) << 12) |
                           (static_cast<uint32_t>(text[pos + 1] & 0x3F) << 6) |
                           static_cast<uint32_t>(text[pos + 2] & 0x3F);
        if ((table[c >> 6] >> (c & 63)) & 1) return pos;
      } else if (internal::MayStartNumberAt(text, pos)) {
        return pos;
      }
    } else {
      len = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
    if (stop(pos)) return pos;
    pos = pos + len < size ? pos + len : size;
  }
  return pos;
}

}  // namespace newsclaim::extract

#endif  // NEWSCLAIM_EXTRACT_NUMBERS_H_
