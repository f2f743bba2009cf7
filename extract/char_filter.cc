// CharFilter: the first and last characters of an RE2 pattern's matches, read from the
// pattern's source by a small recursive-descent reader of the RE2 syntax the rule files use
// (literals, classes, groups, alternation, repetition, \d \s \w, flags). Whatever it does
// not understand makes the filter let every character pass, so a filter never rejects a
// position where RE2 could match.
#include "extract/char_filter.h"

#include <algorithm>

#include "core/utf8.h"

namespace newsclaim::extract {
namespace {

// A set of code points, or every code point.
struct Chars {
  bool any = false;
  std::vector<std::pair<char32_t, char32_t>> ranges;
  void Add(char32_t lo, char32_t hi) {
    if (!any) ranges.push_back({lo, hi});
  }
  void Merge(const Chars& o) {
    if (o.any) {
      any = true;
      ranges.clear();
    } else if (!any) {
      ranges.insert(ranges.end(), o.ranges.begin(), o.ranges.end());
    }
  }
};

// Beyond this many strings a sub-expression's language is left to RE2.
constexpr size_t kMaxLiterals = 256;

// What a sub-expression can start and end with, whether it can match the empty string, and
// (when `finite`) every string it matches.
struct Summary {
  Chars first, last;
  bool nullable = true;
  bool finite = true;
  std::vector<PatternLiteral> literals = {PatternLiteral()};
  // Strings every non-empty match begins (prefix) or ends (suffix) with; *_ok false when
  // unknown. Word boundaries are dropped from them (that only widens what they admit).
  bool prefix_ok = true, suffix_ok = true;
  std::vector<PatternLiteral> prefix, suffix;
  // Characters of which every non-empty match contains at least one (any: unknown).
  Chars need;
};

size_t Count(const Chars& c) {
  size_t n = 0;
  for (const auto& [lo, hi] : c.ranges) n += hi - lo + 1;
  return n;
}

// The characters required of a followed by b: the smaller requirement of a part that cannot
// be empty (the later one when equal), else either part's.
Chars ConcatNeed(const Summary& a, const Summary& b) {
  const bool use_a = !a.nullable && !a.need.any, use_b = !b.nullable && !b.need.any;
  if (use_a && use_b) return Count(a.need) < Count(b.need) ? a.need : b.need;
  if (use_a) return a.need;
  if (use_b) return b.need;
  Chars c = a.need;
  if (a.nullable && b.nullable) {
    c.Merge(b.need);
  } else {
    c.any = true;  // the part that cannot be empty has an unknown requirement
    c.ranges.clear();
  }
  return c;
}

// Case folding of two literals joined: -1 no ASCII letter, 0 exact letters, 1 folded.
bool JoinFold(int a, int b, int* out) {
  if (a >= 0 && b >= 0 && a != b) return false;
  *out = a >= 0 ? a : b;
  return true;
}

int FoldOf(const PatternLiteral& l) { return l.fold ? 1 : (l.has_letters ? 0 : -1); }

// x followed by y as one literal (no word boundary); false when their case folding differs.
bool JoinLiterals(const PatternLiteral& x, const PatternLiteral& y, PatternLiteral* z) {
  int fold = -1;
  if (!JoinFold(FoldOf(x), FoldOf(y), &fold)) return false;
  z->text = x.text + y.text;
  z->fold = fold == 1;
  z->has_letters = fold >= 0;
  z->word_boundary_end = false;
  return true;
}

void AddAffix(const PatternLiteral& l, std::vector<PatternLiteral>* out) {
  for (const PatternLiteral& o : *out) {
    if (o.text == l.text && o.fold == l.fold) return;
  }
  out->push_back(l);
  out->back().word_boundary_end = false;
}

// The prefixes of a followed by b (suffixes: call with the roles mirrored, ahead = false).
// first/second: the summaries in reading order for prefixes, reversed for suffixes.
void ConcatAffix(const Summary& first, const Summary& second, bool ahead, bool* ok,
                 std::vector<PatternLiteral>* out) {
  const bool first_ok = ahead ? first.prefix_ok : first.suffix_ok;
  const bool second_ok = ahead ? second.prefix_ok : second.suffix_ok;
  const std::vector<PatternLiteral>& first_set = ahead ? first.prefix : first.suffix;
  const std::vector<PatternLiteral>& second_set = ahead ? second.prefix : second.suffix;
  out->clear();
  // Longer affixes when the first part is a few fixed strings: each joined with the second
  // part's affixes (约 + 为 -> 约为).
  if (first.finite && second_ok) {
    bool joined = true;
    for (size_t i = 0; joined && i < first.literals.size(); ++i) {
      const PatternLiteral& l = first.literals[i];
      if (l.text.empty()) {
        for (const PatternLiteral& a : second_set) AddAffix(a, out);
        continue;
      }
      if (second.nullable) AddAffix(l, out);
      for (const PatternLiteral& a : second_set) {
        PatternLiteral z;
        if (!(ahead ? JoinLiterals(l, a, &z) : JoinLiterals(a, l, &z))) {
          joined = false;
          break;
        }
        AddAffix(z, out);
      }
      if (out->size() > kMaxLiterals) joined = false;
    }
    if (joined) {
      *ok = true;
      return;
    }
    out->clear();
  }
  // Otherwise the first part's affixes, and the second's when the first can be empty.
  *ok = first_ok && (!first.nullable || second_ok);
  if (!*ok) return;
  for (const PatternLiteral& a : first_set) AddAffix(a, out);
  if (first.nullable) {
    for (const PatternLiteral& a : second_set) AddAffix(a, out);
  }
  if (out->size() > kMaxLiterals) {
    *ok = false;
    out->clear();
  }
}

Summary Concat(const Summary& a, const Summary& b) {
  Summary r;
  ConcatAffix(a, b, true, &r.prefix_ok, &r.prefix);
  ConcatAffix(b, a, false, &r.suffix_ok, &r.suffix);
  r.need = ConcatNeed(a, b);
  r.first = a.first;
  if (a.nullable) r.first.Merge(b.first);
  r.last = b.last;
  if (b.nullable) r.last.Merge(a.last);
  r.nullable = a.nullable && b.nullable;
  r.literals.clear();
  r.finite = a.finite && b.finite && a.literals.size() * b.literals.size() <= kMaxLiterals;
  for (size_t i = 0; r.finite && i < a.literals.size(); ++i) {
    for (const PatternLiteral& y : b.literals) {
      const PatternLiteral& x = a.literals[i];
      int fold = -1;
      // A word boundary is read only at the very end of a literal.
      if ((x.word_boundary_end && !y.text.empty()) || !JoinFold(FoldOf(x), FoldOf(y), &fold)) {
        r.finite = false;
        break;
      }
      PatternLiteral z;
      z.text = x.text + y.text;
      z.fold = fold == 1;
      z.has_letters = fold >= 0;
      z.word_boundary_end = y.word_boundary_end || (y.text.empty() && x.word_boundary_end);
      r.literals.push_back(std::move(z));
    }
  }
  if (!r.finite) r.literals.clear();
  return r;
}

Summary Alternate(const Summary& a, const Summary& b) {
  Summary r = a;
  r.first.Merge(b.first);
  r.last.Merge(b.last);
  r.nullable = a.nullable || b.nullable;
  r.finite = a.finite && b.finite && a.literals.size() + b.literals.size() <= kMaxLiterals;
  if (r.finite) {
    r.literals.insert(r.literals.end(), b.literals.begin(), b.literals.end());
  } else {
    r.literals.clear();
  }
  r.prefix_ok = a.prefix_ok && b.prefix_ok;
  r.suffix_ok = a.suffix_ok && b.suffix_ok;
  r.need.Merge(b.need);
  for (const PatternLiteral& l : b.prefix) AddAffix(l, &r.prefix);
  for (const PatternLiteral& l : b.suffix) AddAffix(l, &r.suffix);
  if (r.prefix.size() > kMaxLiterals) r.prefix_ok = false;
  if (r.suffix.size() > kMaxLiterals) r.suffix_ok = false;
  if (!r.prefix_ok) r.prefix.clear();
  if (!r.suffix_ok) r.suffix.clear();
  return r;
}

// A zero-width assertion other than a final \b: no literal expansion.
Summary Assertion() {
  Summary s;
  s.finite = false;
  s.literals.clear();
  return s;
}

Summary WordBoundary() {
  Summary s;
  s.literals[0].word_boundary_end = true;
  return s;
}

// Case folding as RE2 does it for (?i): ASCII letters get their other case and the two
// non-ASCII characters that fold to ASCII (K: U+212A KELVIN SIGN, S: U+017F LONG S). Any
// non-ASCII member would need Unicode's folding tables: everything passes instead.
void Fold(Chars* c) {
  if (c->any) return;
  std::vector<std::pair<char32_t, char32_t>> extra;
  for (const auto& [lo, hi] : c->ranges) {
    if (hi >= 0x80) {
      c->any = true;
      c->ranges.clear();
      return;
    }
    for (char32_t x = lo; x <= hi; ++x) {
      char32_t other = 0;
      if (x >= 'a' && x <= 'z') other = x - 'a' + 'A';
      if (x >= 'A' && x <= 'Z') other = x - 'A' + 'a';
      if (other != 0) extra.push_back({other, other});
      if (x == 'k' || x == 'K') extra.push_back({0x212A, 0x212A});
      if (x == 's' || x == 'S') extra.push_back({0x017F, 0x017F});
    }
  }
  c->ranges.insert(c->ranges.end(), extra.begin(), extra.end());
}

Summary OneOf(Chars c, bool fold) {
  Summary s;
  s.literals.clear();
  size_t count = 0;
  for (const auto& [lo, hi] : c.ranges) count += hi - lo + 1;
  s.finite = !c.any && count <= 64;
  for (size_t i = 0; s.finite && i < c.ranges.size(); ++i) {
    for (char32_t x = c.ranges[i].first; x <= c.ranges[i].second; ++x) {
      const bool letter = (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z');
      if (fold && x >= 0x80) {
        s.finite = false;
        break;
      }
      PatternLiteral l;
      l.has_letters = letter;
      l.fold = fold && letter;
      utf8::Append(l.fold && x <= 'Z' ? x - 'A' + 'a' : x, &l.text);
      bool dup = false;
      for (const PatternLiteral& o : s.literals) dup = dup || o.text == l.text;
      if (!dup) s.literals.push_back(std::move(l));
    }
  }
  if (!s.finite) s.literals.clear();
  // A character is its own prefix and suffix; unknown for a class too large to list.
  s.prefix_ok = s.suffix_ok = s.finite;
  s.prefix = s.suffix = s.literals;
  if (fold) Fold(&c);
  s.need = c;
  s.first = c;
  s.last = std::move(c);
  s.nullable = false;
  return s;
}

Summary Everything() {
  Chars c;
  c.any = true;
  return OneOf(c, false);  // not finite: c.any
}

class Reader {
 public:
  explicit Reader(std::string_view p) : p_(p) {}

  bool Read(Summary* out) {
    bool fold = false;
    return Alternation(&fold, out) && pos_ == p_.size();
  }

 private:
  bool AtEnd() const { return pos_ >= p_.size(); }
  char Peek() const { return p_[pos_]; }

  // Alternatives up to ')' or the end. *fold may be changed by a (?i) inside; it holds for
  // the rest of the group, later alternatives included.
  bool Alternation(bool* fold, Summary* out) {
    bool have = false;
    Summary result;
    while (true) {
      Summary seq;
      if (!Sequence(fold, &seq)) return false;
      result = have ? Alternate(result, seq) : seq;
      have = true;
      if (!AtEnd() && Peek() == '|') {
        ++pos_;
        continue;
      }
      break;
    }
    *out = std::move(result);
    return true;
  }

  bool Sequence(bool* fold, Summary* out) {
    Summary seq;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      Summary atom;
      bool flags_only = false;
      if (!Atom(fold, &atom, &flags_only)) return false;
      if (flags_only) continue;
      if (!Repeat(&atom)) return false;
      seq = Concat(seq, atom);
    }
    *out = std::move(seq);
    return true;
  }

  // Reads "imsU-" flags up to ':' or ')'; *fold becomes the new case-folding state.
  bool Flags(bool* fold) {
    bool negate = false;
    while (!AtEnd() && Peek() != ':' && Peek() != ')') {
      const char c = Peek();
      if (c == '-') {
        negate = true;
      } else if (c == 'i') {
        *fold = !negate;
      } else if (c != 'm' && c != 's' && c != 'U') {
        return false;
      }
      ++pos_;
    }
    return !AtEnd();
  }

  bool Group(bool fold, Summary* out) {
    if (!Alternation(&fold, out) || AtEnd() || Peek() != ')') return false;
    ++pos_;
    return true;
  }

  bool Atom(bool* fold, Summary* out, bool* flags_only) {
    const char c = Peek();
    if (c == '(') {
      ++pos_;
      if (!AtEnd() && Peek() == '?') {
        ++pos_;
        if (AtEnd()) return false;
        if (Peek() == 'P' || Peek() == '<') {  // named group
          const size_t close = p_.find('>', pos_);
          if (close == std::string_view::npos) return false;
          pos_ = close + 1;
          return Group(*fold, out);
        }
        bool group_fold = *fold;
        if (!Flags(&group_fold)) return false;
        if (Peek() == ')') {  // (?i): for the rest of the enclosing group
          ++pos_;
          *fold = group_fold;
          *flags_only = true;
          return true;
        }
        ++pos_;  // ':'
        return Group(group_fold, out);
      }
      return Group(*fold, out);
    }
    if (c == '[') return Class(*fold, out);
    if (c == '.') {
      ++pos_;
      *out = Everything();
      return true;
    }
    if (c == '^' || c == '$') {
      ++pos_;
      *out = Assertion();  // zero-width
      return true;
    }
    if (c == '*' || c == '+' || c == '?' || c == '{') return false;
    if (c == '\\') {
      ++pos_;
      if (AtEnd()) return false;
      const char e = Peek();
      if (e == 'b' || e == 'B' || e == 'A' || e == 'z') {
        ++pos_;
        *out = e == 'b' ? WordBoundary() : Assertion();
        return true;
      }
      Chars chars;
      if (!Escape(&chars)) return false;
      *out = OneOf(std::move(chars), *fold);
      return true;
    }
    size_t next = pos_;
    const char32_t cp = utf8::Next(p_, &next);
    if (cp == 0xFFFD) return false;
    pos_ = next;
    Chars chars;
    chars.Add(cp, cp);
    *out = OneOf(std::move(chars), *fold);
    return true;
  }

  // After a backslash (pos_ at the escaped character): \d \s \w, \xhh, \x{h...}, control
  // escapes, escaped punctuation. False for anything else (\D, \p{Han}, \Q...).
  bool Escape(Chars* chars) {
    const char e = Peek();
    ++pos_;
    switch (e) {
      case 'd':
        chars->Add('0', '9');
        return true;
      case 's':
        chars->Add('\t', '\n');
        chars->Add('\f', '\r');
        chars->Add(' ', ' ');
        return true;
      case 'w':
        chars->Add('0', '9');
        chars->Add('A', 'Z');
        chars->Add('a', 'z');
        chars->Add('_', '_');
        return true;
      case 'n':
        chars->Add('\n', '\n');
        return true;
      case 't':
        chars->Add('\t', '\t');
        return true;
      case 'r':
        chars->Add('\r', '\r');
        return true;
      case 'f':
        chars->Add('\f', '\f');
        return true;
      case 'v':
        chars->Add('\v', '\v');
        return true;
      case 'a':
        chars->Add('\a', '\a');
        return true;
      case 'x': {
        char32_t v = 0;
        if (!AtEnd() && Peek() == '{') {
          const size_t close = p_.find('}', pos_);
          if (close == std::string_view::npos || close == pos_ + 1 || close - pos_ > 9) {
            return false;
          }
          for (size_t i = pos_ + 1; i < close; ++i) {
            if (!Hex(p_[i], &v)) return false;
          }
          pos_ = close + 1;
        } else {
          if (pos_ + 2 > p_.size() || !Hex(p_[pos_], &v) || !Hex(p_[pos_ + 1], &v)) return false;
          pos_ += 2;
        }
        if (v > 0x10FFFF) return false;
        chars->Add(v, v);
        return true;
      }
      default:
        break;
    }
    const unsigned char u = static_cast<unsigned char>(e);
    if (u < 0x80 && !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) &&
        u > 0x20 && u < 0x7F) {
      chars->Add(u, u);  // \. \$ \- \( ...
      return true;
    }
    return false;
  }

  static bool Hex(char c, char32_t* v) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    *v = *v * 16 + static_cast<char32_t>(d);
    return true;
  }

  // One member of a class: a literal character (also escaped); false for a Perl class or
  // anything unknown. *single is false for a multi-character escape (\d), which cannot
  // bound a range.
  bool ClassItem(Chars* chars, char32_t* single) {
    if (Peek() == '\\') {
      ++pos_;
      if (AtEnd()) return false;
      Chars c;
      if (!Escape(&c)) return false;
      *single = (c.ranges.size() == 1 && c.ranges[0].first == c.ranges[0].second)
                    ? c.ranges[0].first
                    : 0xFFFFFFFF;
      chars->Merge(c);
      return true;
    }
    if (Peek() == '[') return false;  // [:alpha:] and the like
    size_t next = pos_;
    const char32_t cp = utf8::Next(p_, &next);
    if (cp == 0xFFFD) return false;
    pos_ = next;
    *single = cp;
    chars->Add(cp, cp);
    return true;
  }

  bool Class(bool fold, Summary* out) {
    ++pos_;  // '['
    if (AtEnd()) return false;
    const bool negated = Peek() == '^';
    if (negated) ++pos_;
    Chars chars;
    bool first = true;
    while (!AtEnd() && (Peek() != ']' || first)) {
      first = false;
      char32_t lo = 0;
      Chars item;
      if (!ClassItem(&item, &lo)) return false;
      if (pos_ + 1 < p_.size() && Peek() == '-' && p_[pos_ + 1] != ']') {
        ++pos_;
        char32_t hi = 0;
        Chars ignored;
        if (lo == 0xFFFFFFFF || !ClassItem(&ignored, &hi) || hi == 0xFFFFFFFF || hi < lo) {
          return false;
        }
        chars.Add(lo, hi);
      } else {
        chars.Merge(item);
      }
    }
    if (AtEnd()) return false;
    ++pos_;  // ']'
    if (negated) {
      *out = Everything();  // whatever the class leaves out, almost every character is in
      return true;
    }
    *out = OneOf(std::move(chars), fold);
    return true;
  }

  // Repetition after an atom: * ? {0,n} make it optional; + and {n,m} with n > 0 do not.
  bool Repeat(Summary* atom) {
    if (AtEnd()) return true;
    const char c = Peek();
    bool optional = false, repeated = false;
    if (c == '*' || c == '?') {
      atom->nullable = true;
      optional = true;
      repeated = c == '*';
      ++pos_;
    } else if (c == '+') {
      repeated = true;
      ++pos_;
    } else if (c == '{') {
      size_t q = pos_ + 1;
      size_t digits = 0;
      unsigned min = 0, max = 0;
      while (q < p_.size() && p_[q] >= '0' && p_[q] <= '9' && digits < 6) {
        min = min * 10 + static_cast<unsigned>(p_[q] - '0');
        ++q;
        ++digits;
      }
      if (digits == 0) return false;
      max = min;
      if (q < p_.size() && p_[q] == ',') {
        ++q;
        if (q < p_.size() && p_[q] == '}') max = 1000;  // unbounded
        size_t max_digits = 0;
        unsigned m = 0;
        while (q < p_.size() && p_[q] >= '0' && p_[q] <= '9' && max_digits < 6) {
          m = m * 10 + static_cast<unsigned>(p_[q] - '0');
          ++q;
          ++max_digits;
        }
        if (max_digits > 0) max = m;
      }
      if (q >= p_.size() || p_[q] != '}') return false;
      pos_ = q + 1;
      if (min == 0) atom->nullable = true;
      optional = min == 0;
      repeated = max > 1;
    } else {
      return true;
    }
    if (repeated) {
      atom->finite = false;
      atom->literals.clear();
    } else if (optional && atom->finite) {
      if (atom->literals.size() + 1 > kMaxLiterals) {
        atom->finite = false;
        atom->literals.clear();
      } else {
        atom->literals.push_back(PatternLiteral());
      }
    }
    if (!AtEnd() && Peek() == '?') ++pos_;  // non-greedy (longest match ignores it)
    if (!AtEnd() && (Peek() == '*' || Peek() == '+' || Peek() == '?' || Peek() == '{')) {
      return false;
    }
    return true;
  }

  std::string_view p_;
  size_t pos_ = 0;
};

}  // namespace

// Builds filters from a reading (a friend of CharFilter).
class CharFilterBuilder {
 public:
  static CharFilter Required(std::string_view pattern) {
    CharFilter f;
    Summary s;
    Reader reader(pattern);
    if (!reader.Read(&s) || s.need.any) {
      f.any_ = true;
      return f;
    }
    for (const auto& [lo, hi] : s.need.ranges) f.Add(lo, hi);
    return f;
  }

  static CharFilter Make(std::string_view pattern, bool first) {
    CharFilter f;
    Summary s;
    Reader reader(pattern);
    if (!reader.Read(&s) || s.nullable) {
      f.any_ = true;
      return f;
    }
    const Chars& c = first ? s.first : s.last;
    if (c.any) {
      f.any_ = true;
      return f;
    }
    for (const auto& [lo, hi] : c.ranges) f.Add(lo, hi);
    return f;
  }
};

LiteralMatcher::LiteralMatcher() : nodes_(2) {}

void LiteralMatcher::Add(const PatternLiteral& literal, int id) {
  int node = literal.fold ? 1 : 0;
  for (const char ch : literal.text) {
    const unsigned char b = static_cast<unsigned char>(ch);
    int next = Child(node, b);
    if (next < 0) {
      next = static_cast<int>(nodes_.size());
      Node& n = nodes_[node];
      n.next.push_back({b, next});
      if (!n.table.empty()) {
        n.table[b] = next;
      } else if (n.next.size() >= 8) {  // wide node (a root): direct look-up
        n.table.assign(256, -1);
        for (const auto& [c, child] : n.next) n.table[c] = child;
      }
      nodes_.emplace_back();
    }
    node = next;
  }
  nodes_[node].ends.push_back({id, literal.word_boundary_end});
  empty_ = false;
}

void LiteralMatcher::FollowersOf(unsigned char first, uint64_t bits[4]) const {
  const auto set = [&](unsigned char b) { bits[b >> 6] |= uint64_t{1} << (b & 63); };
  if (empty_) return;
  for (int root = 0; root < 2; ++root) {
    const unsigned char b =
        root == 1 && first >= 'A' && first <= 'Z' ? first - 'A' + 'a' : first;  // as MayMatchAt
    const int node = Child(root, b);
    if (node < 0) continue;
    if (!nodes_[node].ends.empty()) {
      for (int i = 0; i < 4; ++i) bits[i] = ~uint64_t{0};
      return;
    }
    if (root == 1) {
      set(0xE2);  // MayMatchAt answers true at a Kelvin sign or long s
      set(0xC5);
    }
    for (const auto& [c, child] : nodes_[node].next) {
      set(c);
      if (root == 1 && c >= 'a' && c <= 'z') set(static_cast<unsigned char>(c - 'a' + 'A'));
    }
  }
}

SuffixMatcher::SuffixMatcher() : nodes_(2) {
  for (auto& root : roots_) std::fill(std::begin(root), std::end(root), -1);
}

void SuffixMatcher::Add(const PatternLiteral& literal, int id) {
  int node = literal.fold ? 1 : 0;
  for (auto it = literal.text.rbegin(); it != literal.text.rend(); ++it) {
    const unsigned char b = static_cast<unsigned char>(*it);
    int next = Child(node, b);
    if (next < 0) {
      next = static_cast<int>(nodes_.size());
      if (node < 2) roots_[node][b] = next;
      nodes_[node].next.push_back({b, next});
      nodes_.emplace_back();
    }
    node = next;
  }
  nodes_[node].end = true;
  if (id >= 0 && id < 64) nodes_[node].ids |= uint64_t{1} << id;
  empty_ = false;
}

bool SuffixMatcher::Walk(std::string_view text, size_t pos, size_t floor, int node, size_t p,
                         bool fold) const {
  while (true) {
    if (p < pos && nodes_[node].end) return true;
    if (p <= floor) return false;
    unsigned char b = static_cast<unsigned char>(text[p - 1]);
    if (fold) {
      // U+212A KELVIN SIGN (E2 84 AA) folds to k, U+017F LONG S (C5 BF) to s, as in RE2.
      if (b == 0xAA && p >= floor + 3 && static_cast<unsigned char>(text[p - 2]) == 0x84 &&
          static_cast<unsigned char>(text[p - 3]) == 0xE2) {
        const int k = Child(node, 'k');
        if (k >= 0 && Walk(text, pos, floor, k, p - 3, fold)) return true;
      } else if (b == 0xBF && p >= floor + 2 && static_cast<unsigned char>(text[p - 2]) == 0xC5) {
        const int k = Child(node, 's');
        if (k >= 0 && Walk(text, pos, floor, k, p - 2, fold)) return true;
      }
      if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b - 'A' + 'a');
    }
    node = Child(node, b);
    if (node < 0) return false;
    --p;
  }
}

uint64_t SuffixMatcher::Ids(std::string_view text, size_t pos, int node, size_t p,
                            bool fold) const {
  uint64_t ids = 0;
  while (true) {
    if (p < pos) ids |= nodes_[node].ids;
    if (p == 0) return ids;
    unsigned char b = static_cast<unsigned char>(text[p - 1]);
    if (fold) {
      if (b == 0xAA && p >= 3 && static_cast<unsigned char>(text[p - 2]) == 0x84 &&
          static_cast<unsigned char>(text[p - 3]) == 0xE2) {
        const int k = Child(node, 'k');
        if (k >= 0) ids |= Ids(text, pos, k, p - 3, fold);
      } else if (b == 0xBF && p >= 2 && static_cast<unsigned char>(text[p - 2]) == 0xC5) {
        const int k = Child(node, 's');
        if (k >= 0) ids |= Ids(text, pos, k, p - 2, fold);
      }
      if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b - 'A' + 'a');
    }
    node = Child(node, b);
    if (node < 0) return ids;
    --p;
  }
}

bool ExpandLiterals(std::string_view pattern, std::vector<PatternLiteral>* out) {
  Summary s;
  Reader reader(pattern);
  if (!reader.Read(&s) || !s.finite || s.nullable || s.literals.empty()) return false;
  for (const PatternLiteral& l : s.literals) {
    if (l.text.empty()) return false;
  }
  *out = std::move(s.literals);
  return true;
}

bool AffixLiterals(std::string_view pattern, bool prefix, std::vector<PatternLiteral>* out) {
  Summary s;
  Reader reader(pattern);
  if (!reader.Read(&s) || s.nullable) return false;
  std::vector<PatternLiteral>& set = prefix ? s.prefix : s.suffix;
  if (!(prefix ? s.prefix_ok : s.suffix_ok) || set.empty()) return false;
  for (const PatternLiteral& l : set) {
    if (l.text.empty()) return false;
  }
  *out = std::move(set);
  return true;
}

std::vector<std::string> DistributeGroup(std::string_view alternative) {
  const std::string_view a = alternative;
  std::vector<std::string> alone = {std::string(a)};
  // The group's opening: "(?:" or "(?flags:".
  size_t open = 0;
  if (a.size() > 3 && a[0] == '(' && a[1] == '?') {
    size_t j = 2;
    while (j < a.size() && std::string_view("imsU-").find(a[j]) != std::string_view::npos) ++j;
    if (j < a.size() && a[j] == ':') open = j + 1;
  }
  if (open == 0) return alone;
  // The parenthesis that closes it (escapes and classes skipped as SplitAlternatives does).
  int depth = 1;
  bool in_class = false;
  size_t close = std::string_view::npos;
  for (size_t i = open; i < a.size(); ++i) {
    const char c = a[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']' && !(a[i - 1] == '[') && !(i > 1 && a[i - 1] == '^' && a[i - 2] == '[')) {
        in_class = false;
      }
      continue;
    }
    if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos) return alone;
  const std::string_view rest = a.substr(close + 1);
  if (!rest.empty() && rest != "\\b") return alone;
  const std::vector<std::string_view> parts = SplitAlternatives(a.substr(open, close - open));
  if (parts.size() < 2) return alone;
  std::vector<std::string> out;
  for (std::string_view part : parts) {
    out.push_back(std::string(a.substr(0, open)) + std::string(part) + ")" + std::string(rest));
  }
  return out;
}

std::vector<std::string_view> SplitAlternatives(std::string_view pattern) {
  std::vector<std::string_view> out;
  int depth = 0;
  bool in_class = false;
  size_t start = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']' && !(i > 0 && pattern[i - 1] == '[') &&
          !(i > 1 && pattern[i - 1] == '^' && pattern[i - 2] == '[')) {
        in_class = false;
      }
      continue;
    }
    if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      // A flags-only group, e.g. (?i), changes the alternatives after it: no split.
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '?') {
        ++j;
        while (j < pattern.size() &&
               std::string_view("imsU-").find(pattern[j]) != std::string_view::npos)
          ++j;
        if (j < pattern.size() && pattern[j] == ')') return {pattern};
      }
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      out.push_back(pattern.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(pattern.substr(start));
  return out;
}

CharFilter CharFilter::FirstOf(std::string_view pattern) {
  return CharFilterBuilder::Make(pattern, true);
}

CharFilter CharFilter::LastOf(std::string_view pattern) {
  return CharFilterBuilder::Make(pattern, false);
}

CharFilter CharFilter::RequiredOf(std::string_view pattern) {
  return CharFilterBuilder::Required(pattern);
}

bool CharFilter::AnyIn(std::string_view text) const {
  if (any_) return true;
  const auto* t = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const uint64_t* bmp = bmp_.empty() ? nullptr : bmp_.data();
  for (size_t p = 0; p < n;) {
    const unsigned char b = t[p];
    if (b < 0x80) {
      if ((ascii_[b >> 6] >> (b & 63)) & 1) return true;
      ++p;
      continue;
    }
    // Three-byte characters (Chinese text) decoded here; other lead bytes by TestAt, which
    // lets invalid sequences pass.
    if ((b & 0xF0) == 0xE0 && p + 2 < n && (t[p + 1] & 0xC0) == 0x80 && (t[p + 2] & 0xC0) == 0x80) {
      const char32_t c = (static_cast<char32_t>(b & 0x0F) << 12) |
                         (static_cast<char32_t>(t[p + 1] & 0x3F) << 6) | (t[p + 2] & 0x3F);
      if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return true;
      if (bmp != nullptr && ((bmp[c >> 6] >> (c & 63)) & 1)) return true;
      p += 3;
      continue;
    }
    if (b >= 0xC0 && TestAt(text, p)) return true;
    ++p;
  }
  return false;
}

void CharFilter::Add(char32_t lo, char32_t hi) {
  for (char32_t c = lo; c <= hi && c < 0x80; ++c) ascii_[c >> 6] |= uint64_t{1} << (c & 63);
  if (hi >= 0x80 && lo < 0x10000) {
    if (bmp_.empty()) bmp_.assign(0x10000 / 64, 0);
    for (char32_t c = std::max<char32_t>(lo, 0x80); c <= hi && c < 0x10000; ++c) {
      bmp_[c >> 6] |= uint64_t{1} << (c & 63);
    }
  }
  if (hi >= 0x10000) astral_.push_back({std::max<char32_t>(lo, 0x10000), hi});
}

void CharFilter::Merge(const CharFilter& o) {
  if (any_ || o.any_) {
    any_ = true;
    return;
  }
  ascii_[0] |= o.ascii_[0];
  ascii_[1] |= o.ascii_[1];
  if (!o.bmp_.empty()) {
    if (bmp_.empty()) bmp_.assign(0x10000 / 64, 0);
    for (size_t i = 0; i < bmp_.size(); ++i) bmp_[i] |= o.bmp_[i];
  }
  astral_.insert(astral_.end(), o.astral_.begin(), o.astral_.end());
}

bool CharFilter::Chars(size_t max, std::vector<char32_t>* out) const {
  out->clear();
  if (any_) return false;
  for (char32_t c = 0; c < 0x80; ++c) {
    if ((ascii_[c >> 6] >> (c & 63)) & 1) out->push_back(c);
  }
  for (size_t w = 0; w < bmp_.size(); ++w) {
    if (bmp_[w] == 0) continue;
    for (char32_t c = w * 64; c < (w + 1) * 64; ++c) {
      if ((bmp_[w] >> (c & 63)) & 1) out->push_back(c);
    }
    if (out->size() > max) return false;
  }
  for (const auto& [lo, hi] : astral_) {
    if (hi - lo >= max) return false;
    for (char32_t c = lo; c <= hi; ++c) out->push_back(c);
  }
  return out->size() <= max;
}

bool CharFilter::Test(char32_t c) const {
  if (any_) return true;
  if (c < 0x80) return (ascii_[c >> 6] >> (c & 63)) & 1;
  if (c < 0x10000) return !bmp_.empty() && ((bmp_[c >> 6] >> (c & 63)) & 1);
  for (const auto& [lo, hi] : astral_) {
    if (c >= lo && c <= hi) return true;
  }
  return false;
}

bool CharFilter::TestMultiByte(std::string_view text, size_t pos) const {
  size_t p = pos;
  const char32_t c = utf8::Next(text, &p);
  if (c == 0xFFFD && text.substr(pos, 3) != "\xEF\xBF\xBD") return true;  // invalid bytes
  return Test(c);
}

bool CharFilter::TestBefore(std::string_view text, size_t pos) const {
  if (any_) return true;
  if (pos == 0 || pos > text.size()) return false;
  size_t b = pos - 1;
  const unsigned char last = static_cast<unsigned char>(text[b]);
  if (last < 0x80) return (ascii_[last >> 6] >> (last & 63)) & 1;
  while (b > 0 && pos - b < 4 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
  size_t p = b;
  const char32_t c = utf8::Next(text, &p);
  if (p != pos || c == 0xFFFD) return true;  // invalid bytes: let RE2 decide
  return Test(c);
}

}  // namespace newsclaim::extract
