// The chip gazetteer: compiles every vendor, family, chip, context and ignore alias of
// rules/chips.toml into one leftmost-longest RE2 and turns its matches into chip
// mentions (see the header of rules/chips.toml for what the tables mean).
#include "extract/chips.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "extract/chips_text.h"

namespace newsclaim::extract {
namespace {

using text::MatchText;

enum class Kind { kVendor, kPrefix, kFamily, kChip, kContext, kIgnore };

// Characters of a weak alias and its nearest chip context may be this far apart when
// they are not in the same sentence.
constexpr size_t kContextWindow = 12;
// Tokens looked at on either side of a weak alias when looking for its context.
constexpr size_t kMaxContextTokens = 64;
// Bytes of spaces or hyphens allowed between a vendor/family name and a model number
// for them to read as one name ("Ascend 910C", "MTT S4000").
constexpr size_t kMaxChainGap = 3;

struct Alias {
  Kind kind = Kind::kChip;
  int entry = -1;            // index into the table of its kind
  bool weak = false;         // needs chip context or a vendor/family name right before it
  bool digits_only = false;  // needs its own family name right before it
  bool exact_case = false;
  std::string spelling;  // as written in the rule file
};

struct Entry {
  std::string name;
  std::string file;
  int line = 0;
  std::string vendor_name;  // families and chips
  std::string family_name;  // chips
  int vendor = -1;
  int family = -1;
  bool report = true;  // families
  std::vector<std::string> examples;
};

// Drops spaces; lower-cases ASCII when fold_case.
std::string Compact(std::string_view s, bool fold_case) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t len = 0;
    char32_t cp = text::DecodeAt(s, pos, &len);
    if (!text::IsSpace(cp) && cp != '\n') out.append(s.substr(pos, len));
    pos += len;
  }
  return fold_case ? text::AsciiLower(out) : out;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return text::IsAsciiDigit(c); });
}

bool AllDigits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return text::IsAsciiDigit(c); });
}

// A regex for one alias: spaces optional, and an optional space wherever Chinese meets
// Latin letters or digits ("昇腾 910C" is written both ways).
std::string AliasPattern(std::string_view alias, bool exact_case) {
  static const char kOptSpace[] = "[ \\t\\x{00A0}\\x{3000}]{0,2}";
  std::string out = exact_case ? "(?:" : "(?i:";
  size_t pos = 0;
  int prev = 0;  // 0 start, 1 Han, 2 ASCII alnum, 3 other
  bool pending_space = false;
  while (pos < alias.size()) {
    size_t len = 0;
    char32_t cp = text::DecodeAt(alias, pos, &len);
    std::string_view ch = alias.substr(pos, len);
    pos += len;
    if (text::IsSpace(cp)) {
      pending_space = true;
      continue;
    }
    int cls = text::IsHan(cp) ? 1 : (cp < 0x80 && text::IsAsciiAlnum(cp)) ? 2 : 3;
    if (prev != 0 && (pending_space || (prev == 1 && cls == 2) || (prev == 2 && cls == 1))) {
      out += kOptSpace;
    }
    pending_space = false;
    out += RE2::QuoteMeta(re2::StringPiece(ch.data(), ch.size()));
    prev = cls;
  }
  out += ")";
  return out;
}

struct Token {
  uint32_t b = 0;
  uint32_t e = 0;
  std::vector<int> aliases;  // every alias spelled like the match (same kind first)
  Kind kind = Kind::kContext;
  int sentence = 0;
  bool consumed = false;  // part of a longer name (vendor/family before a model)
};

struct Candidate {
  Span span;  // into body
  Kind kind = Kind::kChip;
  int entry = -1;
  bool accepted = false;
};

}  // namespace

struct ChipRules::Impl {
  std::vector<Entry> vendors, families, chips, contexts, ignores;
  std::vector<Alias> aliases;
  std::unordered_map<std::string, std::vector<int>> by_key;  // Compact(alias, true)
  std::map<std::string, std::pair<Kind, int>> by_name;
  std::unique_ptr<RE2> re;

  std::vector<Entry>& Table(Kind k) {
    switch (k) {
      case Kind::kVendor:
      case Kind::kPrefix:
        return vendors;
      case Kind::kFamily:
        return families;
      case Kind::kChip:
        return chips;
      case Kind::kContext:
        return contexts;
      case Kind::kIgnore:
        break;
    }
    return ignores;
  }

  void AddAlias(Kind kind, int entry, const std::string& spelling, bool weak) {
    Alias a;
    a.kind = kind;
    a.entry = entry;
    a.weak = weak;
    a.digits_only = weak && AllDigits(Compact(spelling, false));
    a.exact_case = (kind == Kind::kFamily || kind == Kind::kChip) && !HasDigit(spelling);
    a.spelling = spelling;
    aliases.push_back(std::move(a));
  }

  int VendorOf(const Alias& a) const {
    switch (a.kind) {
      case Kind::kVendor:
      case Kind::kPrefix:
        return a.entry;
      case Kind::kFamily:
        return families[a.entry].vendor;
      case Kind::kChip:
        return chips[a.entry].vendor;
      default:
        return -1;
    }
  }

  std::vector<Token> Tokenize(std::string_view t) const;
  bool Resolve(std::string_view t, size_t b, size_t e, Token* tok) const;
  std::vector<Candidate> Candidates(const MatchText& mt) const;
  std::string CanonicalOf(const Candidate& c) const {
    return c.kind == Kind::kChip ? chips[c.entry].name : families[c.entry].name;
  }
  std::string VendorNameOf(const Candidate& c) const {
    int v = c.kind == Kind::kChip ? chips[c.entry].vendor : families[c.entry].vendor;
    return v >= 0 ? vendors[v].name : std::string();
  }
};

// Finds the alias spelled by t[b, e) (or by its longest prefix that is one) whose
// Latin letters and digits do not run into the surrounding text.
bool ChipRules::Impl::Resolve(std::string_view t, size_t b, size_t e, Token* tok) const {
  if (text::IsAsciiAlnum(t[b]) && b > 0 && text::IsAsciiAlnum(t[b - 1])) return false;
  for (size_t end = e; end > b;) {
    size_t trimmed = end;
    while (trimmed > b) {
      size_t start = 0;
      char32_t cp = text::DecodeBefore(t, trimmed, &start);
      if (!text::IsSpace(cp)) break;
      trimmed = start;
    }
    std::string_view m = t.substr(b, trimmed - b);
    bool end_ok = true;
    if (trimmed > b && text::IsAsciiAlnum(t[trimmed - 1]) && trimmed < t.size() &&
        text::IsAsciiAlnum(t[trimmed])) {
      // An English plural ("H100s") is the only letter allowed to follow.
      end_ok =
          t[trimmed] == 's' && (trimmed + 1 == t.size() || !text::IsAsciiAlnum(t[trimmed + 1]));
    }
    if (end_ok && !m.empty()) {
      auto it = by_key.find(Compact(m, true));
      if (it != by_key.end()) {
        std::string exact = Compact(m, false);
        tok->aliases.clear();
        for (int id : it->second) {
          const Alias& a = aliases[id];
          if (a.exact_case && Compact(a.spelling, false) != exact) continue;
          tok->aliases.push_back(id);
        }
        if (!tok->aliases.empty()) {
          tok->b = static_cast<uint32_t>(b);
          tok->e = static_cast<uint32_t>(trimmed);
          // Ignore phrases hide everything; otherwise the kind of the first alias.
          tok->kind = aliases[tok->aliases.front()].kind;
          for (int id : tok->aliases) {
            if (aliases[id].kind == Kind::kIgnore) tok->kind = Kind::kIgnore;
          }
          return true;
        }
      }
    }
    size_t start = 0;
    text::DecodeBefore(t, end, &start);
    end = start;
  }
  return false;
}

std::vector<Token> ChipRules::Impl::Tokenize(std::string_view t) const {
  std::vector<Token> tokens;
  if (!re) return tokens;
  re2::StringPiece input(t.data(), t.size());
  re2::StringPiece m;
  size_t pos = 0;
  while (pos < t.size() && re->Match(input, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
    size_t b = static_cast<size_t>(m.data() - t.data());
    size_t e = b + m.size();
    Token tok;
    if (e > b && Resolve(t, b, e, &tok)) {
      tokens.push_back(std::move(tok));
      pos = tokens.back().e;
    } else {
      size_t len = 0;
      text::DecodeAt(t, b, &len);
      pos = b + std::max<size_t>(len, 1);
    }
  }
  // Sentence numbers, splitting where news text ends sentences.
  int sentence = 0;
  size_t pos2 = 0;
  for (Token& tok : tokens) {
    while (pos2 < tok.b) {
      size_t len = 0;
      char32_t cp = text::DecodeAt(t, pos2, &len);
      pos2 += len;
      bool end = cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?' ||
                 cp == '\n' || (cp == '.' && (pos2 >= t.size() || t[pos2] == ' '));
      if (end) ++sentence;
    }
    tok.sentence = sentence;
  }
  return tokens;
}

std::vector<Candidate> ChipRules::Impl::Candidates(const MatchText& mt) const {
  std::string_view t = mt.text();
  std::vector<Token> tokens = Tokenize(t);
  std::vector<Candidate> out;

  auto adjacent = [&](const Token& a, const Token& b) {
    if (b.b < a.e || b.b - a.e > kMaxChainGap + 4) return false;
    std::string_view gap = t.substr(a.e, b.b - a.e);
    // An English possessive reads as one name: "Nvidia's H20".
    for (std::string_view s : {"'s ", "\xE2\x80\x99s "}) {
      if (gap == s) return true;
    }
    if (gap.size() > kMaxChainGap) return false;
    for (size_t i = a.e; i < b.b;) {
      size_t len = 0;
      char32_t cp = text::DecodeAt(t, i, &len);
      if (!text::IsSpace(cp) && cp != '-') return false;
      i += len;
    }
    return true;
  };
  auto is_name = [](Kind k) { return k == Kind::kVendor || k == Kind::kPrefix; };
  // Whether a chip word, vendor, family or unambiguous chip is near token i.
  auto has_context = [&](size_t i) {
    const Token& ti = tokens[i];
    auto counts = [&](const Token& tj) {
      if (tj.kind == Kind::kContext || tj.kind == Kind::kVendor || tj.kind == Kind::kPrefix ||
          tj.kind == Kind::kFamily) {
        return true;
      }
      if (tj.kind != Kind::kChip) return false;
      for (int id : tj.aliases) {
        if (aliases[id].kind == Kind::kChip && !aliases[id].weak) return true;
      }
      return false;
    };
    for (size_t j = i; j-- > 0 && i - j <= kMaxContextTokens;) {
      const Token& tj = tokens[j];
      bool near = tj.sentence == ti.sentence || text::CodePoints(t, tj.e, ti.b) <= kContextWindow;
      if (!near) break;
      if (counts(tj)) return true;
    }
    for (size_t j = i + 1; j < tokens.size() && j - i <= kMaxContextTokens; ++j) {
      const Token& tj = tokens[j];
      bool near = tj.sentence == ti.sentence || text::CodePoints(t, ti.e, tj.b) <= kContextWindow;
      if (!near) break;
      if (counts(tj)) return true;
    }
    return false;
  };
  // Vendors and families named right before token i: their tokens and entries.
  struct Chain {
    size_t first;
    std::set<int> vendors;
    std::set<int> families;
  };
  auto chain_before = [&](size_t i, bool families_too) {
    Chain c{i, {}, {}};
    for (size_t k = i; k-- > 0;) {
      const Token& tk = tokens[k];
      bool name = is_name(tk.kind) || (families_too && tk.kind == Kind::kFamily);
      if (!name || tk.consumed || !adjacent(tk, tokens[c.first])) break;
      for (int id : tk.aliases) {
        const Alias& a = aliases[id];
        if (a.kind == Kind::kFamily) c.families.insert(a.entry);
        int v = VendorOf(a);
        if (v >= 0) c.vendors.insert(v);
      }
      c.first = k;
    }
    return c;
  };

  // Chips first: a model number takes the vendor and family names right before it.
  for (size_t i = 0; i < tokens.size(); ++i) {
    Token& tok = tokens[i];
    if (tok.kind != Kind::kChip) continue;
    Chain chain = chain_before(i, true);
    int best = -1;
    bool prefixed = false;
    for (int id : tok.aliases) {
      const Alias& a = aliases[id];
      if (a.kind != Kind::kChip) continue;
      const Entry& chip = chips[a.entry];
      bool own_prefix = a.digits_only ? chain.families.count(chip.family) > 0
                                      : chain.vendors.count(chip.vendor) > 0;
      if (own_prefix) {
        best = id;
        prefixed = true;
        break;
      }
      if (!a.digits_only && best < 0) best = id;
    }
    if (best < 0) continue;
    const Alias& a = aliases[best];
    Candidate c;
    c.kind = Kind::kChip;
    c.entry = a.entry;
    c.accepted = !a.weak || prefixed || has_context(i);
    size_t first = prefixed ? chain.first : i;
    for (size_t k = first; k < i; ++k) tokens[k].consumed = true;
    c.span = mt.ToBody(tokens[first].b, tok.e);
    out.push_back(c);
  }
  // Then families not already part of a chip's name.
  for (size_t i = 0; i < tokens.size(); ++i) {
    Token& tok = tokens[i];
    if (tok.kind != Kind::kFamily || tok.consumed) continue;
    const Alias& a = aliases[tok.aliases.front()];
    const Entry& fam = families[a.entry];
    if (!fam.report) continue;
    Chain chain = chain_before(i, false);
    bool prefixed = chain.vendors.count(fam.vendor) > 0;
    Candidate c;
    c.kind = Kind::kFamily;
    c.entry = a.entry;
    c.accepted = !a.weak || prefixed || has_context(i);
    size_t first = prefixed ? chain.first : i;
    c.span = mt.ToBody(tokens[first].b, tok.e);
    out.push_back(c);
  }
  return out;
}

ChipRules::ChipRules() : impl_(std::make_unique<Impl>()) {}
ChipRules::~ChipRules() = default;

std::vector<std::string> ChipRules::Keys() const {
  return {"chip_vendor", "chip_family", "chip", "chip_context", "chip_ignore"};
}

bool ChipRules::AddEntry(const std::string& key, const toml::table& entry, Diagnostics& diag) {
  Kind kind;
  if (key == "chip_vendor") {
    kind = Kind::kVendor;
  } else if (key == "chip_family") {
    kind = Kind::kFamily;
  } else if (key == "chip") {
    kind = Kind::kChip;
  } else if (key == "chip_context") {
    kind = Kind::kContext;
  } else if (key == "chip_ignore") {
    kind = Kind::kIgnore;
  } else {
    diag.Add(static_cast<int>(entry.source().begin.line), "not a chip table: [[" + key + "]]");
    return false;
  }
  text::TableReader r(entry, diag);
  Entry e;
  e.file = diag.file();
  e.line = r.line();
  std::optional<std::string> name = r.String("name", true);
  std::vector<std::string> strong, weak, prefixes;
  if (kind == Kind::kContext || kind == Kind::kIgnore) {
    strong = r.Strings("words");
    if (strong.empty()) diag.Add(e.line, "[[" + key + "]] needs a non-empty 'words' array");
  } else {
    strong = r.Strings("aliases");
  }
  if (kind == Kind::kVendor) {
    prefixes = r.Strings("prefixes");
    if (strong.empty()) diag.Add(e.line, "[[chip_vendor]] needs a non-empty 'aliases' array");
  }
  if (kind == Kind::kFamily || kind == Kind::kChip) {
    weak = r.Strings("context_aliases");
    if (std::optional<std::string> v = r.String("vendor", true)) e.vendor_name = *v;
    if (strong.empty() && weak.empty()) {
      diag.Add(e.line, "[[" + key + "]] needs 'aliases' or 'context_aliases'");
    }
  }
  if (kind == Kind::kFamily) {
    if (std::optional<bool> v = r.Bool("report")) e.report = *v;
  }
  if (kind == Kind::kChip) {
    if (std::optional<std::string> v = r.String("family", false)) e.family_name = *v;
  }
  r.Examples();
  bool ok = r.Finish() && name.has_value() && (!strong.empty() || !weak.empty());
  if (name && impl_->by_name.count(*name) > 0) {
    diag.Add(e.line, "chip rule '" + *name + "' is defined twice");
    ok = false;
  }
  if (!ok) return false;
  e.name = *name;
  std::vector<Entry>& table = impl_->Table(kind);
  int index = static_cast<int>(table.size());
  for (const std::string& s : strong) impl_->AddAlias(kind, index, s, false);
  for (const std::string& s : weak) impl_->AddAlias(kind, index, s, true);
  for (const std::string& s : prefixes) impl_->AddAlias(Kind::kPrefix, index, s, false);
  impl_->by_name[e.name] = {kind, index};
  table.push_back(std::move(e));
  return true;
}

void ChipRules::Finalize(std::vector<RuleDiagnostic>* out) {
  Impl& m = *impl_;
  auto find = [&](Kind kind, const std::string& name) {
    auto it = m.by_name.find(name);
    return it != m.by_name.end() && it->second.first == kind ? it->second.second : -1;
  };
  for (Entry& f : m.families) {
    f.vendor = find(Kind::kVendor, f.vendor_name);
    if (f.vendor < 0) out->push_back({f.file, f.line, "unknown vendor '" + f.vendor_name + "'"});
  }
  for (Entry& c : m.chips) {
    c.vendor = find(Kind::kVendor, c.vendor_name);
    if (c.vendor < 0) out->push_back({c.file, c.line, "unknown vendor '" + c.vendor_name + "'"});
    if (!c.family_name.empty()) {
      c.family = find(Kind::kFamily, c.family_name);
      if (c.family < 0) {
        out->push_back({c.file, c.line, "unknown family '" + c.family_name + "'"});
      } else if (m.families[c.family].vendor != c.vendor) {
        out->push_back({c.file, c.line,
                        "family '" + c.family_name + "' belongs to another vendor than '" +
                            c.vendor_name + "'"});
      }
    }
  }
  // One alias naming two different things is ambiguous, except model numbers, which
  // the vendor or family before them tells apart.
  m.by_key.clear();
  std::string pattern;
  for (size_t i = 0; i < m.aliases.size(); ++i) {
    const Alias& a = m.aliases[i];
    std::string key = Compact(a.spelling, true);
    std::vector<int>& same = m.by_key[key];
    for (int j : same) {
      const Alias& o = m.aliases[j];
      bool clash = !(a.weak && o.weak) && !(o.kind == a.kind && o.entry == a.entry) &&
                   (!a.exact_case || !o.exact_case ||
                    Compact(a.spelling, false) == Compact(o.spelling, false));
      if (clash) {
        const Entry& e = m.Table(a.kind)[a.entry];
        const Entry& oe = m.Table(o.kind)[o.entry];
        out->push_back({e.file, e.line,
                        "alias '" + a.spelling + "' of '" + e.name + "' also names '" + oe.name +
                            "' (" + oe.file + ":" + std::to_string(oe.line) + ")"});
        break;
      }
    }
    same.push_back(static_cast<int>(i));
    if (!pattern.empty()) pattern += '|';
    pattern += AliasPattern(a.spelling, a.exact_case);
  }
  m.re.reset();
  if (pattern.empty()) return;
  RE2::Options opt;
  opt.set_encoding(RE2::Options::EncodingUTF8);
  opt.set_longest_match(true);
  opt.set_log_errors(false);
  opt.set_max_mem(256 << 20);
  m.re = std::make_unique<RE2>(pattern, opt);
  if (!m.re->ok()) {
    out->push_back({m.vendors.empty() ? std::string() : m.vendors.front().file, 0,
                    "chip aliases do not compile: " + m.re->error()});
    m.re.reset();
  }
}

std::vector<ChipMention> ChipRules::Find(const Article& article) const {
  const Impl& m = *impl_;
  std::vector<ChipMention> mentions;
  if (!m.re) return mentions;
  // Folded text first; the body too, for names the fold broke (昇騰 -> 升腾) and for
  // Traditional aliases in the rule file.
  MatchText folded = MatchText::Folded(article);
  std::vector<Candidate> cands = m.Candidates(folded);
  if (!folded.is_body() && article.folded != article.body) {
    std::vector<Candidate> more = m.Candidates(MatchText::Body(article));
    cands.insert(cands.end(), more.begin(), more.end());
  }
  // One sense per article: a model number recognised once with context is a chip
  // everywhere in the article.
  std::set<std::string> known;
  std::set<int> known_families;
  for (const Candidate& c : cands) {
    if (!c.accepted) continue;
    known.insert(m.CanonicalOf(c));
    if (c.kind == Kind::kChip && m.chips[c.entry].family >= 0) {
      known_families.insert(m.chips[c.entry].family);
    }
  }
  for (Candidate& c : cands) {
    if (c.accepted) continue;
    c.accepted = known.count(m.CanonicalOf(c)) > 0 ||
                 (c.kind == Kind::kFamily && known_families.count(c.entry) > 0);
  }
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.span.end > b.span.end;
  });
  uint32_t last_end = 0;
  for (const Candidate& c : cands) {
    if (!c.accepted || c.span.end <= c.span.begin) continue;
    if (!mentions.empty() && c.span.begin < last_end) continue;
    ChipMention cm;
    cm.span = c.span;
    cm.text = article.body.substr(c.span.begin, c.span.end - c.span.begin);
    cm.canonical = m.CanonicalOf(c);
    cm.vendor = m.VendorNameOf(c);
    last_end = c.span.end;
    mentions.push_back(std::move(cm));
  }
  return mentions;
}

std::string ChipRules::CheckExample(const RuleExample& example, const Article& article,
                                    const RuleSet& rules) const {
  const Impl& m = *impl_;
  auto it = m.by_name.find(example.rule);
  if (it == m.by_name.end()) return "no chip rule named '" + example.rule + "'";
  const Kind kind = it->second.first;
  const int index = it->second.second;
  std::vector<ChipMention> found = Find(article);
  std::string listed;
  for (const ChipMention& cm : found) {
    listed += (listed.empty() ? "" : ", ") + cm.canonical;
  }
  if (listed.empty()) listed = "no chip";
  auto yields = [&](const ChipMention& cm) {
    switch (kind) {
      case Kind::kChip:
        return cm.canonical == example.rule;
      case Kind::kFamily: {
        if (cm.canonical == example.rule) return true;
        auto c = m.by_name.find(cm.canonical);
        return c != m.by_name.end() && c->second.first == Kind::kChip &&
               m.chips[c->second.second].family == index;
      }
      case Kind::kVendor:
      case Kind::kPrefix:
        return cm.vendor == example.rule;
      default:
        return true;
    }
  };
  bool hit = std::any_of(found.begin(), found.end(), yields);
  // An ignore table's examples must yield nothing, its counter-examples something.
  bool want = kind == Kind::kIgnore ? !example.must_match : example.must_match;
  if (hit == want) return std::string();
  std::string what = kind == Kind::kContext || kind == Kind::kIgnore ? "a chip" : example.rule;
  return (want ? "expected " : "did not expect ") + what + " in \"" + example.text + "\", found " +
         listed;
}

size_t ChipRules::size() const {
  const Impl& m = *impl_;
  return m.vendors.size() + m.families.size() + m.chips.size() + m.contexts.size() +
         m.ignores.size();
}

}  // namespace newsclaim::extract
