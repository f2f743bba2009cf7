// See scan_regex.h.
#include "extract/scan_regex.h"

#include <cctype>

namespace newsclaim::extract {
namespace {

// Texts shorter than this many bytes are searched with the exact pattern alone: the
// confirmation costs more than the few states such a text makes (figures over lines of
// text, as `newsclaim figures` reads them).
constexpr size_t kShortText = 512;

// Index just past the escape that starts at i (pattern[i] == '\\').
size_t SkipEscape(std::string_view p, size_t i) {
  if (i + 1 >= p.size()) return p.size();
  const char c = p[i + 1];
  if (c == 'Q') {  // \Q...\E: literal text
    const size_t e = p.find("\\E", i + 2);
    return e == std::string_view::npos ? p.size() : e + 2;
  }
  if ((c == 'p' || c == 'P' || c == 'x') && i + 2 < p.size() && p[i + 2] == '{') {
    const size_t e = p.find('}', i + 3);
    return e == std::string_view::npos ? p.size() : e + 1;
  }
  return i + 2;
}

// Index just past the character class that starts at i (pattern[i] == '[').
size_t SkipClass(std::string_view p, size_t i) {
  size_t j = i + 1;
  if (j < p.size() && p[j] == '^') ++j;
  if (j < p.size() && p[j] == ']') ++j;  // a ']' first is a member
  while (j < p.size() && p[j] != ']') {
    if (p[j] == '\\') {
      j = SkipEscape(p, j);
    } else if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') {
      const size_t e = p.find(":]", j + 2);
      j = e == std::string_view::npos ? p.size() : e + 2;
    } else {
      ++j;
    }
  }
  return j < p.size() ? j + 1 : p.size();
}

// Reads the decimal number at p[*i]; false when there is none (or it is absurdly long).
bool ReadNumber(std::string_view p, size_t* i, long* out) {
  const size_t b = *i;
  long v = 0;
  while (*i < p.size() && std::isdigit(static_cast<unsigned char>(p[*i])) && *i - b < 9) {
    v = v * 10 + (p[*i] - '0');
    ++*i;
  }
  *out = v;
  return *i > b && (*i >= p.size() || !std::isdigit(static_cast<unsigned char>(p[*i])));
}

}  // namespace

std::string OpenCountedRepetitions(std::string_view p, int min_upper) {
  std::string out;
  out.reserve(p.size());
  size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    size_t next = i + 1;
    if (c == '\\') {
      next = SkipEscape(p, i);
    } else if (c == '[') {
      next = SkipClass(p, i);
    } else if (c == '{') {
      // {m,n} with n >= min_upper -> {m,}
      size_t j = i + 1;
      long m = 0, n = 0;
      if (ReadNumber(p, &j, &m) && j < p.size() && p[j] == ',') {
        ++j;
        if (ReadNumber(p, &j, &n) && j < p.size() && p[j] == '}' && n >= m && n >= min_upper) {
          out.push_back('{');
          out.append(std::to_string(m));
          out.append(",}");
          i = j + 1;
          continue;
        }
      }
    }
    out.append(p.substr(i, next - i));
    i = next;
  }
  return out;
}

ScanRegex::ScanRegex(std::unique_ptr<RE2> exact) : exact_(std::move(exact)) {
  if (!exact_->ok()) return;
  const std::string open = OpenCountedRepetitions(exact_->pattern());
  if (open == exact_->pattern()) return;
  RE2::Options o = exact_->options();
  o.set_never_capture(true);
  auto re = std::make_unique<RE2>(open, o);
  if (re->ok()) opened_ = std::move(re);  // otherwise search with the exact pattern alone
}

bool ScanRegex::FindFrom(const re2::StringPiece& text, size_t pos, size_t end,
                         re2::StringPiece* groups, int n) const {
  // A short text cannot reach many of the exact pattern's states: searched as it is.
  if (opened_ == nullptr || text.size() < kShortText) {
    return exact_->Match(text, pos, end, RE2::UNANCHORED, groups, n);
  }
  re2::StringPiece m;
  while (pos <= end && opened_->Match(text, pos, end, RE2::UNANCHORED, &m, 1)) {
    const size_t start = static_cast<size_t>(m.data() - text.data());
    if (exact_->Match(text, start, end, RE2::ANCHOR_START, groups, n)) return true;
    // No exact match starts here; the next one starts further on (RE2 tries every byte).
    pos = start + 1;
  }
  return false;
}

}  // namespace newsclaim::extract
