// Line-oriented cleaning of text and markdown dumps (news-please style text files,
// markdown mirrors of pages, copy-pasted articles).
#include "normalize/text_clean.h"

#include <re2/re2.h>

#include <vector>

#include "core/utf8.h"
#include "normalize/metadata.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize::internal {
namespace {

std::string Unquote(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 2 &&
      ((v.front() == '"' && v.back() == '"') || (v.front() == '\'' && v.back() == '\''))) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

}  // namespace

size_t ParseFrontMatter(std::string_view text, DocMeta* meta) {
  if (!StartsWith(text, "---\n") && !StartsWith(text, "---\r\n")) return 0;
  size_t pos = text.find('\n') + 1;
  std::vector<std::pair<std::string, std::string>> fields;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    const std::string_view trimmed = Trim(line);
    if (trimmed == "---" || trimmed == "...") {
      for (const auto& [key, value] : fields) {
        if (key == "title") SetIfEmpty(&meta->title, CollapseSpaces(value));
        if (key == "url" || key == "link" || key == "canonical" || key == "canonical_url")
          SetIfEmpty(&meta->canonical_url, value);
        if (key == "date" || key == "published" || key == "pubdate" || key == "published_at" ||
            key == "date_published")
          SetIfEmpty(&meta->published, ParseDate(value));
        if (key == "source" || key == "outlet" || key == "site" || key == "site_name" ||
            key == "publisher")
          SetIfEmpty(&meta->outlet, CleanOutlet(value));
        if (key == "author" || key == "authors" || key == "byline")
          SetIfEmpty(&meta->author, CollapseSpaces(value));
        if (key == "lang" || key == "language") SetIfEmpty(&meta->language, AsciiLower(value));
      }
      return nl < text.size() ? nl + 1 : text.size();
    }
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      fields.emplace_back(AsciiLower(Trim(line.substr(0, colon))), Unquote(line.substr(colon + 1)));
    }
    pos = nl + 1;
  }
  return 0;  // no closing line: not front matter
}

namespace {

bool IsBlockTagName(std::string_view name) {
  static constexpr std::string_view kTags[] = {
      "p",  "div",   "br", "li", "tr", "h1",      "h2",      "h3",         "h4",  "h5", "h6", "ul",
      "ol", "table", "td", "th", "hr", "section", "article", "blockquote", "pre", "dd", "dt"};
  for (std::string_view t : kTags) {
    if (name == t) return true;
  }
  return false;
}

// Removes HTML tags that slipped into a text dump; block-level tags become line breaks.
std::string StripTags(std::string_view s) {
  if (s.find('<') == std::string_view::npos) return std::string(s);
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '<' && i + 1 < s.size() &&
        (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' ||
         s[i + 1] == '!')) {
      const size_t end = s.find('>', i);
      if (end != std::string_view::npos && end - i < 1000) {
        size_t p = i + 1;
        if (s[p] == '/') ++p;
        std::string name;
        while (p < s.size() && std::isalnum(static_cast<unsigned char>(s[p]))) {
          name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[p]))));
          ++p;
        }
        if (IsBlockTagName(name)) out.push_back('\n');
        i = end + 1;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

}  // namespace

std::string DecodeEntities(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  static constexpr std::pair<std::string_view, char32_t> kNamed[] = {
      {"nbsp", 0xA0},     {"amp", '&'},      {"lt", '<'},       {"gt", '>'},
      {"quot", '"'},      {"apos", '\''},    {"ldquo", 0x201C}, {"rdquo", 0x201D},
      {"lsquo", 0x2018},  {"rsquo", 0x2019}, {"mdash", 0x2014}, {"ndash", 0x2013},
      {"hellip", 0x2026}, {"middot", 0xB7},  {"copy", 0xA9},    {"times", 0xD7},
      {"ensp", 0x2002},   {"emsp", 0x2003},  {"thinsp", 0x2009}};
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '&') {
      const size_t semi = s.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        const std::string_view name = s.substr(i + 1, semi - i - 1);
        char32_t cp = 0;
        if (!name.empty() && name[0] == '#') {
          const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
          const std::string digits(name.substr(hex ? 2 : 1));
          if (!digits.empty() &&
              digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") ==
                  std::string::npos) {
            const unsigned long v = std::stoul(digits, nullptr, hex ? 16 : 10);
            if (v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) {
              cp = static_cast<char32_t>(v);
            }
          }
        } else {
          for (const auto& [n, c] : kNamed) {
            if (name == n) cp = c;
          }
        }
        if (cp != 0) {
          utf8::Append(cp, &out);
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string StripMarkdownInline(std::string_view line, uint32_t* link_chars) {
  std::string s(line);
  static const RE2 image_re("!\\[[^\\]]*\\]\\([^)]*\\)|!\\[[^\\]]*\\]\\[[^\\]]*\\]");
  RE2::GlobalReplace(&s, image_re, "");
  static const RE2 autolink_re("<(?:https?|ftp|mailto):[^>\\s]*>");
  RE2::GlobalReplace(&s, autolink_re, "");
  // [text](url "title") and [text][ref]: keep the text, count it as link text.
  static const RE2 link_re(
      "\\[([^\\[\\]]*)\\]\\((?:[^()\\s]|\\([^()]*\\))*(?:\\s+\"[^\"]*\")?\\s*\\)|\\[([^\\[\\]]*)"
      "\\]\\[[^\\]]*\\]");
  for (int round = 0; round < 3; ++round) {
    std::string out;
    re2::StringPiece in(s);
    re2::StringPiece g[3];
    size_t start = 0;
    bool any = false;
    while (start <= in.size() && link_re.Match(in, start, in.size(), RE2::UNANCHORED, g, 3)) {
      const size_t b = static_cast<size_t>(g[0].data() - in.data());
      out.append(s, start, b - start);
      const re2::StringPiece text = g[1].data() != nullptr ? g[1] : g[2];
      out.append(text.data(), text.size());
      if (link_chars != nullptr) {
        *link_chars += static_cast<uint32_t>(
            CodePoints(CollapseSpaces(std::string_view(text.data(), text.size()))));
      }
      start = b + g[0].size();
      any = true;
      if (g[0].empty()) break;
    }
    if (!any) break;
    out.append(s, start, std::string::npos);
    s = std::move(out);
  }
  static const RE2 strong_re("\\*\\*|__");
  RE2::GlobalReplace(&s, strong_re, "");
  std::string_view t = Trim(s);
  if (t.size() >= 2 && (t.front() == '*' || t.front() == '_') && t.back() == t.front()) {
    t = t.substr(1, t.size() - 2);
  }
  return std::string(t);
}

void ExtractTextBlocks(std::string_view text, ExtractedDoc* doc) {
  const std::string body = StripTags(DecodeEntities(text));
  static const RE2 heading_re("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  static const RE2 list_re("^\\s*(?:[*+\\-•·●▪■◆]|[0-9]{1,3}[.)])\\s+(.*)$");
  static const RE2 quote_re("^\\s*>\\s?(.*)$");
  static const RE2 rule_re("^\\s*(?:[-*_=]\\s*){3,}$");
  static const RE2 ref_def_re("^\\s*\\[[^\\]]+\\]:\\s*\\S+.*$");
  static const RE2 table_sep_re("^\\s*\\|?\\s*:?-{2,}:?\\s*(?:\\|\\s*:?-{2,}:?\\s*)*\\|?\\s*$");
  bool in_code = false;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string::npos) nl = body.size();
    std::string line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (StartsWith(Trim(line), "```") || StartsWith(Trim(line), "~~~")) {
      in_code = !in_code;
      continue;
    }
    Block b;
    if (in_code) {
      b.kind = BlockKind::kPre;
      b.text = CollapseSpaces(line);
      if (!b.text.empty()) doc->blocks.push_back(std::move(b));
      continue;
    }
    if (RE2::FullMatch(line, rule_re) || RE2::FullMatch(line, ref_def_re) ||
        RE2::FullMatch(line, table_sep_re)) {
      continue;
    }
    std::string hashes, rest;
    if (RE2::FullMatch(line, heading_re, &hashes, &rest)) {
      b.kind = BlockKind::kHeading;
      b.heading_level = static_cast<int>(hashes.size());
      line = rest;
    } else if (RE2::FullMatch(line, list_re, &rest)) {
      b.kind = BlockKind::kListItem;
      line = rest;
    } else if (RE2::FullMatch(line, quote_re, &rest)) {
      line = rest;
    }
    std::string_view tl = Trim(line);
    if (tl.size() >= 2 && tl.front() == '|' && tl.back() == '|') {
      b.kind = BlockKind::kTableRow;
      std::string cells;
      for (const std::string& cell : SplitOn(tl, [](char32_t c) { return c == '|'; })) {
        if (!cells.empty()) cells += '\t';
        cells += CollapseSpaces(StripMarkdownInline(cell, &b.link_chars));
      }
      b.text = cells;
    } else {
      b.text = CollapseSpaces(StripMarkdownInline(line, &b.link_chars));
    }
    if (!b.text.empty()) doc->blocks.push_back(std::move(b));
  }
}

}  // namespace newsclaim::normalize::internal
