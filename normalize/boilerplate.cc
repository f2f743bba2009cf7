// Block classification: explicit boilerplate lexicon, section labels, bylines, then a
// jusText-style good/near-good/short/bad classification with context smoothing and a
// choice of the main cluster of prose.
#include "normalize/boilerplate.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/utf8.h"
#include "normalize/metadata.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize::internal {
namespace {

// Characters that decorate a label: 【相关新闻】, **延伸閱讀：**, ## Related.
bool IsLabelDecoration(char32_t c) {
  return IsSpace(c) || c == U'【' || c == U'】' || c == U'[' || c == U']' || c == U'(' ||
         c == U')' || c == U'（' || c == U'）' || c == U':' || c == U'：' || c == U'#' ||
         c == U'*' || c == U'>' || c == U'《' || c == U'》' || c == U'|' || c == U'｜' ||
         c == U'-' || c == U'—' || c == U'_' || c == U'·' || c == U'•' || c == U'►' || c == U'▶' ||
         c == U'■' || c == U'▌' || c == U'.' || c == U'…' || c == U'»' || c == U'>' || c == U'→';
}

std::string StripDecoration(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = utf8::Next(text, &pos);
    if (IsLabelDecoration(c) && c != ' ') continue;
    out.append(text.substr(start, pos - start));
  }
  return AsciiLower(CollapseSpaces(out));
}

// "紐約時報 算力 台積電": three or more short space-separated tokens, mostly Chinese, with no
// punctuation: a tag list.
bool IsTagLine(std::string_view text, const TextStats& st) {
  if (st.prose_punct > 0 || st.code_points > 80) return false;
  const std::vector<std::string> tokens = SplitOn(text, [](char32_t c) { return c == ' '; });
  if (tokens.size() < 3) return false;
  int cjk_tokens = 0;
  for (const std::string& t : tokens) {
    const TextStats ts = ComputeStats(t);
    if (ts.code_points > 8) return false;
    if (ts.cjk > 0) ++cjk_tokens;
  }
  return cjk_tokens >= 2;
}

// A teaser summary cut off by the site: ends in "..." or a single "…" (Chinese prose ends
// an omission with the doubled "……").
bool IsTruncatedTeaser(std::string_view text, const TextStats& st) {
  if (st.weight < 20) return false;
  if (EndsWith(text, "...")) return true;
  return EndsWith(text, "…") && !EndsWith(text, "……");
}

// Ends in a full stop, question or exclamation mark, possibly inside closing quotes or
// brackets.
bool EndsWithSentence(std::string_view text) {
  size_t end = text.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    size_t pos = start;
    const char32_t c = utf8::Next(text, &pos);
    if (IsSentenceEnd(c)) return true;
    if (c != '"' && c != '\'' && c != U'”' && c != U'’' && c != ')' && c != U'」' && c != U'）') {
      return false;
    }
    end = start;
  }
  return false;
}

// The same text, or two texts of 60+ code points that share their first 60 (a caption
// and its truncated "... more" form).
bool SameOpening(std::string_view a, std::string_view b) {
  if (a == b) return true;
  constexpr int kOpening = 60;
  size_t pa = 0, pb = 0;
  for (int k = 0; k < kOpening; ++k) {
    if (pa >= a.size() || pb >= b.size()) return false;
    if (utf8::Next(a, &pa) != utf8::Next(b, &pb)) return false;
  }
  return true;
}

// Nothing but punctuation, symbols and spaces: a separator rule ("___", "* * *", "■■■").
bool IsDecorationOnly(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t c = utf8::Next(text, &pos);
    const bool decoration = IsSpace(c) || (c < 0x80 && !std::isalnum(static_cast<int>(c))) ||
                            (c >= 0xA0 && c <= 0xBF) || (c >= 0x2000 && c <= 0x2BFF) ||
                            (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) ||
                            (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
                            (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65);
    if (!decoration) return false;
  }
  return true;
}

enum class Cls { kGood, kNearGood, kShort, kBad };

struct Item {
  Block block;
  TextStats stats;
  Cls cls = Cls::kBad;
  bool removed = false;    // metadata or title: never body, not counted as boilerplate
  bool hard_bad = false;   // boilerplate whatever its neighbours say
  bool separator = false;  // a rule of symbols ("___", "* * *"): kept inside the article only
};

bool IsHeadlineLike(const Item& it) {
  const TextStats& st = it.stats;
  if (st.code_points == 0 || st.code_points > 100 || st.clause_marks > 1) return false;
  if (st.clause_marks == 1 && !EndsWith(it.block.text, ".") && st.cjk == 0) return false;
  if (EndsWith(it.block.text, "。")) return false;
  if (it.block.link_chars * 2 > st.code_points) return false;
  return st.cjk + st.latin >= 4;
}

std::string Squash(std::string_view s) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t start = pos;
    const char32_t c = utf8::Next(s, &pos);
    if (IsSpace(c)) continue;
    out.append(s.substr(start, pos - start));
  }
  return out;
}

// Squash(s) == squashed, without building Squash(s).
bool SquashesTo(std::string_view s, std::string_view squashed) {
  size_t pos = 0, at = 0;
  while (pos < s.size()) {
    const size_t start = pos;
    const char32_t c = utf8::Next(s, &pos);
    if (IsSpace(c)) continue;
    const size_t len = pos - start;
    if (squashed.substr(at, len) != s.substr(start, len)) return false;
    at += len;
  }
  return at == squashed.size();
}

Cls Classify(const Item& it) {
  const TextStats& st = it.stats;
  const double ld =
      st.code_points == 0 ? 0 : static_cast<double>(it.block.link_chars) / st.code_points;
  if (ld > 0.5) return Cls::kBad;
  if (it.block.kind == BlockKind::kHeading) return Cls::kShort;
  if (it.block.kind == BlockKind::kCaption) return Cls::kBad;
  const bool cjk_text = st.cjk >= 8 || st.cjk * 3 >= st.latin;
  if (cjk_text) {
    if (st.weight >= 30 && st.clause_marks >= 1 && st.prose_punct >= 2 && ld <= 0.25) {
      return Cls::kGood;
    }
    if (st.weight >= 10 && (st.clause_marks >= 1 || st.sentence_ends >= 1) && ld <= 0.3) {
      return Cls::kNearGood;
    }
    if (st.weight < 25) return Cls::kShort;
    return Cls::kBad;
  }
  const double stop = st.words == 0 ? 0 : static_cast<double>(st.stopwords) / st.words;
  if (st.code_points < 70) return ld > 0 ? Cls::kBad : Cls::kShort;
  if (st.code_points >= 150 && stop >= 0.28 && ld <= 0.25) return Cls::kGood;
  // Other Latin-script languages have no English function words: long runs of punctuated
  // sentences with few links are prose in any of them.
  if (st.code_points >= 200 && st.sentence_ends >= 2 && st.clause_marks >= 3 && ld <= 0.15) {
    return Cls::kGood;
  }
  if (stop >= 0.22 && ld <= 0.3) return Cls::kNearGood;
  if (st.sentence_ends >= 1 && st.clause_marks >= 2 && ld <= 0.15) return Cls::kNearGood;
  // A link-free sentence of ten words or more, whatever its function words: news prose
  // full of names ("... Senator Elizabeth Warren and congresswoman Alexandria Ocasio-Cortez.").
  if (ld == 0 && st.words >= 10 && EndsWithSentence(it.block.text)) return Cls::kNearGood;
  return Cls::kBad;
}

}  // namespace

CompiledBoilerplate::~CompiledBoilerplate() = default;

bool IsSectionLabel(std::string_view text, const BoilerplateRules& rules) {
  // Every code point that is neither decoration nor a soft hyphen survives into the
  // stripped label, so more than 24 of them rule it out: decided after a few dozen
  // characters of a paragraph instead of after stripping all of it.
  size_t kept = 0;
  for (size_t pos = 0; pos < text.size();) {
    const bool lead = (static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80;
    const char32_t c = utf8::Next(text, &pos);
    if (lead && c != 0xAD && !IsLabelDecoration(c) && ++kept > 24) return false;
  }
  const std::string s = StripDecoration(text);
  const size_t n = CodePoints(s);
  if (n == 0 || n > 24) return false;
  for (std::string_view label : rules.section_labels) {
    if (s.size() <= label.size()) {
      if (s == label) return true;
      continue;  // too short to hold the label with a prefix or suffix
    }
    // "udn討論區", "相关新闻推荐": a label with a short site prefix or suffix.
    if (!StartsWith(s, label) && !EndsWith(s, label)) continue;
    const size_t ln = CodePoints(label);
    if (ln >= 3 && n <= ln + 5) return true;
  }
  return false;
}

bool IsBoilerplateLine(std::string_view text, const BoilerplateRules& rules) {
  return IsBoilerplateLine(text, ComputeStats(text), rules);
}

bool IsBoilerplateLine(std::string_view text, const TextStats& st, const BoilerplateRules& rules) {
  if (st.code_points == 0) return true;
  size_t first = 0;
  if (IsPictograph(utf8::Next(text, &first))) return true;
  if (st.pictographs >= 2 && st.code_points <= 80) return true;
  if (IsTagLine(text, st) || IsTruncatedTeaser(text, st)) return true;
  if (rules.compiled == nullptr) return false;
  // Every pattern condemns only lines up to its max_chars: a longer line (a paragraph)
  // needs no matching.
  uint32_t longest = 0;
  for (const BoilerplateRules::LinePattern& p : rules.line_patterns) {
    longest = std::max(longest, p.max_chars);
  }
  if (st.code_points > longest) return false;
  const re2::StringPiece piece(text.data(), text.size());
  if (rules.compiled->line_set != nullptr) {
    thread_local std::vector<int> hits;
    hits.clear();
    if (rules.compiled->line_set->Match(piece, &hits)) {
      for (int i : hits) {
        if (i >= 0 && static_cast<size_t>(i) < rules.line_patterns.size() &&
            st.code_points <= rules.line_patterns[static_cast<size_t>(i)].max_chars) {
          return true;
        }
      }
    }
    return false;
  }
  const auto& res = rules.compiled->line_patterns;
  for (size_t i = 0; i < res.size() && i < rules.line_patterns.size(); ++i) {
    if (st.code_points <= rules.line_patterns[i].max_chars && RE2::PartialMatch(piece, *res[i])) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> SelectBody(std::vector<Block> blocks, const BoilerplateRules& rules,
                                    DocMeta* meta) {
  std::vector<Item> items;
  items.reserve(blocks.size());
  for (Block& b : blocks) {
    Item it;
    it.stats = ComputeStats(b.text);
    it.block = std::move(b);
    items.push_back(std::move(it));
  }
  const size_t n = items.size();
  for (Item& it : items) {
    it.cls = Classify(it);
    it.separator = IsDecorationOnly(it.block.text);
    if (it.separator) it.cls = Cls::kShort;
    if (IsBoilerplateLine(it.block.text, it.stats, rules)) {
      it.hard_bad = true;
      it.cls = Cls::kBad;
    }
  }
  auto first_good = [&]() {
    for (size_t i = 0; i < n; ++i) {
      if (!items[i].removed && items[i].cls == Cls::kGood) return i;
    }
    return n;
  };

  // Bylines and datelines before the article's first paragraphs are metadata. The
  // headline anchor is the first byline naming an outlet or author; a bare date line
  // (often above teaser lists) anchors only when there is no such byline.
  size_t byline = n, date_line = n;
  const size_t header_end = std::min(n, first_good() + 3);
  for (size_t i = 0; i < header_end; ++i) {
    Byline b;
    if (items[i].block.kind == BlockKind::kTableRow) continue;
    if (ParseBylineBlock(items[i].block.text, &b)) {
      items[i].removed = true;
      SetIfEmpty(&meta->outlet, b.outlet);
      SetIfEmpty(&meta->author, b.author);
      SetIfEmpty(&meta->published, b.published);
      if (!b.outlet.empty() || !b.author.empty()) {
        if (byline == n) byline = i;
      } else if (date_line == n) {
        date_line = i;
      }
    }
  }
  if (byline == n) byline = date_line;
  // A dateline opening the first paragraphs: 【大纪元2025年08月21日讯】（记者X报导）.
  {
    int checked = 0;
    for (size_t i = 0; i < n && checked < 2; ++i) {
      if (items[i].removed || items[i].cls == Cls::kBad) continue;
      if (items[i].cls != Cls::kGood && items[i].cls != Cls::kNearGood) continue;
      ++checked;
      Byline b;
      const size_t cut = ParseDatelinePrefix(items[i].block.text, &b);
      if (cut == 0) continue;
      SetIfEmpty(&meta->outlet, b.outlet);
      SetIfEmpty(&meta->author, b.author);
      SetIfEmpty(&meta->published, b.published);
      items[i].block.text = std::string(Trim(std::string_view(items[i].block.text).substr(cut)));
      items[i].stats = ComputeStats(items[i].block.text);
      items[i].cls = Classify(items[i]);
      break;
    }
  }

  // The headline: the line right before the byline, else the first heading or
  // headline-like line ahead of the first paragraph.
  const size_t fg = first_good();
  size_t title_at = n;
  if (byline < n) {
    for (size_t k = byline, steps = 0; k-- > 0 && steps < 3;) {
      if (items[k].removed) continue;
      ++steps;
      if (!items[k].hard_bad && IsHeadlineLike(items[k])) {
        title_at = k;
        break;
      }
    }
  }
  if (meta->title.empty() && title_at == n) {
    for (size_t k = 0; k < std::min(n, fg); ++k) {
      if (items[k].removed || items[k].hard_bad) continue;
      if (items[k].block.kind == BlockKind::kHeading && items[k].block.heading_level <= 3 &&
          IsHeadlineLike(items[k])) {
        title_at = k;
        break;
      }
    }
    if (title_at == n) {
      for (size_t k = 0; k < std::min(n, fg); ++k) {
        if (items[k].removed || items[k].hard_bad) continue;
        if (IsHeadlineLike(items[k])) title_at = k;
        break;
      }
    }
  }
  if (title_at < n) {
    SetIfEmpty(&meta->title, items[title_at].block.text);
    // Teaser headlines of other stories sit above the article's own headline.
    if (title_at <= fg) {
      for (size_t k = 0; k < title_at; ++k) items[k].removed = true;
    }
    items[title_at].removed = true;
  }
  if (!meta->title.empty()) {
    const std::string want = Squash(meta->title);
    for (Item& it : items) {
      if (!it.removed && it.stats.code_points <= 200 && SquashesTo(it.block.text, want)) {
        it.removed = true;
      }
    }
  }

  // A caption printed twice (image alt text and caption, or its short and expanded
  // forms "... less" / "... more") is not body.
  for (size_t i = 0; i + 1 < n; ++i) {
    if (items[i].removed || items[i + 1].removed) continue;
    if (SameOpening(items[i].block.text, items[i + 1].block.text)) {
      items[i].hard_bad = items[i + 1].hard_bad = true;
      items[i].cls = items[i + 1].cls = Cls::kBad;
    }
  }

  // Section labels: after the article has begun, a "related news" or comments heading
  // ends it; before, it only condemns the link list it heads.
  {
    const size_t start = first_good();
    for (size_t i = 0; i < n; ++i) {
      if (items[i].removed || !IsSectionLabel(items[i].block.text, rules)) continue;
      if (i > start && start < n) {
        for (size_t k = i; k < n; ++k) {
          items[k].hard_bad = true;
          items[k].cls = Cls::kBad;
        }
        break;
      }
      items[i].hard_bad = true;
      items[i].cls = Cls::kBad;
      for (size_t k = i + 1; k < n && items[k].cls != Cls::kGood; ++k) {
        items[k].hard_bad = true;
        items[k].cls = Cls::kBad;
      }
    }
  }

  // Context smoothing (jusText): near-good and short blocks take the class of their
  // neighbours. Removed (metadata) blocks are invisible here.
  std::vector<size_t> live;
  for (size_t i = 0; i < n; ++i) {
    if (!items[i].removed) live.push_back(i);
  }
  auto neighbour = [&](size_t li, int dir, bool ignore_neargood) {
    for (long k = static_cast<long>(li) + dir; k >= 0 && k < static_cast<long>(live.size());
         k += dir) {
      const Cls c = items[live[k]].cls;
      if (c == Cls::kShort) continue;
      if (ignore_neargood && c == Cls::kNearGood) continue;
      return c;
    }
    return Cls::kBad;
  };
  std::vector<Cls> revised(live.size());
  for (size_t li = 0; li < live.size(); ++li) {
    const Item& it = items[live[li]];
    revised[li] = it.cls;
    if (it.hard_bad) continue;
    if (it.cls == Cls::kShort) {
      const Cls prev = neighbour(li, -1, true), next = neighbour(li, +1, true);
      if (prev == Cls::kGood && next == Cls::kGood) {
        revised[li] = Cls::kGood;
      } else if (prev == Cls::kBad && next == Cls::kBad) {
        revised[li] = Cls::kBad;
      } else if ((prev == Cls::kBad && neighbour(li, -1, false) == Cls::kNearGood) ||
                 (next == Cls::kBad && neighbour(li, +1, false) == Cls::kNearGood)) {
        revised[li] = Cls::kGood;
      } else if (it.block.kind == BlockKind::kHeading && next == Cls::kGood) {
        // A section heading directly above article text belongs to it.
        revised[li] = Cls::kGood;
      } else {
        revised[li] = Cls::kBad;
      }
    }
  }
  for (size_t li = 0; li < live.size(); ++li) {
    const Item& it = items[live[li]];
    if (it.cls != Cls::kNearGood || it.hard_bad) continue;
    const Cls prev = neighbour(li, -1, true), next = neighbour(li, +1, true);
    revised[li] = (prev == Cls::kBad && next == Cls::kBad) ? Cls::kBad : Cls::kGood;
  }

  // Clusters of good blocks separated by runs of 4+ boilerplate or link lines; keep the
  // largest and any other holding at least 10% as much prose or a few paragraphs' worth
  // (articles interrupted by a widget, a lead set apart from the body).
  struct Cluster {
    size_t begin, end;  // indices into live, inclusive
    double weight;
  };
  std::vector<Cluster> clusters;
  size_t gap = 0;
  for (size_t li = 0; li < live.size(); ++li) {
    if (revised[li] != Cls::kGood) {
      // Plain short lines without links (a list, a subheading run) do not split an
      // article; boilerplate lines and link lists do.
      const Item& it = items[live[li]];
      // Captions stand between paragraphs of the article they illustrate.
      if (it.block.kind == BlockKind::kCaption) continue;
      if (it.hard_bad || it.block.link_chars * 2 >= it.stats.code_points) ++gap;
      continue;
    }
    const double w = items[live[li]].stats.weight;
    if (clusters.empty() || gap >= 4) {
      clusters.push_back({li, li, w});
    } else {
      clusters.back().end = li;
      clusters.back().weight += w;
    }
    gap = 0;
  }
  std::vector<std::string> body;
  if (clusters.empty()) {
    // No prose block at all (a short note, a list, a table): keep what is not boilerplate.
    for (size_t li = 0; li < live.size(); ++li) {
      if (!items[live[li]].hard_bad && items[live[li]].cls != Cls::kBad) {
        body.push_back(items[live[li]].block.text);
      }
    }
    return body;
  }
  double best = 0;
  for (const Cluster& c : clusters) best = std::max(best, c.weight);
  std::vector<Cluster> kept;
  for (const Cluster& c : clusters) {
    if (c.weight >= best * 0.1 || c.weight >= 300) kept.push_back(c);
  }
  auto plain = [&](size_t li) {
    const Item& it = items[live[li]];
    return !it.hard_bad && !it.separator && it.block.link_chars * 2 < it.stats.code_points;
  };
  // The content container ends where the article ends more often than it starts where the
  // article starts (headline, byline, captions and toolbars come first): after the last
  // cluster, plain lines (tour dates, a closing list, a signature) are text up to the first
  // boilerplate or link line; before the first, only up to earlier prose.
  {
    size_t& b = kept.front().begin;
    for (size_t k = b; k > 0 && live[k - 1] + 1 == live[k] && plain(k - 1); --k) {
      const Cls c = items[live[k - 1]].cls;
      if (c == Cls::kGood || c == Cls::kNearGood) b = k - 1;
    }
    size_t& e = kept.back().end;
    while (e + 1 < live.size() && live[e + 1] == live[e] + 1 && plain(e + 1)) ++e;
  }
  for (const Cluster& c : kept) {
    for (size_t li = c.begin; li <= c.end; ++li) {
      // Inside the article's span, the content container has already done the coarse
      // work: its own short lines, list items and headings are text unless a rule or
      // their links say otherwise.
      const Item& it = items[live[li]];
      const bool inside_keep = !it.hard_bad && it.block.link_chars * 2 < it.stats.code_points;
      if (revised[li] == Cls::kGood || inside_keep) body.push_back(it.block.text);
    }
  }
  return body;
}

}  // namespace newsclaim::normalize::internal
