// Attribution: finds who statements are credited to ("据…报导", "X表示", "according to
// X") with the cues, blockers, name trimming, anaphors and kinds of rules/sources.toml,
// and gives each figure the source that governs its sentence, quotation or paragraph.
#include "extract/sources.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/utf8.h"
#include "extract/chips_text.h"
#include "extract/scan_regex.h"

namespace newsclaim::extract {
namespace {

using text::MatchText;

// A NAME longer than this many characters is a clause, not a name.
constexpr size_t kMaxNameChars = 40;
// How far back a NAME before its cue is looked for.
constexpr size_t kMaxScanChars = 60;
// Bytes around a cue's start within which its NAME and its cue words lie (names and
// cues of the shipped rules are far shorter); hits farther apart never overlap.
constexpr uint32_t kReach = 1024;

enum class Table { kCue, kBlock, kTrim, kAnaphor, kKind };

// What an anaphor may point back to.
enum class Target { kOutlet, kOrganisation, kPerson, kAny };

struct Rule {
  std::string name;
  Table table = Table::kCue;
  int index = -1;  // into cues / anaphor targets / kinds
  std::string file;
  int line = 0;
  std::vector<std::string> examples;
  std::vector<std::string> expect;
};

struct Cue {
  std::unique_ptr<RE2> re;          // while the rule is read; then owned by scan
  std::unique_ptr<ScanRegex> scan;  // searches with the pattern (see scan_regex.h)
  int groups = 0;
};

struct KindRule {
  EntityKind kind = EntityKind::kPerson;
  std::vector<std::string> markers;
};

struct Anaphor {
  Target target = Target::kAny;
  int rule = -1;
};

// One attribution found in the text (offsets into the folded text).
struct Hit {
  int cue = -1;  // rule index of the cue
  uint32_t match_b = 0, match_e = 0;
  uint32_t name_b = 0, name_e = 0;  // empty for anaphors
  uint32_t verb_b = 0, verb_e = 0;  // the cue's own words ("表示", "报导" of "据X报导")
  int anaphor = -1;                 // rule index of the anaphor, -1 for a name
  Target target = Target::kAny;
  EntityKind kind = EntityKind::kUnknown;
  bool framing = false;               // opens its paragraph: "据X报道，…", "X表示：…"
  uint32_t quote_b = 0, quote_e = 0;  // quotation the cue introduces or closes, if any
  int source = -1;                    // index into the sources built from the hits
};

struct Scan {
  MatchText mt;
  std::vector<Hit> hits;  // by match_b
  std::vector<Source> sources;
  std::vector<uint32_t> sentence_starts;   // body offsets
  std::vector<uint32_t> paragraph_starts;  // body offsets
};

bool IsOpenBracket(char32_t cp) {
  return cp == '(' || cp == 0xFF08 || cp == '[' || cp == 0x3010 || cp == 0x300A || cp == 0x3008;
}
bool IsCloseBracket(char32_t cp) {
  return cp == ')' || cp == 0xFF09 || cp == ']' || cp == 0x3011 || cp == 0x300B || cp == 0x3009;
}
bool IsOpenQuote(char32_t cp) { return cp == 0x300C || cp == 0x201C || cp == '"' || cp == 0x300E; }
char32_t CloseQuoteOf(char32_t cp) {
  switch (cp) {
    case 0x300C:
      return 0x300D;
    case 0x201C:
      return 0x201D;
    case 0x300E:
      return 0x300F;
    default:
      return '"';
  }
}

// Ends a sentence: 。！？ ! ? newline, and a period before a space.
bool EndsSentence(std::string_view t, size_t after, char32_t cp) {
  return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?' || cp == '\n' ||
         (cp == '.' && (after >= t.size() || t[after] == ' '));
}

// Ends a clause: what a NAME before a cue never crosses.
bool EndsClause(std::string_view t, size_t after, char32_t cp) {
  switch (cp) {
    case ',':
    case 0xFF0C:
    case ';':
    case 0xFF1B:
    case ':':
    case 0xFF1A:
    case 0x3001:
    case 0x300C:
    case 0x300D:
    case 0x300E:
    case 0x300F:
    case 0x201C:
    case 0x201D:
    case '"':
    case 0x2014:
    case 0x2026:
    case '|':
      return true;
    default:
      return EndsSentence(t, after, cp);
  }
}

bool StartsWithFolded(std::string_view s, std::string_view word) {
  if (s.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char a = s[i], b = word[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

std::string Alternation(const std::vector<std::string>& words,
                        const std::vector<std::string>& patterns) {
  std::string out;
  for (const std::string& w : words) {
    out += (out.empty() ? "" : "|") + RE2::QuoteMeta(w);
  }
  for (const std::string& p : patterns) {
    out += (out.empty() ? "(?:" : "|(?:") + p + ")";
  }
  return out;
}

std::unique_ptr<RE2> Compile(const std::string& pattern, bool case_insensitive) {
  RE2::Options opt;
  opt.set_encoding(RE2::Options::EncodingUTF8);
  opt.set_log_errors(false);
  opt.set_case_sensitive(!case_insensitive);
  return std::make_unique<RE2>(pattern, opt);
}

// Whether byte `at` lies inside a 《book title》 opened in the same sentence: cue words
// there are part of a title ("《…市场与预测》").
bool InBookTitle(std::string_view t, size_t at, size_t sentence_start) {
  for (size_t i = at; i > sentence_start;) {
    size_t start = 0;
    char32_t cp = text::DecodeBefore(t, i, &start);
    if (cp == 0x300B) return false;
    if (cp == 0x300A) return true;
    i = start;
  }
  return false;
}

// Finds a quotation that ends right before byte `at` (past spaces and a comma) or at it,
// opened in the same paragraph; sets [*qb, *qe) to it.
void QuoteBefore(std::string_view t, size_t at, size_t para_start, uint32_t* qb, uint32_t* qe) {
  size_t close = std::string_view::npos;
  char32_t close_cp = 0;
  size_t len = 0;
  if (at < t.size()) {
    char32_t cp = text::DecodeAt(t, at, &len);
    if (cp == '"' || cp == 0x201D) {
      close = at;
      close_cp = cp;
    }
  }
  for (size_t i = at; close == std::string_view::npos && i > para_start;) {
    size_t start = 0;
    char32_t cp = text::DecodeBefore(t, i, &start);
    if (cp == 0x300D || cp == 0x201D || cp == 0x300F || cp == '"') {
      close = start;
      close_cp = cp;
    } else if (!text::IsSpace(cp) && cp != ',' && cp != 0xFF0C) {
      break;
    }
    i = start;
  }
  if (close == std::string_view::npos) return;
  const char32_t open_cp = close_cp == 0x300D   ? 0x300C
                           : close_cp == 0x201D ? 0x201C
                           : close_cp == 0x300F ? 0x300E
                                                : '"';
  for (size_t i = close; i > para_start;) {
    size_t start = 0;
    char32_t cp = text::DecodeBefore(t, i, &start);
    if (cp == open_cp) {
      *qb = static_cast<uint32_t>(start);
      *qe = static_cast<uint32_t>(close);
      return;
    }
    i = start;
  }
}

}  // namespace

struct SourceRules::Impl {
  std::vector<Rule> rules;
  std::map<std::string, int> by_name;
  std::vector<Cue> cues;  // parallel to the cue rules, in file order
  std::vector<int> cue_rules;
  std::vector<std::string> block_words, block_patterns;
  std::vector<std::string> leading_words, leading_patterns;
  std::vector<std::string> split_words, split_patterns;
  std::set<std::string> reject;             // AsciiLower
  std::map<std::string, Anaphor> anaphors;  // AsciiLower(word)
  std::vector<KindRule> kinds;
  std::unique_ptr<RE2> block_re, leading_re, split_re;

  bool Blocked(std::string_view t, uint32_t b, uint32_t e) const;
  size_t ClauseStart(std::string_view t, size_t from, size_t sentence_start) const;
  void Trim(std::string_view t, uint32_t* b, uint32_t* e) const;
  // Kind of a NAME; *marker_pos gets where a person's title starts (npos when the kind
  // came from no marker).
  EntityKind KindOf(std::string_view name, bool* by_marker, size_t* title_pos) const;
  // End of the organisation named in t[b, e) before a person's title: just past its last
  // organisation or outlet marker and a bracketed aside after it ("兰德公司（RAND）");
  // b when there is none.
  uint32_t OrganisationEnd(std::string_view t, uint32_t b, uint32_t e) const;
  Scan Run(const Article& article) const;
};

uint32_t SourceRules::Impl::OrganisationEnd(std::string_view t, uint32_t b, uint32_t e) const {
  std::string_view prefix = t.substr(b, e - b);
  size_t end = 0;
  for (const KindRule& k : kinds) {
    if (k.kind == EntityKind::kPerson) continue;
    for (const std::string& marker : k.markers) {
      size_t at = prefix.rfind(marker);
      if (at != std::string_view::npos) end = std::max(end, at + marker.size());
    }
  }
  if (end == 0) return b;
  size_t len = 0;
  if (end < prefix.size() && IsOpenBracket(text::DecodeAt(prefix, end, &len))) {
    int depth = 0;
    for (size_t i = end; i < prefix.size();) {
      char32_t cp = text::DecodeAt(prefix, i, &len);
      i += len;
      if (IsOpenBracket(cp)) ++depth;
      if (IsCloseBracket(cp) && --depth == 0) {
        end = i;
        break;
      }
    }
  }
  return static_cast<uint32_t>(b + end);
}

bool SourceRules::Impl::Blocked(std::string_view t, uint32_t b, uint32_t e) const {
  if (!block_re || e <= b) return false;
  // A blocker may start a few characters before the cue ("一般来说", "据了解").
  size_t from = b;
  for (int i = 0; i < 4 && from > 0; ++i) {
    size_t start = 0;
    text::DecodeBefore(t, from, &start);
    from = start;
  }
  size_t to = std::min(t.size(), static_cast<size_t>(e) + 12);
  re2::StringPiece input(t.data(), to);
  re2::StringPiece m;
  size_t pos = from;
  while (pos < to && block_re->Match(input, pos, to, RE2::UNANCHORED, &m, 1)) {
    size_t mb = static_cast<size_t>(m.data() - t.data());
    size_t me = mb + m.size();
    if (mb < e && me > b) return true;
    if (mb >= e) break;
    size_t len = 0;
    text::DecodeAt(t, mb, &len);
    pos = mb + std::max<size_t>(len, 1);
  }
  return false;
}

// Start of the clause that ends at `from`, skipping over bracketed asides
// ("兰德公司（RAND）研究员"); never before sentence_start or kMaxScanChars back.
size_t SourceRules::Impl::ClauseStart(std::string_view t, size_t from,
                                      size_t sentence_start) const {
  size_t i = from;
  int depth = 0;
  size_t chars = 0;
  while (i > sentence_start) {
    size_t start = 0;
    char32_t cp = text::DecodeBefore(t, i, &start);
    if (IsCloseBracket(cp)) {
      ++depth;
    } else if (IsOpenBracket(cp)) {
      if (depth == 0) break;
      --depth;
    } else if (depth == 0 && EndsClause(t, i, cp)) {
      break;
    }
    if (++chars > kMaxScanChars) return from;  // no boundary: not a name
    i = start;
  }
  return i;
}

void SourceRules::Impl::Trim(std::string_view t, uint32_t* pb, uint32_t* pe) const {
  size_t b = *pb, e = *pe;
  auto skip_spaces = [&]() {
    while (b < e) {
      size_t len = 0;
      if (!text::IsSpace(text::DecodeAt(t, b, &len))) break;
      b += len;
    }
    while (e > b) {
      size_t start = 0;
      if (!text::IsSpace(text::DecodeBefore(t, e, &start))) break;
      e = start;
    }
  };
  for (bool changed = true; changed && b < e;) {
    changed = false;
    skip_spaces();
    std::string_view rest = t.substr(b, e - b);
    for (const std::string& w : leading_words) {
      if (w.size() <= rest.size() && StartsWithFolded(rest, w)) {
        b += w.size();
        changed = true;
        break;
      }
    }
    if (changed || !leading_re) continue;
    re2::StringPiece m;
    re2::StringPiece input(t.data(), e);
    if (leading_re->Match(input, b, e, RE2::ANCHOR_START, &m, 1) && !m.empty() &&
        m.size() < e - b) {
      b += m.size();
      changed = true;
    }
  }
  skip_spaces();
  if (split_re && b < e) {
    size_t len = 0;
    text::DecodeAt(t, b, &len);
    re2::StringPiece input(t.data(), e);
    re2::StringPiece m;
    if (split_re->Match(input, b + len, e, RE2::UNANCHORED, &m, 1)) {
      e = static_cast<size_t>(m.data() - t.data());
    }
  }
  skip_spaces();
  static const std::string_view kDe = "的";
  while (e - b > kDe.size() && t.substr(e - kDe.size(), kDe.size()) == kDe) e -= kDe.size();
  skip_spaces();
  // A title in book or quote marks: 《金融时报》.
  if (e > b) {
    size_t len = 0, start = 0;
    char32_t first = text::DecodeAt(t, b, &len);
    char32_t last = text::DecodeBefore(t, e, &start);
    bool wrapped = (first == 0x300A && last == 0x300B) ||
                   (IsOpenQuote(first) && last == CloseQuoteOf(first) && b + len < start);
    if (wrapped && b + len < start) {
      b += len;
      e = start;
    }
  }
  *pb = static_cast<uint32_t>(b);
  *pe = static_cast<uint32_t>(e);
}

EntityKind SourceRules::Impl::KindOf(std::string_view name, bool* by_marker,
                                     size_t* title_pos) const {
  *by_marker = true;
  *title_pos = std::string_view::npos;
  for (const KindRule& k : kinds) {
    size_t best = std::string_view::npos;
    for (const std::string& marker : k.markers) {
      best = std::min(best, name.find(marker));
    }
    if (best == std::string_view::npos) continue;
    if (k.kind == EntityKind::kPerson) *title_pos = best;
    return k.kind;
  }
  *by_marker = false;
  bool latin_word = !name.empty();
  for (char c : name) {
    latin_word = latin_word && static_cast<unsigned char>(c) < 0x80 && c != ' ';
  }
  return latin_word ? EntityKind::kOrganisation : EntityKind::kPerson;
}

Scan SourceRules::Impl::Run(const Article& article) const {
  Scan s;
  s.mt = MatchText::Folded(article);
  std::string_view t = s.mt.text();

  // Sentences and paragraphs of the matched text.
  std::vector<uint32_t> sent{0}, para{0};
  for (size_t pos = 0; pos < t.size();) {
    size_t len = 0;
    char32_t cp = text::DecodeAt(t, pos, &len);
    pos += len;
    if (pos < t.size() && EndsSentence(t, pos, cp)) sent.push_back(static_cast<uint32_t>(pos));
    if (pos < t.size() && cp == '\n') para.push_back(static_cast<uint32_t>(pos));
  }
  auto start_of = [](const std::vector<uint32_t>& starts, size_t pos) {
    return *(std::upper_bound(starts.begin(), starts.end(), pos) - 1);
  };
  for (uint32_t x : sent) s.sentence_starts.push_back(s.mt.BodyBegin(x));
  for (uint32_t x : para) s.paragraph_starts.push_back(s.mt.BodyBegin(x));

  std::vector<Hit> hits;
  for (size_t ci = 0; ci < cues.size(); ++ci) {
    const Cue& cue = cues[ci];
    re2::StringPiece input(t.data(), t.size());
    re2::StringPiece g[2];
    const int n = cue.groups > 0 ? 2 : 1;
    for (size_t pos = 0; pos < t.size() && cue.scan->FindFrom(input, pos, t.size(), g, n);) {
      const auto mb = static_cast<uint32_t>(g[0].data() - t.data());
      const auto me = static_cast<uint32_t>(mb + g[0].size());
      size_t len = 0;
      text::DecodeAt(t, mb, &len);
      pos = me > mb ? me : mb + std::max<size_t>(len, 1);

      Hit h;
      h.cue = cue_rules[ci];
      h.match_b = mb;
      h.match_e = me;
      const size_t sentence_start = start_of(sent, mb);
      const bool framing_cue = n == 2;
      size_t clause_start;
      std::string_view cue_words;
      if (n == 1) {
        if (Blocked(t, mb, me)) continue;
        // "X发布的报告": a cue before 的 is a relative clause.
        if (t.substr(me, 3) == "的") continue;
        clause_start = ClauseStart(t, mb, sentence_start);
        h.name_b = static_cast<uint32_t>(clause_start);
        h.name_e = mb;
        h.verb_b = mb;
        h.verb_e = me;
      } else {
        const auto gb = g[1].data() ? static_cast<uint32_t>(g[1].data() - t.data()) : me;
        const auto ge = g[1].data() ? static_cast<uint32_t>(gb + g[1].size()) : me;
        if (Blocked(t, mb, gb)) continue;
        clause_start = ClauseStart(t, mb, sentence_start);
        h.name_b = gb;
        h.name_e = ge;
        h.verb_b = ge;
        h.verb_e = me;
        cue_words = t.substr(ge, me - ge);
        if (cue_words.substr(0, 3) == "的") cue_words.remove_prefix(3);
      }
      if (InBookTitle(t, mb, sentence_start)) continue;
      Trim(t, &h.name_b, &h.name_e);
      std::string name = text::AsciiLower(t.substr(h.name_b, h.name_e - h.name_b));
      auto an = anaphors.find(name.empty() ? text::AsciiLower(cue_words) : name);
      if (an != anaphors.end()) {
        h.anaphor = an->second.rule;
        h.target = an->second.target;
        h.name_b = h.name_e = mb;
      } else if (name.empty() || reject.count(name) > 0 ||
                 text::CodePoints(t, h.name_b, h.name_e) > kMaxNameChars ||
                 text::IsAsciiDigit(name[0])) {
        continue;
      }
      // Opens its paragraph when nothing but the cue's clause precedes it in the
      // paragraph and a comma, colon or quotation follows it.
      size_t after = me;
      while (after < t.size() && (t[after] == ' ' || t[after] == '\t')) ++after;
      size_t len2 = 0;
      char32_t next = after < t.size() ? text::DecodeAt(t, after, &len2) : 0;
      bool clause_follows =
          next == ',' || next == 0xFF0C || next == ':' || next == 0xFF1A || IsOpenQuote(next);
      {
        size_t p = start_of(para, mb);
        while (p < clause_start &&
               (t[p] == '\n' || text::IsSpace(static_cast<unsigned char>(t[p]))))
          ++p;
        h.framing = clause_follows && p == clause_start;
      }
      // A quotation right after the cue ("X说：「…」") is X's, however many sentences.
      size_t q = after;
      if (next == ':' || next == 0xFF1A) {
        q = after + len2;
        while (q < t.size() && t[q] == ' ') ++q;
      }
      if (q < t.size()) {
        size_t qlen = 0;
        char32_t open = text::DecodeAt(t, q, &qlen);
        if (IsOpenQuote(open)) {
          std::string close;
          utf8::Append(CloseQuoteOf(open), &close);
          size_t end = t.find(close, q + qlen);
          size_t para_end = t.find('\n', q);
          if (end == std::string_view::npos || end > para_end) end = para_end;
          if (end == std::string_view::npos) end = t.size();
          h.quote_b = static_cast<uint32_t>(q);
          h.quote_e = static_cast<uint32_t>(end);
        }
      }
      // A quotation right before the cue ("「…」他说", "\"…,\" said X") is X's too.
      if (h.quote_e == h.quote_b) {
        QuoteBefore(t, n == 1 ? clause_start : mb, start_of(para, mb), &h.quote_b, &h.quote_e);
      }
      if (h.anaphor < 0) {
        bool by_marker = false;
        size_t title = 0;
        h.kind = KindOf(t.substr(h.name_b, h.name_e - h.name_b), &by_marker, &title);
      }
      // A report ("据X报道，", an outlet's or a continued report's cue) governs the rest
      // of its paragraph; a person's statement only its sentence and its quotation.
      h.framing = h.framing && (framing_cue || h.kind == EntityKind::kOutlet ||
                                (h.anaphor >= 0 && h.target == Target::kOutlet));
      hits.push_back(h);
    }
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const Hit& a, const Hit& b) { return a.match_b < b.match_b; });
  // Hits are compared with their neighbours only: a NAME, a cue and its quotation
  // marks lie within kReach bytes of the cue's start, so the work stays linear.
  auto near = [](const Hit& a, const Hit& b) {
    return a.match_b + kReach >= b.match_b && b.match_b + kReach >= a.match_b;
  };
  // A NAME running over another cue's words is a clause ("他补充说": not "他补充").
  for (size_t i = 0; i < hits.size(); ++i) {
    Hit& h = hits[i];
    if (h.anaphor >= 0) continue;
    for (size_t j = i; j-- > 0 && near(hits[j], h);) {
      if (h.name_b < hits[j].verb_e && hits[j].verb_b < h.name_e) h.cue = -1;
    }
    for (size_t j = i + 1; j < hits.size() && near(hits[j], h); ++j) {
      if (h.name_b < hits[j].verb_e && hits[j].verb_b < h.name_e) h.cue = -1;
    }
  }
  hits.erase(std::remove_if(hits.begin(), hits.end(), [](const Hit& h) { return h.cue < 0; }),
             hits.end());
  // Two cues may find the same NAME ("据X估计": 据…估计 and …估计): keep the first.
  for (const Hit& h : hits) {
    bool clash = false;
    for (size_t j = s.hits.size(); j-- > 0 && near(s.hits[j], h);) {
      const Hit& k = s.hits[j];
      if (h.anaphor >= 0 && k.anaphor >= 0 && h.match_b < k.match_e && k.match_b < h.match_e) {
        clash = true;
      }
      if (h.anaphor < 0 && k.anaphor < 0 && h.name_b < k.name_e && k.name_b < h.name_e) {
        clash = true;
      }
      // An anaphor inside a cue already read as a name ("美媒报道称": 称 after 报道).
      if (h.anaphor >= 0 && k.anaphor < 0 && h.match_b >= k.name_b && h.match_b < k.match_e) {
        clash = true;
      }
    }
    if (!clash) s.hits.push_back(h);
  }
  // Sources: every named hit, plus the organisation before a person's title.
  for (Hit& h : s.hits) {
    if (h.anaphor >= 0) continue;
    std::string_view name = t.substr(h.name_b, h.name_e - h.name_b);
    Source src;
    src.span = s.mt.ToBody(h.name_b, h.name_e);
    src.name = article.body.substr(src.span.begin, src.span.end - src.span.begin);
    src.kind = h.kind;
    h.source = static_cast<int>(s.sources.size());
    s.sources.push_back(src);
    bool by_marker = false;
    size_t title = 0;
    if (KindOf(name, &by_marker, &title) == EntityKind::kPerson &&
        title != std::string_view::npos && title > 0) {
      uint32_t ob = h.name_b, oe = OrganisationEnd(t, h.name_b, h.name_b + title);
      Trim(t, &ob, &oe);
      bool org_marker = false;
      size_t unused = 0;
      EntityKind ok = KindOf(t.substr(ob, oe - ob), &org_marker, &unused);
      if (oe > ob && org_marker && ok != EntityKind::kPerson) {
        Source org;
        org.span = s.mt.ToBody(ob, oe);
        org.name = article.body.substr(org.span.begin, org.span.end - org.span.begin);
        org.kind = ok;
        s.sources.push_back(org);
      }
    }
  }
  return s;
}

SourceRules::SourceRules() : impl_(std::make_unique<Impl>()) {}
SourceRules::~SourceRules() = default;

std::vector<std::string> SourceRules::Keys() const {
  return {"source_cue", "source_block", "source_trim", "source_anaphor", "source_kind"};
}

bool SourceRules::AddEntry(const std::string& key, const toml::table& entry, Diagnostics& diag) {
  Impl& m = *impl_;
  text::TableReader r(entry, diag);
  Rule rule;
  rule.file = diag.file();
  rule.line = r.line();
  std::optional<std::string> name = r.String("name", true);
  rule.examples = r.Strings("examples");
  r.Strings("counter_examples");
  rule.expect = r.Strings("expect");
  // `expect` may hold "" (any source): read it leniently.
  if (const toml::node* n = entry.get("expect"); n && n->as_array()) {
    rule.expect.clear();
    for (const toml::node& el : *n->as_array()) {
      rule.expect.push_back(el.value<std::string>().value_or(""));
    }
  }
  bool ok = true;
  if (rule.expect.size() > rule.examples.size()) {
    diag.Add(rule.line, "'expect' has more entries than 'examples'");
    ok = false;
  }
  auto compile_all = [&](const std::vector<std::string>& patterns, const char* field) {
    for (const std::string& p : patterns) {
      std::unique_ptr<RE2> re = Compile(p, false);
      if (!re->ok()) {
        diag.Add(rule.line, std::string("bad regex in '") + field + "': " + re->error() + " (at '" +
                                re->error_arg() + "')");
        ok = false;
      }
    }
  };
  Cue cue;
  Anaphor anaphor;
  KindRule kind;
  std::vector<std::string> words, bw, bp, lw, lp, sw, sp, rj;
  if (key == "source_cue") {
    rule.table = Table::kCue;
    std::optional<std::string> pattern = r.String("pattern", true);
    if (pattern) {
      cue.re = Compile(*pattern, false);
      if (!cue.re->ok()) {
        diag.Add(rule.line, "bad regex in 'pattern': " + cue.re->error() + " (at '" +
                                cue.re->error_arg() + "')");
        ok = false;
      } else if (cue.re->NumberOfCapturingGroups() > 1) {
        diag.Add(rule.line, "'pattern' may have at most one capturing group (the name)");
        ok = false;
      } else {
        cue.groups = cue.re->NumberOfCapturingGroups();
        cue.scan = std::make_unique<ScanRegex>(std::move(cue.re));
      }
    } else {
      ok = false;
    }
  } else if (key == "source_block") {
    rule.table = Table::kBlock;
    bw = r.Strings("words");
    bp = r.Strings("patterns");
    compile_all(bp, "patterns");
  } else if (key == "source_trim") {
    rule.table = Table::kTrim;
    lw = r.Strings("leading");
    lp = r.Strings("leading_patterns");
    sw = r.Strings("split");
    sp = r.Strings("split_patterns");
    rj = r.Strings("reject");
    compile_all(lp, "leading_patterns");
    compile_all(sp, "split_patterns");
  } else if (key == "source_anaphor") {
    rule.table = Table::kAnaphor;
    words = r.Strings("words");
    std::optional<std::string> to = r.String("refers_to", true);
    if (!to) {
      ok = false;
    } else if (*to == "outlet") {
      anaphor.target = Target::kOutlet;
    } else if (*to == "organisation") {
      anaphor.target = Target::kOrganisation;
    } else if (*to == "person") {
      anaphor.target = Target::kPerson;
    } else if (*to == "any") {
      anaphor.target = Target::kAny;
    } else {
      diag.Add(rule.line, "'refers_to' must be outlet, organisation, person or any");
      ok = false;
    }
    if (words.empty()) {
      diag.Add(rule.line, "[[source_anaphor]] needs a non-empty 'words' array");
      ok = false;
    }
  } else if (key == "source_kind") {
    rule.table = Table::kKind;
    kind.markers = r.Strings("markers");
    std::optional<std::string> k = r.String("kind", true);
    if (!k) {
      ok = false;
    } else if (*k == "person") {
      kind.kind = EntityKind::kPerson;
    } else if (*k == "organisation") {
      kind.kind = EntityKind::kOrganisation;
    } else if (*k == "outlet") {
      kind.kind = EntityKind::kOutlet;
    } else {
      diag.Add(rule.line, "'kind' must be person, organisation or outlet");
      ok = false;
    }
    if (kind.markers.empty()) {
      diag.Add(rule.line, "[[source_kind]] needs a non-empty 'markers' array");
      ok = false;
    }
  } else {
    diag.Add(rule.line, "not a source table: [[" + key + "]]");
    return false;
  }
  ok = r.Finish() && ok && name.has_value();
  if (name && m.by_name.count(*name) > 0) {
    diag.Add(rule.line, "source rule '" + *name + "' is defined twice");
    ok = false;
  }
  if (!ok) return false;
  rule.name = *name;
  const int rule_index = static_cast<int>(m.rules.size());
  switch (rule.table) {
    case Table::kCue:
      rule.index = static_cast<int>(m.cues.size());
      m.cues.push_back(std::move(cue));
      m.cue_rules.push_back(rule_index);
      break;
    case Table::kBlock:
      m.block_words.insert(m.block_words.end(), bw.begin(), bw.end());
      m.block_patterns.insert(m.block_patterns.end(), bp.begin(), bp.end());
      break;
    case Table::kTrim:
      m.leading_words.insert(m.leading_words.end(), lw.begin(), lw.end());
      m.leading_patterns.insert(m.leading_patterns.end(), lp.begin(), lp.end());
      m.split_words.insert(m.split_words.end(), sw.begin(), sw.end());
      m.split_patterns.insert(m.split_patterns.end(), sp.begin(), sp.end());
      for (const std::string& w : rj) m.reject.insert(text::AsciiLower(w));
      break;
    case Table::kAnaphor:
      anaphor.rule = rule_index;
      for (const std::string& w : words) m.anaphors[text::AsciiLower(w)] = anaphor;
      break;
    case Table::kKind:
      rule.index = static_cast<int>(m.kinds.size());
      m.kinds.push_back(std::move(kind));
      break;
  }
  m.by_name[rule.name] = rule_index;
  m.rules.push_back(std::move(rule));
  return true;
}

void SourceRules::Finalize(std::vector<RuleDiagnostic>* out) {
  Impl& m = *impl_;
  // Longest leading word first, so "但是" goes before "但".
  std::stable_sort(m.leading_words.begin(), m.leading_words.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  auto build = [&](const std::vector<std::string>& words, const std::vector<std::string>& pats,
                   bool case_insensitive, const char* what) -> std::unique_ptr<RE2> {
    std::string alt = Alternation(words, pats);
    if (alt.empty()) return nullptr;
    std::unique_ptr<RE2> re = Compile(alt, case_insensitive);
    if (!re->ok()) {
      std::string file = m.rules.empty() ? std::string() : m.rules.front().file;
      out->push_back({file, 0, std::string(what) + " do not compile: " + re->error()});
      return nullptr;
    }
    return re;
  };
  m.block_re = build(m.block_words, m.block_patterns, true, "source_block words");
  m.leading_re = build({}, m.leading_patterns, false, "source_trim leading_patterns");
  m.split_re = build(m.split_words, m.split_patterns, true, "source_trim split words");
}

namespace {

// The scan's sources sorted by span (longest first among equal starts), each span once.
std::vector<Source> SortedSources(std::vector<Source> out) {
  std::stable_sort(out.begin(), out.end(), [](const Source& a, const Source& b) {
    return a.span.begin != b.span.begin ? a.span.begin < b.span.begin : a.span.end > b.span.end;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Source& a, const Source& b) { return a.span == b.span; }),
            out.end());
  return out;
}

}  // namespace

std::vector<Source> SourceRules::Find(const Article& article) const {
  return SortedSources(impl_->Run(article).sources);
}

namespace {

// The hits with the source each stands for (index into sources, or -1).
std::vector<std::pair<const Hit*, int>> Resolve(Scan& s, const std::vector<Source>& sources) {
  std::map<std::pair<uint32_t, uint32_t>, int> by_span;
  for (size_t i = 0; i < sources.size(); ++i) {
    by_span.emplace(std::make_pair(sources[i].span.begin, sources[i].span.end),
                    static_cast<int>(i));
  }
  // Hits point at the caller's sources; anaphors at the source they continue.
  std::vector<EntityKind> kinds;
  for (const Source& src : sources) kinds.push_back(src.kind);
  for (Hit& h : s.hits) {
    if (h.source < 0) continue;
    const Source& own = s.sources[h.source];
    auto it = by_span.find({own.span.begin, own.span.end});
    h.source = it == by_span.end() ? -1 : it->second;
  }
  // The last source of each kind so far, for anaphors ("报道指出" -> the last outlet).
  int last_outlet = -1, last_org = -1, last_person = -1, last_any = -1;
  std::vector<std::pair<const Hit*, int>> out;
  for (Hit& h : s.hits) {
    if (h.anaphor >= 0) {
      switch (h.target) {
        case Target::kOutlet:
          h.source = last_outlet >= 0 ? last_outlet : last_org;
          break;
        case Target::kOrganisation:
          h.source = last_org;
          break;
        case Target::kPerson:
          h.source = last_person;
          break;
        case Target::kAny:
          h.source = last_any;
          break;
      }
    }
    if (h.source >= 0) {
      last_any = h.source;
      switch (kinds[h.source]) {
        case EntityKind::kOutlet:
          last_outlet = h.source;
          break;
        case EntityKind::kOrganisation:
          last_org = h.source;
          break;
        case EntityKind::kPerson:
          last_person = h.source;
          break;
        case EntityKind::kUnknown:
          break;
      }
    }
    out.emplace_back(&h, h.source);
  }
  return out;
}

}  // namespace

namespace {

// Attribute's work on a scan of the article (s.hits resolved against sources).
void AttributeScan(Scan& s, const std::vector<Source>& sources, std::vector<Figure>* figures) {
  std::vector<std::pair<const Hit*, int>> resolved = Resolve(s, sources);
  auto index_of = [](const std::vector<uint32_t>& starts, uint32_t pos) {
    return static_cast<int>(std::upper_bound(starts.begin(), starts.end(), pos) - starts.begin()) -
           1;
  };
  // The attributing hits in text order, with where they sit in the body.
  struct Cue {
    uint32_t at;
    int sentence, paragraph, source;
    bool framing;
    Span quote;
  };
  std::vector<Cue> cues;
  for (const auto& [h, src] : resolved) {
    if (src < 0) continue;
    Cue c;
    c.at = s.mt.BodyBegin(h->match_b);
    c.sentence = index_of(s.sentence_starts, c.at);
    c.paragraph = index_of(s.paragraph_starts, c.at);
    c.source = src;
    c.framing = h->framing;
    c.quote = h->quote_e > h->quote_b ? s.mt.ToBody(h->quote_b, h->quote_e) : Span{};
    cues.push_back(c);
  }
  // last_framing[i]: the last framing cue among cues[0..i], or -1.
  std::vector<int> last_framing(cues.size(), -1);
  for (size_t i = 0; i < cues.size(); ++i) {
    last_framing[i] = cues[i].framing ? static_cast<int>(i) : i > 0 ? last_framing[i - 1] : -1;
  }
  // A quotation is looked for among this many cues on either side of a figure.
  constexpr int kQuoteNeighbours = 16;
  for (Figure& f : *figures) {
    f.source = -1;
    const uint32_t at = f.span.begin;
    const int sentence = index_of(s.sentence_starts, at);
    const int paragraph = index_of(s.paragraph_starts, at);
    // k: the last cue at or before the figure.
    const int k =
        static_cast<int>(std::upper_bound(cues.begin(), cues.end(), at,
                                          [](uint32_t v, const Cue& c) { return v < c.at; }) -
                         cues.begin()) -
        1;
    // The sentence's own cue: the nearest before the figure, else the first after it.
    if (k >= 0 && cues[k].sentence == sentence) {
      f.source = cues[k].source;
      continue;
    }
    if (k + 1 < static_cast<int>(cues.size()) && cues[k + 1].sentence == sentence) {
      f.source = cues[k + 1].source;
      continue;
    }
    // A quotation the cue introduces or closes.
    int quoted = -1;
    for (int j = std::max(0, k - kQuoteNeighbours);
         j < static_cast<int>(cues.size()) && j <= k + kQuoteNeighbours; ++j) {
      const Cue& c = cues[j];
      if (c.paragraph == paragraph && c.quote.begin <= at && at < c.quote.end) quoted = j;
    }
    if (quoted >= 0) {
      f.source = cues[quoted].source;
      continue;
    }
    // The report that opens the paragraph.
    const int fr = k >= 0 ? last_framing[k] : -1;
    if (fr >= 0 && cues[fr].paragraph == paragraph) f.source = cues[fr].source;
  }
}

}  // namespace

void SourceRules::Attribute(const Article& article, const std::vector<Source>& sources,
                            std::vector<Figure>* figures) const {
  Scan s = impl_->Run(article);
  AttributeScan(s, sources, figures);
}

std::vector<Source> SourceRules::FindAndAttribute(const Article& article,
                                                  std::vector<Figure>* figures) const {
  Scan s = impl_->Run(article);
  std::vector<Source> sources = SortedSources(s.sources);
  AttributeScan(s, sources, figures);
  return sources;
}

std::string SourceRules::CheckExample(const RuleExample& example, const Article& article,
                                      const RuleSet& rules) const {
  const Impl& m = *impl_;
  auto it = m.by_name.find(example.rule);
  if (it == m.by_name.end()) return "no source rule named '" + example.rule + "'";
  const Rule& rule = m.rules[it->second];
  std::string expect;
  for (size_t i = 0; i < rule.examples.size() && i < rule.expect.size(); ++i) {
    if (rule.examples[i] == example.text) expect = rule.expect[i];
  }
  const std::vector<Source> sources = Find(article);
  Scan s = m.Run(article);
  std::vector<std::pair<const Hit*, int>> resolved = Resolve(s, sources);
  MatchText folded = MatchText::Folded(article);
  // What the rule yields here: (source name as written, its folded text, kind).
  struct Yield {
    std::string name, folded;
    EntityKind kind;
  };
  std::vector<Yield> yields;
  auto add = [&](int src) {
    const Source& x = sources[src];
    std::string f;
    for (uint32_t i = 0; i < folded.text().size(); ++i) {
      uint32_t b = folded.BodyBegin(i);
      if (b >= x.span.begin && b < x.span.end) f += folded.text()[i];
    }
    yields.push_back({x.name, f, x.kind});
  };
  for (const auto& [h, src] : resolved) {
    if (src < 0) continue;
    if (rule.table == Table::kCue && h->cue != it->second) continue;
    if (rule.table == Table::kAnaphor && h->anaphor != it->second) continue;
    add(src);
  }
  if (rule.table == Table::kBlock || rule.table == Table::kTrim || rule.table == Table::kKind) {
    yields.clear();
    for (size_t i = 0; i < sources.size(); ++i) add(static_cast<int>(i));
  }
  if (rule.table == Table::kKind) {
    const EntityKind want = m.kinds[rule.index].kind;
    yields.erase(std::remove_if(yields.begin(), yields.end(),
                                [&](const Yield& y) { return y.kind != want; }),
                 yields.end());
  }
  std::string listed;
  for (const Yield& y : yields) listed += (listed.empty() ? "" : ", ") + y.name;
  if (listed.empty()) listed = "no source";
  if (!example.must_match) {
    if (yields.empty()) return std::string();
    return "did not expect a source in \"" + example.text + "\", found " + listed;
  }
  for (const Yield& y : yields) {
    if (expect.empty() || y.name.find(expect) != std::string::npos ||
        y.folded.find(expect) != std::string::npos) {
      return std::string();
    }
  }
  return "expected a source" + (expect.empty() ? std::string() : " with '" + expect + "'") +
         " in \"" + example.text + "\", found " + listed;
}

size_t SourceRules::size() const { return impl_->rules.size(); }

}  // namespace newsclaim::extract
