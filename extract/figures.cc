// The figure grammar: one left-to-right scan that finds number cores (numbers.h), then
// looks ahead for scale words, units, range connectors and qualifiers and behind for
// prefix units ($, US$, 百分之) and qualifiers (约, 超过, about), all from rule data.
#include "extract/figures.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "core/utf8.h"
#include "extract/char_filter.h"
#include "extract/numbers.h"
#include "extract/scan_regex.h"

namespace newsclaim::extract {
namespace {

// How far look-ahead and look-behind patterns may reach, in bytes. Units, scale words and
// qualifiers are short; bounding the window keeps every match O(1) per number.
constexpr size_t kLookAhead = 96;
constexpr size_t kLookBehind = 48;

bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Percent and currency units (ISO 4217 codes, "currency", minor units such as "USD cent").
bool IsMoneyOrPercent(const std::string& unit) {
  if (unit == "%" || unit == "currency" || unit == "GBp" ||
      unit.find(" cent") != std::string::npos) {
    return true;
  }
  return unit.size() == 3 &&
         std::all_of(unit.begin(), unit.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Han characters (CJK unified ideographs, extension A, compatibility ideographs).
bool IsHan(char32_t c) { return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF); }

// True when text[begin, end) has no Han character or Latin letter on either side: the
// numeral is a word of its own (“五”, a list item, a whole line), not part of one (一切).
bool StandsAlone(std::string_view text, size_t begin, size_t end) {
  if (end < text.size()) {
    size_t p = end;
    const char32_t next = utf8::Next(text, &p);
    if (IsHan(next) || (next < 0x80 && IsAsciiAlnum(static_cast<char>(next)))) return false;
  }
  if (begin > 0) {
    size_t b = begin - 1;
    while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80 && begin - b < 4) --b;
    const char32_t prev = utf8::Next(text, &b);
    if (IsHan(prev) || (prev < 0x80 && IsAsciiAlnum(static_cast<char>(prev)))) return false;
  }
  return true;
}

size_t SkipSpaces(std::string_view s, size_t p) {
  while (p < s.size() && IsSpace(s[p])) ++p;
  return p;
}

// Whether one of m's literals may begin at pos or after RE2 spaces (\s) that start there.
bool MayBeginAfterSpaces(const LiteralMatcher& m, std::string_view text, size_t pos) {
  while (true) {
    if (m.MayMatchAt(text, pos)) return true;
    if (pos >= text.size() ||
        !(IsSpace(text[pos]) || (text[pos] >= '\n' && text[pos] <= '\r' && text[pos] != '\v'))) {
      return false;
    }
    ++pos;
  }
}

// Whether one of m's literals ends at pos or before spaces and tabs that end there.
bool EndsBeforeSpaces(const SuffixMatcher& m, std::string_view text, size_t pos) {
  while (true) {
    if (m.EndsAt(text, pos)) return true;
    if (pos == 0 || !IsSpace(text[pos - 1])) return false;
    --pos;
  }
}

// Largest n <= want such that s[pos, pos+n) ends on a character boundary.
size_t ClampForward(std::string_view s, size_t pos, size_t want) {
  size_t end = std::min(s.size(), pos + want);
  while (end > pos && end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return end - pos;
}

RE2::Options PatternOptions() {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_longest_match(true);
  o.set_never_capture(true);
  return o;
}

// One RE2::Set of the patterns, anchored as asked; false with *error when a pattern does
// not compile or the set runs out of memory.
bool BuildSet(const std::vector<std::string>& patterns, RE2::Anchor anchor,
              std::unique_ptr<RE2::Set>* set, std::string* error) {
  *set = std::make_unique<RE2::Set>(PatternOptions(), anchor);
  for (const std::string& p : patterns) {
    if ((*set)->Add(p, error) < 0) return false;
  }
  if (!(*set)->Compile()) {
    *error = "RE2::Set compilation ran out of memory";
    return false;
  }
  return true;
}

std::optional<Qualifier> QualifierFromName(const std::string& s) {
  if (s == "approx") return Qualifier::kApprox;
  if (s == "over") return Qualifier::kOver;
  if (s == "under") return Qualifier::kUnder;
  if (s == "range") return Qualifier::kRange;
  if (s == "vague") return Qualifier::kVague;
  return std::nullopt;
}

// One RE2::Set over the patterns of every look-ahead list (units, scales, qualifiers,
// range connectors, addends): a single pass at a position tells each list which of its
// patterns match there (at most positions: none), so that a number costs one set match
// instead of one per list. Results are cached per thread for the last position probed.
class AheadSet {
 public:
  static constexpr int kMaxLists = 8;

  // Adds a list's patterns; returns the list's id (-1 when there are too many lists).
  int Register(const std::vector<std::string>& sources) {
    if (lists_ >= kMaxLists) return -1;
    for (size_t i = 0; i < sources.size(); ++i) {
      owner_.push_back({lists_, static_cast<int>(i)});
      sources_.push_back(sources[i]);
    }
    return lists_++;
  }

  bool Build(std::string* error) {
    if (sources_.empty()) return true;
    return BuildSet(sources_, RE2::ANCHOR_START, &set_, error);
  }

  bool ready() const { return set_ != nullptr; }

  // Indices (ascending) of list `id`'s patterns that match at pos.
  const std::vector<int>& HitsAt(std::string_view text, size_t pos, int id) const {
    Cache& c = cache_;
    if (!(c.valid && c.owner == this && c.data == text.data() && c.size == text.size() &&
          c.pos == pos)) {
      for (std::vector<int>& h : c.hits) h.clear();
      c.all.clear();
      if (pos < text.size()) {
        const re2::StringPiece window(text.data() + pos, ClampForward(text, pos, kLookAhead));
        // Without a vector the set allocates nothing and stops at the first match; most
        // positions match nothing.
        if (set_->Match(window, nullptr)) set_->Match(window, &c.all);
        std::sort(c.all.begin(), c.all.end());
        for (int g : c.all) c.hits[owner_[g].first].push_back(owner_[g].second);
      }
      c.valid = true;
      c.owner = this;
      c.data = text.data();
      c.size = text.size();
      c.pos = pos;
    }
    return c.hits[id];
  }

  // Forgets the cached probe (the text it refers to may be gone); called by each Find.
  static void Reset() { cache_.valid = false; }

 private:
  struct Cache {
    bool valid = false;
    const AheadSet* owner = nullptr;
    const char* data = nullptr;
    size_t size = 0, pos = 0;
    std::vector<int> all;
    std::vector<int> hits[kMaxLists];
  };
  static thread_local Cache cache_;
  int lists_ = 0;
  std::vector<std::pair<int, int>> owner_;  // set index -> (list, pattern)
  std::vector<std::string> sources_;
  std::unique_ptr<RE2::Set> set_;
};
thread_local AheadSet::Cache AheadSet::cache_;

// Patterns that must match at a position (look-ahead) or end at one (look-behind). A
// CharFilter rejects most positions first. Look-ahead: the alternatives that are a few fixed
// strings are matched by a LiteralMatcher (trie), the rest by an RE2::Set that finds the
// candidates in one pass and their residual RE2 for the extent. Look-behind: one alternation
// run backwards, then a set names the rule.
class PatternList {
 public:
  struct Hit {
    int rule = -1;
    size_t begin = 0;
    size_t end = 0;
    bool found() const { return rule >= 0; }
  };

  explicit PatternList(bool behind) : behind_(behind) {}

  // `pattern` must be valid RE2 (checked by the caller). glued: no whitespace may separate
  // the match from the position.
  // veto (may be null, not owned): the match does not count when veto matches right after it.
  void Add(const std::string& pattern, int rule, bool glued, const RE2* veto = nullptr) {
    std::string full = "(?:" + pattern + ")";
    if (behind_) full += glued ? "$" : "[ \\t]*$";
    const int index = static_cast<int>(entries_.size());
    entries_.push_back({rule, glued, veto, nullptr});
    sources_.push_back(full);
    if (!behind_) {
      // Alternatives that are a few fixed strings go into the literal trie; only the rest
      // (repetition, \s+, ...) is left to RE2.
      // A group of alternatives before a final \b, (?i:rmb|cny|chinese\s+yuan)\b, is split
      // so that its fixed strings go to the trie too (longest-match semantics: the union of
      // the parts matches as the whole does).
      std::string residual;
      for (std::string_view top : SplitAlternatives(pattern)) {
        for (const std::string& alt : DistributeGroup(top)) {
          std::vector<PatternLiteral> literals;
          if (ExpandLiterals(alt, &literals)) {
            for (const PatternLiteral& l : literals) literals_.Add(l, index);
          } else {
            residual += (residual.empty() ? "(?:" : "|") + alt;
            const std::string group = "(?:" + alt + ")";
            const CharFilter first = CharFilter::FirstOf(group);
            residual_first_.Merge(first);
            // RE2 is asked only where the alternative's fixed beginning is (its prefixes),
            // or else where its first character is.
            if (AffixLiterals(alt, true, &literals)) {
              AddResidualPrefixes(group, literals);
            } else {
              AddResidualFirst(group, first);
            }
          }
        }
      }
      if (!residual.empty()) {
        residual += ")";
        entries_.back().residual = std::make_unique<RE2>(residual, PatternOptions());
        residual_sources_.push_back(residual);
        residual_owner_.push_back(index);
      }
    }
    // Look-ahead: the character at the position must be one a pattern starts with;
    // look-behind: the one before it one a pattern (with its trailing spaces) ends with.
    filter_.Merge(behind_ ? CharFilter::LastOf(full) : CharFilter::FirstOf(full));
    if (behind_) {
      // And the text before the position (or before the spaces there) must end with one of
      // the strings a match ends with (约, than, US$): RE2 runs only then.
      std::vector<PatternLiteral> suffixes;
      if (AffixLiterals(pattern, false, &suffixes) && index < 64) {
        for (const PatternLiteral& l : suffixes) suffixes_.Add(l, index);
      } else {
        suffixes_known_ = false;
      }
      if (!glued && index < 64) spaced_ids_ |= uint64_t{1} << index;
      spaced_ |= !glued;
    }
  }

  static constexpr char32_t kWhitespace[] = {U' ', U'\t', U'\n', U'\r', U'\f', U'\v'};
  static bool IsWhitespace(char32_t c) {
    return std::find(std::begin(kWhitespace), std::end(kWhitespace), c) != std::end(kWhitespace);
  }

  // What a residual alternative begins with (AffixLiterals). One that may begin with
  // whitespace ([个個]?\s*百\s*分\s*[点點]) would send every probe after a number and a space
  // to RE2: its whitespace prefixes are kept apart, and RE2 is asked there only when one of
  // the characters every match of it holds (分) is in the window.
  void AddResidualPrefixes(const std::string& alt, const std::vector<PatternLiteral>& prefixes) {
    bool spaced = false;
    for (const PatternLiteral& l : prefixes) {
      const bool space = !l.text.empty() && IsWhitespace(static_cast<unsigned char>(l.text[0]));
      (space ? residual_spaced_prefixes_ : residual_prefixes_).Add(l, 0);
      spaced |= space;
    }
    if (spaced) {
      spaced_residuals_ = true;
      AddSpacedRequired(alt);
    }
  }

  // The first characters of a residual alternative (first = CharFilter::FirstOf(alt)), set
  // apart likewise when whitespace is one.
  void AddResidualFirst(const std::string& alt, const CharFilter& first) {
    bool space = false;
    for (const char32_t c : kWhitespace) space |= first.Test(c);
    if (!space || first.passes_everything()) {
      residual_filter_.Merge(first);
      return;
    }
    residual_spaced_filter_.Merge(first);
    spaced_residuals_ = true;
    AddSpacedRequired(alt);
  }

  // Notes the characters every match of alt holds (unknown: RE2 is always asked).
  void AddSpacedRequired(const std::string& alt) {
    std::vector<char32_t> required;
    if (!CharFilter::RequiredOf(alt).Chars(8, &required) || required.empty()) {
      residual_spaced_known_ = false;
      return;
    }
    for (const char32_t c : required) {
      std::string u;
      utf8::Append(c, &u);
      residual_spaced_required_.push_back(u);
    }
  }

  // Whether a residual alternative that may start with whitespace may match in the window.
  bool SpacedMayMatch(std::string_view window) const {
    if (!residual_spaced_known_) return true;
    for (const std::string& u : residual_spaced_required_) {
      if (window.find(u) != std::string_view::npos) return true;
    }
    return false;
  }

  bool Build(std::string* error) {
    if (entries_.empty()) return true;
    if (!behind_) {
      for (const Entry& e : entries_) {
        if (e.residual && !e.residual->ok()) {
          *error = e.residual->error();
          return false;
        }
      }
      if (residual_sources_.empty()) return true;  // every pattern is literals
      return BuildSet(residual_sources_, RE2::ANCHOR_START, &set_, error);
    }
    // Look-behind: one alternation anchored at the end, which RE2 runs backwards from the
    // position (a few bytes) instead of forwards over the whole window; the set, anchored at
    // both ends, then names the rule of the match.
    if (!BuildSet(sources_, RE2::ANCHOR_BOTH, &set_, error)) return false;
    std::string any;
    for (const std::string& s : sources_) {
      any += (any.empty() ? "(?:" : "|") + s.substr(0, s.size() - 1);  // without the '$'
    }
    any_ = std::make_unique<RE2>(any + ")$", PatternOptions());
    if (!any_->ok()) {
      *error = any_->error();
      return false;
    }
    return true;
  }

  // Longest match starting at pos; when none and spaces follow pos, the longest non-glued
  // match after them.
  // Small, to be inlined: most probes are answered by the first character's filter.
  Hit MatchAt(std::string_view text, size_t pos, bool allow_space) const {
    if (pos < text.size() && filter_.TestAt(text, pos)) {
      const Hit h = MatchExactlyAt(text, pos, true);
      if (h.found() || !allow_space) return h;
    } else if (!allow_space) {
      return Hit();
    }
    const size_t q = SkipSpaces(text, pos);
    if (q == pos || q >= text.size() || !filter_.TestAt(text, q)) return Hit();
    return MatchExactlyAt(text, q, false);
  }

  // Longest match that ends at pos (trailing spaces allowed unless glued).
  Hit MatchBefore(std::string_view text, size_t pos) const {
    Hit best;
    if (!set_ || pos == 0 || !filter_.TestBefore(text, pos)) return best;
    // The patterns whose suffix ends at pos (or, for those that allow spaces, before them):
    // only they can match.
    uint64_t candidates = ~uint64_t{0};
    if (suffixes_known_) {
      candidates = suffixes_.EndingAt(text, pos);
      for (size_t q = pos; spaced_ && q > 0 && IsSpace(text[q - 1]);) {
        --q;
        candidates |= suffixes_.EndingAt(text, q) & spaced_ids_;
      }
      if (candidates == 0) return best;
    }
    size_t start = pos > kLookBehind ? pos - kLookBehind : 0;
    while (start < pos && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
    const re2::StringPiece window(text.data() + start, pos - start);
    re2::StringPiece m;
    if (!any_->Match(window, 0, window.size(), RE2::UNANCHORED, &m, 1) || m.empty()) return best;
    if ((candidates & (candidates - 1)) == 0) {
      // One candidate: it is the pattern that matched (a match ends with its suffix).
      const int i = __builtin_ctzll(candidates);
      return {entries_[i].rule, start + (m.data() - window.data()), pos};
    }
    thread_local std::vector<int> hits;
    if (!set_->Match(m, &hits)) return best;
    const int i = *std::min_element(hits.begin(), hits.end());
    return {entries_[i].rule, start + (m.data() - window.data()), pos};
  }

  bool empty() const { return entries_.empty(); }

  // Look-ahead lists: probe through `ahead` (shared by several lists) from now on.
  void UseAhead(AheadSet* ahead) {
    if (behind_ || residual_sources_.empty()) return;
    ahead_id_ = ahead->Register(residual_sources_);
    ahead_ = ahead;
  }

 private:
  // The longest match at pos, whose first character passed filter_.
  Hit MatchExactlyAt(std::string_view text, size_t pos, bool glued_ok) const {
    Hit best;
    const size_t window_size = ClampForward(text, pos, kLookAhead);
    // (entry, length) of every match anchored at pos: literals, then the RE2 residue.
    thread_local std::vector<std::pair<int, size_t>> found;
    found.clear();
    literals_.MatchAt(text, pos, pos + window_size, [](int id, size_t length) {
      found.push_back({id, length});
    });
    if (set_ && residual_first_.TestAt(text, pos) &&
        (residual_filter_.TestAt(text, pos) || residual_prefixes_.MayMatchAt(text, pos) ||
         (spaced_residuals_ &&
          (residual_spaced_filter_.TestAt(text, pos) ||
           residual_spaced_prefixes_.MayMatchAt(text, pos)) &&
          SpacedMayMatch(text.substr(pos, window_size))))) {
      const re2::StringPiece window(text.data() + pos, window_size);
      thread_local std::vector<int> own;
      const std::vector<int>* hits = &own;
      if (ahead_ != nullptr && ahead_id_ >= 0 && ahead_->ready()) {
        hits = &ahead_->HitsAt(text, pos, ahead_id_);
      } else if (!set_->Match(window, &own)) {
        own.clear();
      }
      for (int r : *hits) {
        const int i = residual_owner_[r];
        re2::StringPiece m;
        if (entries_[i].residual->Match(window, 0, window.size(), RE2::ANCHOR_START, &m, 1) &&
            !m.empty()) {
          found.push_back({i, m.size()});
        }
      }
    }
    if (found.empty()) return best;
    // Each entry's longest match, entries in rule order (as one RE2 per entry would give).
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    for (size_t k = 0; k < found.size(); ++k) {
      if (k > 0 && found[k].first == found[k - 1].first) continue;
      const Entry& entry = entries_[found[k].first];
      if (!glued_ok && entry.glued) continue;
      const size_t e = pos + found[k].second;
      if (entry.veto != nullptr) {
        const re2::StringPiece rest(text.data() + e, ClampForward(text, e, kLookAhead));
        if (entry.veto->Match(rest, 0, rest.size(), RE2::ANCHOR_START, nullptr, 0)) continue;
      }
      if (!best.found() || e > best.end) best = {entry.rule, pos, e};
    }
    return best;
  }

  struct Entry {
    int rule;
    bool glued;
    const RE2* veto;
    std::unique_ptr<RE2> residual;  // look-ahead: the alternatives not in literals_
  };
  bool behind_;
  std::vector<Entry> entries_;
  std::vector<std::string> sources_;
  std::unique_ptr<RE2::Set> set_;
  std::unique_ptr<RE2> any_;  // look-behind: all patterns, anchored at the end
  CharFilter filter_;         // characters a match can start (ahead) or end (behind) with
  LiteralMatcher literals_;   // look-ahead: the fixed strings of the patterns
  // look-ahead: the characters a match of the RE2 residue can begin with (a first test)
  CharFilter residual_first_;
  CharFilter residual_filter_;  // look-ahead: first characters of what RE2 still matches
  // look-ahead: the same for alternatives that may start with whitespace, which RE2 is asked
  // only when one of the characters they require is in the window (unless unknown)
  CharFilter residual_spaced_filter_;
  LiteralMatcher residual_spaced_prefixes_;
  std::vector<std::string> residual_spaced_required_;
  bool residual_spaced_known_ = true;
  bool spaced_residuals_ = false;     // some residual alternative may start with whitespace
  LiteralMatcher residual_prefixes_;  // look-ahead: what RE2 still matches begins with these
  SuffixMatcher suffixes_;            // look-behind: every match ends with one of these
  bool suffixes_known_ = true;        // look-behind: suffixes_ holds them for every pattern
  bool spaced_ = false;               // look-behind: a pattern allows spaces before the number
  uint64_t spaced_ids_ = 0;           // look-behind: those patterns (bit: entry index)
  std::vector<std::string> residual_sources_;  // look-ahead: what RE2 still matches
  std::vector<int> residual_owner_;            // residual index -> entry index
  const AheadSet* ahead_ = nullptr;
  int ahead_id_ = -1;
};

// Patterns searched for anywhere in the text (exclusion spans, fixed phrases): one RE2 over
// the alternation finds the spans, a set anchored at both ends tells which rule matched.
class SpanScanner {
 public:
  struct Span {
    size_t begin;
    size_t end;
    int rule;
  };
  void Add(const std::string& pattern, int rule) {
    patterns_.push_back("(?:" + pattern + ")");
    rules_.push_back(rule);
    first_.Merge(CharFilter::FirstOf(patterns_.back()));
    need_.Merge(CharFilter::RequiredOf(patterns_.back()));
    // What may start a span: the fixed strings of the pattern (ignoring a final \b, which
    // only narrows), and the first characters of the rest.
    for (std::string_view alt : SplitAlternatives(pattern)) {
      std::vector<PatternLiteral> literals;
      if (ExpandLiterals(alt, &literals)) {
        for (PatternLiteral& l : literals) {
          l.word_boundary_end = false;
          literals_.Add(l, 0);
        }
      } else if (AffixLiterals(alt, true, &literals)) {
        for (PatternLiteral& l : literals) literals_.Add(l, 0);  // what a match begins with
      } else {
        residual_first_.Merge(CharFilter::FirstOf("(?:" + std::string(alt) + ")"));
      }
    }
  }
  // Whether a span may start with character c (MayStartAt's first test).
  bool MayStartWith(char32_t c) const { return first_.Test(c); }
  // Adds to bits[4] the bytes that may follow the ASCII character c where MayStartAt is true.
  void FollowersOf(unsigned char c, uint64_t bits[4]) const {
    if (!first_.Test(c)) return;
    if (residual_first_.Test(c)) {
      for (int i = 0; i < 4; ++i) bits[i] = ~uint64_t{0};
      return;
    }
    literals_.FollowersOf(c, bits);
  }
  // False when no span can start at pos (a cheap test before the scan); true when one may.
  bool MayStartAt(std::string_view text, size_t pos) const {
    if (!first_.TestAt(text, pos)) return false;
    if (residual_first_.TestAt(text, pos)) return true;
    return literals_.MayMatchAt(text, pos);
  }
  bool Build(std::string* error) {
    if (patterns_.empty()) return true;
    std::string all;
    for (const std::string& p : patterns_) all += (all.empty() ? "" : "|") + p;
    auto exact = std::make_unique<RE2>(all, PatternOptions());
    if (!exact->ok()) {
      *error = exact->error();
      return false;
    }
    all_ = std::make_unique<ScanRegex>(std::move(exact));
    which_ = std::make_unique<RE2::Set>(PatternOptions(), RE2::ANCHOR_BOTH);
    for (const std::string& p : patterns_) {
      if (which_->Add(p, error) < 0) return false;
    }
    if (!which_->Compile()) {
      *error = "RE2::Set compilation ran out of memory";
      return false;
    }
    return true;
  }
  std::vector<Span> Scan(std::string_view text) const {
    std::vector<Span> out;
    if (!all_) return out;
    // Most texts hold none: a text without a character that every match needs ('/' of a
    // URL, '@' of an e-mail address, '《' of a title) is answered without RE2; otherwise an
    // earliest-match test (no submatch).
    if (!need_.AnyIn(text)) return out;
    const re2::StringPiece t(text.data(), text.size());
    if (!all_->FindFrom(t, 0, text.size(), nullptr, 0)) return out;
    size_t pos = 0;
    re2::StringPiece m;
    while (pos <= text.size() && all_->FindFrom(t, pos, text.size(), &m, 1)) {
      const size_t b = m.data() - text.data();
      if (m.empty()) {
        pos = b + 1;
        continue;
      }
      thread_local std::vector<int> hits;
      which_->Match(m, &hits);
      const int rule = hits.empty() ? -1 : rules_[*std::min_element(hits.begin(), hits.end())];
      out.push_back({b, b + m.size(), rule});
      pos = b + m.size();
    }
    return out;
  }

 private:
  std::vector<std::string> patterns_;
  std::vector<int> rules_;
  CharFilter first_;
  CharFilter need_;  // every match holds one of these characters
  LiteralMatcher literals_;
  CharFilter residual_first_;
  std::unique_ptr<ScanRegex> all_;  // every pattern, searched over the whole text
  std::unique_ptr<RE2::Set> which_;
};

enum class Shape { kAny, kInteger, kYear, kMonth, kDay, kHour, kOne };

std::optional<Shape> ShapeFromName(const std::string& s) {
  if (s == "any") return Shape::kAny;
  if (s == "integer") return Shape::kInteger;
  if (s == "year") return Shape::kYear;
  if (s == "month") return Shape::kMonth;
  if (s == "day") return Shape::kDay;
  if (s == "hour") return Shape::kHour;
  if (s == "one") return Shape::kOne;
  return std::nullopt;
}

// Whether n is a whole number (no decimal, fraction, sign or vagueness): HasShape's test.
bool IsWhole(const ParsedNumber& n) {
  return !n.decimal && !n.fraction && !n.negative && !n.vague && n.value == std::floor(n.value);
}

// integer: IsWhole(n), computed once by a caller that tests several shapes.
bool HasShape(const ParsedNumber& n, Shape shape, bool integer) {
  switch (shape) {
    case Shape::kAny:
      return true;
    case Shape::kInteger:
      return integer;
    case Shape::kYear:
      return integer && n.plain_digits && n.digit_count == 4 && n.value >= 1000 && n.value <= 2999;
    case Shape::kMonth:
      return integer && n.value >= 1 && n.value <= 12 && (n.plain_digits || n.chinese);
    case Shape::kDay:
      return integer && n.value >= 1 && n.value <= 31 && (n.plain_digits || n.chinese);
    case Shape::kHour:
      return integer && n.value >= 0 && n.value <= 24 && (n.plain_digits || n.chinese);
    case Shape::kOne:
      return n.lone_char && n.value == 1;
  }
  return false;
}

enum class Kind { kUnit, kScale, kQualifier, kRange, kPhrase, kExclude, kAddend };

struct Rule {
  Kind kind;
  std::string name;
  int line = 0;
  // kUnit, kPhrase: the unit code; kExclude: the unit it is limited to ("" = any).
  std::string unit;
  double factor = 1;  // kUnit: multiplier into the unit (千瓦 -> 1000 W); kScale: 1e6
  Qualifier qualifier = Qualifier::kNone;
  std::optional<double> value;  // kPhrase: fixed value (none = vague); kAddend: amount added
  Shape shape = Shape::kAny;    // kExclude
  std::unique_ptr<RE2> before;  // kExclude context
  std::unique_ptr<RE2> after;
  CharFilter before_last;  // characters `before` can end with (right before the number)
  CharFilter after_first;  // characters `after` can start with (right after the number)
  // kExclude: what `after` matches begin with (past the spaces of a leading \s*) and what
  // `before` matches end with, when the patterns tell (*_known); RE2 runs only where they are.
  LiteralMatcher after_prefixes;
  bool after_known = false;
  SuffixMatcher before_suffixes;
  bool before_known = false;
  std::unique_ptr<RE2> unless;        // kUnit: unless_followed_by
  std::unique_ptr<RE2> minor;         // kUnit: the minor unit (cents) of a currency
  std::optional<double> scale_below;  // kUnit: `factor` applies only to smaller numbers
  // kExclude: the numbers are numbers, only not figures (dates, clock times, ordinals):
  // `figures --numbers` reports them, as a number model does.
  bool figures_only = false;
};

// One side of a figure: a number core with its scale and unit.
struct Part {
  size_t begin = 0, end = 0;  // core
  ParsedNumber num;
  int phrase = -1;    // rule index when the core is a fixed phrase
  double factor = 1;  // scale word factor
  bool scaled = false;
  int scale_rule = -1;
  PatternList::Hit unit;     // unit after the core
  PatternList::Hit prefix;   // unit before the core
  PatternList::Hit between;  // qualifier between core and unit (300多人)
  size_t stop = 0;           // end of everything consumed
  int unit_rule() const { return unit.found() ? unit.rule : prefix.rule; }
};

}  // namespace

struct FigureRules::Impl {
  std::vector<Rule> rules;
  std::map<std::string, int> by_name;
  PatternList units_after{false};
  PatternList units_before{true};
  PatternList scales{false};
  PatternList q_before{true};
  PatternList q_between{false};
  PatternList q_after{false};
  PatternList connectors{false};
  PatternList addends{false};
  AheadSet ahead;
  SpanScanner phrases;
  SpanScanner excluded;
  std::vector<int> context_exclusions;
  StopTable phrase_stops;  // the scan's stops before the phrase scan: phrases' first characters

  std::vector<Figure> Find(const Article& article, const FigureOptions& options,
                           std::set<int>* fired) const;
  bool ParsePart(const NumberSource& src, const ParsedNumber& num, int phrase, bool numbers_only,
                 size_t floor, Part* part) const;
  size_t MinorAmount(const NumberSource& src, const Rule& unit, size_t at, double* cents) const;
  // The first exclusion rule that drops the number, or -1. numbers: a bare number for
  // --numbers, which figures_only rules leave alone.
  int ExcludedBy(std::string_view text, const Part& part, const std::string& unit,
                 bool numbers = false) const;
};

namespace {

// Field access with diagnostics. Every getter reports a wrong type at the field's line.
int LineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

bool GetString(const toml::table& t, const char* key, std::string* out, bool required,
               const std::string& rule, Diagnostics& diag) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) diag.Add(LineOf(t), "rule '" + rule + "': missing field '" + key + "'");
    return !required;
  }
  if (!n->is_string()) {
    diag.Add(LineOf(*n), "rule '" + rule + "': field '" + key + "' must be a string");
    return false;
  }
  *out = n->as_string()->get();
  return true;
}

bool GetNumber(const toml::table& t, const char* key, std::optional<double>* out,
               const std::string& rule, Diagnostics& diag) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return true;
  if (n->is_integer()) {
    *out = static_cast<double>(n->as_integer()->get());
  } else if (n->is_floating_point()) {
    *out = n->as_floating_point()->get();
  } else {
    diag.Add(LineOf(*n), "rule '" + rule + "': field '" + key + "' must be a number");
    return false;
  }
  if (!std::isfinite(**out)) {
    diag.Add(LineOf(*n), "rule '" + rule + "': field '" + key + "' must be finite");
    return false;
  }
  return true;
}

bool GetBool(const toml::table& t, const char* key, bool* out, const std::string& rule,
             Diagnostics& diag) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return true;
  if (!n->is_boolean()) {
    diag.Add(LineOf(*n), "rule '" + rule + "': field '" + key + "' must be true or false");
    return false;
  }
  *out = n->as_boolean()->get();
  return true;
}

// Compiles a pattern field; reports RE2's error with the offending fragment. An empty-matching
// pattern is refused: it would attach a unit or qualifier to every number.
bool CheckPattern(const toml::table& t, const char* key, std::string* out, bool required,
                  const std::string& rule, Diagnostics& diag) {
  if (!GetString(t, key, out, required, rule, diag)) return false;
  if (out->empty()) {
    if (t.get(key) != nullptr) {
      diag.Add(LineOf(*t.get(key)), "rule '" + rule + "': field '" + key + "' is empty");
      return false;
    }
    return true;
  }
  const int line = LineOf(*t.get(key));
  // Compiled as written, so that RE2's error and fragment refer to the user's text.
  const RE2 raw(*out, PatternOptions());
  if (!raw.ok()) {
    diag.Add(line, "rule '" + rule + "': bad pattern in '" + key + "': " + raw.error() + " (at '" +
                       raw.error_arg() + "')");
    return false;
  }
  // A full match tests the pattern as a whole, as "(?:pattern)" would.
  if (RE2::FullMatch("", raw)) {
    diag.Add(line, "rule '" + rule + "': pattern in '" + key + "' matches the empty string");
    return false;
  }
  return true;
}

}  // namespace

FigureRules::FigureRules() : impl_(std::make_unique<Impl>()) {}
FigureRules::~FigureRules() = default;

std::vector<std::string> FigureRules::Keys() const {
  return {"unit", "scale", "qualifier", "range", "phrase", "exclude", "addend"};
}

size_t FigureRules::size() const { return impl_->rules.size(); }

bool FigureRules::AddEntry(const std::string& key, const toml::table& entry, Diagnostics& diag) {
  static const std::map<std::string, std::set<std::string>> kFields = {
      {"unit",
       {"unit", "pattern", "prefix", "scale", "scale_below", "glued", "unless_followed_by",
        "minor"}},
      {"addend", {"pattern", "value", "unless_followed_by"}},
      {"scale", {"pattern", "factor", "glued"}},
      {"qualifier", {"qualifier", "before", "between", "after"}},
      {"range", {"pattern"}},
      {"phrase", {"pattern", "value", "unit", "qualifier"}},
      {"exclude", {"pattern", "before", "after", "number", "unit", "figures_only"}},
  };
  const auto fields = kFields.find(key);
  if (fields == kFields.end()) return false;
  std::string name;
  if (!GetString(entry, "name", &name, true, "[[" + key + "]]", diag)) return false;
  bool ok = true;
  for (const auto& [k, v] : entry) {
    const std::string field(k.str());
    if (field == "name" || field == "examples" || field == "counter_examples") continue;
    if (fields->second.count(field) == 0) {
      diag.Add(LineOf(v), "rule '" + name + "': unknown field '" + field + "' in [[" + key + "]]");
      ok = false;
    }
  }
  Rule rule;
  rule.name = name;
  rule.line = LineOf(entry);
  const int index = static_cast<int>(impl_->rules.size());
  std::string pattern, prefix, before, between, after, text, unless, minor;
  bool glued = false;
  std::optional<double> number;

  if (key == "unit") {
    rule.kind = Kind::kUnit;
    ok &= GetString(entry, "unit", &rule.unit, true, name, diag);
    ok &= CheckPattern(entry, "pattern", &pattern, false, name, diag);
    ok &= CheckPattern(entry, "prefix", &prefix, false, name, diag);
    ok &= GetNumber(entry, "scale", &number, name, diag);
    ok &= GetBool(entry, "glued", &glued, name, diag);
    ok &= CheckPattern(entry, "unless_followed_by", &unless, false, name, diag);
    ok &= CheckPattern(entry, "minor", &minor, false, name, diag);
    if (number) rule.factor = *number;
    ok &= GetNumber(entry, "scale_below", &rule.scale_below, name, diag);
    if (ok && pattern.empty() && prefix.empty()) {
      diag.Add(rule.line, "rule '" + name + "': a unit needs 'pattern' or 'prefix'");
      ok = false;
    }
    if (ok && rule.unit.empty()) {
      diag.Add(rule.line, "rule '" + name + "': 'unit' is empty");
      ok = false;
    }
    if (!ok) return false;
    if (!minor.empty()) rule.minor = std::make_unique<RE2>("(?:" + minor + ")", PatternOptions());
    if (!unless.empty())
      rule.unless = std::make_unique<RE2>("(?:" + unless + ")", PatternOptions());
    if (!pattern.empty()) impl_->units_after.Add(pattern, index, glued, rule.unless.get());
    if (!prefix.empty()) impl_->units_before.Add(prefix, index, glued);
  } else if (key == "scale") {
    rule.kind = Kind::kScale;
    ok &= CheckPattern(entry, "pattern", &pattern, true, name, diag);
    ok &= GetNumber(entry, "factor", &number, name, diag);
    ok &= GetBool(entry, "glued", &glued, name, diag);
    if (ok && !number) {
      diag.Add(rule.line, "rule '" + name + "': missing field 'factor'");
      ok = false;
    }
    if (!ok) return false;
    rule.factor = *number;
    impl_->scales.Add(pattern, index, glued);
  } else if (key == "qualifier") {
    rule.kind = Kind::kQualifier;
    ok &= GetString(entry, "qualifier", &text, true, name, diag);
    ok &= CheckPattern(entry, "before", &before, false, name, diag);
    ok &= CheckPattern(entry, "between", &between, false, name, diag);
    ok &= CheckPattern(entry, "after", &after, false, name, diag);
    const std::optional<Qualifier> q = QualifierFromName(text);
    if (ok && !q) {
      diag.Add(LineOf(*entry.get("qualifier")),
               "rule '" + name + "': qualifier must be approx, over, under, range or vague");
      ok = false;
    }
    if (ok && before.empty() && between.empty() && after.empty()) {
      diag.Add(rule.line, "rule '" + name + "': needs 'before', 'between' or 'after'");
      ok = false;
    }
    if (!ok) return false;
    rule.qualifier = *q;
    if (!before.empty()) impl_->q_before.Add(before, index, false);
    if (!between.empty()) impl_->q_between.Add(between, index, true);
    if (!after.empty()) impl_->q_after.Add(after, index, false);
  } else if (key == "addend") {
    rule.kind = Kind::kAddend;
    ok &= CheckPattern(entry, "pattern", &pattern, true, name, diag);
    ok &= GetNumber(entry, "value", &rule.value, name, diag);
    ok &= CheckPattern(entry, "unless_followed_by", &unless, false, name, diag);
    if (ok && !rule.value) {
      diag.Add(rule.line, "rule '" + name + "': missing field 'value'");
      ok = false;
    }
    if (!ok) return false;
    if (!unless.empty()) {
      rule.unless = std::make_unique<RE2>("(?:" + unless + ")", PatternOptions());
    }
    impl_->addends.Add(pattern, index, true, rule.unless.get());
  } else if (key == "range") {
    rule.kind = Kind::kRange;
    if (!CheckPattern(entry, "pattern", &pattern, true, name, diag) || !ok) return false;
    impl_->connectors.Add(pattern, index, false);
  } else if (key == "phrase") {
    rule.kind = Kind::kPhrase;
    ok &= CheckPattern(entry, "pattern", &pattern, true, name, diag);
    ok &= GetNumber(entry, "value", &rule.value, name, diag);
    ok &= GetString(entry, "unit", &rule.unit, false, name, diag);
    if (entry.get("qualifier") != nullptr) {
      ok &= GetString(entry, "qualifier", &text, true, name, diag);
      const std::optional<Qualifier> q = QualifierFromName(text);
      if (ok && !q) {
        diag.Add(LineOf(*entry.get("qualifier")),
                 "rule '" + name + "': qualifier must be approx, over, under, range or vague");
        ok = false;
      }
      if (q) rule.qualifier = *q;
    }
    if (!ok) return false;
    impl_->phrases.Add(pattern, index);
  } else {
    rule.kind = Kind::kExclude;
    ok &= CheckPattern(entry, "pattern", &pattern, false, name, diag);
    ok &= CheckPattern(entry, "before", &before, false, name, diag);
    ok &= CheckPattern(entry, "after", &after, false, name, diag);
    ok &= GetString(entry, "number", &text, false, name, diag);
    ok &= GetString(entry, "unit", &rule.unit, false, name, diag);
    ok &= GetBool(entry, "figures_only", &rule.figures_only, name, diag);
    if (ok && !text.empty()) {
      const std::optional<Shape> s = ShapeFromName(text);
      if (!s) {
        diag.Add(LineOf(*entry.get("number")),
                 "rule '" + name + "': number must be any, integer, year, month, day, hour or one");
        ok = false;
      } else {
        rule.shape = *s;
      }
    }
    if (ok && pattern.empty() && before.empty() && after.empty() && text.empty()) {
      diag.Add(rule.line, "rule '" + name + "': needs 'pattern', 'before', 'after' or 'number'");
      ok = false;
    }
    if (ok && !pattern.empty() && rule.figures_only) {
      diag.Add(LineOf(*entry.get("figures_only")),
               "rule '" + name +
                   "': 'figures_only' applies to context rules ('before', "
                   "'after', 'number'), not to a 'pattern' span");
      ok = false;
    }
    if (ok && !pattern.empty() && (!before.empty() || !after.empty() || !text.empty())) {
      diag.Add(rule.line, "rule '" + name +
                              "': 'pattern' excludes a span; it cannot be combined with "
                              "'before', 'after' or 'number' (write two rules)");
      ok = false;
    }
    if (!ok) return false;
    if (!pattern.empty()) {
      impl_->excluded.Add(pattern, index);
    } else {
      if (!before.empty()) {
        const std::string full = "(?:" + before + ")[ \\t]*$";
        rule.before = std::make_unique<RE2>(full, PatternOptions());
        rule.before_last = CharFilter::LastOf(full);
        std::vector<PatternLiteral> suffixes;
        rule.before_known = AffixLiterals(before, false, &suffixes);
        for (const PatternLiteral& l : suffixes) rule.before_suffixes.Add(l);
      }
      if (!after.empty()) {
        const std::string full = "(?:" + after + ")";
        rule.after = std::make_unique<RE2>(full, PatternOptions());
        rule.after_first = CharFilter::FirstOf(full);
        rule.after_known = true;
        for (std::string_view alt : SplitAlternatives(after)) {
          if (alt.substr(0, 3) == "\\s*") alt.remove_prefix(3);  // spaces: skipped by the test
          std::vector<PatternLiteral> prefixes;
          if (!AffixLiterals(alt, true, &prefixes)) {
            rule.after_known = false;
            break;
          }
          for (const PatternLiteral& l : prefixes) rule.after_prefixes.Add(l, 0);
        }
      }
      impl_->context_exclusions.push_back(index);
    }
  }
  impl_->by_name[name] = index;
  impl_->rules.push_back(std::move(rule));
  return true;
}

void FigureRules::Finalize(std::vector<RuleDiagnostic>* out) {
  std::string error;
  auto build = [&](auto& list, const char* what) {
    error.clear();
    if (!list.Build(&error)) out->push_back({"", 0, std::string("figure ") + what + ": " + error});
  };
  build(impl_->units_after, "units");
  build(impl_->units_before, "prefix units");
  build(impl_->scales, "scales");
  build(impl_->q_before, "qualifiers (before)");
  build(impl_->q_between, "qualifiers (between)");
  build(impl_->q_after, "qualifiers (after)");
  build(impl_->connectors, "range connectors");
  build(impl_->addends, "addends");
  build(impl_->phrases, "phrases");
  build(impl_->excluded, "exclusions");
  if (out->empty()) {
    for (PatternList* list : {&impl_->units_after, &impl_->scales, &impl_->q_between,
                              &impl_->q_after, &impl_->connectors, &impl_->addends}) {
      list->UseAhead(&impl_->ahead);
    }
    build(impl_->ahead, "look-ahead set");
  }
  impl_->phrase_stops = MakeStopTable(
      [this](char32_t c) { return impl_->phrases.MayStartWith(c); },
      [this](unsigned char c, uint64_t bits[4]) { impl_->phrases.FollowersOf(c, bits); });
}

// Scale, between-qualifier and unit after a core, and a prefix unit before it.
// floor: where the previous figure ended; look-behind may not reach before it (the "dollar"
// of "50 dollar 50 dollar" belongs to the first amount).
bool FigureRules::Impl::ParsePart(const NumberSource& src, const ParsedNumber& num, int phrase,
                                  bool numbers_only, size_t floor, Part* part) const {
  const std::string_view s = src.text;
  part->begin = num.begin;
  part->end = num.end;
  part->num = num;
  part->phrase = phrase;
  // A number glued to a letter is part of a name or code (H20, MI308, 910C, F-35, 2nd),
  // unless the letters are a unit (USD115, 80GB, 7nm, 15K).
  const bool letter_before =
      num.begin > 0 &&
      (IsAsciiAlnum(s[num.begin - 1]) ||
       (s[num.begin - 1] == '-' && num.begin > 1 && IsAsciiLetter(s[num.begin - 2])));
  // Tokenised text splits decimals and fractions ("6 . 2 %", "7 3 / 4 %"): the digits after
  // the point or slash are no number of their own. Real prose puts no space before a point.
  if (phrase < 0 && num.begin >= 2 && !num.chinese) {
    size_t q = num.begin;
    const bool spaced = s[q - 1] == ' ';
    if (spaced) --q;
    const char mark = s[q - 1];
    if ((mark == '.' && spaced && q >= 3 && s[q - 2] == ' ' && IsDigit(s[q - 3])) ||
        (mark == '/' && q >= 2 &&
         (IsDigit(s[q - 2]) || (s[q - 2] == ' ' && q >= 3 && IsDigit(s[q - 3]))))) {
      return false;
    }
  }
  size_t p = num.end;
  if (phrase < 0) {
    // Scale words belong to the number, also for a number model (40k, 1.5 billion).
    PatternList::Hit sc = scales.MatchAt(s, p, true);
    if (sc.found()) {
      part->factor = rules[sc.rule].factor;
      part->scaled = true;
      part->scale_rule = sc.rule;
      p = sc.end;
    }
    if (!numbers_only) {
      part->between = q_between.MatchAt(s, p, false);
      if (part->between.found()) p = part->between.end;
    }
  }
  if (!numbers_only && !(phrase >= 0 && !rules[phrase].unit.empty())) {
    const size_t before_unit = p;
    const bool scaled_before_unit = part->scaled;
    part->unit = units_after.MatchAt(s, p, true);
    if (part->unit.found()) {
      p = part->unit.end;
      if (!part->scaled && phrase < 0) {
        PatternList::Hit sc = scales.MatchAt(s, p, true);  // 75 USD million
        if (sc.found()) {
          part->factor = rules[sc.rule].factor;
          part->scaled = true;
          part->scale_rule = sc.rule;
          p = sc.end;
        }
      }
    } else if (part->between.found()) {
      p = part->between.begin;  // 四百多 with no unit: the 多 is not ours
      part->between = {};
    }
    part->prefix = units_before.MatchBefore(s, num.begin);
    if (part->prefix.found() && part->prefix.begin < floor) part->prefix = {};
    if (part->prefix.found() && part->unit.found()) {
      // "rmb 10 usd 20", "$ 20.00 $ 37.97": a unit followed by a number is that number's
      // prefix, not ours.
      const size_t q = SkipSpaces(s, part->unit.end);
      if (q < s.size() && MayStartNumber(s, q) && !IsAsciiLetter(s[q])) {
        part->unit = {};
        p = before_unit;
        if (!scaled_before_unit) {
          part->scaled = false;
          part->factor = 1;
          part->scale_rule = -1;
        }
      } else if (rules[part->prefix.rule].unit != rules[part->unit.rule].unit) {
        part->prefix = {};
      }
    }
  }
  if (letter_before && !(part->prefix.found() && part->prefix.end == num.begin)) return false;
  const size_t last = part->unit.found() ? part->unit.end : (part->scaled ? p : num.end);
  if (last == num.end && last < s.size() && IsAsciiLetter(s[last]) && !num.english) return false;
  part->stop = p;
  return true;
}

// After a whole amount in a currency with a minor unit: "[and] N [cents]" with 0 < N < 100.
// Without the minor unit word, N must end the clause ("15 dollars 50.") so that "50 dollar
// 50 dollar" stays two amounts. Returns the end of the minor amount, or 0.
size_t FigureRules::Impl::MinorAmount(const NumberSource& src, const Rule& unit, size_t at,
                                      double* cents) const {
  const std::string_view s = src.text;
  size_t q = SkipSpaces(s, at);
  const bool spaced = q != at;
  if (s.size() - q > 4 && (s.substr(q, 4) == "and " || s.substr(q, 4) == "And ")) {
    q = SkipSpaces(s, q + 4);
  } else if (s.size() - q > 3 && (s.substr(q, 3) == "又" || s.substr(q, 3) == "零")) {
    q += 3;  // 两美元又三美分
  }
  if (q >= s.size() || !MayStartNumber(s, q)) return 0;
  const std::optional<ParsedNumber> n = ParseNumber(src, q, nullptr, nullptr);
  if (!n || n->negative || n->decimal || n->vague || n->value <= 0 || n->value >= 100 ||
      n->value != std::floor(n->value)) {
    return 0;
  }
  const size_t r = SkipSpaces(s, n->end);
  const re2::StringPiece w(s.data() + r, ClampForward(s, r, kLookAhead));
  re2::StringPiece m;
  if (unit.minor->Match(w, 0, w.size(), RE2::ANCHOR_START, &m, 1) && !m.empty()) {
    *cents = n->value / 100;
    return r + m.size();
  }
  // Without the minor unit word, only a spaced amount that ends the clause ("15 dollars 50.").
  if (!spaced) return 0;
  if (units_after.MatchAt(s, n->end, true).found() || scales.MatchAt(s, n->end, true).found()) {
    return 0;
  }
  const bool clause_end = r >= s.size() ||
                          std::string_view(".,;!?)").find(s[r]) != std::string_view::npos ||
                          s.substr(r, 4) == "and ";
  if (!clause_end) return 0;
  *cents = n->value / 100;
  return n->end;
}

// The rule that excludes this core (a date, an ordinal, a time), or -1.
int FigureRules::Impl::ExcludedBy(std::string_view text, const Part& part, const std::string& unit,
                                  bool numbers) const {
  if (part.phrase >= 0) return -1;
  const bool integer = IsWhole(part.num);
  for (int i : context_exclusions) {
    const Rule& r = rules[i];
    if (numbers && r.figures_only) continue;
    if (!HasShape(part.num, r.shape, integer)) continue;
    if (!r.unit.empty() && r.unit != unit) continue;
    if (r.after) {
      if (!r.after_first.TestAt(text, part.end)) continue;
      if (r.after_known && !MayBeginAfterSpaces(r.after_prefixes, text, part.end)) continue;
      const re2::StringPiece w(text.data() + part.end, ClampForward(text, part.end, kLookAhead));
      if (!r.after->Match(w, 0, w.size(), RE2::ANCHOR_START, nullptr, 0)) continue;
    }
    if (r.before) {
      if (!r.before_last.TestBefore(text, part.begin)) continue;
      if (r.before_known && !EndsBeforeSpaces(r.before_suffixes, text, part.begin)) continue;
      size_t start = part.begin > kLookBehind ? part.begin - kLookBehind : 0;
      while (start < part.begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
        ++start;
      }
      const re2::StringPiece w(text.data() + start, part.begin - start);
      if (!r.before->Match(w, 0, w.size(), RE2::UNANCHORED, nullptr, 0)) continue;
    }
    return i;
  }
  return -1;
}

std::vector<Figure> FigureRules::Impl::Find(const Article& article, const FigureOptions& options,
                                            std::set<int>* fired) const {
  std::vector<Figure> out;
  AheadSet::Reset();
  // Without a fold (or with a broken map) match on the body itself.
  const bool folded_ok =
      !article.folded.empty() && article.folded_to_body.size() == article.folded.size() + 1;
  const std::string_view text = folded_ok ? article.folded : article.body;
  std::vector<uint32_t> identity;
  const std::vector<uint32_t>* map = &article.folded_to_body;
  if (!folded_ok) {
    identity.resize(text.size() + 1);
    for (size_t i = 0; i <= text.size(); ++i) identity[i] = static_cast<uint32_t>(i);
    map = &identity;
  }
  const bool numbers_only = options.numbers_only;
  const NumberSource src{text, article.body, map, numbers_only};

  // Spans are looked for only once needed: phrases (number cores) at the first character a
  // phrase can start with, exclusions once a figure is about to be reported. Most short
  // texts need neither scan. Either scan covers the whole text, so the spans are the same.
  std::vector<SpanScanner::Span> phrase_spans;
  bool phrases_scanned = numbers_only;
  std::vector<SpanScanner::Span> excluded_spans;
  bool excluded_scanned = false;
  const UnitStartsAt unit_at = [this, &text](size_t p) {
    return units_after.MatchAt(text, p, false).found();
  };
  auto overlaps_exclusion = [&](size_t b, size_t e) -> int {
    if (!excluded_scanned) {
      excluded_spans = excluded.Scan(text);
      excluded_scanned = true;
    }
    auto it = std::lower_bound(excluded_spans.begin(), excluded_spans.end(), b,
                               [](const SpanScanner::Span& s, size_t v) { return s.end <= v; });
    if (it != excluded_spans.end() && it->begin < e) return it->rule;
    return -1;
  };
  // Room for several figures at the first one: one allocation instead of a growth by doubling
  // (a Figure holds strings, moved at each growth).
  auto emit = [&out](Figure&& f) {
    if (out.empty()) out.reserve(8);
    out.push_back(std::move(f));
  };
  auto body_offset = [&](size_t p) -> uint32_t {
    if (p >= text.size()) return static_cast<uint32_t>(article.body.size());
    return std::min<uint32_t>((*map)[p], static_cast<uint32_t>(article.body.size()));
  };

  size_t pos = 0, next_phrase = 0, last_end = 0;
  while (pos < text.size()) {
    if (!phrases_scanned && phrases.MayStartAt(text, pos)) {
      phrase_spans = phrases.Scan(text);
      phrases_scanned = true;
    }
    while (next_phrase < phrase_spans.size() && phrase_spans[next_phrase].begin < pos) {
      ++next_phrase;
    }
    const bool at_phrase = next_phrase < phrase_spans.size() &&
                           phrase_spans[next_phrase].begin == pos &&
                           phrase_spans[next_phrase].rule >= 0;
    if (!at_phrase && !MayStartNumber(text, pos)) {  // most characters: the next one
      const unsigned char lead = static_cast<unsigned char>(text[pos]);
      pos = std::min(pos + (lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4), text.size());
      // Then on, in a tight loop, to the next character where a number may start, the next
      // phrase span or (before the phrase scan) a character a phrase may start with: the
      // same stops as testing each character here.
      const size_t limit =
          next_phrase < phrase_spans.size() ? phrase_spans[next_phrase].begin : text.size();
      if (phrases_scanned) {
        pos = SkipNonNumberStarts(text, pos, limit, [](size_t) { return false; });
      } else {
        pos = SkipNonNumberStarts(text, pos, limit, phrase_stops,
                                  [&](size_t p) { return phrases.MayStartAt(text, p); });
      }
      continue;
    }
    std::optional<ParsedNumber> num;
    int phrase = -1;
    size_t skip = pos;
    if (at_phrase) {
      const SpanScanner::Span& ps = phrase_spans[next_phrase];
      phrase = ps.rule;
      num = ParsedNumber();
      num->begin = ps.begin;
      num->end = ps.end;
      num->value = rules[phrase].value.value_or(0);
      num->vague = !rules[phrase].value.has_value();
    } else {
      num = ParseNumber(src, pos, &unit_at, &skip);
    }
    if (!num) {
      const unsigned char lead = static_cast<unsigned char>(text[pos]);
      const size_t len = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      pos = std::max(std::min(pos + len, text.size()), skip);
      continue;
    }
    Part a;
    if (!ParsePart(src, *num, phrase, numbers_only, last_end, &a)) {
      pos = num->end;
      continue;
    }
    // Numbers only: the numeral itself, as Recognizers-Text's number model reports it.
    if (numbers_only) {
      const size_t end = a.scaled ? a.stop : num->end;
      pos = end;
      // `rules check` (fired) tries every exclusion on bare numbers, figures_only ones too.
      const int ex = ExcludedBy(text, a, "", fired == nullptr);
      const int span_ex = overlaps_exclusion(num->begin, end);
      if (ex >= 0 || span_ex >= 0) {
        if (fired != nullptr) fired->insert(ex >= 0 ? ex : span_ex);
        continue;
      }
      if (num->vague) continue;
      // A lone numeral (一, 两, 十) is a number only before a unit or measure word (一只,
      // 十斤) or standing alone (“五”, 二); inside running text it is mostly part of a word
      // (一切, 统一).
      if (num->lone_char && !a.scaled && !StandsAlone(text, num->begin, num->end)) {
        const PatternList::Hit u = units_after.MatchAt(text, num->end, true);
        if (!u.found() || IsMoneyOrPercent(rules[u.rule].unit)) continue;
      }
      Figure f;
      f.span = {body_offset(num->begin), body_offset(end)};
      f.text = article.body.substr(f.span.begin, f.span.end - f.span.begin);
      f.value = num->value * a.factor;
      emit(std::move(f));
      last_end = end;
      continue;
    }

    // Range: 140万到150万颗, 5-10 年, 5%-20%, $5-10 billion.
    std::optional<Part> b;
    int connector = -1;
    {
      const PatternList::Hit conn = connectors.MatchAt(text, a.stop, true);
      if (conn.found() && phrase < 0 && !num->vague) {
        const size_t q = SkipSpaces(text, conn.end);
        std::optional<ParsedNumber> n2 = q < text.size() && MayStartNumber(text, q)
                                             ? ParseNumber(src, q, &unit_at, nullptr)
                                             : std::nullopt;
        Part p2;
        if (n2 && !n2->negative && !n2->vague && ParsePart(src, *n2, -1, false, 0, &p2)) {
          p2.prefix = {};
          const int u1 = a.unit_rule(), u2 = p2.unit_rule();
          bool compatible;
          if (u1 >= 0 && u2 >= 0) {
            compatible = rules[u1].unit == rules[u2].unit;
          } else if (u2 >= 0) {
            compatible = true;
          } else {
            compatible = u1 >= 0 && !a.unit.found();  // $5-10 billion
          }
          if (compatible) {
            connector = conn.rule;
            b = std::move(p2);
          }
        }
      }
    }
    const int unit_rule = b && b->unit_rule() >= 0 ? b->unit_rule() : a.unit_rule();
    double low = 0, high = 0;
    if (b) {
      // 3到5万 = 30000-50000; $5-10 billion: the first number shares the second's scale.
      double a_value = a.num.value * a.factor;
      if (!a.scaled && a.num.end_scale == 1 && b->scaled) a_value *= b->factor;
      if (!a.scaled && a.num.end_scale == 1 && b->num.end_scale > 1 &&
          a.num.value * b->num.end_scale <= b->num.value) {
        a_value *= b->num.end_scale;
      }
      low = a_value;
      high = b->num.value * b->factor;
      if (!(low < high)) b.reset();
    }
    Part& last = b ? *b : a;
    const size_t end_core = last.stop;
    const bool vague = num->vague;
    // A phrase may fix its unit (近半 = 50 %); otherwise a unit rule gives it.
    const bool phrase_unit = phrase >= 0 && !rules[phrase].unit.empty();
    if (unit_rule < 0 && !phrase_unit) {  // a bare number is not a claim
      pos = std::max(end_core, num->end);
      continue;
    }
    const std::string& unit_code = phrase_unit ? rules[phrase].unit : rules[unit_rule].unit;
    double unit_factor = phrase_unit ? 1.0 : rules[unit_rule].factor;
    // 八折 = 80 % but 75折 = 75 %: some units scale only small numbers; the bound itself
    // (十折) is no amount of that unit.
    if (!phrase_unit && rules[unit_rule].scale_below &&
        std::abs(a.num.value) >= *rules[unit_rule].scale_below) {
      if (a.num.value == *rules[unit_rule].scale_below) {
        pos = std::max(end_core, num->end);
        continue;
      }
      unit_factor = 1.0;
    }
    // Exclusions: dates (2024年, 7月), ordinals (第二), codes, titles, URLs.
    int ex = ExcludedBy(text, a, unit_code);
    if (ex < 0 && b) ex = ExcludedBy(text, *b, unit_code);
    size_t begin = a.prefix.found() ? a.prefix.begin : a.begin;
    size_t end = end_core;
    PatternList::Hit qb = q_before.MatchBefore(text, begin);
    if (qb.found() && qb.begin < last_end) qb = {};
    // 15 dollars 50, thirteen dollars and forty-five cents: the minor unit joins the amount.
    double cents = 0;
    if (!b && unit_rule >= 0 && rules[unit_rule].minor && !a.num.decimal && !a.scaled && !vague) {
      const size_t e = MinorAmount(src, rules[unit_rule], end, &cents);
      if (e != 0) end = e;
    }
    // 一年半, 两米半, 三成半: a fraction word right after the unit adds to the number.
    double addend = 0;
    int addend_rule = -1;
    if (!b && phrase < 0 && !vague && !a.scaled && a.num.end_scale == 1 && a.unit.found() &&
        end == a.unit.end) {
      const PatternList::Hit h = addends.MatchAt(text, end, false);
      if (h.found()) {
        addend = rules[h.rule].value.value_or(0);
        addend_rule = h.rule;
        end = h.end;
      }
    }
    PatternList::Hit qa = q_after.MatchAt(text, end, true);
    if (ex < 0) ex = overlaps_exclusion(begin, end);
    if (ex >= 0) {
      if (fired != nullptr) fired->insert(ex);
      pos = std::max(end, num->end);
      continue;
    }
    Figure f;
    Qualifier q = Qualifier::kNone;
    int q_rule = -1;
    if (qb.found()) {
      q_rule = qb.rule;
    } else if (a.between.found() || (b && b->between.found())) {
      q_rule = a.between.found() ? a.between.rule : b->between.rule;
    } else if (qa.found()) {
      q_rule = qa.rule;
    }
    if (q_rule >= 0) q = rules[q_rule].qualifier;
    if (phrase >= 0 && rules[phrase].qualifier != Qualifier::kNone) q = rules[phrase].qualifier;
    if (q == Qualifier::kNone && num->over) q = Qualifier::kOver;
    if (q == Qualifier::kNone && num->approx) q = Qualifier::kApprox;
    if (q == Qualifier::kNone && b) q = Qualifier::kRange;
    if (vague) q = Qualifier::kVague;
    if (options.qualifier_in_span) {
      if (qb.found()) begin = qb.begin;
      if (qa.found()) end = qa.end;
    }
    if (fired != nullptr) {
      if (unit_rule >= 0) fired->insert(unit_rule);
      if (phrase >= 0) fired->insert(phrase);
      if (addend_rule >= 0) fired->insert(addend_rule);
      if (q_rule >= 0) fired->insert(q_rule);
      if (b && connector >= 0) fired->insert(connector);
      if (a.scale_rule >= 0) fired->insert(a.scale_rule);
      if (b && b->scale_rule >= 0) fired->insert(b->scale_rule);
    }
    if (!vague) {
      if (b) {
        f.value = low * unit_factor;
        f.value_high = high * unit_factor;
      } else {
        f.value = (a.num.value + cents + addend) * a.factor * unit_factor;
      }
    }
    f.unit = unit_code;
    f.qualifier = q;
    f.span = {body_offset(begin), body_offset(end)};
    if (f.span.end < f.span.begin) f.span.end = f.span.begin;
    f.text = article.body.substr(f.span.begin, f.span.end - f.span.begin);
    emit(std::move(f));
    pos = last_end = std::max(end, num->end);
  }
  return out;
}

std::vector<Figure> FigureRules::Find(const Article& article, const FigureOptions& options) const {
  return impl_->Find(article, options, nullptr);
}

std::string FigureRules::CheckExample(const RuleExample& example, const Article& article,
                                      const RuleSet& rules) const {
  const auto it = impl_->by_name.find(example.rule);
  if (it == impl_->by_name.end()) return "no figure rule named '" + example.rule + "'";
  // Exclusions are also tried on bare numbers (numbers_only), where no unit hides them.
  std::set<int> fired;
  const std::vector<Figure> found = impl_->Find(article, FigureOptions(), &fired);
  FigureOptions numbers;
  numbers.numbers_only = true;
  if (impl_->rules[it->second].kind == Kind::kExclude) impl_->Find(article, numbers, &fired);
  const bool hit = fired.count(it->second) > 0;
  if (hit == example.must_match) return "";
  std::string got;
  for (const Figure& f : found) {
    if (!got.empty()) got += ", ";
    got += "'" + f.text + "'";
    if (f.value) got += "=" + std::to_string(*f.value);
    got += " " + f.unit;
    if (f.qualifier != Qualifier::kNone) got += std::string(" ") + QualifierName(f.qualifier);
  }
  if (got.empty()) got = "no figures";
  return (example.must_match ? "rule did not apply to example '"
                             : "rule applied to counter-example '") +
         example.text + "' (found: " + got + ")";
}

}  // namespace newsclaim::extract
