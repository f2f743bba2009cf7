// Code point classes and text statistics shared by the normalize stage's cleaners.
#include "normalize/text_util.h"

#include <algorithm>

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
  while (pos < s.size()) {
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
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

}  // namespace

TextStats ComputeStats(std::string_view s) {
  TextStats st;
  std::string word;
  auto end_word = [&]() {
    if (word.empty()) return;
    ++st.words;
    if (IsEnglishStopword(AsciiLower(word))) ++st.stopwords;
    word.clear();
  };
  size_t pos = 0;
  uint32_t other = 0;
  while (pos < s.size()) {
    const char32_t c = utf8::Next(s, &pos);
    ++st.code_points;
    const bool latin = IsAsciiAlpha(c) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
    if (IsCjk(c)) {
      ++st.cjk;
    } else if (latin) {
      ++st.latin;
    } else if (c >= '0' && c <= '9') {
      ++st.digits;
    }
    if (IsProsePunct(c)) ++st.prose_punct;
    if (IsClauseMark(c)) ++st.clause_marks;
    if (IsSentenceEnd(c)) ++st.sentence_ends;
    if (IsPictograph(c)) ++st.pictographs;
    if (!IsCjk(c) && !IsSpace(c)) ++other;
    if (latin || c == '\'') {
      if (c < 0x80)
        word.push_back(static_cast<char>(c));
      else
        word.push_back('x');
    } else {
      end_word();
    }
  }
  end_word();
  st.weight = st.cjk + 0.4 * other;
  return st;
}

}  // namespace newsclaim::normalize::internal
