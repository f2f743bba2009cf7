// Byte-level pass over HTML before gumbo parses it: limits element nesting, empties the
// raw-text bodies and removes the attributes the extractor never reads, so the parser does
// less work. The scan follows the HTML tokenizer where it matters for finding where tags,
// attributes and raw text end (tag and attribute states with their quoting, script data's
// escaped and double-escaped states, comment and bogus comment forms) and the tree
// builder's implied end tags for p, li, dt/dd, tr, td/th and option, so depth is counted
// as gumbo will build it.
#include "normalize/html_prescan.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace newsclaim::normalize::internal {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsTagDelimiter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>';
}

// White space between a tag's name and attributes, as the tokenizer sees it.
bool IsTagSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Tag names are kept as views of the input and compared without case.
bool NameIs(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (Lower(name[i]) != lower[i]) return false;
  }
  return true;
}

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// What the scan needs to know of a tag name, from one lookup of its lower-case form.
enum TagFlag : uint32_t {
  kVoid = 1 << 0,
  kRawText = 1 << 1,
  kClosesP = 1 << 2,  // a start tag that closes an open <p>
  // Formatting elements: the tree builder compares their attributes (the Noah's Ark clause
  // of the list of active formatting elements), so theirs are kept whole. <a> is one too,
  // but an <a> start tag first closes any <a> in the list, so no two are ever compared.
  // isindex turns its attributes into elements and text.
  kComparesAttributes = 1 << 3,
  kP = 1 << 4,
  kLi = 1 << 5,
  kDtDd = 1 << 6,
  kTr = 1 << 7,
  kTdTh = 1 << 8,
  kOption = 1 << 9,
  kLink = 1 << 10,
  kScript = 1 << 11,
  kStyle = 1 << 12,
  kPlaintext = 1 << 13,
};

// Lower-cases name into buf (of size 16); false when it is longer than any name looked up.
bool LowerName(std::string_view name, char* buf) {
  if (name.size() > 15) return false;
  for (size_t i = 0; i < name.size(); ++i) buf[i] = Lower(name[i]);
  return true;
}

uint32_t TagFlags(std::string_view name) {
  static const std::unordered_map<std::string_view, uint32_t> kFlags = [] {
    std::unordered_map<std::string_view, uint32_t> m;
    auto add = [&](std::initializer_list<std::string_view> names, uint32_t flag) {
      for (std::string_view n : names) m[n] |= flag;
    };
    add({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr", "keygen"},
        kVoid);
    add({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
         "plaintext"},
        kRawText);
    add({"address", "article", "aside", "blockquote", "div",    "dl",     "fieldset", "footer",
         "form",    "h1",      "h2",    "h3",         "h4",     "h5",     "h6",       "header",
         "hr",      "li",      "main",  "nav",        "ol",     "p",      "pre",      "section",
         "table",   "ul",      "dd",    "dt",         "figure", "center", "details"},
        kClosesP);
    add({"b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
         "isindex"},
        kComparesAttributes);
    add({"p"}, kP);
    add({"li"}, kLi);
    add({"dt", "dd"}, kDtDd);
    add({"tr"}, kTr);
    add({"td", "th"}, kTdTh);
    add({"option"}, kOption);
    add({"link"}, kLink);
    add({"script"}, kScript);
    add({"style"}, kStyle);
    add({"plaintext"}, kPlaintext);
    return m;
  }();
  char buf[16];
  if (!LowerName(name, buf)) return 0;
  const auto it = kFlags.find(std::string_view(buf, name.size()));
  return it == kFlags.end() ? 0 : it->second;
}

// Attributes that the extractor (html_clean.cc) or gumbo's tree builder reads; all others
// are removed from start tags when PrescanOptions::drop_unread_attributes is set. Keep in
// sync with the Attr() calls in html_clean.cc. The tree builder reads input's type (in
// tables), font's color, face and size (leaving SVG), annotation-xml's encoding and
// isindex's attributes (font and isindex keep all theirs).
bool IsReadAttribute(std::string_view name, uint32_t tag_flags) {
  static const std::unordered_set<std::string_view> kRead = {
      "class", "id",       "role",    "style", "hidden", "aria-hidden", "lang",    "property",
      "name",  "itemprop", "content", "rel",   "type",   "datetime",    "encoding"};
  char buf[16];
  if (!LowerName(name, buf)) return false;
  const std::string_view lower(buf, name.size());
  if (lower == "href") return (tag_flags & kLink) != 0;
  return kRead.count(lower) > 0;
}

#ifdef __SSE2__
// The first position >= p where s has a or b, or s.size().
size_t FindEither(std::string_view s, size_t p, char a, char b) {
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
  while (p + 16 <= s.size()) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + p));
    const int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)));
    if (m != 0) return p + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(m)));
    p += 16;
  }
  while (p < s.size() && s[p] != a && s[p] != b) ++p;
  return p;
}
#else
size_t FindEither(std::string_view s, size_t p, char a, char b) {
  while (p < s.size() && s[p] != a && s[p] != b) ++p;
  return p;
}
#endif

// Case-insensitive search for an ASCII needle given in lower case.
size_t FindNoCase(std::string_view hay, std::string_view lower_needle, size_t from) {
  if (lower_needle.empty() || hay.size() < lower_needle.size()) return std::string_view::npos;
  const char first = lower_needle[0];
  const char first_upper = static_cast<char>(first - 'a' + 'A');
  for (size_t i = from; i + lower_needle.size() <= hay.size(); ++i) {
    const char c = hay[i];
    if (c != first && c != first_upper) continue;
    if (NameIs(hay.substr(i, lower_needle.size()), lower_needle)) return i;
  }
  return std::string_view::npos;
}

class Scanner {
 public:
  Scanner(std::string_view html, const PrescanOptions& options) : html_(html), opt_(options) {}

  std::string Run() {
    const size_t n = html_.size();
    size_t i = 0;
    size_t text = 0;  // start of the text before the next markup
    while ((i = html_.find('<', i)) != std::string_view::npos) {
      if (i + 1 >= n) break;
      const char next = html_[i + 1];
      const bool markup = next == '!' || next == '/' || next == '?' || IsAsciiLetter(next);
      if (markup) CollapseWhitespace(text, i);
      if (next == '!') {
        i = Markup(i);
      } else if (next == '/') {
        i = EndTag(i);
      } else if (next == '?') {
        i = BogusComment(i + 2);
      } else if (IsAsciiLetter(next)) {
        i = StartTag(i);
      } else {
        ++i;  // a '<' that is text
      }
      if (markup) text = i;
    }
    CollapseWhitespace(text, n);
    if (drops_.empty()) return std::string(html_);
    size_t kept = html_.size();
    for (const auto& [b, e] : drops_) kept -= e - b;
    std::string out;
    out.reserve(kept);
    size_t at = 0;
    for (const auto& [b, e] : drops_) {
      out.append(html_.substr(at, b - at));
      at = e;
    }
    out.append(html_.substr(at));
    return out;
  }

 private:
  // One attribute of a tag: [begin, end) is all of it (name, '=' and value); the name is
  // [begin, name_end).
  struct Attribute {
    size_t begin, name_end, end;
  };

  // A tag as the tokenizer reads it, from the first character of its name (after "<" or
  // "</"): the name runs to white space, '/' or '>', then attributes with their quoting
  // rules. end is just past the closing '>', or npos when the input ends inside the tag
  // (the tokenizer then drops the tag).
  struct Tag {
    std::string_view name;
    size_t end = std::string_view::npos;
    bool self_closing = false;
  };

  Tag ScanTag(size_t p, std::vector<Attribute>* attrs) const {
    const size_t n = html_.size();
    Tag t;
    const size_t name_begin = p;
    while (p < n && !IsTagSpace(html_[p]) && html_[p] != '/' && html_[p] != '>') ++p;
    t.name = html_.substr(name_begin, p - name_begin);
    while (true) {
      // Before attribute name.
      while (p < n && IsTagSpace(html_[p])) ++p;
      if (p >= n) return t;
      if (html_[p] == '>') {
        t.end = p + 1;
        return t;
      }
      if (html_[p] == '/') {
        // Self-closing start tag state: anything but '>' is read again as attribute text.
        ++p;
        if (p >= n) return t;
        if (html_[p] == '>') {
          t.end = p + 1;
          t.self_closing = true;
          return t;
        }
        continue;
      }
      // Attribute name: its first character may be '='; then up to space, '/', '>', '='.
      Attribute a;
      a.begin = p++;
      while (p < n && !IsTagSpace(html_[p]) && html_[p] != '/' && html_[p] != '>' &&
             html_[p] != '=') {
        ++p;
      }
      a.name_end = a.end = p;
      size_t q = p;  // after attribute name
      while (q < n && IsTagSpace(html_[q])) ++q;
      if (q >= n) return t;
      if (html_[q] == '=') {
        // Before attribute value.
        p = q + 1;
        while (p < n && IsTagSpace(html_[p])) ++p;
        if (p >= n) return t;
        const char c = html_[p];
        if (c == '"' || c == '\'') {
          const size_t close = html_.find(c, p + 1);
          if (close == std::string_view::npos) return t;
          p = close + 1;
        } else if (c != '>') {  // '>' here: an empty value, and the tag ends
          while (p < n && !IsTagSpace(html_[p]) && html_[p] != '>') ++p;
          if (p >= n) return t;
        }
        a.end = p;
      }
      if (attrs != nullptr) attrs->push_back(a);
    }
  }

  // `<?...>` and `</` followed by neither a letter nor '>': a comment up to the first '>'.
  size_t BogusComment(size_t p) const {
    const size_t end = html_.find('>', p);
    return end == std::string_view::npos ? html_.size() : end + 1;
  }

  // `<!--...-->`, `<!DOCTYPE ...>`, `<![CDATA[...]]>` and other `<!` markup.
  size_t Markup(size_t i) {
    const size_t n = html_.size();
    if (html_.substr(i, 4) != "<!--") {
      // In SVG and MathML `<![CDATA[` opens text that runs to `]]>`, elsewhere a comment
      // that ends at the first '>'. Which one is not known here, so no tag before the
      // `]]>` is rewritten.
      if (html_.substr(i, 9) == "<![CDATA[") {
        const size_t close = html_.find("]]>", i + 9);
        keep_tags_until_ = close == std::string_view::npos ? n : close + 3;
      }
      return BogusComment(i + 2);
    }
    size_t end;
    if (html_.substr(i, 5) == "<!-->") {
      end = i + 5;
    } else if (html_.substr(i, 6) == "<!--->") {
      end = i + 6;
    } else {
      // "--!>" ends a comment too (the comment end bang state).
      const size_t close = html_.find("--", i + 4);
      end = std::string_view::npos;
      for (size_t c = close; c != std::string_view::npos; c = html_.find("--", c + 1)) {
        if (html_.substr(c, 3) == "-->") {
          end = c + 3;
          break;
        }
        if (html_.substr(c, 4) == "--!>") {
          end = c + 4;
          break;
        }
      }
      if (end == std::string_view::npos) return n;  // the rest is a comment
    }
    if (opt_.drop_unread_text) drops_.emplace_back(i, end);
    return end;
  }

  size_t EndTag(size_t i) {
    if (i + 2 >= html_.size()) return html_.size();  // "</" at the end is text
    if (html_[i + 2] == '>') return i + 3;           // "</>" is dropped
    if (!IsAsciiLetter(html_[i + 2])) return BogusComment(i + 2);
    const Tag t = ScanTag(i + 2, nullptr);
    if (t.end == std::string_view::npos) return html_.size();
    for (auto& [dropped, count] : dropped_) {
      if (count > 0 && SameName(dropped, t.name)) {
        --count;
        drops_.emplace_back(i, t.end);
        return t.end;
      }
    }
    PopTo(t.name, "", "");
    return t.end;
  }

  size_t StartTag(size_t i) {
    attrs_.clear();
    const Tag t = ScanTag(i + 1, &attrs_);
    if (t.end == std::string_view::npos) return html_.size();
    const std::string_view name = t.name;
    const size_t end = t.end;
    const uint32_t flags = TagFlags(name);
    if (flags & kRawText) {
      DropUnreadAttributes(flags, i);
      return RawText(name, flags, i, end);
    }
    if ((flags & kVoid) || t.self_closing) {
      DropUnreadAttributes(flags, i);
      return end;
    }
    if (!stack_.empty() && NameIs(stack_.back(), "p") && (flags & kClosesP)) stack_.pop_back();
    if (flags & kLi) PopTo("li", "ul", "ol");
    if (flags & kDtDd) {
      PopTo("dt", "dl", "");
      PopTo("dd", "dl", "");
    }
    if (flags & kTr) PopTo("tr", "table", "");
    if (flags & kTdTh) {
      PopTo("td", "tr", "table");
      PopTo("th", "tr", "table");
    }
    if (flags & kOption) PopTo("option", "select", "");
    if (static_cast<int>(stack_.size()) >= opt_.max_depth) {
      auto it = std::find_if(dropped_.begin(), dropped_.end(),
                             [&](const auto& d) { return SameName(d.first, name); });
      if (it == dropped_.end()) {
        dropped_.emplace_back(name, 1);
      } else {
        ++it->second;
      }
      drops_.emplace_back(i, end);
    } else {
      DropUnreadAttributes(flags, i);
      stack_.push_back(name);
    }
    return end;
  }

  // Removes the attributes of the start tag at tag_start (scanned into attrs_) that
  // nothing reads. An attribute right after a '/' stays: without it the '/' could make
  // the tag self-closing.
  void DropUnreadAttributes(uint32_t tag_flags, size_t tag_start) {
    if (!opt_.drop_unread_attributes || attrs_.empty() || tag_start < keep_tags_until_ ||
        (tag_flags & kComparesAttributes)) {
      return;
    }
    for (const Attribute& a : attrs_) {
      if (html_[a.begin - 1] == '/') continue;
      const std::string_view attr_name = html_.substr(a.begin, a.name_end - a.begin);
      if (!IsReadAttribute(attr_name, tag_flags)) drops_.emplace_back(a.begin, a.end);
    }
  }

  // Text [b, e): each run of two or more spaces, tabs and newlines keeps its newlines, or
  // its first character when it has none. Not inside <pre> or <listing> (as far as the
  // element stack tells), nor before the end of a CDATA section.
  void CollapseWhitespace(size_t b, size_t e) {
    if (!opt_.collapse_whitespace || e < b + 2 || b < keep_tags_until_) return;
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
    bool checked_pre = false;
    for (size_t p = b; p < e;) {
      while (p < e && !blank(html_[p])) ++p;
      size_t r = p;
      bool newline = false;
      while (r < e && blank(html_[r])) newline |= html_[r++] == '\n';
      if (r - p >= 2) {
        if (!checked_pre) {
          for (std::string_view open : stack_) {
            if (NameIs(open, "pre") || NameIs(open, "listing")) return;
          }
          checked_pre = true;
        }
        if (!newline) {
          drops_.emplace_back(p + 1, r);
        } else {
          for (size_t q = p; q < r;) {
            if (html_[q] == '\n') {
              ++q;
              continue;
            }
            const size_t from = q;
            while (q < r && html_[q] != '\n') ++q;
            drops_.emplace_back(from, q);
          }
        }
      }
      p = r;
    }
  }

  // True when an end tag `</name` followed by a delimiter starts at p.
  bool EndTagAt(size_t p, std::string_view lower_name) const {
    if (html_.substr(p, 2) != "</") return false;
    const size_t e = p + 2 + lower_name.size();
    return e < html_.size() && NameIs(html_.substr(p + 2, lower_name.size()), lower_name) &&
           IsTagDelimiter(html_[e]);
  }

  // Where the script body starting at p ends (the '<' of its end tag, or the input's
  // end): script data with its escaped (`<!--`) and double-escaped (`<script` inside
  // the escape) states, in which `</script>` does not end the element.
  size_t ScriptEnd(size_t p) const {
    const size_t n = html_.size();
    enum { kData, kEscaped, kDoubleEscaped } state = kData;
    while (p < n) {
      // Only '<' matters in script data, '-' too once escaped.
      p = state == kData ? html_.find('<', p) : FindEither(html_, p, '<', '-');
      if (p == std::string_view::npos || p >= n) return n;
      const char c = html_[p];
      if (c == '<') {
        if (EndTagAt(p, "script")) {
          if (state != kDoubleEscaped) return p;
          state = kEscaped;
          p += 8;
          continue;
        }
        if (state == kData && html_.substr(p, 4) == "<!--") {
          // The dashes of "<!--" also count towards a "-->" that ends the escape at
          // once, as in "<!-->".
          state = kEscaped;
          p += 2;
          continue;
        }
        if (state == kEscaped && p + 7 < n && NameIs(html_.substr(p + 1, 6), "script") &&
            IsTagDelimiter(html_[p + 7])) {
          state = kDoubleEscaped;
          p += 7;
          continue;
        }
      } else if (c == '-' && state != kData && html_.substr(p, 3) == "-->") {
        state = kData;
        p += 3;
        continue;
      }
      ++p;
    }
    return n;
  }

  size_t RawText(std::string_view name, uint32_t flags, size_t tag_start, size_t body) {
    const size_t n = html_.size();
    size_t close;
    if (flags & kPlaintext) {
      close = n;
    } else if (flags & kScript) {
      close = ScriptEnd(body);
    } else {
      char lower[16];
      const size_t len = std::min(name.size(), sizeof(lower));
      for (size_t k = 0; k < len; ++k) lower[k] = Lower(name[k]);
      const std::string_view lower_name(lower, len);
      close = n;
      for (size_t p = body; (p = html_.find("</", p)) != std::string_view::npos; p += 2) {
        if (EndTagAt(p, lower_name)) {
          close = p;
          break;
        }
      }
    }
    if (opt_.drop_unread_text && close > body) {
      const bool script = (flags & kScript) != 0;
      const bool json_ld = script && FindNoCase(html_.substr(tag_start, body - tag_start),
                                                "ld+json", 0) != std::string_view::npos;
      if ((script && !json_ld) || (flags & kStyle)) drops_.emplace_back(body, close);
    }
    return close;
  }

  void PopTo(std::string_view name, std::string_view boundary1, std::string_view boundary2) {
    for (size_t k = stack_.size(); k-- > 0;) {
      if (SameName(stack_[k], name)) {
        stack_.resize(k);
        return;
      }
      if ((!boundary1.empty() && NameIs(stack_[k], boundary1)) ||
          (!boundary2.empty() && NameIs(stack_[k], boundary2))) {
        return;
      }
    }
  }

  std::string_view html_;
  PrescanOptions opt_;
  std::vector<std::string_view> stack_;
  std::vector<std::pair<std::string_view, int>> dropped_;  // names dropped beyond the limit
  std::vector<std::pair<size_t, size_t>> drops_;           // byte ranges to remove, in order
  std::vector<Attribute> attrs_;                           // of the start tag being read
  size_t keep_tags_until_ = 0;  // no attribute is dropped from a tag before this offset
};

}  // namespace

std::string PrescanHtml(std::string_view html, const PrescanOptions& options) {
  return Scanner(html, options).Run();
}

std::string LimitNesting(std::string_view html, int max_depth) {
  PrescanOptions options;
  options.max_depth = max_depth;
  options.drop_unread_text = false;
  options.drop_unread_attributes = false;
  options.collapse_whitespace = false;
  return PrescanHtml(html, options);
}

}  // namespace newsclaim::normalize::internal
