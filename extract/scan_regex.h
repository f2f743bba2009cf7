// Unanchored searches over whole articles with rule patterns that hold long counted
// repetitions ("据([^，。]{0,40}?)报道", "《[^》\n]{0,80}》").
//
// RE2's unanchored DFA tracks every start still in play, so a repetition of a multi-byte
// character class counted up to n makes states for each combination of counts in flight,
// each built the first time the text reaches it: over a run of a hundred news pages the
// state building costs several times the search itself (the cue "据…报道" alone: 80M
// instructions against 19M for the same pattern with `*?`). A ScanRegex searches first
// with the pattern's long counts opened ({m,n} -> {m,}), a superset whose DFA stays small,
// and confirms each candidate start with the exact pattern anchored there. The result is
// exactly that of the exact pattern's unanchored search: the opened pattern matches
// wherever the exact one does, so its leftmost start is never after the exact one's, and
// the exact pattern anchored at a start gives the same match (and groups) as an unanchored
// search that finds its leftmost match there.
#ifndef NEWSCLAIM_EXTRACT_SCAN_REGEX_H_
#define NEWSCLAIM_EXTRACT_SCAN_REGEX_H_

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>

namespace newsclaim::extract {

// Counted repetitions with an upper bound of at least this many are opened.
inline constexpr int kOpenRepetitionsFrom = 8;

// The pattern with every counted repetition {m,n} (n >= min_upper, greedy or lazy) written
// {m,}; escapes (\x{..}, \p{..}, \Q..\E) and character classes are left as they are.
// Returns the pattern unchanged when it has none.
std::string OpenCountedRepetitions(std::string_view pattern, int min_upper = kOpenRepetitionsFrom);

class ScanRegex {
 public:
  // Takes a compiled pattern; builds the opened search pattern (same options, no capture)
  // when opening changes it.
  explicit ScanRegex(std::unique_ptr<RE2> exact);

  const RE2& exact() const { return *exact_; }
  bool opened() const { return opened_ != nullptr; }

  // As exact().Match(text, pos, end, RE2::UNANCHORED, groups, n).
  bool FindFrom(const re2::StringPiece& text, size_t pos, size_t end, re2::StringPiece* groups,
                int n) const;

 private:
  std::unique_ptr<RE2> exact_;
  std::unique_ptr<RE2> opened_;
};

}  // namespace newsclaim::extract

#endif  // NEWSCLAIM_EXTRACT_SCAN_REGEX_H_
