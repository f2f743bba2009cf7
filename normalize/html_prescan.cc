// Byte-level pass over HTML before gumbo parses it: limits element nesting and empties
// the raw-text bodies the extractor never reads, so the parser does less work. The scan
// follows the HTML tokenizer where it matters for finding the end of raw text (script
// data's escaped and double-escaped states, comment forms, quoted attribute values) and
// the tree builder's implied end tags for p, li, dt/dd, tr, td/th and option, so depth is
// counted as gumbo will build it.
#include "normalize/html_prescan.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace newsclaim::normalize::internal {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == ':';
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsTagDelimiter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>';
}

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

bool NameIn(std::string_view name, std::initializer_list<std::string_view> set) {
  return std::any_of(set.begin(), set.end(), [&](std::string_view t) { return NameIs(name, t); });
}

bool IsVoidTag(std::string_view t) {
  return NameIn(t, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                    "param", "source", "track", "wbr", "keygen"});
}

bool IsRawTextTag(std::string_view t) {
  return NameIn(t, {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                    "plaintext"});
}

bool ClosesParagraph(std::string_view t) {
  return NameIn(
      t, {"address", "article", "aside", "blockquote", "div",    "dl",     "fieldset", "footer",
          "form",    "h1",      "h2",    "h3",         "h4",     "h5",     "h6",       "header",
          "hr",      "li",      "main",  "nav",        "ol",     "p",      "pre",      "section",
          "table",   "ul",      "dd",    "dt",         "figure", "center", "details"});
}

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
    while ((i = html_.find('<', i)) != std::string_view::npos) {
      if (i + 1 >= n) break;
      const char next = html_[i + 1];
      if (next == '!') {
        i = Markup(i);
        continue;
      }
      if (next == '/') {
        i = EndTag(i);
        continue;
      }
      if (!IsAsciiLetter(next)) {
        ++i;
        continue;
      }
      i = StartTag(i);
    }
    if (drops_.empty()) return std::string(html_);
    std::string out;
    out.reserve(html_.size());
    size_t at = 0;
    for (const auto& [b, e] : drops_) {
      out.append(html_.substr(at, b - at));
      at = e;
    }
    out.append(html_.substr(at));
    return out;
  }

 private:
  std::string_view NameAt(size_t p, size_t* end) const {
    size_t e = p;
    while (e < html_.size() && IsNameChar(html_[e])) ++e;
    *end = e;
    return html_.substr(p, e - p);
  }

  // Index just past the '>' that ends the tag whose name ends at p (quotes respected).
  size_t TagEnd(size_t p) const {
    char quote = 0;
    for (; p < html_.size(); ++p) {
      const char c = html_[p];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return p + 1;
      }
    }
    return html_.size();
  }

  // `<!--...-->`, `<!DOCTYPE ...>`, `<![CDATA[...]]>` and other `<!` markup.
  size_t Markup(size_t i) {
    const size_t n = html_.size();
    if (html_.substr(i, 4) != "<!--") {
      const size_t end = html_.find('>', i);
      return end == std::string_view::npos ? n : end + 1;
    }
    size_t end;
    if (html_.substr(i, 5) == "<!-->") {
      end = i + 5;
    } else if (html_.substr(i, 6) == "<!--->") {
      end = i + 6;
    } else {
      const size_t close = html_.find("-->", i + 4);
      if (close == std::string_view::npos) return n;  // the rest is a comment
      end = close + 3;
    }
    if (opt_.drop_unread_text) drops_.emplace_back(i, end);
    return end;
  }

  size_t EndTag(size_t i) {
    size_t name_end;
    const std::string_view name = NameAt(i + 2, &name_end);
    const size_t end = TagEnd(name_end);
    if (name.empty()) return end;
    for (auto& [dropped, count] : dropped_) {
      if (count > 0 && SameName(dropped, name)) {
        --count;
        drops_.emplace_back(i, end);
        return end;
      }
    }
    PopTo(name, "", "");
    return end;
  }

  size_t StartTag(size_t i) {
    size_t name_end;
    const std::string_view name = NameAt(i + 1, &name_end);
    const size_t end = TagEnd(name_end);
    const bool self_closing = end >= 2 && html_[end - 2] == '/';
    if (IsRawTextTag(name)) return RawText(name, i, end);
    if (IsVoidTag(name) || self_closing) return end;
    if (!stack_.empty() && NameIs(stack_.back(), "p") && ClosesParagraph(name)) stack_.pop_back();
    if (NameIs(name, "li")) PopTo("li", "ul", "ol");
    if (NameIs(name, "dt") || NameIs(name, "dd")) {
      PopTo("dt", "dl", "");
      PopTo("dd", "dl", "");
    }
    if (NameIs(name, "tr")) PopTo("tr", "table", "");
    if (NameIs(name, "td") || NameIs(name, "th")) {
      PopTo("td", "tr", "table");
      PopTo("th", "tr", "table");
    }
    if (NameIs(name, "option")) PopTo("option", "select", "");
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
      stack_.push_back(name);
    }
    return end;
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
      const char c = html_[p];
      if (c == '<') {
        if (EndTagAt(p, "script")) {
          if (state != kDoubleEscaped) return p;
          state = kEscaped;
          p += 8;
          continue;
        }
        if (state == kData && html_.substr(p, 4) == "<!--") {
          state = kEscaped;
          p += 4;
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

  size_t RawText(std::string_view name, size_t tag_start, size_t body) {
    const size_t n = html_.size();
    size_t close;
    if (NameIs(name, "plaintext")) {
      close = n;
    } else if (NameIs(name, "script")) {
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
      const bool script = NameIs(name, "script");
      const bool json_ld = script && FindNoCase(html_.substr(tag_start, body - tag_start),
                                                "ld+json", 0) != std::string_view::npos;
      if ((script && !json_ld) || NameIs(name, "style")) drops_.emplace_back(body, close);
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
};

}  // namespace

std::string PrescanHtml(std::string_view html, const PrescanOptions& options) {
  return Scanner(html, options).Run();
}

std::string LimitNesting(std::string_view html, int max_depth) {
  PrescanOptions options;
  options.max_depth = max_depth;
  options.drop_unread_text = false;
  return PrescanHtml(html, options);
}

}  // namespace newsclaim::normalize::internal
