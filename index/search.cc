// index: user queries -> FTS5 queries, searches, and snippets mapped back to the original
// script.
#include <algorithm>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "index/index.h"

namespace newsclaim::index {
namespace {

using store::Store;

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x3000 ||
         c == 0xA0;
}

// A term as FTS5 query syntax: a quoted phrase (quotes doubled), `*` for a prefix.
std::string Quote(const std::string& term, bool prefix) {
  std::string out = "\"";
  for (char c : term) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  if (prefix) out += " *";
  return out;
}

struct MarkedCp {
  char32_t c;
  bool hit;
};

}  // namespace

StatusOr<std::string> BuildQuery(std::string_view user_query) {
  StatusOr<std::string> folded = FoldForSearch(user_query);
  if (!folded.ok()) return folded.status();
  const std::string& q = *folded;
  std::vector<std::vector<std::string>> groups;  // ANDed groups of ORed terms
  std::vector<std::string> excluded;
  bool pending_or = false;
  size_t pos = 0;
  while (pos < q.size()) {
    size_t next = pos;
    const char32_t c = utf8::Next(q, &next);
    if (IsSpace(c)) {
      pos = next;
      continue;
    }
    bool negate = false;
    if (c == '-') {
      negate = true;
      pos = next;
    }
    std::string term;
    bool phrase = false;
    if (pos < q.size() && q[pos] == '"') {
      phrase = true;
      const size_t close = q.find('"', pos + 1);
      const size_t end = close == std::string::npos ? q.size() : close;
      term = q.substr(pos + 1, end - pos - 1);
      pos = close == std::string::npos ? q.size() : close + 1;
    } else {
      while (pos < q.size()) {
        size_t after = pos;
        if (IsSpace(utf8::Next(q, &after))) break;
        term.append(q, pos, after - pos);
        pos = after;
      }
    }
    if (!phrase && !negate && term == "OR") {
      pending_or = !groups.empty();
      continue;
    }
    bool prefix = false;
    if (!term.empty() && term.back() == '*') {
      prefix = true;
      while (!term.empty() && term.back() == '*') term.pop_back();
    }
    if (Store::TokenizeForSearch(term, Store::TokenizeMode::kQuery).empty()) {
      continue;  // punctuation only: nothing to match
    }
    const std::string quoted = Quote(term, prefix);
    if (negate) {
      excluded.push_back(quoted);
    } else if (pending_or) {
      groups.back().push_back(quoted);
    } else {
      groups.push_back({quoted});
    }
    pending_or = false;
  }
  if (groups.empty()) {
    return InvalidArgumentError(
        "the query has no word to search for (excluded words alone "
        "match nothing)");
  }
  std::string out;
  for (const auto& g : groups) {
    if (!out.empty()) out += " AND ";
    if (g.size() == 1) {
      out += g[0];
      continue;
    }
    out += "(";
    for (size_t i = 0; i < g.size(); ++i) out += (i ? " OR " : "") + g[i];
    out += ")";
  }
  if (!excluded.empty()) {
    out = "(" + out + ")";
    for (const std::string& e : excluded) out += " NOT " + e;
  }
  return out;
}

std::string MakeSnippet(std::string_view original, std::string_view folded_marked, int max_chars) {
  std::vector<MarkedCp> f;
  {
    int depth = 0;
    size_t pos = 0;
    while (pos < folded_marked.size()) {
      const char32_t c = utf8::Next(folded_marked, &pos);
      if (c == 2) {
        ++depth;
      } else if (c == 3) {
        if (depth > 0) --depth;
      } else {
        f.push_back({c, depth > 0});
      }
    }
  }
  std::vector<char32_t> o;
  for (size_t pos = 0; pos < original.size();) o.push_back(utf8::Next(original, &pos));
  // The line (paragraph) holding the first match, else the first non-blank line.
  size_t hit = f.size();
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i].hit) {
      hit = i;
      break;
    }
  }
  if (hit == f.size()) {
    for (size_t i = 0; i < f.size(); ++i) {
      if (!IsSpace(f[i].c)) {
        hit = i;
        break;
      }
    }
    if (hit == f.size()) return std::string();
  }
  size_t ls = hit, le = hit;
  while (ls > 0 && f[ls - 1].c != '\n') --ls;
  while (le < f.size() && f[le].c != '\n') ++le;
  size_t line_no = 0;
  for (size_t i = 0; i < ls; ++i) line_no += f[i].c == '\n';
  // The same line of the original, used when it has as many characters (the fold then
  // mapped it character by character).
  std::vector<MarkedCp> line(f.begin() + ls, f.begin() + le);
  {
    size_t i = 0, n = 0;
    while (i < o.size() && n < line_no) n += o[i++] == '\n';
    size_t e = i;
    while (e < o.size() && o[e] != '\n') ++e;
    if (n == line_no && e - i == line.size()) {
      for (size_t k = 0; k < line.size(); ++k) line[k].c = o[i + k];
    }
  }
  size_t b = 0, e = line.size();
  while (b < e && IsSpace(line[b].c)) ++b;
  while (e > b && IsSpace(line[e - 1].c)) --e;
  const size_t rel_hit = hit - ls;
  const size_t max = static_cast<size_t>(std::max(max_chars, 8));
  size_t start = b, end = e;
  if (e - b > max) {
    const size_t lead = max / 4;
    start = rel_hit > b + lead ? rel_hit - lead : b;
    if (start + max > e) start = e - max;
    end = start + max;
  }
  std::string out;
  if (start > b) out += "…";
  bool open = false;
  for (size_t k = start; k < end; ++k) {
    if (line[k].hit && !open) {
      out += '[';
      open = true;
    } else if (!line[k].hit && open) {
      out += ']';
      open = false;
    }
    utf8::Append(line[k].c, &out);
  }
  if (open) out += ']';
  if (end < e) out += "…";
  return out;
}

StatusOr<std::vector<SearchHit>> Search(Store& store, std::string_view user_query,
                                        const SearchOptions& options) {
  StatusOr<std::string> q = BuildQuery(user_query);
  if (!q.ok()) return q.status();
  const int limit = std::max(1, options.limit);
  std::vector<SearchHit> out;
  if (options.claims) {
    StatusOr<std::vector<Store::ClaimHit>> hits = store.SearchClaims(*q, limit);
    if (!hits.ok()) return hits.status();
    for (Store::ClaimHit& h : *hits) {
      SearchHit s;
      s.article_id = h.article_id;
      s.figure_id = h.figure_id;
      s.score = h.score;
      s.doc = std::move(h.doc);
      s.title = std::move(h.title);
      s.outlet = std::move(h.outlet);
      s.published = std::move(h.published);
      s.figure_text = std::move(h.text);
      s.unit = std::move(h.unit);
      s.source = std::move(h.source);
      s.value = h.value;
      s.value_high = h.value_high;
      s.snippet = MakeSnippet(h.sentence, h.marked_sentence, options.snippet_chars);
      out.push_back(std::move(s));
    }
    return out;
  }
  StatusOr<std::vector<Store::ArticleHit>> hits = store.SearchArticles(*q, limit);
  if (!hits.ok()) return hits.status();
  for (Store::ArticleHit& h : *hits) {
    SearchHit s;
    s.article_id = h.article_id;
    s.cluster_id = h.cluster_id;
    s.score = h.score;
    s.doc = std::move(h.doc);
    s.title = std::move(h.title);
    s.outlet = std::move(h.outlet);
    s.published = std::move(h.published);
    s.raw_sha256 = std::move(h.raw_sha256);
    s.snippet = MakeSnippet(h.body, h.marked_body, options.snippet_chars);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace newsclaim::index
