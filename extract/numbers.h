// Internal to extract/: the one number parser of newsclaim. Reads Arabic numbers (with
// thousands separators, decimals, scientific notation), Chinese numerals and scales in any
// mix (一万五千亿, 4,530亿, 3万4000, 一百零几万), and English number words (twenty-two).
// Units, qualifiers and scale words such as "million" are rule data (figures.cc), not here.
#ifndef NEWSCLAIM_EXTRACT_NUMBERS_H_
#define NEWSCLAIM_EXTRACT_NUMBERS_H_

#include <array>
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
// MayStartNumberAt's test of a letter that starts a word (not after a letter or digit).
bool MayStartEnglish(std::string_view text, size_t pos);
// Per lower-case first letter ('a' = 0), bit n when some word of n letters starting with it
// may pass MayStartEnglish: a word whose bit is clear does not.
extern const std::array<uint32_t, 26> kEnglishStartLengths;
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

// Characters at which a scanner's own stop test may be true (besides number starts), for
// the SkipNonNumberStarts overload below: ASCII by bit; three-byte characters by a table over
// the BMP that holds the number starts too (MakeStopTable), so that most characters of
// Chinese text cost one look-up. Other characters always reach the stop test.
struct StopTable {
  uint64_t ascii[2] = {0, 0};
  // For an ASCII byte of `ascii`: the bytes after it at which the stop test may be true
  // (at the end of the text it is always asked).
  uint64_t ascii_next[128][4] = {};
  // ASCII bytes that are not letters, not in `ascii` and start no number: skipped at once.
  uint64_t ascii_plain[2] = {0, 0};
  std::vector<uint64_t> bmp;          // 0x10000 bits: CjkNumberStarts | the scanner's characters
  const uint64_t* numbers = nullptr;  // CjkNumberStarts()
};

// A StopTable for the characters `may_stop` (called once per code point < 0x10000, at
// start-up) says the stop test can be true at. Code points below 0x800 and surrogates, which
// three-byte sequences encode only when invalid, are always in it. followers(b, bits) sets
// in bits[4] the bytes that may follow the ASCII byte b where the stop test is true.
template <typename MayStop, typename Followers>
StopTable MakeStopTable(MayStop&& may_stop, Followers&& followers) {
  StopTable t;
  const uint64_t* numbers = internal::CjkNumberStarts();
  t.numbers = numbers;
  t.bmp.assign(numbers, numbers + 0x10000 / 64);
  for (uint32_t c = 0; c < 0x10000; ++c) {
    const bool on =
        c < 0x80 ? may_stop(static_cast<char32_t>(c))
                 : c < 0x800 || (c >= 0xD800 && c <= 0xDFFF) || may_stop(static_cast<char32_t>(c));
    if (!on) continue;
    if (c < 0x80) {
      t.ascii[c >> 6] |= uint64_t{1} << (c & 63);
      followers(static_cast<unsigned char>(c), t.ascii_next[c]);
    }
    if (c >= 0x80) t.bmp[c >> 6] |= uint64_t{1} << (c & 63);
  }
  for (uint32_t c = 0; c < 0x80; ++c) {
    const bool letter = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    const bool number = (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!letter && !number && !((t.ascii[c >> 6] >> (c & 63)) & 1)) {
      t.ascii_plain[c >> 6] |= uint64_t{1} << (c & 63);
    }
  }
  return t;
}

namespace internal {
// SkipNonNumberStarts's loop; with a StopTable (filtered) stop is asked only where it lets.
template <bool kFiltered, typename Stop>
size_t SkipLoop(std::string_view text, size_t pos, size_t limit, const StopTable* stops,
                Stop& stop) {
  const uint64_t* table = kFiltered ? stops->bmp.data() : CjkNumberStarts();
  const uint64_t* numbers = kFiltered ? stops->numbers : table;
  const size_t size = text.size();
  if (limit > size) limit = size;
  // The stop test at an ASCII byte; filtered, asked only where `stops` lets it be true (the
  // byte, then the byte after it).
  const auto ascii_stop = [&](size_t q) -> bool {
    if (kFiltered) {
      const unsigned char l = static_cast<unsigned char>(text[q]);
      if (!((stops->ascii[l >> 6] >> (l & 63)) & 1)) return false;
      if (q + 1 < size) {
        const unsigned char n = static_cast<unsigned char>(text[q + 1]);
        if (!((stops->ascii_next[l][n >> 6] >> (n & 63)) & 1)) return false;
      }
    }
    return stop(q);
  };
  while (pos < limit) {
    const unsigned char b = static_cast<unsigned char>(text[pos]);
    size_t len = 1;
    if (b < 0x80) {
      if (kFiltered && ((stops->ascii_plain[b >> 6] >> (b & 63)) & 1)) {
        ++pos;
        continue;
      }
      if ((b >= '0' && b <= '9') || b == '.' || b == '-') return pos;
      // A run of letters at once (any other byte alone): a number may start only at its
      // first letter, when it starts a word (no letter or digit before it:
      // MayStartNumberAt's test); the stop test is asked at each byte of the run (filtered:
      // at those `stops` lets through).
      size_t e = pos + 1;
      const unsigned char lower = b | 0x20;
      if (lower >= 'a' && lower <= 'z') {
        while (e < size &&
               static_cast<unsigned>((static_cast<unsigned char>(text[e]) | 0x20) - 'a') < 26u) {
          ++e;
        }
        const unsigned char prev = pos > 0 ? static_cast<unsigned char>(text[pos - 1]) : 0;
        const unsigned char prev_lower = prev | 0x20;
        const bool in_word =
            (prev >= '0' && prev <= '9') || (prev_lower >= 'a' && prev_lower <= 'z');
        if (!in_word && e - pos < 32 && ((kEnglishStartLengths[lower - 'a'] >> (e - pos)) & 1) &&
            MayStartEnglish(text, pos)) {
          return pos;
        }
      }
      const size_t end = e < limit ? e : limit;
      for (size_t q = pos; q < end; ++q) {
        if (ascii_stop(q)) return q;
      }
      pos = end;
      continue;
    } else if (kFiltered ? (b & 0xF0) == 0xE0 : b >= 0xE2 && b <= 0xE9) {
      // Filtered, every three-byte character is answered by the table (number starts are
      // all in U+2000..U+9FFF, lead bytes E2..E9, as MayStartNumber requires).
      len = 3;
      if (pos + 2 < size && (static_cast<unsigned char>(text[pos + 1]) & 0xC0) == 0x80 &&
          (static_cast<unsigned char>(text[pos + 2]) & 0xC0) == 0x80) {
        const uint32_t c = (static_cast<uint32_t>(b & 0x0F) << 12) |
                           (static_cast<uint32_t>(text[pos + 1] & 0x3F) << 6) |
                           static_cast<uint32_t>(text[pos + 2] & 0x3F);
        if ((table[c >> 6] >> (c & 63)) & 1) {
          if (!kFiltered || (((numbers[c >> 6] >> (c & 63)) & 1) && b >= 0xE2 && b <= 0xE9)) {
            return pos;
          }
        } else if (kFiltered) {
          pos = pos + 3 < size ? pos + 3 : size;
          continue;
        }
      } else if (MayStartNumberAt(text, pos)) {
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
}  // namespace internal

// Steps from pos one character at a time (by the lead byte: 1 to 4 bytes, as a scanner over
// the text steps) while MayStartNumber is false and stop(position) is false, and returns the
// first position where either is true, or the first one >= limit (at most text.size()).
// The same answers as testing MayStartNumber at each step, with Chinese text answered from
// the table in a tight loop.
template <typename Stop>
size_t SkipNonNumberStarts(std::string_view text, size_t pos, size_t limit, Stop&& stop) {
  return internal::SkipLoop<false>(text, pos, limit, nullptr, stop);
}

// The same, when stop can be true only at the characters of `stops` (MakeStopTable) and at
// characters that are neither ASCII nor three bytes long: stop is asked only there.
template <typename Stop>
size_t SkipNonNumberStarts(std::string_view text, size_t pos, size_t limit, const StopTable& stops,
                           Stop&& stop) {
  return internal::SkipLoop<true>(text, pos, limit, &stops, stop);
}

}  // namespace newsclaim::extract

#endif  // NEWSCLAIM_EXTRACT_NUMBERS_H_
