// Folding for matching: ICU NFKC (full-width digits, NBSP, U+202F), then OpenCC t2s, with
// fold rules protecting names OpenCC rewrites, and a byte map back to the original body.
#include <toml++/toml.h>
#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <utility>

#include "core/utf8.h"
#include "normalize/fold_internal.h"
#include "normalize/normalize.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize {
namespace internal {
namespace {

// Text with, for each byte, the body offset of the character it came from.
struct Mapped {
  std::string text;
  std::vector<uint32_t> to_body;
  void Append(std::string_view s, uint32_t origin) {
    text.append(s.data(), s.size());
    to_body.insert(to_body.end(), s.size(), origin);
  }
  // Appends src's bytes [begin, end) with their origins.
  void AppendRange(const Mapped& src, size_t begin, size_t end) {
    text.append(src.text, begin, end - begin);
    to_body.insert(to_body.end(), src.to_body.begin() + static_cast<std::ptrdiff_t>(begin),
                   src.to_body.begin() + static_cast<std::ptrdiff_t>(end));
  }
};

// OpenCC t2s, loaded once per process (the dictionaries cost ~50 ms), with the role of
// every code point in its dictionaries (OpenCcConversion). Text with no character some
// key changes comes out of t2s unchanged: every dictionary match in it maps a key to
// itself. A non-Han character that some key holds could be spanned by a match, so clauses
// must not be split there.
using T2s = OpenCcConversion;

const T2s* T2sConverter(std::string* error) {
  static const StatusOr<std::unique_ptr<const T2s>> t2s = OpenCcConversion::Load("t2s.json");
  if (!t2s.ok()) {
    if (error != nullptr) *error = t2s.status().message();
    return nullptr;
  }
  return t2s->get();
}

const icu::Normalizer2* Nfkc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
  return U_SUCCESS(status) ? n : nullptr;
}

// Invalid UTF-8 bytes (possible in FromText input) become U+FFFD so ICU and OpenCC only
// ever see well-formed text.
Mapped Sanitize(std::string_view body, size_t begin, size_t end) {
  Mapped m;
  size_t pos = begin;
  const std::string_view s = body.substr(0, end);
  if (const std::string_view segment = s.substr(begin); utf8::IsValid(segment)) {
    // The common case: the bytes as they are, each mapped to the start of its character.
    m.text.assign(segment);
    m.to_body.resize(segment.size());
    uint32_t start = static_cast<uint32_t>(begin);
    for (size_t k = 0; k < segment.size(); ++k) {
      if ((static_cast<unsigned char>(segment[k]) & 0xC0) != 0x80) {
        start = static_cast<uint32_t>(begin + k);
      }
      m.to_body[k] = start;
    }
    return m;
  }
  while (pos < end) {
    const size_t start = pos;
    const char32_t c = utf8::Next(s, &pos);
    if (c == 0xFFFD && !(pos - start == 3 && s.substr(start, 3) == "\xEF\xBF\xBD")) {
      m.Append("\xEF\xBF\xBD", static_cast<uint32_t>(start));
    } else {
      m.Append(s.substr(start, pos - start), static_cast<uint32_t>(start));
    }
  }
  return m;
}

Status ApplyNfkc(Mapped&& in, Mapped* out) {
  const icu::Normalizer2* nfkc = Nfkc();
  if (nfkc == nullptr) return InternalError("ICU NFKC normalizer unavailable");
  UErrorCode status = U_ZERO_ERROR;
  const icu::StringPiece sp(in.text.data(), static_cast<int32_t>(in.text.size()));
  if (nfkc->isNormalizedUTF8(sp, status) && U_SUCCESS(status)) {
    *out = std::move(in);
    return Status::Ok();
  }
  status = U_ZERO_ERROR;
  icu::Edits edits;
  std::string text;
  icu::StringByteSink<std::string> sink(&text);
  nfkc->normalizeUTF8(0, sp, sink, &edits, status);
  if (U_FAILURE(status)) return InternalError(std::string("ICU NFKC: ") + u_errorName(status));
  out->text = std::move(text);
  out->to_body.assign(out->text.size(), 0);
  icu::Edits::Iterator it = edits.getFineIterator();
  while (it.next(status)) {
    const int32_t src = it.sourceIndex(), dst = it.destinationIndex();
    for (int32_t k = 0; k < it.newLength(); ++k) {
      const int32_t from = it.hasChange() ? src : src + k;
      out->to_body[static_cast<size_t>(dst + k)] = in.to_body[static_cast<size_t>(from)];
    }
  }
  if (U_FAILURE(status)) return InternalError(std::string("ICU Edits: ") + u_errorName(status));
  return Status::Ok();
}

// Body offsets of the first byte of each code point of m.text.
std::vector<uint32_t> CodePointOrigins(const Mapped& m, size_t begin, size_t end) {
  std::vector<uint32_t> origins;
  size_t pos = begin;
  while (pos < end) {
    origins.push_back(m.to_body[pos]);
    utf8::Next(std::string_view(m.text.data(), end), &pos);
  }
  return origins;
}

// Appends converted = t2s(src[begin, end)) to out, mapping each output code point to the
// source code point at the same index when the counts agree, else proportionally.
void AppendConverted(const Mapped& src, size_t begin, size_t end, const std::string& converted,
                     Mapped* out) {
  const std::vector<uint32_t> origins = CodePointOrigins(src, begin, end);
  const size_t out_n = CodePoints(converted);
  size_t pos = 0, j = 0;
  while (pos < converted.size()) {
    const size_t start = pos;
    utf8::Next(converted, &pos);
    size_t k = origins.size() == out_n ? j : (out_n == 0 ? 0 : j * origins.size() / out_n);
    if (k >= origins.size()) k = origins.empty() ? 0 : origins.size() - 1;
    out->Append(std::string_view(converted).substr(start, pos - start),
                origins.empty() ? src.to_body[begin] : origins[k]);
    ++j;
  }
}

bool IsClauseBoundary(char32_t c) {
  return !IsHan(c) && !IsAsciiAlpha(c) && !(c >= '0' && c <= '9');
}

// Converts src[begin, end) (no fold-rule term inside) with OpenCC, clause by clause: a
// clause with no character t2s changes is copied as it is (the common case for
// Simplified text, and the reason folding is fast), the others go through OpenCC. The
// result equals OpenCC over the whole piece because no dictionary key contains a clause
// boundary that no key holds; a clause whose length changes maps its characters to
// the source proportionally, within the clause.
void ConvertPiece(const T2s& t2s, const Mapped& src, size_t begin, size_t end, Mapped* out) {
  const std::string_view text(src.text.data(), end);
  size_t clause = begin, pos = begin;
  bool changes = false;
  auto flush = [&](size_t clause_end) {
    if (clause_end == clause) return;
    const std::string_view part = text.substr(clause, clause_end - clause);
    if (!changes || !t2s.MayChange(part)) {
      out->AppendRange(src, clause, clause_end);
    } else {
      AppendConverted(src, clause, clause_end, t2s.Convert(part), out);
    }
    clause = clause_end;
    changes = false;
  };
  while (pos < end) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      const char c = text[pos];
      const bool alnum = (c >= '0' && c <= '9') || IsAsciiAlpha(static_cast<char32_t>(c));
      ++pos;
      if (!alnum && t2s.RoleOf(static_cast<unsigned char>(c)) == T2s::kInNoKey) flush(pos);
      continue;
    }
    const char32_t c = utf8::Next(text, &pos);
    const T2s::Role role = t2s.RoleOf(c);
    if (role == T2s::kChangedByKey) changes = true;
    if (IsClauseBoundary(c) && role == T2s::kInNoKey) flush(pos);
  }
  flush(end);
}

// t2s over one NFKC'd segment, with rules.keep terms replaced by their folded form.
void ConvertSegment(const T2s& conv, const FoldRules& rules, const Mapped& src, Mapped* out) {
  const std::string& t = src.text;
  bool first_byte[256] = {};
  for (const auto& kv : rules.keep) {
    if (!kv.first.empty()) first_byte[static_cast<unsigned char>(kv.first[0])] = true;
  }
  size_t piece = 0, pos = 0;
  while (pos < t.size()) {
    const std::pair<std::string, std::string>* hit = nullptr;
    if (first_byte[static_cast<unsigned char>(t[pos])]) {
      for (const auto& kv : rules.keep) {
        if (!kv.first.empty() && t.compare(pos, kv.first.size(), kv.first) == 0 &&
            (hit == nullptr || kv.first.size() > hit->first.size())) {
          hit = &kv;
        }
      }
    }
    if (hit == nullptr) {
      utf8::Next(t, &pos);
      continue;
    }
    ConvertPiece(conv, src, piece, pos, out);
    AppendConverted(src, pos, pos + hit->first.size(), hit->second, out);
    pos += hit->first.size();
    piece = pos;
  }
  ConvertPiece(conv, src, piece, t.size(), out);
}

}  // namespace

Status FoldText(const FoldRules& rules, std::string_view body, std::string* folded,
                std::vector<uint32_t>* folded_to_body) {
  std::string error;
  const T2s* conv = T2sConverter(&error);
  if (conv == nullptr) return InternalError(error);
  Mapped out;
  out.text.reserve(body.size());
  out.to_body.reserve(body.size());
  try {
    size_t begin = 0;
    while (begin <= body.size()) {
      size_t end = body.find('\n', begin);
      if (end == std::string_view::npos) end = body.size();
      Mapped raw = Sanitize(body, begin, end);
      bool ascii = true;
      for (char c : raw.text) ascii &= static_cast<unsigned char>(c) < 0x80;
      if (ascii) {
        // Pure ASCII is NFKC-stable and untouched by t2s: the hot path for English.
        out.text += raw.text;
        out.to_body.insert(out.to_body.end(), raw.to_body.begin(), raw.to_body.end());
      } else {
        Mapped nfkc;
        NC_RETURN_IF_ERROR(ApplyNfkc(std::move(raw), &nfkc));
        ConvertSegment(*conv, rules, nfkc, &out);
      }
      if (end == body.size()) break;
      out.Append("\n", static_cast<uint32_t>(end));
      begin = end + 1;
    }
  } catch (const std::exception& e) {
    return InternalError(std::string("OpenCC t2s failed: ") + e.what());
  }
  // Every byte of a folded character points at the start of its source character.
  for (size_t i = 1; i < out.text.size(); ++i) {
    if ((static_cast<unsigned char>(out.text[i]) & 0xC0) == 0x80)
      out.to_body[i] = out.to_body[i - 1];
  }
  out.to_body.push_back(static_cast<uint32_t>(body.size()));
  *folded = std::move(out.text);
  *folded_to_body = std::move(out.to_body);
  return Status::Ok();
}

}  // namespace internal

StatusOr<FoldRules> LoadFoldRules(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFoundError(path + ": no such fold rule file");
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgumentError(path + ":" + std::to_string(e.source().begin.line) + ": " +
                                std::string(e.description()));
  }
  FoldRules rules;
  const toml::node* keep = root.get("keep");
  for (const auto& [key, node] : root) {
    if (key.str() != "keep") {
      return InvalidArgumentError(path + ":" + std::to_string(node.source().begin.line) +
                                  ": unknown key '" + std::string(key.str()) + "'");
    }
  }
  if (keep == nullptr) return rules;
  const toml::array* arr = keep->as_array();
  if (arr == nullptr) {
    return InvalidArgumentError(path + ":" + std::to_string(keep->source().begin.line) +
                                ": 'keep' must be an array of tables ([[keep]])");
  }
  const icu::Normalizer2* nfkc = internal::Nfkc();
  for (const toml::node& entry : *arr) {
    const std::string where = path + ":" + std::to_string(entry.source().begin.line);
    const toml::table* t = entry.as_table();
    if (t == nullptr) return InvalidArgumentError(where + ": [[keep]] entry must be a table");
    const auto written = (*t)["written"].value<std::string>();
    const auto folded = (*t)["folded"].value<std::string>();
    if (!written || written->empty() || !folded || folded->empty()) {
      return InvalidArgumentError(where +
                                  ": [[keep]] needs non-empty strings 'written' and 'folded'");
    }
    for (const auto& [key, node] : *t) {
      if (key.str() != "written" && key.str() != "folded" && key.str() != "note") {
        return InvalidArgumentError(path + ":" + std::to_string(node.source().begin.line) +
                                    ": unknown key '" + std::string(key.str()) + "' in [[keep]]");
      }
    }
    if (!utf8::IsValid(*written) || !utf8::IsValid(*folded)) {
      return InvalidArgumentError(where + ": [[keep]] strings must be valid UTF-8");
    }
    // Pure ASCII lines skip folding altogether (OpenCC never changes them), so an ASCII
    // term could never apply.
    if (std::all_of(written->begin(), written->end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      return InvalidArgumentError(where + ": [[keep]] written = \"" + *written +
                                  "\" is plain ASCII, which folding never changes");
    }
    // Terms are matched after NFKC, so store them in that form.
    std::string written_nfkc;
    if (nfkc != nullptr) {
      UErrorCode status = U_ZERO_ERROR;
      icu::StringByteSink<std::string> sink(&written_nfkc);
      nfkc->normalizeUTF8(0,
                          icu::StringPiece(written->data(), static_cast<int32_t>(written->size())),
                          sink, nullptr, status);
      if (U_FAILURE(status)) written_nfkc = *written;
    } else {
      written_nfkc = *written;
    }
    rules.keep.emplace_back(std::move(written_nfkc), *folded);
  }
  return rules;
}

void Fold(const FoldRules& fold, Article* article) {
  if (!internal::FoldText(fold, article->body, &article->folded, &article->folded_to_body).ok()) {
    // Without OpenCC or ICU the body itself is the best matching text there is; the map
    // stays exact. Normalize reports the failure as kInternal before getting here.
    article->folded = article->body;
    article->folded_to_body.resize(article->body.size() + 1);
    for (size_t i = 0; i <= article->body.size(); ++i) {
      article->folded_to_body[i] = static_cast<uint32_t>(i);
    }
    for (size_t i = 1; i < article->body.size(); ++i) {
      if ((static_cast<unsigned char>(article->body[i]) & 0xC0) == 0x80) {
        article->folded_to_body[i] = article->folded_to_body[i - 1];
      }
    }
  }
}

}  // namespace newsclaim::normalize
