// The number parser: one grammar for Arabic, Chinese and English-word numbers.
#include "extract/numbers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/utf8.h"

namespace newsclaim::extract {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(char c) { return IsDigit(c) || IsAsciiLetter(c); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The code point at pos, and in *next where the following one starts (utf8::Next, which
// decodes the three-byte characters of Chinese text inline).
char32_t At(std::string_view s, size_t pos, size_t* next) {
  size_t p = pos;
  const char32_t cp = utf8::Next(s, &p);
  if (next != nullptr) *next = p;
  return cp;
}

// The code point that ends just before pos (0 at the start).
char32_t Before(std::string_view s, size_t pos) {
  if (pos == 0) return 0;
  size_t b = pos - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80 && pos - b < 4) --b;
  size_t p = b;
  return At(s, p, nullptr);
}

int ChineseDigit(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
    case U'壹':
      return 1;
    case U'二':
    case U'两':
    case U'兩':
    case U'俩':
    case U'倆':
    case U'贰':
    case U'貳':
      return 2;
    case U'三':
    case U'叁':
      return 3;
    case U'四':
    case U'肆':
      return 4;
    case U'五':
    case U'伍':
      return 5;
    case U'六':
    case U'陆':
    case U'陸':
      return 6;
    case U'七':
    case U'柒':
      return 7;
    case U'八':
    case U'捌':
      return 8;
    case U'九':
    case U'玖':
      return 9;
    default:
      return -1;
  }
}

double SmallScale(char32_t c) {
  switch (c) {
    case U'十':
    case U'拾':
      return 10;
    case U'百':
    case U'佰':
      return 100;
    case U'千':
    case U'仟':
      return 1000;
    default:
      return 0;
  }
}

double BigScale(char32_t c) {
  switch (c) {
    case U'万':
    case U'萬':
      return 1e4;
    case U'亿':
    case U'億':
      return 1e8;
    case U'兆':
      return 1e12;
    default:
      return 0;
  }
}

bool IsScale(char32_t c) { return SmallScale(c) != 0 || BigScale(c) != 0; }

// The financial (anti-fraud) forms of the numerals, as written on cheques and contracts
// (壹佰萬元). Each is also an ordinary character elsewhere (队伍, 收拾, 大陆), so a financial
// numeral alone is never a number, and the commonest words (陆, 拾) may not start one
// right after another ideograph.
bool IsFinancial(char32_t c) {
  switch (c) {
    case U'壹':
    case U'贰':
    case U'貳':
    case U'叁':
    case U'肆':
    case U'伍':
    case U'陆':
    case U'陸':
    case U'柒':
    case U'捌':
    case U'玖':
    case U'拾':
    case U'佰':
    case U'仟':
    case U'俩':
    case U'倆':
      return true;
    default:
      return false;
  }
}
bool IsCommonWordNumeral(char32_t c) {
  return c == U'陆' || c == U'陸' || c == U'拾' || c == U'俩' || c == U'倆';
}
bool IsIdeograph(char32_t c) { return c >= 0x3400 && c <= 0x9FFF; }
bool IsPoint(char32_t c) { return c == U'点' || c == U'點'; }
bool IsInfix(char32_t c) {
  return c == U'多' || c == U'余' || c == U'餘' || c == U'几' || c == U'幾';
}
bool IsFew(char32_t c) { return c == U'几' || c == U'幾'; }
// 两 (and its variants) counts things (两百, 两万) but is never a digit of a decimal part or
// of a digit string: 两百点两 is 200 and a separate 两.
bool IsLiang(char32_t c) { return c == U'两' || c == U'兩' || c == U'俩' || c == U'倆'; }
bool IsMinusSign(char32_t c) { return c == '-' || c == 0x2212 || c == U'负' || c == U'負'; }

bool IsSuperscriptDigit(char32_t c) {
  return c == 0x00B9 || c == 0x00B2 || c == 0x00B3 || c == 0x2070 || (c >= 0x2074 && c <= 0x2079);
}
bool IsFullWidthDigit(char32_t c) { return c >= 0xFF10 && c <= 0xFF19; }

size_t SkipSpaces(std::string_view s, size_t p) {
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  return p;
}

bool ToDouble(const std::string& digits, double* out) {
  // Most numbers are a few digits: exact as an integer (below 2^53), as from_chars reads them;
  // and "123.45" with at most 15 digits is 12345 / 10^2, both exact, so the one rounding of
  // the division gives the correctly rounded value from_chars gives.
  if (!digits.empty() && digits.size() <= 16) {
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t v = 0;
    int n = 0, point = -1;
    bool ok = true;
    for (size_t i = 0; i < digits.size(); ++i) {
      const char c = digits[i];
      if (c >= '0' && c <= '9') {
        v = v * 10 + static_cast<uint64_t>(c - '0');
        ++n;
      } else if (c == '.' && point < 0 && i > 0 && i + 1 < digits.size()) {
        point = static_cast<int>(i);
      } else {
        ok = false;
        break;
      }
    }
    if (ok && n <= 15) {
      const int frac = point < 0 ? 0 : n - point;
      *out = frac == 0 ? static_cast<double>(v) : static_cast<double>(v) / kPow10[frac];
      return true;
    }
  }
  const char* first = digits.data();
  const char* last = first + digits.size();
  auto [ptr, ec] = std::from_chars(first, last, *out);
  return ec == std::errc() && ptr == last && std::isfinite(*out);
}

inline bool Superscript(const NumberSource& src, size_t pos) {
  if (src.to_original == nullptr || pos >= src.to_original->size()) return false;
  const size_t o = (*src.to_original)[pos];
  // Fast path: an ASCII byte in the original is never a superscript.
  if (o >= src.original.size() || static_cast<unsigned char>(src.original[o]) < 0x80) return false;
  return IsSuperscriptDigit(src.OriginalAt(pos));
}

// Reads digits from p while their superscript-ness equals `sup`; appends them to out.
size_t ReadDigits(const NumberSource& src, size_t p, bool sup, std::string* out) {
  const std::string_view s = src.text;
  const size_t begin = p;
  while (p < s.size() && IsDigit(s[p]) && Superscript(src, p) == sup) ++p;
  out->append(s.data() + begin, p - begin);
  return p;
}

// An exponent written as a power of ten after the mantissa: "×10^25", "x10^25", "* 10^-3",
// "× 10²⁵" (the superscripts survive only in the original text). Returns the end of the
// power or 0 when there is none.
size_t PowerOfTen(const NumberSource& src, size_t p, int* exponent) {
  const std::string_view s = src.text;
  size_t q = p;
  if (q < s.size() && s[q] == '^') {
    ++q;
  } else if (!(q < s.size() && IsDigit(s[q]) && Superscript(src, q))) {
    return 0;
  }
  bool neg = false;
  if (q < s.size() && (s[q] == '-' || s[q] == '+')) {
    neg = s[q] == '-';
    ++q;
  } else if (q + 2 < s.size() && At(s, q, nullptr) == 0x2212) {
    neg = true;
    q += 3;
  }
  std::string digits;
  const size_t e = ReadDigits(src, q, q < s.size() && Superscript(src, q), &digits);
  if (digits.empty() || digits.size() > 4) return 0;
  *exponent = std::stoi(digits) * (neg ? -1 : 1);
  return e;
}

struct Arabic {
  size_t end = 0;
  double value = 0;
  bool decimal = false;
  bool separators = false;
  bool scientific = false;
  int int_digits = 0;
};

// Arabic number at p: 16,384 / 1,234.5 / .5 / 3.8e25 / 3.8×10^25 / 10²⁵.
std::optional<Arabic> ParseArabic(const NumberSource& src, size_t p) {
  const std::string_view s = src.text;
  Arabic a;
  std::string buf;
  size_t q = p;
  const bool sup = Superscript(src, p);
  if (sup) return std::nullopt;  // a lone superscript is a footnote mark, not a number
  if (s[q] != '.') {
    q = ReadDigits(src, q, false, &buf);
    a.int_digits = static_cast<int>(buf.size());
    // Thousands separators: groups of exactly three digits, and a comma of the same width
    // as the digits ("$20，300" is two amounts, "９，９９９" is one).
    if (a.int_digits <= 3) {
      while (q + 3 < s.size() + 0 && s[q] == ',' && IsDigit(s[q + 1]) && IsDigit(s[q + 2]) &&
             IsDigit(s[q + 3]) && (q + 4 >= s.size() || !IsDigit(s[q + 4]))) {
        if (src.to_original != nullptr) {
          const bool wide_comma = src.OriginalAt(q) == 0xFF0C;
          const bool wide_digit = IsFullWidthDigit(src.OriginalAt(q - 1));
          if (wide_comma != wide_digit) break;
        }
        buf.append(s.substr(q + 1, 3));
        q += 4;
        a.separators = true;
      }
    }
  } else {
    buf.push_back('0');
  }
  // Inside a dotted group (the 22222 of 2222.22222.222) there is no decimal part.
  const bool in_dotted = p >= 2 && s[p - 1] == '.' && IsDigit(s[p - 2]);
  if (!in_dotted && q + 1 < s.size() && s[q] == '.' && IsDigit(s[q + 1]) &&
      !Superscript(src, q + 1)) {
    std::string frac;
    const size_t e = ReadDigits(src, q + 1, false, &frac);
    if (e < s.size() && s[e] == '.' && e + 1 < s.size() && IsDigit(s[e + 1])) {
      // 2222.2222.22222: dotted groups (versions, addresses) are separate integers.
      if (buf.empty() || s[p] == '.') return std::nullopt;
    } else {
      buf.push_back('.');
      buf += frac;
      q = e;
      a.decimal = true;
    }
  }
  if (buf.empty() || (s[p] == '.' && !a.decimal)) return std::nullopt;
  int exponent = 0;
  bool has_exp = false;
  // 3.8e25, 1E+25, 2.789e-1 (not 3e when a word follows: "5eggs").
  if (q < s.size() && (s[q] == 'e' || s[q] == 'E')) {
    size_t r = q + 1;
    if (r < s.size() && (s[r] == '+' || s[r] == '-')) ++r;
    std::string digits;
    const size_t e = ReadDigits(src, r, false, &digits);
    if (!digits.empty() && digits.size() <= 4 && (e >= s.size() || !IsAsciiLetter(s[e]))) {
      exponent = std::stoi(digits) * (s[q + 1] == '-' ? -1 : 1);
      has_exp = true;
      q = e;
    }
  }
  // 3.8×10^25, 3.8x10^25, 3.8 × 10²⁵.
  if (!has_exp) {
    size_t r = SkipSpaces(s, q);
    size_t after_times = 0;
    if (r < s.size() && (s[r] == 'x' || s[r] == 'X' || s[r] == '*')) {
      after_times = r + 1;
    } else if (r + 1 < s.size() && At(s, r, nullptr) == 0x00D7) {
      after_times = r + 2;
    }
    if (after_times != 0) {
      const size_t t = SkipSpaces(s, after_times);
      if (t + 1 < s.size() && s[t] == '1' && s[t + 1] == '0' && !Superscript(src, t)) {
        const size_t e = PowerOfTen(src, t + 2, &exponent);
        if (e != 0) {
          has_exp = true;
          q = e;
        }
      }
    }
  }
  // A bare power of ten: 10^25, 10²⁵.
  if (!has_exp && buf.size() == 2 && buf[0] == '1' && buf[1] == '0') {
    const size_t e = PowerOfTen(src, q, &exponent);
    if (e != 0) {
      buf = "1";
      has_exp = true;
      q = e;
    }
  }
  if (has_exp) {
    buf += "e" + std::to_string(exponent);
    a.scientific = true;
  }
  if (!ToDouble(buf, &a.value)) return std::nullopt;
  // Any other power written with a caret: 2^5 = 32, 2.5^-1 = 0.4, 1.1^+23.
  if (!has_exp && q + 1 < s.size() && s[q] == '^') {
    size_t r = q + 1;
    bool neg = false;
    while (r < s.size() && (s[r] == '+' || s[r] == '-')) neg ^= s[r++] == '-';
    std::string digits;
    const size_t e = ReadDigits(src, r, false, &digits);
    if (!digits.empty() && digits.size() <= 3 && r - q <= 3) {
      const double power = std::pow(a.value, std::stoi(digits) * (neg ? -1 : 1));
      if (std::isfinite(power)) {
        a.value = power;
        a.scientific = true;
        q = e;
      }
    }
  }
  a.end = q;
  return a;
}

// English number words up to the thousands ("twenty-two", "three hundred and five");
// "million" and larger are scale rules applied to any number (rules/numbers.toml).
struct Word {
  const char* text;
  double value;
  int kind;  // 0 unit/teen, 1 tens, 2 hundred, 3 thousand, 4 half, 5 quarter(s)
};
constexpr Word kWords[] = {
    {"zero", 0, 0},        {"one", 1, 0},         {"two", 2, 0},       {"three", 3, 0},
    {"four", 4, 0},        {"five", 5, 0},        {"six", 6, 0},       {"seven", 7, 0},
    {"eight", 8, 0},       {"nine", 9, 0},        {"ten", 10, 0},      {"eleven", 11, 0},
    {"twelve", 12, 0},     {"thirteen", 13, 0},   {"fourteen", 14, 0}, {"fifteen", 15, 0},
    {"sixteen", 16, 0},    {"seventeen", 17, 0},  {"eighteen", 18, 0}, {"nineteen", 19, 0},
    {"twenty", 20, 1},     {"thirty", 30, 1},     {"forty", 40, 1},    {"fifty", 50, 1},
    {"sixty", 60, 1},      {"seventy", 70, 1},    {"eighty", 80, 1},   {"ninety", 90, 1},
    {"hundred", 100, 2},   {"thousand", 1000, 3}, {"half", 0.5, 4},    {"quarter", 0.25, 5},
    {"quarters", 0.25, 5},
};

// The number word at p (whole word, any case), or nullptr; *end receives its end.
const Word* WordAt(std::string_view s, size_t p, size_t* end) {
  size_t e = p;
  while (e < s.size() && IsAsciiLetter(s[e])) ++e;
  if (e - p < 3 || e - p > 9 || (e < s.size() && IsDigit(s[e]))) return nullptr;
  const char first = Lower(s[p]);
  for (const Word& w : kWords) {
    if (w.text[0] != first) continue;
    const std::string_view t(w.text);
    if (t.size() != e - p) continue;
    bool eq = true;
    for (size_t i = 0; i < t.size() && eq; ++i) eq = Lower(s[p + i]) == t[i];
    if (eq) {
      *end = e;
      return &w;
    }
  }
  return nullptr;
}

// True when the word at p is one of `words` (lower case, whole word).
bool WordIs(std::string_view s, size_t p, std::initializer_list<std::string_view> words) {
  size_t e = p;
  while (e < s.size() && IsAsciiLetter(s[e])) ++e;
  for (std::string_view w : words) {
    if (w.size() != e - p) continue;
    bool eq = true;
    for (size_t i = 0; i < w.size() && eq; ++i) eq = Lower(s[p + i]) == w[i];
    if (eq) return true;
  }
  return false;
}

std::optional<ParsedNumber> ParseEnglish(std::string_view s, size_t pos) {
  if (pos > 0 && IsAsciiAlnum(s[pos - 1])) return std::nullopt;
  double total = 0, current = 0;
  int last_kind = -1;
  bool any = false, article = false;
  size_t p = pos, end = pos;
  // "a hundred", "a quarter million", "a million" (million itself is a scale rule).
  if (pos + 2 < s.size() && Lower(s[pos]) == 'a' && s[pos + 1] == ' ') {
    const size_t q = SkipSpaces(s, pos + 1);
    if (WordIs(s, q, {"million", "billion", "trillion"})) {
      ParsedNumber n;
      n.begin = pos;
      n.end = pos + 1;
      n.value = 1;
      n.english = true;
      return n;
    }
    if (!WordIs(s, q, {"hundred", "thousand", "quarter", "half"})) return std::nullopt;
    article = true;
    current = 1;
    p = q;
  }
  while (p < s.size()) {
    size_t e = 0;
    const Word* w = WordAt(s, p, &e);
    if (w == nullptr) break;
    if (w->kind == 0) {
      if (article || last_kind == 0 || (last_kind == 1 && w->value >= 10)) break;
      current += w->value;
    } else if (w->kind == 1) {
      if (article || last_kind == 0 || last_kind == 1) break;
      current += w->value;
    } else if (w->kind == 2) {
      if ((last_kind != 0 && !article) || current == 0 || current >= 100) break;
      current *= 100;
    } else if (w->kind == 3) {
      if (!any && !article) break;
      total += current * 1000;
      current = 0;
    } else {
      // half: 0.5; "three quarters": 0.75. Nothing but a scale word may follow.
      if (w->kind == 4 && any) break;
      current = any ? current * w->value : w->value;
      any = true;
      end = e;
      break;
    }
    any = true;
    article = false;
    last_kind = w->kind;
    end = e;
    // Separators: "twenty-two", "one hundred five", "one hundred and five".
    size_t q = e;
    if (q < s.size() && s[q] == '-') {
      ++q;
    } else if (q < s.size() && s[q] == ' ') {
      q = SkipSpaces(s, q);
      if (last_kind >= 2 && s.substr(q, 4) == "and ") q = SkipSpaces(s, q + 4);
    } else {
      break;
    }
    p = q;
  }
  if (!any) return std::nullopt;
  ParsedNumber n;
  n.begin = pos;
  n.end = end;
  n.value = total + current;
  n.english = true;
  return n;
}

// 数十亿, 几百万, 上千: orders of magnitude with no value.
std::optional<ParsedNumber> ParseVague(std::string_view s, size_t pos) {
  size_t p = 0;
  const char32_t head = At(s, pos, &p);
  size_t e = p;
  int scales = 0;
  while (e < s.size()) {
    size_t n = 0;
    const char32_t c = At(s, e, &n);
    if (!IsScale(c) || (scales == 0 && head == U'上' && c == U'十')) break;
    e = n;
    ++scales;
  }
  if (scales == 0) return std::nullopt;
  ParsedNumber v;
  v.begin = pos;
  v.end = e;
  v.vague = true;
  v.chinese = true;
  return v;
}

// Chinese numerals, possibly mixed with Arabic numbers (3万4000, 1,100.9亿, 2千零30万).
std::optional<ParsedNumber> ParseComposite(const NumberSource& src, size_t pos,
                                           const UnitStartsAt* unit_at, size_t* skip_to) {
  const std::string_view s = src.text;
  if (IsCommonWordNumeral(At(s, pos, nullptr)) && IsIdeograph(Before(s, pos))) return std::nullopt;
  ParsedNumber out;
  out.begin = pos;

  // A run of Chinese digits with no scale: 二〇二四 is a digit string (a year, as a rule);
  // 二三十 and 两两 are not numbers at all.
  {
    size_t p = pos, digits = 0;
    bool zero = false;
    std::string run;
    while (p < s.size()) {
      size_t n = 0;
      const char32_t c = At(s, p, &n);
      const int d = ChineseDigit(c);
      if (d < 0) break;
      // 二两 = two taels: a 两 that starts a unit ends the numeral.
      if (digits > 0 && IsLiang(c) && !IsLiang(Before(s, p)) && unit_at != nullptr &&
          (*unit_at)(p)) {
        break;
      }
      zero |= d == 0;
      run.push_back(static_cast<char>('0' + d));
      ++digits;
      p = n;
    }
    if (digits >= 2) {
      size_t n = 0;
      const char32_t next = p < s.size() ? At(s, p, &n) : 0;
      const bool structured = IsScale(next) || IsPoint(next) || IsInfix(next);
      // A discount is written digit by digit: 八五折 = 85 %, 五五折 (not "five or five").
      const bool discount = digits == 2 && next == U'折';
      if (structured || (digits == 2 && !zero && !discount)) {
        size_t e = p;
        while (e < s.size()) {
          const char32_t c = At(s, e, &n);
          if (!IsScale(c) && ChineseDigit(c) < 0) break;
          e = n;
        }
        if (skip_to != nullptr) *skip_to = e;
        return std::nullopt;
      }
      out.end = p;
      out.chinese = true;
      out.plain_digits = true;
      out.digit_count = static_cast<int>(digits);
      ToDouble(run, &out.value);
      return out;
    }
  }

  double total = 0, section = 0, pending = -1;
  double last_small = 0, max_big = 0, last_scale = 0;
  bool pending_elidable = false;  // a single digit right after a scale: 两千三 = 2300
  bool prev_scale = false, zero = false, any_chinese = false, decimal = false;
  int elements = 0, chars = 0;
  size_t p = pos, end = pos;

  auto next_cp = [&](size_t at, size_t* n) { return at < s.size() ? At(s, at, n) : char32_t{0}; };
  // After spaces inside a numeral, is this still the same number? ("7 万5 千4 百", "十 余 万")
  auto continues_after_space = [&](size_t q) {
    size_t n = 0;
    const char32_t c = next_cp(q, &n);
    if (IsScale(c)) return true;
    if (IsInfix(c)) return IsScale(next_cp(SkipSpaces(s, n), &n));
    // Tokenised numerals ("一百 五 十 二", "四百 点 五", "五 分之 一"): a Chinese digit after
    // a Chinese scale, a point before a Chinese digit, and 分之 continue the numeral.
    if (any_chinese && prev_scale && ChineseDigit(c) > 0) return true;
    if (any_chinese && IsPoint(c) && !decimal) {
      const char32_t d = next_cp(SkipSpaces(s, n), nullptr);
      return ChineseDigit(d) >= 0 && !IsLiang(d);
    }
    if (c == U'分' && (pending >= 0 || section + total > 0)) {
      return next_cp(SkipSpaces(s, n), nullptr) == U'之';
    }
    if (prev_scale && (IsDigit(s[q]) || ChineseDigit(c) > 0)) {
      size_t r = q;
      if (IsDigit(s[r])) {
        while (r < s.size() && IsDigit(s[r])) ++r;
      } else {
        next_cp(r, &r);
      }
      return IsScale(next_cp(r, &n));
    }
    return false;
  };

  while (p < s.size()) {
    if (p > pos && (s[p] == ' ' || s[p] == '\t')) {
      const size_t q = SkipSpaces(s, p);
      if (q >= s.size() || !continues_after_space(q)) break;
      p = q;
    }
    size_t n = 0;
    const char32_t c = At(s, p, &n);
    if (IsDigit(s[p]) || (s[p] == '.' && elements == 0)) {
      if (pending >= 0 || (elements > 0 && !prev_scale && !zero)) break;
      if (elements > 0 && Superscript(src, p)) break;
      const std::optional<Arabic> a = ParseArabic(src, p);
      if (!a) break;
      if (a->scientific) {
        if (elements > 0) break;
        out.end = a->end;
        out.value = a->value;
        out.decimal = true;
        return out;
      }
      pending_elidable = prev_scale && !zero && a->int_digits == 1 && !a->decimal;
      pending = a->value;
      decimal |= a->decimal;
      if (elements == 0) {
        out.plain_digits = !a->decimal && !a->separators;
        out.digit_count = a->int_digits;
      }
      p = end = a->end;
      prev_scale = false;
      ++elements;
      continue;
    }
    const int d = ChineseDigit(c);
    if (d == 0) {
      // 零 only joins parts (一百零五); it is part of the span only if a part follows.
      if (pending >= 0 && !prev_scale) break;
      zero = true;
      any_chinese = true;
      if (elements == 0 && IsPoint(next_cp(n, nullptr))) {
        pending = 0;  // 零点五
        end = n;
        ++chars;
      }
      p = n;
      ++elements;
      prev_scale = false;
      continue;
    }
    if (d > 0) {
      if (pending > 0 || (pending == 0 && elements > 1 && !zero)) break;
      // 三千两百两, 两万两: a final 两 after a scale that starts a unit is the unit (tael).
      if (IsLiang(c) && prev_scale && unit_at != nullptr && (*unit_at)(p)) break;
      pending_elidable = prev_scale && !zero;
      pending = d;
      any_chinese = true;
      p = end = n;
      ++elements;
      ++chars;
      prev_scale = false;
      continue;
    }
    const double small = SmallScale(c);
    if (small != 0) {
      if (small >= 1000 && unit_at != nullptr && (*unit_at)(p)) break;
      if (last_small != 0 && small >= last_small) break;  // 七十百: 百 starts something else
      if (pending < 0) {
        // 十五 and 一百零十: a bare 十 means one ten; 百分之百: a bare 百 after 之 is 100.
        if (small == 10 && (elements == 0 || zero)) {
          pending = 1;
        } else if (elements == 0 && Before(s, pos) == U'之') {
          pending = 1;
        } else {
          break;
        }
      }
      section += pending * small;
      pending = -1;
      pending_elidable = false;
      last_small = last_scale = small;
      zero = false;
      any_chinese = true;
      p = end = n;
      ++elements;
      ++chars;
      prev_scale = true;
      continue;
    }
    const double big = BigScale(c);
    if (big != 0) {
      if (unit_at != nullptr && (*unit_at)(p)) break;
      const double group = section + (pending > 0 ? pending : 0);
      if (group == 0 && !(prev_scale && last_scale >= 1e4)) break;
      if (group == 0 && last_scale == big) {
        total *= big;  // 四万万 = 4亿: a doubled scale multiplies (older and formal usage)
        max_big = std::max(max_big, big * big);
      } else if (big > max_big) {
        total = (total + group) * big;  // 万亿, 一万五千亿: the scale multiplies all before
        max_big = big;
      } else {
        total += group * big;
      }
      section = 0;
      pending = -1;
      pending_elidable = false;
      last_small = 0;
      last_scale = big;
      zero = false;
      any_chinese = true;
      p = end = n;
      ++elements;
      ++chars;
      prev_scale = true;
      continue;
    }
    if (IsInfix(c) && elements > 0) {
      size_t m = 0;
      const size_t after = SkipSpaces(s, n);
      if (IsScale(next_cp(after, &m))) {
        // 十多万, 500余万, 一百零几万: the infix stands for an unknown lower part.
        (IsFew(c) ? out.approx : out.over) = true;
        if (IsFew(c) && pending < 0) pending = 0;
        p = after;
        continue;
      }
      if (IsFew(c) && prev_scale && last_scale == 10) {
        out.vague = true;  // 十几, 二十几
        end = n;
      }
      break;
    }
    if (IsPoint(c) && elements > 0 && !decimal) {
      // 十五点七, 两千万点五五四四: Chinese decimals are read digit by digit.
      std::string frac = "0.";
      size_t q = SkipSpaces(s, n);
      while (q < s.size()) {
        size_t m = 0;
        const char32_t fc = At(s, q, &m);
        const int fd = IsLiang(fc) ? -1 : ChineseDigit(fc);
        if (fd < 0) break;
        frac.push_back(static_cast<char>('0' + fd));
        q = m;
      }
      if (frac.size() == 2) break;
      double f = 0;
      ToDouble(frac, &f);
      double whole = total + section;
      if (pending > 0) whole += pending_elidable ? pending * last_scale / 10 : pending;
      size_t m = 0;
      const double big_after = BigScale(next_cp(q, &m));
      if (big_after != 0 && max_big == 0 && (unit_at == nullptr || !(*unit_at)(q))) {
        out.value = (whole + f) * big_after;  // 一点五亿
        out.end_scale = big_after;
        q = m;
      } else {
        out.value = whole + f;
      }
      out.end = q;
      out.chinese = true;
      out.decimal = true;
      return out;
    }
    if (c == U'半' && elements == 0) {
      size_t m = 0;
      if (IsScale(next_cp(n, &m))) {  // 半百 = 50
        pending = 0.5;
        p = end = n;
        ++elements;
        ++chars;
        any_chinese = true;
        continue;
      }
      break;
    }
    if (c == U'分' && elements > 0 && (pending >= 0 || section + total > 0)) {
      size_t m = 0;
      if (next_cp(SkipSpaces(s, n), &m) == U'之') {
        // 五百分之2333 = 2333/500; 四千二分之三 = 3/4200; ３分之负一百五十七.
        double denom = total + section;
        if (pending > 0) denom += pending_elidable ? pending * last_scale / 10 : pending;
        m = SkipSpaces(s, m);
        bool minus = false;
        if (m < s.size() && IsMinusSign(At(s, m, nullptr))) {
          minus = true;
          At(s, m, &m);
        }
        const std::optional<ParsedNumber> num = ParseComposite(src, m, unit_at, nullptr);
        if (denom > 0 && num && !num->vague && !num->fraction) {
          out.value = (minus ? -num->value : num->value) / denom;
          out.end = num->end;
          out.fraction = true;
          out.chinese = true;
          return out;
        }
      }
      break;
    }
    break;
  }
  if (elements == 0 || end == pos) return std::nullopt;
  // A lone financial numeral is a number only as part of one: 分之壹, 负壹, 壹又二分之一.
  size_t b = pos;
  while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  if (chars == 1 && elements == 1 && IsFinancial(At(s, pos, nullptr)) && Before(s, b) != U'之' &&
      !IsMinusSign(Before(s, pos)) && !(end < s.size() && At(s, end, nullptr) == U'又')) {
    return std::nullopt;
  }
  double value = total + section;
  if (pending > 0) value += pending_elidable ? pending * last_scale / 10 : pending;
  out.end = end;
  out.value = value;
  out.chinese = any_chinese;
  out.decimal = decimal;
  out.lone_char = any_chinese && chars == 1 && elements == 1;
  if (any_chinese) out.plain_digits = false;
  if (prev_scale && last_scale >= 1000) out.end_scale = last_scale;
  return out;
}

}  // namespace

char32_t NumberSource::OriginalAt(size_t pos) const {
  if (to_original == nullptr || pos >= to_original->size()) return 0;
  const size_t o = (*to_original)[pos];
  if (o >= original.size()) return 0;
  size_t p = o;
  return utf8::Next(original, &p);
}

// The word "minus", which may start an English number besides the number words (kWords)
// and the article "a".
constexpr std::string_view kMinusWord = "minus";

namespace internal {

// Per first letter, bit n for each word of n letters that MayStartEnglish accepts: the
// number words, "minus" and the article "a". Constant-initialised (no guard at run time).
constexpr std::array<uint32_t, 26> MakeEnglishStartLengths() {
  std::array<uint32_t, 26> t{};
  for (const Word& w : kWords) {
    size_t n = 0;
    while (w.text[n] != '\0') ++n;
    if (n < 32) t[w.text[0] - 'a'] |= uint32_t{1} << n;
  }
  t[kMinusWord[0] - 'a'] |= uint32_t{1} << kMinusWord.size();
  t['a' - 'a'] |= uint32_t{1} << 1;  // a
  return t;
}
constexpr std::array<uint32_t, 26> kEnglishStartLengths = MakeEnglishStartLengths();

// Whether the word at pos can start an English number for ParseNumber: a number word
// (kWords), "minus", or the article of "a hundred". Most words of English text are none of
// these and never reach the parser.
bool MayStartEnglish(std::string_view s, size_t pos) {
  // The words by first letter; which first letters and lengths occur: kEnglishStartLengths.
  static const auto words = [] {
    std::array<std::vector<std::string_view>, 26> by_first;
    by_first[kMinusWord[0] - 'a'].push_back(kMinusWord);
    for (const Word& w : kWords) by_first[w.text[0] - 'a'].push_back(w.text);
    return by_first;
  }();
  const char first = Lower(s[pos]);
  const uint32_t lengths = kEnglishStartLengths[first - 'a'];
  if (lengths == 0) return false;
  size_t e = pos + 1;
  while (e < s.size() && IsAsciiLetter(s[e])) ++e;
  const size_t n = e - pos;
  if (n == 1) return first == 'a';
  if (n < 3 || n >= 32 || !((lengths >> n) & 1)) return false;  // no word of that length
  for (std::string_view t : words[first - 'a']) {
    if (t.size() != n) continue;
    size_t i = 1;
    while (i < n && Lower(s[pos + i]) == t[i]) ++i;
    if (i == n) return true;
  }
  return false;
}

const uint64_t* CjkNumberStarts() {
  static const std::array<uint64_t, 0x10000 / 64> table = [] {
    std::array<uint64_t, 0x10000 / 64> t{};
    for (char32_t c = 0x800; c < 0x10000; ++c) {
      if (ChineseDigit(c) >= 0 || IsScale(c) || IsMinusSign(c) || c == U'半' || c == U'数' ||
          c == U'數' || c == U'几' || c == U'幾' || c == U'上') {
        t[c >> 6] |= uint64_t{1} << (c & 63);
      }
    }
    return t;
  }();
  return table.data();
}

bool MayStartNumberAt(std::string_view text, size_t pos) {
  const unsigned char b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) {
    if (IsDigit(text[pos]) || b == '.' || b == '-') return true;
    return IsAsciiLetter(text[pos]) && (pos == 0 || !IsAsciiAlnum(text[pos - 1])) &&
           MayStartEnglish(text, pos);
  }
  if (b < 0xE2 || b > 0xE9) return false;
  // Called at every character of a text: a table over the three-byte code points.
  static const uint64_t* const table = CjkNumberStarts();
  const auto in_table = [&](char32_t c) {
    return c < 0x10000 && ((table[c >> 6] >> (c & 63)) & 1);
  };
  if (pos + 2 < text.size() && (static_cast<unsigned char>(text[pos + 1]) & 0xC0) == 0x80 &&
      (static_cast<unsigned char>(text[pos + 2]) & 0xC0) == 0x80) {
    const char32_t c = (static_cast<char32_t>(b & 0x0F) << 12) |
                       (static_cast<char32_t>(text[pos + 1] & 0x3F) << 6) |
                       static_cast<char32_t>(text[pos + 2] & 0x3F);
    return in_table(c);
  }
  size_t p = pos;
  return in_table(utf8::Next(text, &p));
}

}  // namespace internal

std::optional<ParsedNumber> ParseNumber(const NumberSource& src, size_t pos,
                                        const UnitStartsAt* unit_starts_at, size_t* skip_to) {
  const std::string_view s = src.text;
  if (pos >= s.size()) return std::nullopt;
  size_t n = 0;
  const char32_t c = At(s, pos, &n);

  // Signs: "-5", "−5", "负3.9", "minus five". Not the dash of a range or a code (5-10,
  // 3.1-405B) and not a doubled dash (--9).
  bool minus_word = false;
  const size_t minus_len = kMinusWord.size();
  if (IsAsciiLetter(s[pos]) && s.size() - pos > minus_len + 1) {
    minus_word = (pos == 0 || !IsAsciiAlnum(s[pos - 1]));
    for (size_t i = 0; i < minus_len && minus_word; ++i) {
      minus_word = Lower(s[pos + i]) == kMinusWord[i];
    }
    minus_word = minus_word && s[pos + minus_len] == ' ';
    if (minus_word) n = SkipSpaces(s, pos + minus_len);
  }
  if (minus_word || IsMinusSign(c)) {
    const char32_t prev = Before(s, pos);
    const bool prev_ok =
        !(prev < 0x80 && (IsAsciiAlnum(static_cast<char>(prev)) || prev == '-' || prev == '.' ||
                          prev == '%' || prev == ')' || prev == '_')) &&
        !IsMinusSign(prev) && ChineseDigit(prev) < 0 && !IsScale(prev);
    if (!prev_ok) return std::nullopt;
    if (n < s.size() && (s[n] == '-' || IsMinusSign(At(s, n, nullptr)))) return std::nullopt;
    std::optional<ParsedNumber> r = ParseNumber(src, n, unit_starts_at, nullptr);
    if (!r || r->negative || r->vague) return std::nullopt;
    r->begin = pos;
    r->value = -r->value;
    r->negative = true;
    r->plain_digits = false;
    r->lone_char = false;
    return r;
  }
  if (IsAsciiLetter(s[pos])) return ParseEnglish(s, pos);
  if (s[pos] == '.') {
    // .5 is a number; the 9 of "...9" and the 2222 after "2222." are read on their own.
    const char32_t prev = Before(s, pos);
    if (prev == '.' || (prev < 0x80 && IsDigit(static_cast<char>(prev)))) return std::nullopt;
    if (pos + 1 >= s.size() || !IsDigit(s[pos + 1])) return std::nullopt;
  }
  if (c == U'数' || c == U'數' || c == U'几' || c == U'幾' || c == U'上') return ParseVague(s, pos);
  if (!(IsDigit(s[pos]) || s[pos] == '.' || ChineseDigit(c) >= 0 || IsScale(c) || c == U'半')) {
    return std::nullopt;
  }
  std::optional<ParsedNumber> whole = ParseComposite(src, pos, unit_starts_at, skip_to);
  // A mixed number: 三百五十又三分之一, 3又一千分之23.
  if (whole && !whole->fraction && !whole->vague && !whole->decimal && whole->end < s.size()) {
    size_t m = 0;
    const size_t y = SkipSpaces(s, whole->end);
    if (y < s.size() && At(s, y, &m) == U'又' && m < s.size()) {
      m = SkipSpaces(s, m);
      const std::optional<ParsedNumber> frac = ParseComposite(src, m, unit_starts_at, nullptr);
      if (frac && frac->fraction && frac->value < 1) {
        whole->value += frac->value;
        whole->end = frac->end;
        whole->fraction = true;
        whole->lone_char = false;
        whole->plain_digits = false;
        whole->chinese = true;
      }
    }
  }
  // Fractions with a slash (3/5, １６/5, 1 4/3 = 1 + 4/3), for the number model's contract
  // only: in running text a slash is as often a date, a ratio or 7/24.
  if (src.slash_fractions && whole && whole->plain_digits && !whole->chinese &&
      Before(s, pos) != '/') {
    // "N/D" at r: numerator and denominator plain integers, not part of a date (1/2/2024)
    // or a decimal (1/2.5). Returns the end, or 0.
    auto slash = [&](size_t r, double* num, double* den) -> size_t {
      std::string a, b;
      size_t e = ReadDigits(src, r, false, &a);
      if (a.empty() || a.size() > 6 || e + 1 >= s.size() || s[e] != '/') return 0;
      e = ReadDigits(src, e + 1, false, &b);
      if (b.empty() || b.size() > 6) return 0;
      if (e < s.size() && (s[e] == '/' || IsAsciiAlnum(s[e]) ||
                           (s[e] == '.' && e + 1 < s.size() && IsDigit(s[e + 1])))) {
        return 0;
      }
      if (!ToDouble(a, num) || !ToDouble(b, den) || *den == 0) return 0;
      return e;
    };
    double num = 0, den = 0;
    size_t e = 0;
    if (whole->end < s.size() && s[whole->end] == '/') {
      e = slash(pos, &num, &den);
      if (e != 0) whole->value = num / den;
    } else if (whole->digit_count <= 3 && whole->end + 1 < s.size() && s[whole->end] == ' ' &&
               IsDigit(s[whole->end + 1])) {
      e = slash(whole->end + 1, &num, &den);  // 1 4/3
      if (e != 0) whole->value += num / den;
    }
    if (e != 0) {
      whole->end = e;
      whole->fraction = true;
      whole->plain_digits = false;
    }
  }
  if (whole && !std::isfinite(whole->value)) return std::nullopt;  // 亿亿亿…: no number
  return whole;
}

}  // namespace newsclaim::extract
