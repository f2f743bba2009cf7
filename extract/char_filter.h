// Internal to extract/: which characters can begin or end a match of an RE2 pattern, read
// from the pattern's source when the rules are loaded. The figure grammar probes its unit,
// scale, qualifier and exclusion patterns at almost every number; a probe whose first (or
// last) character no pattern of a list can match is answered here without entering RE2.
// The reading is conservative: a construct it does not understand lets every character pass.
#ifndef NEWSCLAIM_EXTRACT_CHAR_FILTER_H_
#define NEWSCLAIM_EXTRACT_CHAR_FILTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace newsclaim::extract {

// One string a pattern matches, as ExpandLiterals reads it.
struct PatternLiteral {
  std::string text;                // UTF-8; ASCII letters in lower case when `fold`
  bool fold = false;               // ASCII letters match either case (and K, S their Unicode folds)
  bool has_letters = false;        // has ASCII letters (matched exactly unless `fold`)
  bool word_boundary_end = false;  // the pattern ends in \b here
};

// Every string `pattern` (RE2 syntax) matches, when it matches a small finite set of
// non-empty strings built from literals, classes, groups, alternation, '?' and (?i), with
// \b allowed only at the end. False otherwise (repetition, '.', anchors, large classes,
// case folding of non-ASCII letters, ...).
bool ExpandLiterals(std::string_view pattern, std::vector<PatternLiteral>* out);

// Strings that every match of `pattern` begins with (prefix = true) or ends with (false),
// for patterns that are not fixed strings: "(?i:\bclose\s+to)" ends with "to", "(?:tens|
// hundreds)\s+of\s+\w+" begins with "tens" or "hundreds". A necessary condition only (word
// boundaries are dropped). False when the reader cannot tell, or the pattern can match the
// empty string.
bool AffixLiterals(std::string_view pattern, bool prefix, std::vector<PatternLiteral>* out);

// The top-level alternatives of a pattern ("a|(b|c)|d" -> "a", "(b|c)", "d").
std::vector<std::string_view> SplitAlternatives(std::string_view pattern);

// An alternative that is one group of alternatives, followed by nothing or by a final \b,
// distributed over its alternatives: "(?i:rmb|cny|chinese\s+yuan)\b" -> "(?i:rmb)\b",
// "(?i:cny)\b", "(?i:chinese\s+yuan)\b". Together they match what the whole does, so the
// fixed strings among them can go to a LiteralMatcher. Any other pattern comes back alone.
std::vector<std::string> DistributeGroup(std::string_view alternative);

class CharFilter {
 public:
  // A filter that lets nothing pass; Merge patterns into it.
  CharFilter() = default;

  // The characters that can start (FirstOf) or end (LastOf) a non-empty match of `pattern`
  // (RE2 syntax, UTF-8, case-sensitive unless the pattern says (?i)). Every character
  // passes when the pattern can match the empty string or uses a construct the reader does
  // not know (negated classes, \p{...}, '.', ...).
  static CharFilter FirstOf(std::string_view pattern);
  static CharFilter LastOf(std::string_view pattern);
  // Characters of which every non-empty match contains at least one ("://" for a URL, "@"
  // for an e-mail address); everything passes when the reader cannot tell.
  static CharFilter RequiredOf(std::string_view pattern);

  // Lets through what either filter lets through.
  void Merge(const CharFilter& other);

  bool Test(char32_t c) const;
  // The character that starts at text[pos] (false at the end of text, unless everything
  // passes). Inline: called at most positions of a text.
  bool TestAt(std::string_view text, size_t pos) const {
    if (any_) return true;
    if (pos >= text.size()) return false;
    const unsigned char b = static_cast<unsigned char>(text[pos]);
    if (b < 0x80) return (ascii_[b >> 6] >> (b & 63)) & 1;
    if ((b & 0xF0) == 0xE0 && pos + 2 < text.size()) {
      const unsigned char b1 = static_cast<unsigned char>(text[pos + 1]);
      const unsigned char b2 = static_cast<unsigned char>(text[pos + 2]);
      if ((b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80) {
        const char32_t c = (static_cast<char32_t>(b & 0x0F) << 12) |
                           (static_cast<char32_t>(b1 & 0x3F) << 6) | (b2 & 0x3F);
        // Overlong forms and surrogates are invalid UTF-8: let RE2 decide.
        if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return true;
        return !bmp_.empty() && ((bmp_[c >> 6] >> (c & 63)) & 1);
      }
    }
    return TestMultiByte(text, pos);
  }
  // The character that ends right before text[pos] (false at 0, unless everything passes).
  bool TestBefore(std::string_view text, size_t pos) const;

  bool passes_everything() const { return any_; }
  // The characters that pass, when there are at most `max` of them (false otherwise, and
  // when everything passes).
  bool Chars(size_t max, std::vector<char32_t>* out) const;
  // Whether some character of text passes (invalid UTF-8 passes).
  bool AnyIn(std::string_view text) const;

 private:
  friend class CharFilterBuilder;
  void Add(char32_t lo, char32_t hi);
  bool TestMultiByte(std::string_view text, size_t pos) const;
  bool any_ = false;
  uint64_t ascii_[2] = {0, 0};  // code points < 0x80
  std::vector<uint64_t> bmp_;   // code points < 0x10000 (bitmap, empty when none)
  std::vector<std::pair<char32_t, char32_t>> astral_;  // ranges >= 0x10000
};

// The literals of several patterns (ExpandLiterals), matched at a position by walking a
// byte trie instead of running RE2: the longest match of each pattern anchored there.
class LiteralMatcher {
 public:
  LiteralMatcher();
  void Add(const PatternLiteral& literal, int id);
  bool empty() const { return empty_; }
  // Whether some literal (of any id) may match at pos: word boundaries are not checked, and
  // a Kelvin sign or long s (folded to k, s) answers true. A pre-test, faster than MatchAt.
  bool MayMatchAt(std::string_view text, size_t pos) const {
    if (empty_) return false;
    for (int root = 0; root < 2; ++root) {
      int node = root;
      for (size_t p = pos; p < text.size(); ++p) {
        unsigned char b = static_cast<unsigned char>(text[p]);
        if (root == 1) {
          if (b == 0xE2 || b == 0xC5) return true;
          if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b - 'A' + 'a');
        }
        node = Child(node, b);
        if (node < 0) break;
        if (!nodes_[node].ends.empty()) return true;
      }
    }
    return false;
  }
  // Adds to bits[4] the bytes that may come right after the ASCII byte `first` where
  // MayMatchAt is true (all of them when a literal is `first` alone).
  void FollowersOf(unsigned char first, uint64_t bits[4]) const;
  // Calls found(id, length) for every literal of pattern `id` that matches text[pos, end)
  // anchored at pos, as RE2 would on the window text[pos, end) (a final \b sees the window's
  // end as the end of text). Ids may repeat with different lengths.
  template <typename F>
  void MatchAt(std::string_view text, size_t pos, size_t end, F&& found) const {
    if (empty_ || pos >= end) return;
    // A root without a child for the first byte matches nothing (the folded root also
    // follows a Kelvin sign or long s, whose lead bytes are E2 and C5).
    const unsigned char b = static_cast<unsigned char>(text[pos]);
    if (Child(0, b) >= 0) Walk(text, pos, end, 0, pos, false, found);
    const unsigned char lower = b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b;
    if (Child(1, lower) >= 0 || b == 0xE2 || b == 0xC5) Walk(text, pos, end, 1, pos, true, found);
  }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, int>> next;
    std::vector<int> table;  // next as a 256-entry table (-1: none) once a node has many
    std::vector<std::pair<int, bool>> ends;  // (id, word boundary required)
  };
  int Child(int node, unsigned char b) const {
    const Node& n = nodes_[node];
    if (!n.table.empty()) return n.table[b];
    for (const auto& [c, child] : n.next) {
      if (c == b) return child;
    }
    return -1;
  }
  static bool IsWord(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  template <typename F>
  void Walk(std::string_view text, size_t pos, size_t end, int node, size_t p, bool fold,
            F& found) const {
    while (true) {
      if (p > pos) {
        for (const auto& [id, boundary] : nodes_[node].ends) {
          if (boundary) {
            const bool before = IsWord(static_cast<unsigned char>(text[p - 1]));
            const bool after = p < end && IsWord(static_cast<unsigned char>(text[p]));
            if (before == after) continue;
          }
          found(id, p - pos);
        }
      }
      if (p >= end) return;
      unsigned char b = static_cast<unsigned char>(text[p]);
      if (fold) {
        // U+212A KELVIN SIGN folds to k, U+017F LONG S to s (RE2's (?i) does the same).
        if (b == 0xE2 && p + 3 <= end && static_cast<unsigned char>(text[p + 1]) == 0x84 &&
            static_cast<unsigned char>(text[p + 2]) == 0xAA) {
          const int k = Child(node, 'k');
          if (k >= 0) Walk(text, pos, end, k, p + 3, fold, found);
        } else if (b == 0xC5 && p + 2 <= end && static_cast<unsigned char>(text[p + 1]) == 0xBF) {
          const int k = Child(node, 's');
          if (k >= 0) Walk(text, pos, end, k, p + 2, fold, found);
        }
        if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b - 'A' + 'a');
      }
      node = Child(node, b);
      if (node < 0) return;
      ++p;
    }
  }
  bool empty_ = true;
  std::vector<Node> nodes_;  // 0: root of exact literals, 1: root of folded ones
};

// Literals matched backwards: does one of them end right before a position? The look-behind
// pre-test of the figure grammar (units and qualifiers before a number).
class SuffixMatcher {
 public:
  SuffixMatcher();
  // id < 64 names the literal's pattern for EndingAt. Its word boundary is ignored.
  void Add(const PatternLiteral& literal, int id = 0);
  bool empty() const { return empty_; }
  // True when a literal ends right before text[pos] and starts at or after `floor`.
  bool EndsAt(std::string_view text, size_t pos, size_t floor = 0) const {
    if (empty_ || pos > text.size() || pos <= floor) return false;
    const unsigned char b = static_cast<unsigned char>(text[pos - 1]);
    if (roots_[0][b] >= 0 && Walk(text, pos, floor, 0, pos, false)) return true;
    const unsigned char lower = b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b;
    return (roots_[1][lower] >= 0 || b == 0xAA || b == 0xBF) &&
           Walk(text, pos, floor, 1, pos, true);
  }
  // The ids (bit id) of the literals that end right before text[pos].
  uint64_t EndingAt(std::string_view text, size_t pos) const {
    if (empty_ || pos == 0 || pos > text.size()) return 0;
    const unsigned char b = static_cast<unsigned char>(text[pos - 1]);
    const uint64_t exact = roots_[0][b] >= 0 ? Ids(text, pos, 0, pos, false) : 0;
    const unsigned char lower = b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b;
    if (roots_[1][lower] < 0 && b != 0xAA && b != 0xBF) return exact;
    return exact | Ids(text, pos, 1, pos, true);
  }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, int>> next;
    bool end = false;
    uint64_t ids = 0;  // of the literals that end here
  };
  int Child(int node, unsigned char b) const {
    if (node < 2) return roots_[node][b];
    for (const auto& [c, child] : nodes_[node].next) {
      if (c == b) return child;
    }
    return -1;
  }
  bool Walk(std::string_view text, size_t pos, size_t floor, int node, size_t p, bool fold) const;
  uint64_t Ids(std::string_view text, size_t pos, int node, size_t p, bool fold) const;
  bool empty_ = true;
  std::vector<Node> nodes_;  // 0: root of exact literals (reversed), 1: of folded ones
  int roots_[2][256];        // the roots' children by byte (-1: none)
};

}  // namespace newsclaim::extract

#endif  // NEWSCLAIM_EXTRACT_CHAR_FILTER_H_
