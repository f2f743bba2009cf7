// HTML main-text extraction in the manner of Readability and GeneralNewsExtractor: drop
// non-content elements, score paragraph containers by text and punctuation density
// (Chinese and Western), discount link text, pick the best container plus the sibling
// blocks that continue it, and emit its paragraphs, headings, list items and table rows.
#include "normalize/html_clean.h"

#include <gumbo.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/utf8.h"
#include "normalize/html_prescan.h"
#include "normalize/metadata.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize::internal {

bool LooksLikeHtml(std::string_view text) {
  // Count bytes inside <tag ...> constructs; a dump that is mostly markup is a page.
  const std::string_view s = text.substr(0, std::min<size_t>(text.size(), 256 << 10));
  size_t markup = 0, tags = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '<' || i + 1 >= s.size()) continue;
    const char c = s[i + 1];
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '/' && c != '!') continue;
    const size_t end = s.find('>', i);
    if (end == std::string_view::npos || end - i > 2000) continue;
    markup += end - i + 1;
    ++tags;
    i = end;
  }
  // A dump that opens with a tag and keeps using them is a page saved under another name.
  const std::string_view t = Trim(s);
  const bool opens_with_tag = t.size() > 1 && t[0] == '<' &&
                              (std::isalpha(static_cast<unsigned char>(t[1])) || t[1] == '!');
  return tags >= 8 && (markup * 10 >= s.size() * 3 || opens_with_tag);
}

namespace {

// ---------------------------------------------------------------------------------------
// DOM walk.

struct Node {
  const GumboNode* g = nullptr;
  int parent = -1;
  int depth = 0;
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  bool is_text = false;
  bool in_link = false;
  // Aggregates over the kept subtree.
  uint32_t cps = 0;  // non-space code points
  uint32_t link_cps = 0;
  uint32_t punct = 0;   // IsProsePunct
  uint32_t commas = 0;  // ，、；, ;
  uint32_t block_children = 0;
  uint32_t paragraphs = 0;  // <p> descendants
  uint32_t list_items = 0;
  uint32_t inputs = 0;
  // Link-free text of the element itself, outside its block descendants (the inline runs
  // of a <td> or <div> that also holds <p>s).
  uint32_t own_cps = 0;
  uint32_t own_punct = 0;
  uint32_t own_commas = 0;
  bool has_block_desc = false;
  int hint = 0;       // HintSign of the element
  bool dead = false;  // inside a subtree removed by a class/id hint
  // Readability score.
  bool initialized = false;
  double score = 0;
  int first_child = -1, next_sibling = -1, last_child = -1;
};

bool IsBlockTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_FIGCAPTION:
      return true;
    default:
      return false;
  }
}

bool IsHeading(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
         t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

// Elements that never hold article text.
bool IsDroppedTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

std::string_view Attr(const GumboNode* g, const char* name) {
  if (g->type != GUMBO_NODE_ELEMENT) return {};
  const GumboAttribute* a = gumbo_get_attribute(&g->v.element.attributes, name);
  return a == nullptr ? std::string_view() : std::string_view(a->value);
}

// Readability's class weight, in sign only: -1 negative, +1 positive, 0 neither. The class
// and id values are split into tokens of ASCII letters and digits (lower-cased) and
// non-ASCII bytes, each looked up as it ends: every element is asked, so no copies and
// hash lookups instead of a pass over the word lists.
class HintMatcher {
 public:
  explicit HintMatcher(const BoilerplateRules& rules)
      : negative_(rules.negative_hints.begin(), rules.negative_hints.end()),
        positive_(rules.positive_hints.begin(), rules.positive_hints.end()),
        substrings_(rules.negative_hint_substrings) {
    for (const std::string& w : substrings_) {
      ascii_substring_ |= std::none_of(w.begin(), w.end(), [](char c) { return c & 0x80; });
    }
  }

  int Sign(const GumboNode* g) {
    bool neg = false, pos = false;
    token_.clear();
    bool non_ascii = false;
    auto judge = [&] {
      if (token_.empty()) return;
      neg = neg || negative_.count(token_) > 0;
      pos = pos || positive_.count(token_) > 0;
      // Only a token with a non-ASCII byte can hold a non-ASCII substring.
      if (!neg && (non_ascii || ascii_substring_)) {
        for (const std::string& w : substrings_) {
          if (token_.find(w) != std::string::npos) {
            neg = true;
            break;
          }
        }
      }
      token_.clear();
      non_ascii = false;
    };
    for (const char* attr : {"class", "id"}) {
      for (char c : Attr(g, attr)) {
        if (c >= 'A' && c <= 'Z') {
          token_.push_back(static_cast<char>(c - 'A' + 'a'));
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
          token_.push_back(c);
        } else if (c & 0x80) {
          token_.push_back(c);
          non_ascii = true;
        } else {
          judge();
        }
      }
      judge();
    }
    const std::string_view role = Attr(g, "role");
    if (role == "navigation" || role == "complementary" || role == "banner" ||
        role == "contentinfo" || role == "dialog" || role == "menu") {
      neg = true;
    }
    if (pos && !neg) return 1;
    if (neg && !pos) return -1;
    return 0;
  }

 private:
  std::unordered_set<std::string_view> negative_, positive_;
  const std::vector<std::string>& substrings_;
  bool ascii_substring_ = false;
  std::string token_;
};

bool IsHidden(const GumboNode* g) {
  if (g->type != GUMBO_NODE_ELEMENT) return false;
  if (gumbo_get_attribute(&g->v.element.attributes, "hidden") != nullptr) return true;
  if (Attr(g, "aria-hidden") == "true") return true;
  std::string style = AsciiLower(Attr(g, "style"));
  style.erase(std::remove(style.begin(), style.end(), ' '), style.end());
  return style.find("display:none") != std::string::npos ||
         style.find("visibility:hidden") != std::string::npos;
}

class HtmlExtractor {
 public:
  HtmlExtractor(const BoilerplateRules& rules, ExtractedDoc* doc) : hints_(rules), doc_(doc) {}

  void Run(const GumboNode* root) {
    Walk(root);
    Aggregate();
    PruneHints();
    ReadMetadata();
    const std::vector<int> roots = ChooseContent();
    if (!roots.empty()) ScanHeaderLines(roots.front(), roots.back());
    for (int r : roots) Emit(r);
    Flush();
  }

 private:
  // Pre-order walk with an explicit stack: nodes_ parents precede children.
  void Walk(const GumboNode* root) {
    struct Item {
      const GumboNode* g;
      int parent;
    };
    std::vector<Item> stack = {{root, -1}};
    while (!stack.empty()) {
      const Item it = stack.back();
      stack.pop_back();
      const GumboNode* g = it.g;
      const int parent = it.parent;
      const bool parent_link =
          parent >= 0 && (nodes_[parent].in_link || nodes_[parent].tag == GUMBO_TAG_A);
      if (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_CDATA ||
          g->type == GUMBO_NODE_WHITESPACE) {
        if (parent < 0) continue;
        Node n;
        n.g = g;
        n.parent = parent;
        n.depth = nodes_[parent].depth + 1;
        n.is_text = true;
        n.in_link = parent_link;
        Link(AddNode(n), parent);
        continue;
      }
      if (g->type != GUMBO_NODE_ELEMENT && g->type != GUMBO_NODE_DOCUMENT &&
          g->type != GUMBO_NODE_TEMPLATE) {
        continue;
      }
      const GumboVector* children;
      GumboTag tag = GUMBO_TAG_UNKNOWN;
      if (g->type == GUMBO_NODE_DOCUMENT) {
        children = &g->v.document.children;
      } else {
        children = &g->v.element.children;
        tag = g->v.element.tag;
        if (tag == GUMBO_TAG_HEAD) {
          CollectSubtreeMetadata(g);
          continue;
        }
        CollectMetadata(g, tag);
        if (Removed(g, tag, parent)) continue;
      }
      Node n;
      n.g = g;
      n.parent = parent;
      n.depth = parent >= 0 ? nodes_[parent].depth + 1 : 0;
      n.tag = tag;
      n.in_link = parent_link;
      if (g->type == GUMBO_NODE_ELEMENT) n.hint = hints_.Sign(g);
      const int idx = AddNode(n);
      if (parent >= 0) Link(idx, parent);
      for (unsigned k = children->length; k-- > 0;) {
        stack.push_back({static_cast<const GumboNode*>(children->data[k]), idx});
      }
    }
  }

  int AddNode(const Node& n) {
    nodes_.push_back(n);
    return static_cast<int>(nodes_.size()) - 1;
  }

  // Children are linked in document order (pre-order visits them in order).
  void Link(int child, int parent) {
    Node& p = nodes_[parent];
    if (p.last_child < 0) {
      p.first_child = child;
    } else {
      nodes_[p.last_child].next_sibling = child;
    }
    p.last_child = child;
  }

  bool InsideTag(int idx, GumboTag t) const {
    for (int p = idx; p >= 0; p = nodes_[p].parent) {
      if (nodes_[p].tag == t) return true;
    }
    return false;
  }

  bool Removed(const GumboNode* g, GumboTag tag, int parent) {
    if (IsDroppedTag(tag) || IsHidden(g)) return true;
    // A page header or footer is boilerplate; an <article>'s own header holds its title
    // and byline, which the block stage reads as metadata.
    if ((tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER) &&
        !(tag == GUMBO_TAG_HEADER && InsideTag(parent, GUMBO_TAG_ARTICLE))) {
      return true;
    }
    return false;
  }

  // Class/id hints are decided after aggregation: a wrapper named "advertisement-pusher"
  // that holds most of the page's prose is the page, not an ad.
  void PruneHints() {
    int body = -1;
    for (size_t k = 0; k < nodes_.size() && body < 0; ++k) {
      if (nodes_[k].tag == GUMBO_TAG_BODY) body = static_cast<int>(k);
    }
    const uint32_t total_punct = body >= 0 ? nodes_[body].punct : 0;
    for (size_t k = 0; k < nodes_.size(); ++k) {
      Node& n = nodes_[k];
      if (n.parent >= 0 && nodes_[n.parent].dead) {
        n.dead = true;
        continue;
      }
      if (n.is_text || n.hint >= 0) continue;
      if (n.tag == GUMBO_TAG_HTML || n.tag == GUMBO_TAG_BODY || n.tag == GUMBO_TAG_ARTICLE ||
          n.tag == GUMBO_TAG_MAIN || n.tag == GUMBO_TAG_A || n.tag == GUMBO_TAG_P) {
        continue;
      }
      if (total_punct >= 10 && n.punct * 2 >= total_punct) continue;
      n.dead = true;
      const Node removed = n;
      for (int a = n.parent; a >= 0; a = nodes_[a].parent) {
        Node& an = nodes_[a];
        an.cps -= removed.cps;
        an.link_cps -= removed.link_cps;
        an.punct -= removed.punct;
        an.commas -= removed.commas;
        an.paragraphs -= removed.paragraphs;
        an.list_items -= removed.list_items;
        an.inputs -= removed.inputs;
      }
      // An inline element's own text belongs to its nearest block ancestor.
      if (!IsBlockTag(removed.tag)) {
        for (int a = n.parent; a >= 0; a = nodes_[a].parent) {
          Node& an = nodes_[a];
          an.own_cps -= removed.own_cps;
          an.own_punct -= removed.own_punct;
          an.own_commas -= removed.own_commas;
          if (IsBlockTag(an.tag)) break;
        }
      }
    }
  }

  static std::string TextOf(const GumboNode* root) {
    std::string out;
    std::vector<const GumboNode*> stack = {root};
    while (!stack.empty()) {
      const GumboNode* g = stack.back();
      stack.pop_back();
      if (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_WHITESPACE ||
          g->type == GUMBO_NODE_CDATA) {
        out += g->v.text.text;
      } else if (g->type == GUMBO_NODE_ELEMENT) {
        const GumboTag t = g->v.element.tag;
        if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE) continue;
        if (t == GUMBO_TAG_BR) out += ' ';
        const GumboVector& c = g->v.element.children;
        for (unsigned k = c.length; k-- > 0;) stack.push_back(static_cast<GumboNode*>(c.data[k]));
      }
    }
    return CollapseSpaces(out);
  }

  void CollectSubtreeMetadata(const GumboNode* root) {
    std::vector<const GumboNode*> stack = {root};
    while (!stack.empty()) {
      const GumboNode* g = stack.back();
      stack.pop_back();
      if (g->type != GUMBO_NODE_ELEMENT) continue;
      CollectMetadata(g, g->v.element.tag);
      const GumboVector& c = g->v.element.children;
      for (unsigned k = c.length; k-- > 0;) stack.push_back(static_cast<GumboNode*>(c.data[k]));
    }
  }

  void CollectMetadata(const GumboNode* g, GumboTag tag) {
    switch (tag) {
      case GUMBO_TAG_HTML:
        if (lang_.empty()) lang_ = AsciiLower(Attr(g, "lang"));
        break;
      case GUMBO_TAG_TITLE:
        if (title_.empty()) title_ = TextOf(g);
        break;
      case GUMBO_TAG_H1:
        if (h1_.empty()) h1_ = TextOf(g);
        break;
      case GUMBO_TAG_META: {
        std::string key = AsciiLower(Attr(g, "property"));
        if (key.empty()) key = AsciiLower(Attr(g, "name"));
        if (key.empty()) key = AsciiLower(Attr(g, "itemprop"));
        const std::string_view content = Attr(g, "content");
        if (!key.empty() && !content.empty() && meta_.find(key) == meta_.end()) {
          meta_[key] = CollapseSpaces(content);
        }
        break;
      }
      case GUMBO_TAG_LINK:
        if (AsciiLower(Attr(g, "rel")) == "canonical" && canonical_.empty()) {
          canonical_ = std::string(Attr(g, "href"));
        }
        break;
      case GUMBO_TAG_SCRIPT:
        if (AsciiLower(Attr(g, "type")).find("ld+json") != std::string::npos) {
          const GumboVector& c = g->v.element.children;
          if (c.length > 0 && static_cast<const GumboNode*>(c.data[0])->type == GUMBO_NODE_TEXT) {
            json_ld_.emplace_back(static_cast<const GumboNode*>(c.data[0])->v.text.text);
          }
        }
        break;
      case GUMBO_TAG_TIME:
        if (time_.empty()) {
          std::string_view dt = Attr(g, "datetime");
          time_ = ParseDate(dt.empty() ? std::string_view(TextOf(g)) : dt);
        }
        break;
      default:
        break;
    }
  }

  // Children follow parents in nodes_, so one backward pass sums subtrees.
  void Aggregate() {
    for (size_t k = nodes_.size(); k-- > 0;) {
      Node& n = nodes_[k];
      if (n.is_text) {
        const std::string_view text(n.g->v.text.text);
        size_t pos = 0;
        while (pos < text.size()) {
          const char32_t c = utf8::Next(text, &pos);
          if (IsSpace(c)) continue;
          ++n.cps;
          if (IsProsePunct(c)) ++n.punct;
          if (c == U'，' || c == U'、' || c == U'；' || c == ',' || c == ';') ++n.commas;
        }
        if (n.in_link) {
          n.link_cps = n.cps;
        } else {
          n.own_cps = n.cps;
          n.own_punct = n.punct;
          n.own_commas = n.commas;
        }
      } else {
        if (n.tag == GUMBO_TAG_P) ++n.paragraphs;
        if (n.tag == GUMBO_TAG_LI) ++n.list_items;
        if (n.tag == GUMBO_TAG_INPUT) ++n.inputs;
      }
      if (n.parent >= 0) {
        Node& p = nodes_[n.parent];
        p.cps += n.cps;
        p.link_cps += n.link_cps;
        p.punct += n.punct;
        p.commas += n.commas;
        p.paragraphs += n.paragraphs;
        p.list_items += n.list_items;
        p.inputs += n.inputs;
        if (n.is_text || !IsBlockTag(n.tag)) {
          p.own_cps += n.own_cps;
          p.own_punct += n.own_punct;
          p.own_commas += n.own_commas;
        }
        if (!n.is_text && IsBlockTag(n.tag)) {
          ++p.block_children;
          p.has_block_desc = true;
        }
        if (n.has_block_desc) p.has_block_desc = true;
      }
    }
  }

  double LinkDensity(const Node& n) const {
    return n.cps == 0 ? 0.0 : static_cast<double>(n.link_cps) / n.cps;
  }

  void ReadMetadata() {
    DocMeta& m = doc_->meta;
    auto meta = [&](std::initializer_list<const char*> keys) -> std::string {
      for (const char* k : keys) {
        auto it = meta_.find(k);
        if (it != meta_.end() && !it->second.empty()) return it->second;
      }
      return "";
    };
    const std::string site = meta({"og:site_name", "application-name", "publisher"});
    std::string title_site;
    const std::string title = title_.empty() ? "" : CleanTitle(title_, &title_site, h1_);
    std::string og_title = meta({"og:title", "twitter:title", "headline"});
    if (!og_title.empty()) {
      std::string og_site;
      const std::string cleaned = CleanTitle(og_title, &og_site);
      if (!og_site.empty() && (og_site == site || og_site == title_site)) og_title = cleaned;
    }
    SetIfEmpty(&m.title, og_title);
    for (const std::string& j : json_ld_) ParseJsonLd(j, &m);
    SetIfEmpty(&m.title, title);
    SetIfEmpty(&m.title, h1_);
    SetIfEmpty(&m.title_suffix, title_site);
    SetIfEmpty(&m.outlet, site);
    SetIfEmpty(
        &m.published,
        ParseDate(meta({"article:published_time", "og:published_time", "datepublished", "pubdate",
                        "publishdate", "publish-date", "publish_date", "publication_date",
                        "article.published", "sailthru.date", "parsely-pub-date", "dc.date.issued",
                        "dcterms.created", "dc.date", "date", "og:release_date", "release_date",
                        "article:modified_time"})));
    std::string author = meta(
        {"author", "article:author", "dc.creator", "sailthru.author", "parsely-author", "byl"});
    if (StartsWith(author, "By ") || StartsWith(author, "by ")) author = author.substr(3);
    // <meta name=author> on Chinese portals often names the site ("大汉网络",
    // "www.yunnan.cn,云南日报报业集团"), which the benchmarks do not count as an author.
    const bool site_like =
        author.find("://") != std::string::npos || author.find("www.") != std::string::npos ||
        author.find(".com") != std::string::npos || author.find(',') != std::string::npos ||
        author.find("网") != std::string::npos || author.find("網") != std::string::npos;
    if (!site_like && author != m.outlet) {
      SetIfEmpty(&m.author, author);
    }
    std::string canonical = canonical_.empty() ? meta({"og:url"}) : canonical_;
    if (StartsWith(canonical, "http")) SetIfEmpty(&m.canonical_url, canonical);
    std::string lang = lang_;
    if (lang.empty()) lang = AsciiLower(meta({"content-language", "og:locale", "language"}));
    SetIfEmpty(&m.language, lang);
    SetIfEmpty(&m.fallback_published, time_);
  }

  // Text lines (text nodes grouped by their block ancestor, split at <br>) met walking
  // nodes_ from `from` in direction `step` up to `stop` (exclusive, -1: no bound), at most
  // max_lines; stops after a prose line (60+ code points) when stop_at_prose.
  std::vector<std::string> CollectLines(int from, int step, int max_lines, bool stop_at_prose,
                                        int stop = -1) const {
    std::vector<std::string> lines;
    std::string line;
    int line_block = -2;
    auto flush = [&] {
      if (line.empty()) return false;
      lines.push_back(CollapseSpaces(line));
      line.clear();
      return stop_at_prose && CodePoints(lines.back()) >= 60;
    };
    for (int k = from; k >= 0 && k < static_cast<int>(nodes_.size()) && k != stop; k += step) {
      if (static_cast<int>(lines.size()) >= max_lines) break;
      const Node& n = nodes_[k];
      if (n.tag == GUMBO_TAG_BR && !n.dead) {
        if (flush()) return lines;
        line_block = -2;
        continue;
      }
      if (!n.is_text || n.dead || n.cps == 0) continue;
      int block = n.parent;
      while (block >= 0 && !IsBlockTag(nodes_[block].tag) && nodes_[block].tag != GUMBO_TAG_TD) {
        block = nodes_[block].parent;
      }
      if (block != line_block && flush()) return lines;
      line_block = block;
      const std::string_view text(n.g->v.text.text);
      if (step < 0) {
        line.insert(0, " ").insert(0, text);
      } else {
        line.append(" ").append(text);
      }
    }
    if (static_cast<int>(lines.size()) < max_lines) flush();
    return lines;
  }

  // A short line of Han characters that also opens another header line as "X：…" (an
  // essay's title "茉莉：我是怎样卷入八九民运的" above the name line "茉莉") is its author.
  static bool SignsHeadline(const std::string& line, const std::vector<std::string>& a,
                            const std::vector<std::string>& b) {
    static const RE2 han_re("^\\p{Han}{2,4}$");
    if (!RE2::FullMatch(line, han_re)) return false;
    for (const std::vector<std::string>* v : {&a, &b}) {
      for (const std::string& l : *v) {
        if (l.size() > line.size() + 3 &&
            (StartsWith(l, line + "：") || StartsWith(l, line + ":"))) {
          return true;
        }
      }
    }
    return false;
  }

  // The lines around the content carry its date and byline. Portals print them between
  // the headline and the first paragraph ("2005-04-05 06:40 来源：新华网 作者：山石"),
  // forums and blogs sign posts off after the text ("发布时间 2005/05/17 22:11:42 by 眉间尺",
  // "本贴由大卫于2005年8月12日16:12:21发表"), and the page header's date is today's. So a
  // date after a publication label beats a bare date line, which beats a date inside a
  // longer line; among equals, the line nearer the start of the content wins. Authors:
  // a writer's byline or label, then a name standing alone under the headline, then a
  // bracketed name closing the text, then an editor as the last resort.
  void ScanHeaderLines(int first_root, int last_root) {
    enum Zone { kTop, kInside, kNear, kEnd, kFar, kAfter, kZones };
    std::vector<std::string> zone_lines[kZones];
    zone_lines[kTop] = CollectLines(first_root, 1, 12, true);
    std::reverse(zone_lines[kTop].begin(), zone_lines[kTop].end());
    int after = last_root + 1;
    while (after < static_cast<int>(nodes_.size()) && IsInside(after, last_root)) ++after;
    zone_lines[kInside] = CollectLines(first_root, 1, 400, false, after);
    std::vector<std::string> before = CollectLines(first_root - 1, -1, 40, false);
    constexpr size_t kNearLines = 10;
    for (size_t i = 0; i < before.size(); ++i) {
      zone_lines[i < kNearLines ? kNear : kFar].push_back(std::move(before[i]));
    }
    zone_lines[kEnd] = CollectLines(after - 1, -1, 8, true);
    zone_lines[kAfter] = CollectLines(after, 1, 6, false);
    // A label alone in its cell ("成文日期：") takes the value in the next cell.
    for (int z = 0; z < kZones; ++z) {
      std::vector<std::string>& v = zone_lines[z];
      const bool backward = z == kTop || z == kNear || z == kFar || z == kEnd;
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string& l = v[i];
        if (!(EndsWith(l, "：") || EndsWith(l, ":")) || CodePoints(l) > 8) continue;
        if (backward && i > 0) {
          v[i] = l + " " + v[i - 1];
        } else if (!backward && i + 1 < v.size()) {
          v[i] = l + " " + v[i + 1];
        }
      }
    }

    // Date and author candidates by rank (lower is better), first found wins per rank.
    constexpr int kRanks = 4;
    std::string dates[kRanks], authors[kRanks];
    // Post signatures (labelled date, poster) seen anywhere around the content.
    std::vector<std::pair<std::string, std::string>> signatures;
    bool document_date_seen = false;
    for (int z = 0; z < kZones; ++z) {
      const bool inside = z == kInside;
      const bool near = z == kTop || z == kInside || z == kNear || z == kEnd;
      for (size_t i = 0; i < zone_lines[z].size(); ++i) {
        const std::string& text = zone_lines[z][i];
        Byline b;
        // Inside the content only bylines with a labelled date count (below), and a date
        // needs a year: most of the article's lines need no parsing. (The lines are
        // single-spaced already, as ParseBylineBlock would make them.)
        const bool byline = (!inside || MayHoldDate(text)) && ParseBylineBlock(text, &b);
        if (byline && b.date_labelled && !b.author.empty()) {
          signatures.emplace_back(b.published, b.author);
        }
        // Inside the content only a post's own signature and short label lines count:
        // prose holds dates and names.
        if (inside) {
          if (byline && b.date_labelled) {
            SetIfEmpty(&dates[0], b.published);
            SetIfEmpty(&authors[0], b.author);
          }
          if (AtMostCodePoints(text, 16)) {
            SetIfEmpty(&authors[2], FindWriterLabel(text));
            SetIfEmpty(&authors[3], FindAuthorLabel(text));
          }
          continue;
        }
        if (byline && b.document_date && !document_date_seen) {
          doc_->meta.published = b.published;
          document_date_seen = true;
        }
        // Bylines far from the content (the page header, the lists below it) rank with
        // the bracketed sign-off, after the name under the headline.
        const int writer_rank = near ? 0 : 2;
        if (byline) {
          SetIfEmpty(&dates[b.date_labelled && near ? 0 : 1], b.published);
          SetIfEmpty(&authors[writer_rank], b.author);
        }
        if (AtMostCodePoints(text, 200)) SetIfEmpty(&dates[2], ParseDate(text));
        const std::string head = text.substr(0, std::min<size_t>(text.size(), 600));
        SetIfEmpty(&authors[writer_rank], FindWriterLabel(head));
        if ((z == kTop || (z == kNear && i == 0)) &&
            (IsPersonNameLine(text) || SignsHeadline(text, zone_lines[kTop], zone_lines[kNear]))) {
          SetIfEmpty(&authors[1], CollapseSpaces(text));
        }
        if (z == kEnd && i < 3) SetIfEmpty(&authors[2], FindTrailingAuthor(text));
        SetIfEmpty(&authors[3], FindAuthorLabel(head));
      }
    }
    DocMeta& m = doc_->meta;
    // A thread (three or more signed posts) is dated and signed by its opening post, the
    // earliest, whichever post the content choice settled on; this outranks the
    // signature lines the body keeps, but not <meta> or JSON-LD.
    if (signatures.size() >= 3) {
      const auto first = std::min_element(signatures.begin(), signatures.end());
      SetIfEmpty(&m.published, first->first);
      SetIfEmpty(&m.author, first->second);
    }
    for (int r = 0; r < kRanks; ++r) {
      SetIfEmpty(&m.header_published, dates[r]);
      SetIfEmpty(&m.header_author, authors[r]);
    }
  }

  bool IsInside(int node, int ancestor) const {
    for (int p = node; p >= 0 && p >= ancestor; p = nodes_[p].parent) {
      if (p == ancestor) return true;
    }
    return false;
  }

  double BaseScore(const Node& n) const {
    double s = 0;
    switch (n.tag) {
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_ARTICLE:
      case GUMBO_TAG_MAIN:
      case GUMBO_TAG_SECTION:
        s = 5;
        break;
      case GUMBO_TAG_PRE:
      case GUMBO_TAG_TD:
      case GUMBO_TAG_BLOCKQUOTE:
        s = 3;
        break;
      case GUMBO_TAG_ADDRESS:
      case GUMBO_TAG_OL:
      case GUMBO_TAG_UL:
      case GUMBO_TAG_DL:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_DT:
      case GUMBO_TAG_LI:
      case GUMBO_TAG_FORM:
        s = -3;
        break;
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
      case GUMBO_TAG_TH:
        s = -5;
        break;
      default:
        break;
    }
    if (n.tag == GUMBO_TAG_ARTICLE) s += 10;
    return s + 25.0 * n.hint;
  }

  // Nodes whose own text is a paragraph: <p>, <pre>, <td>, <blockquote>, and containers
  // (div, section, ...) that hold text without block children (<br>-separated runs).
  bool IsParagraphLike(const Node& n) const {
    switch (n.tag) {
      case GUMBO_TAG_P:
      case GUMBO_TAG_PRE:
      case GUMBO_TAG_BLOCKQUOTE:
        return true;
      case GUMBO_TAG_TD:
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_SECTION:
      case GUMBO_TAG_ARTICLE:
      case GUMBO_TAG_CENTER:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_FONT:
      case GUMBO_TAG_SPAN:
        return !n.has_block_desc;
      default:
        return false;
    }
  }

  static bool HoldsOwnText(const Node& n) {
    switch (n.tag) {
      case GUMBO_TAG_TD:
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_SECTION:
      case GUMBO_TAG_ARTICLE:
      case GUMBO_TAG_CENTER:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_BLOCKQUOTE:
        return true;
      default:
        return false;
    }
  }

  std::vector<int> ChooseContent() {
    int body = -1;
    for (size_t k = 0; k < nodes_.size(); ++k) {
      if (nodes_[k].tag == GUMBO_TAG_BODY) {
        body = static_cast<int>(k);
        break;
      }
    }
    if (body < 0) return {};
    std::vector<int> candidates;
    for (size_t k = 0; k < nodes_.size(); ++k) {
      const Node& n = nodes_[k];
      if (n.is_text || n.dead) continue;
      // A paragraph is a paragraph-like element, or the inline text a container holds
      // beside its block children (a forum post's <td> with <br> runs and a <p> signature),
      // scored as if wrapped in a <p> of its own.
      const bool whole = IsParagraphLike(n);
      const bool own = !whole && HoldsOwnText(n) && n.own_cps >= 20;
      if (!(whole && n.cps >= 20) && !own) continue;
      const uint32_t cps = whole ? n.cps : n.own_cps;
      const uint32_t punct = whole ? n.punct : n.own_punct;
      const uint32_t commas = whole ? n.commas : n.own_commas;
      // Text density with punctuation: a comma or 。 is evidence of prose in any script.
      const double score = 1.0 + commas + 0.5 * (punct - std::min(punct, commas)) +
                           std::min(std::floor(cps / 80.0), 3.0);
      int level = 0;
      for (int a = whole ? n.parent : static_cast<int>(k); a >= 0 && level < 5;
           a = nodes_[a].parent, ++level) {
        Node& an = nodes_[a];
        if (an.tag == GUMBO_TAG_HTML || an.g->type == GUMBO_NODE_DOCUMENT) break;
        if (!an.initialized) {
          an.initialized = true;
          an.score = BaseScore(an);
          candidates.push_back(a);
        }
        const double divider = level == 0 ? 1 : (level == 1 ? 2 : level * 3);
        an.score += score / divider;
      }
    }
    int top = -1;
    double top_score = 0;
    for (int c : candidates) {
      Node& n = nodes_[c];
      n.score *= (1.0 - LinkDensity(n));
      if (top < 0 || n.score > top_score) {
        top = c;
        top_score = n.score;
      }
    }
    if (top < 0) return {body};

    // An article printed in chunks of one template (<div class="article__body"> between
    // ad rows): the other chunks carry the top candidate's class; their lowest common
    // ancestor with the top is the article.
    if (const std::string_view cls = Attr(nodes_[top].g, "class"); !cls.empty()) {
      int lca = top;
      for (int c : candidates) {
        if (c == top || nodes_[c].score < top_score * 0.2 || Attr(nodes_[c].g, "class") != cls ||
            IsInside(c, top) || IsInside(top, c)) {
          continue;
        }
        while (lca >= 0 && !IsInside(c, lca)) lca = nodes_[lca].parent;
      }
      if (lca >= 0 && lca != top && nodes_[lca].tag != GUMBO_TAG_BODY &&
          nodes_[lca].tag != GUMBO_TAG_HTML) {
        top = lca;
      }
    }

    // Bodies split over sibling blocks: when several strong candidates share an ancestor
    // that ancestor is the article.
    std::vector<int> strong;
    for (int c : candidates) {
      if (c != top && nodes_[c].score >= top_score * 0.75) strong.push_back(c);
    }
    if (strong.size() >= 2) {
      for (int a = nodes_[top].parent; a >= 0 && nodes_[a].tag != GUMBO_TAG_BODY;
           a = nodes_[a].parent) {
        int containing = 0;
        for (int s : strong) {
          for (int p = s; p >= 0; p = nodes_[p].parent) {
            if (p == a) {
              ++containing;
              break;
            }
          }
        }
        if (containing >= 2) {
          top = a;
          break;
        }
      }
    }
    // A lone child is no better than its parent.
    while (nodes_[top].parent >= 0 && nodes_[top].parent != body) {
      const Node& p = nodes_[nodes_[top].parent];
      int kids = 0;
      for (int c = p.first_child; c >= 0; c = nodes_[c].next_sibling) {
        if (!nodes_[c].is_text || nodes_[c].cps > 0) ++kids;
      }
      if (kids != 1) break;
      top = nodes_[top].parent;
    }
    top_score = std::max(top_score, nodes_[top].score);

    const Node& t = nodes_[top];
    if (t.parent < 0) return {top};
    const double threshold = std::max(10.0, top_score * 0.2);
    std::vector<int> roots;
    for (int s = nodes_[t.parent].first_child; s >= 0; s = nodes_[s].next_sibling) {
      const Node& n = nodes_[s];
      if (n.dead) continue;
      if (s == top) {
        roots.push_back(s);
        continue;
      }
      if (n.is_text) {
        // Bare text between block siblings continues the article when it reads as prose.
        if (n.cps >= 30 && n.commas > 0) roots.push_back(s);
        continue;
      }
      const double ld = LinkDensity(n);
      if (n.initialized && n.score >= threshold) {
        roots.push_back(s);
      } else if (n.tag == GUMBO_TAG_P || IsParagraphLike(n)) {
        if ((n.cps > 80 && ld < 0.25) || (n.cps > 0 && n.cps <= 80 && ld == 0 && n.punct > 0)) {
          roots.push_back(s);
        }
      }
    }
    return roots;
  }

  // Readability's conditional clean: lists, tables and boxes inside the article that are
  // mostly links and carry little prose are related-links boxes.
  bool SkipConditionally(const Node& n) const {
    switch (n.tag) {
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
      case GUMBO_TAG_TABLE:
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_SECTION:
      case GUMBO_TAG_DL:
      case GUMBO_TAG_FORM:
      case GUMBO_TAG_LI:
        break;
      default:
        return false;
    }
    const double ld = LinkDensity(n);
    if (n.commas >= 10) return ld > 0.5;
    if (ld > 0.5) return true;
    if (ld > 0.25 && n.cps < 200) return true;
    if (n.inputs > n.paragraphs / 3 + 1) return true;
    return false;
  }

  static BlockKind KindOf(GumboTag t) {
    if (IsHeading(t)) return BlockKind::kHeading;
    if (t == GUMBO_TAG_LI || t == GUMBO_TAG_DT || t == GUMBO_TAG_DD) return BlockKind::kListItem;
    if (t == GUMBO_TAG_PRE) return BlockKind::kPre;
    if (t == GUMBO_TAG_CAPTION) return BlockKind::kCaption;
    return BlockKind::kParagraph;
  }

  // A row of a data table: its cells hold inline text only.
  bool IsDataRow(const Node& row) const {
    if (row.tag != GUMBO_TAG_TR) return false;
    for (int c = row.first_child; c >= 0; c = nodes_[c].next_sibling) {
      if (!nodes_[c].is_text && nodes_[c].has_block_desc) return false;
    }
    return true;
  }

  void Emit(int root) {
    struct Item {
      int node;
      bool exit;
    };
    std::vector<Item> stack = {{root, false}};
    while (!stack.empty()) {
      const Item it = stack.back();
      stack.pop_back();
      const Node& n = nodes_[it.node];
      if (n.dead) continue;
      if (n.is_text) {
        const std::string_view text(n.g->v.text.text);
        if (n.tag == GUMBO_TAG_UNKNOWN && in_pre_ > 0 && text.find('\n') != std::string::npos) {
          size_t start = 0, nl;
          while ((nl = text.find('\n', start)) != std::string_view::npos) {
            Append(text.substr(start, nl - start), n.in_link);
            Flush();
            start = nl + 1;
          }
          Append(text.substr(start), n.in_link);
        } else {
          Append(text, n.in_link);
        }
        continue;
      }
      if (it.exit) {
        if (n.tag == GUMBO_TAG_PRE) --in_pre_;
        if (n.tag == GUMBO_TAG_TR && data_row_ == it.node) data_row_ = -1;
        if (IsBlockTag(n.tag) &&
            !(data_row_ >= 0 && (n.tag == GUMBO_TAG_TD || n.tag == GUMBO_TAG_TH))) {
          Flush();
        }
        continue;
      }
      if (n.tag == GUMBO_TAG_BR) {
        Flush();
        continue;
      }
      if (n.tag == GUMBO_TAG_IMG) {
        after_image_ = true;
        continue;
      }
      if (SkipConditionally(n)) continue;
      if (n.tag == GUMBO_TAG_TR && IsDataRow(n)) {
        Flush();
        data_row_ = it.node;
        kind_ = BlockKind::kTableRow;
      } else if ((n.tag == GUMBO_TAG_TD || n.tag == GUMBO_TAG_TH) && data_row_ >= 0) {
        if (!current_.empty()) current_ += '\t';
      } else if (IsBlockTag(n.tag)) {
        Flush();
        kind_ = KindOf(n.tag);
        heading_level_ = IsHeading(n.tag) ? static_cast<int>(n.tag - GUMBO_TAG_H1) + 1 : 0;
      }
      if (n.tag == GUMBO_TAG_PRE) ++in_pre_;
      stack.push_back({it.node, true});
      std::vector<int> kids;
      for (int c = n.first_child; c >= 0; c = nodes_[c].next_sibling) kids.push_back(c);
      for (size_t k = kids.size(); k-- > 0;) stack.push_back({kids[k], false});
    }
  }

  void Append(std::string_view text, bool in_link) {
    if (in_link) link_cps_ += static_cast<uint32_t>(CodePoints(CollapseSpaces(text)));
    // A table row keeps its cell separators; everything else is single-spaced later.
    current_.append(text.data(), text.size());
  }

  void Flush() {
    Block b;
    if (kind_ == BlockKind::kTableRow) {
      std::vector<std::string> cells;
      size_t start = 0, tab;
      std::string_view cur = current_;
      while ((tab = cur.find('\t', start)) != std::string_view::npos) {
        cells.push_back(CollapseSpaces(cur.substr(start, tab - start)));
        start = tab + 1;
      }
      cells.push_back(CollapseSpaces(cur.substr(start)));
      for (const std::string& c : cells) {
        if (c.empty()) continue;
        if (!b.text.empty()) b.text += '\t';
        b.text += c;
      }
    } else {
      b.text = CollapseSpaces(current_);
    }
    if (!b.text.empty()) {
      b.kind = kind_;
      // The block right after an image that ends in a credit, "（周容／大纪元）" or
      // "(Photo: Reuters)", is the image's caption.
      static const RE2 credit_re("[（(][^（）()]{1,30}[）)]$");
      if (after_image_ && kind_ != BlockKind::kTableRow && kind_ != BlockKind::kListItem &&
          RE2::PartialMatch(b.text, credit_re)) {
        b.kind = BlockKind::kCaption;
      }
      after_image_ = false;
      b.heading_level = heading_level_;
      b.link_chars = link_cps_;
      doc_->blocks.push_back(std::move(b));
    }
    current_.clear();
    link_cps_ = 0;
    if (data_row_ < 0) {
      kind_ = BlockKind::kParagraph;
      heading_level_ = 0;
    }
  }

  HintMatcher hints_;
  ExtractedDoc* doc_;
  std::vector<Node> nodes_;
  std::string title_, h1_, lang_, canonical_, time_;
  std::unordered_map<std::string, std::string> meta_;
  std::vector<std::string> json_ld_;
  // Block being built.
  std::string current_;
  uint32_t link_cps_ = 0;
  BlockKind kind_ = BlockKind::kParagraph;
  int heading_level_ = 0;
  int data_row_ = -1;
  int in_pre_ = 0;
  bool after_image_ = false;
};

// Gumbo's allocations for one parse: a page makes hundreds of thousands of small nodes,
// strings and vectors, and malloc and free of each one cost more than a tenth of ingest's
// CPU. Small requests come from blocks that are handed out in order and released all at
// once after the parse (a free is a no-op); large ones (text buffers as they grow, big
// vectors) go to malloc and free as usual. Each thread keeps its blocks for the next page,
// up to kKeptBlocks.
class GumboArena {
 public:
  GumboArena() = default;
  GumboArena(const GumboArena&) = delete;
  GumboArena& operator=(const GumboArena&) = delete;
  ~GumboArena() {
    for (char* b : blocks_) std::free(b);
  }

  static void* Allocate(void* self, size_t size) {
    return static_cast<GumboArena*>(self)->Take(size);
  }
  static void Deallocate(void* /*self*/, void* ptr) {
    if (ptr == nullptr) return;
    Header* h = static_cast<Header*>(ptr) - 1;
    if (h->large) std::free(h);
  }

  // Every small allocation since the last Reset becomes free space again.
  void Reset() {
    while (blocks_.size() > kKeptBlocks) {
      std::free(blocks_.back());
      blocks_.pop_back();
    }
    block_ = 0;
    used_ = 0;
  }

 private:
  struct alignas(16) Header {
    size_t large;  // 1: from malloc, freed by Deallocate
  };
  static constexpr size_t kBlockBytes = 256 << 10;
  static constexpr size_t kLargeBytes = 8 << 10;
  static constexpr size_t kKeptBlocks = 16;

  void* Take(size_t size) {
    const size_t total = (sizeof(Header) + size + 15) & ~size_t{15};
    Header* h;
    if (total > kLargeBytes) {
      // Out of memory: nullptr, as malloc (gumbo is C; nothing may unwind through it).
      h = static_cast<Header*>(std::malloc(total));
      if (h == nullptr) return nullptr;
      h->large = 1;
      return h + 1;
    }
    if (blocks_.empty() || used_ + total > kBlockBytes) {
      if (!blocks_.empty()) ++block_;
      if (block_ == blocks_.size()) {
        char* b = static_cast<char*>(std::aligned_alloc(16, kBlockBytes));
        if (b == nullptr) return nullptr;
        blocks_.push_back(b);
      }
      used_ = 0;
    }
    h = reinterpret_cast<Header*>(blocks_[block_] + used_);
    used_ += total;
    h->large = 0;
    return h + 1;
  }

  std::vector<char*> blocks_;
  size_t block_ = 0;  // the block being filled
  size_t used_ = 0;   // bytes of it handed out
};

}  // namespace

Status ExtractHtml(std::string_view html_in, int max_depth, const BoilerplateRules& rules,
                   ExtractedDoc* doc) {
  PrescanOptions prescan;
  prescan.max_depth = max_depth;
  const std::string html = PrescanHtml(html_in, prescan);
  thread_local GumboArena arena;
  struct ResetArena {
    GumboArena& a;
    ~ResetArena() { a.Reset(); }
  } reset{arena};
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not reported; do not spend memory on them
  options.allocator = &GumboArena::Allocate;
  options.deallocator = &GumboArena::Deallocate;
  options.userdata = &arena;
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  if (output == nullptr || output->document == nullptr) {
    return InternalError("gumbo failed to parse the document");
  }
  struct DestroyOutput {
    GumboOptions& options;
    GumboOutput* output;
    // Frees the large allocations; the small ones go with the arena's reset.
    ~DestroyOutput() { gumbo_destroy_output(&options, output); }
  } destroy{options, output};
  HtmlExtractor extractor(rules, doc);
  extractor.Run(output->document);
  return Status::Ok();
}

}  // namespace newsclaim::normalize::internal
