// Text views, UTF-8 tests and the rule-table reader shared by chips.cc and sources.cc.
#include "extract/chips_text.h"

#include "core/utf8.h"

namespace newsclaim::extract::text {

MatchText MatchText::Folded(const Article& article) {
  if (article.folded.empty() || article.folded_to_body.size() != article.folded.size() + 1) {
    return Body(article);
  }
  MatchText t;
  t.text_ = article.folded;
  t.map_ = &article.folded_to_body;
  t.body_size_ = static_cast<uint32_t>(article.body.size());
  return t;
}

MatchText MatchText::Body(const Article& article) {
  MatchText t;
  t.text_ = article.body;
  t.body_size_ = static_cast<uint32_t>(article.body.size());
  return t;
}

uint32_t MatchText::BodyBegin(uint32_t i) const {
  if (map_ == nullptr) return i;
  uint32_t b = (*map_)[i];
  return b > body_size_ ? body_size_ : b;
}

uint32_t MatchText::BodyEnd(uint32_t i) const {
  if (map_ == nullptr) return i;
  if (i == 0) return BodyBegin(0);
  // Several folded bytes come from one body character (NFKC expansions, multi-byte
  // characters): the span ends where the next body character starts.
  const uint32_t last = (*map_)[i - 1];
  for (size_t j = i; j < map_->size(); ++j) {
    if ((*map_)[j] > last) return (*map_)[j] > body_size_ ? body_size_ : (*map_)[j];
  }
  return body_size_;
}

Span MatchText::ToBody(uint32_t b, uint32_t e) const {
  Span s{BodyBegin(b), e > b ? BodyEnd(e) : BodyBegin(b)};
  if (s.end < s.begin) s.end = s.begin;
  return s;
}

bool IsHan(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 || cp == 0x3000;
}

char32_t DecodeBefore(std::string_view s, size_t pos, size_t* start) {
  size_t b = pos - 1;
  while (b > 0 && pos - b < 4 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  size_t len = 0;
  char32_t cp = DecodeAt(s, b, &len);
  if (b + len != pos) {  // invalid sequence: step back one byte only
    *start = pos - 1;
    return 0xFFFD;
  }
  *start = b;
  return cp;
}

size_t CodePoints(std::string_view s, size_t b, size_t e) {
  size_t n = 0;
  for (size_t i = b; i < e && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {
int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }
}  // namespace

TableReader::TableReader(const toml::table& table, Diagnostics& diag)
    : table_(table), diag_(diag), line_(static_cast<int>(table.source().begin.line)) {}

std::optional<std::string> TableReader::String(std::string_view key, bool required) {
  known_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) {
    if (required) {
      diag_.Add(line_, "missing required string field '" + std::string(key) + "'");
      ok_ = false;
    }
    return std::nullopt;
  }
  std::optional<std::string> v = node->value<std::string>();
  if (!v || !node->is_string()) {
    diag_.Add(LineOf(*node), "field '" + std::string(key) + "' must be a string");
    ok_ = false;
    return std::nullopt;
  }
  if (v->empty()) {
    diag_.Add(LineOf(*node), "field '" + std::string(key) + "' must not be empty");
    ok_ = false;
    return std::nullopt;
  }
  return v;
}

std::vector<std::string> TableReader::Strings(std::string_view key) {
  known_.emplace(key);
  std::vector<std::string> out;
  const toml::node* node = table_.get(key);
  if (node == nullptr) return out;
  const toml::array* arr = node->as_array();
  if (arr == nullptr) {
    diag_.Add(LineOf(*node), "field '" + std::string(key) + "' must be an array of strings");
    ok_ = false;
    return out;
  }
  for (const toml::node& el : *arr) {
    std::optional<std::string> v = el.value<std::string>();
    if (!el.is_string() || !v) {
      diag_.Add(LineOf(el), "field '" + std::string(key) + "' must hold only strings");
      ok_ = false;
      continue;
    }
    bool blank = true;
    for (char c : *v) blank = blank && (c == ' ' || c == '\t');
    if (blank) {
      diag_.Add(LineOf(el), "field '" + std::string(key) + "' holds an empty string");
      ok_ = false;
      continue;
    }
    out.push_back(std::move(*v));
  }
  return out;
}

std::optional<bool> TableReader::Bool(std::string_view key) {
  known_.emplace(key);
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_boolean()) {
    diag_.Add(LineOf(*node), "field '" + std::string(key) + "' must be true or false");
    ok_ = false;
    return std::nullopt;
  }
  return node->value<bool>();
}

void TableReader::Examples() {
  Strings("examples");
  Strings("counter_examples");
}

bool TableReader::Finish() {
  for (auto&& [key, node] : table_) {
    if (known_.count(key.str()) == 0) {
      diag_.Add(LineOf(node), "unknown field '" + std::string(key.str()) + "'");
      ok_ = false;
    }
  }
  return ok_;
}

}  // namespace newsclaim::extract::text
