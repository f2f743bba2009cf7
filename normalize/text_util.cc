// Code point classes and text statistics shared by the normalize stage's cleaners.
#include "normalize/text_util.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/utf8.h"

namespace newsclaim::normalize::internal {

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) || c == 0x3007;
}

bool IsCjk(char32_t c) {
  return IsHan(c) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0x3100 && c <= 0x312F) || (c >= 0x31F0 && c <= 0x31FF);
}

bool IsProsePunct(char32_t c) {
  switch (c) {
    case U'，':
    case U'。':
    case U'！':
    case U'？':
    case U'、':
    case U'；':
    case U'：':
    case U'「':
    case U'」':
    case U'『':
    case U'』':
    case U'“':
    case U'”':
    case U'（':
    case U'）':
    case U',':
    case U'.':
    case U'!':
    case U'?':
    case U';':
    case U':':
    case U'﹐':
    case U'﹑':
    case U'｡':
      return true;
    default:
      return false;
  }
}

bool IsClauseMark(char32_t c) {
  return c == U'，' || c == U'。' || c == U'；' || c == U',' || c == U';' || c == U'.' ||
         c == U'﹐' || c == U'｡';
}

bool IsSentenceEnd(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'!' || c == U'?' || c == U'.' || c == U'｡';
}

bool IsPictograph(char32_t c) {
  return (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
         (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0x1F000 && c <= 0x1F2FF);
}

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

bool IsAsciiAlpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view Trim(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    size_t p = begin;
    if (!IsSpace(utf8::Next(s, &p))) break;
    begin = p;
  }
  size_t end = s.size();
  while (end > begin) {
    // Step back to the start of the previous code point.
    size_t q = end - 1;
    while (q > begin && (static_cast<unsigned char>(s[q]) & 0xC0) == 0x80) --q;
    size_t p = q;
    if (!IsSpace(utf8::Next(s, &p))) break;
    end = q;
  }
  return s.substr(begin, end - begin);
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  size_t pos = 0;
  const size_t n = s.size();
  while (pos < n) {
    // A run of characters that are never white space, copied at once (the common case):
    // printable ASCII and the three-byte forms led by E4..E9 (U+4000..U+9FFF, CJK).
    size_t run = pos;
    while (run < n) {
      const unsigned char c = static_cast<unsigned char>(s[run]);
      if (c < 0x80) {
        if (c <= ' ') break;
        ++run;
      } else if (c >= 0xE4 && c <= 0xE9 && run + 2 < n &&
                 (static_cast<unsigned char>(s[run + 1]) & 0xC0) == 0x80 &&
                 (static_cast<unsigned char>(s[run + 2]) & 0xC0) == 0x80) {
        run += 3;
      } else {
        break;
      }
    }
    if (run > pos) {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(s.data() + pos, run - pos);
      pos = run;
      continue;
    }
    const size_t start = pos;
    const char32_t c = utf8::Next(s, &pos);
    if (IsSpace(c) || c == 0xAD) {
      // U+00AD (soft hyphen) and U+200B are invisible: drop them without a space.
      if (c != 0xAD && c != 0x200B && c != 0xFEFF) pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(s.data() + start, pos - start);
  }
  return out;
}

size_t CodePoints(std::string_view s) { return utf8::CodePointCount(s, s.size()); }

bool AtMostCodePoints(std::string_view s, size_t n) {
  if (s.size() <= n) return true;  // a code point takes a byte at least
  size_t count = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++count > n) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string> SplitOn(std::string_view s, bool (*is_sep)(char32_t)) {
  std::vector<std::string> parts;
  size_t pos = 0, part_start = 0;
  while (pos < s.size()) {
    const size_t start = pos;
    const char32_t c = utf8::Next(s, &pos);
    if (is_sep(c)) {
      std::string_view part = Trim(s.substr(part_start, start - part_start));
      if (!part.empty()) parts.emplace_back(part);
      part_start = pos;
    }
  }
  std::string_view part = Trim(s.substr(part_start));
  if (!part.empty()) parts.emplace_back(part);
  return parts;
}

namespace {

bool IsEnglishStopword(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "a",     "about", "after", "all",  "also",  "an",    "and",   "are",  "as",
      "at",    "be",    "been",  "but",  "by",    "can",   "could", "for",  "from",
      "had",   "has",   "have",  "he",   "her",   "his",   "if",    "in",   "into",
      "is",    "it",    "its",   "more", "not",   "of",    "on",    "or",   "said",
      "she",   "so",    "than",  "that", "the",   "their", "them",  "then", "there",
      "they",  "this",  "to",    "up",   "was",   "we",    "were",  "when", "which",
      "while", "who",   "will",  "with", "would", "you",   "i",     "our",  "what"};
  constexpr size_t kLongest = 5;
  if (w.size() > kLongest || w.empty()) return false;
  // A word of up to five bytes (never NUL) is one 64-bit key: a binary search over the
  // sorted keys instead of comparing strings one by one (ComputeStats asks for every word).
  auto key = [](std::string_view s) {
    uint64_t k = 0;
    std::memcpy(&k, s.data(), s.size());
    return k;
  };
  static const std::vector<uint64_t> kKeys = [&] {
    std::vector<uint64_t> keys;
    for (std::string_view word : kWords) keys.push_back(key(word));
    std::sort(keys.begin(), keys.end());
    return keys;
  }();
  return std::binary_search(kKeys.begin(), kKeys.end(), key(w));
}

// What ComputeStats counts for one code point.
enum StatFlag : uint16_t {
  kStatCjk = 1 << 0,
  kStatLatin = 1 << 1,
  kStatDigit = 1 << 2,
  kStatProse = 1 << 3,
  kStatClause = 1 << 4,
  kStatSentenceEnd = 1 << 5,
  kStatPictograph = 1 << 6,
  kStatOther = 1 << 7,     // neither CJK nor white space
  kStatWordChar = 1 << 8,  // part of a Latin word (letters and the apostrophe)
};

uint16_t StatFlagsOf(char32_t c) {
  const bool latin = IsAsciiAlpha(c) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
  uint16_t f = 0;
  if (IsCjk(c)) {
    f |= kStatCjk;
  } else if (latin) {
    f |= kStatLatin;
  } else if (c >= '0' && c <= '9') {
    f |= kStatDigit;
  }
  if (IsProsePunct(c)) f |= kStatProse;
  if (IsClauseMark(c)) f |= kStatClause;
  if (IsSentenceEnd(c)) f |= kStatSentenceEnd;
  if (IsPictograph(c)) f |= kStatPictograph;
  if (!IsCjk(c) && !IsSpace(c)) f |= kStatOther;
  if (latin || c == '\'') f |= kStatWordChar;
  return f;
}

}  // namespace

TextStats ComputeStats(std::string_view s) {
  // The flags of the Basic Multilingual Plane, looked up instead of computed (built once,
  // 128 KiB: Chinese text would otherwise go through a dozen range tests per character).
  static const std::vector<uint16_t> kBmp = [] {
    std::vector<uint16_t> t(0x10000);
    for (char32_t c = 0; c < 0x10000; ++c) t[c] = StatFlagsOf(c);
    return t;
  }();
  const uint16_t* const kAscii = kBmp.data();
  TextStats st;
  // The current Latin word, lower-cased; non-ASCII letters as 'x'. Only words of up to
  // five letters can be stopwords, so longer ones are not kept.
  char word[8];
  size_t word_len = 0;
  auto end_word = [&]() {
    if (word_len == 0) return;
    ++st.words;
    if (word_len <= 5 && IsEnglishStopword(std::string_view(word, word_len))) ++st.stopwords;
    word_len = 0;
  };
  size_t pos = 0;
  uint32_t other = 0;
  while (pos < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[pos]);
    char32_t c;
    uint16_t f;
    if (b < 0x80) {
      c = b;
      f = kAscii[b];
      ++pos;
    } else {
      c = utf8::Next(s, &pos);
      f = c < 0x10000 ? kBmp[c] : StatFlagsOf(c);
    }
    ++st.code_points;
    st.cjk += (f & kStatCjk) != 0;
    st.latin += (f & kStatLatin) != 0;
    st.digits += (f & kStatDigit) != 0;
    st.prose_punct += (f & kStatProse) != 0;
    st.clause_marks += (f & kStatClause) != 0;
    st.sentence_ends += (f & kStatSentenceEnd) != 0;
    st.pictographs += (f & kStatPictograph) != 0;
    other += (f & kStatOther) != 0;
    if (f & kStatWordChar) {
      char ch = c < 0x80 ? static_cast<char>(c) : 'x';
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      if (word_len < sizeof(word)) word[word_len] = ch;
      ++word_len;
    } else {
      end_word();
    }
  }
  end_word();
  st.weight = st.cjk + 0.4 * other;
  return st;
}

}  // namespace newsclaim::normalize::internal
