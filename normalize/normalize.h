// normalize: RawDocument -> Article. Decodes bytes, removes boilerplate, finds the
// metadata, folds the body to NFKC + Simplified Chinese for matching, and segments
// sentences. A pure function of its input and options; thread-safe.
#ifndef NEWSCLAIM_NORMALIZE_NORMALIZE_H_
#define NEWSCLAIM_NORMALIZE_NORMALIZE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace newsclaim::normalize {

// Corrections applied after OpenCC when folding: OpenCC's *2s configs turn some names
// into other words (昇騰/昇腾 -> 升腾, Huawei Ascend -> "rising"). Each pair maps a term as
// written (after NFKC) to the folded form it must take. Loaded from rules/fold.toml.
struct FoldRules {
  std::vector<std::pair<std::string, std::string>> keep;  // {written, folded}
};

// Reads a fold rule file: [[keep]] tables with `written` and `folded` strings (and an
// optional `note`). `written` is stored in NFKC form (matching runs on NFKC text) and must
// contain a non-ASCII character. Errors: kNotFound, kInvalidArgument with
// "file:line: message".
StatusOr<FoldRules> LoadFoldRules(const std::string& path);

// An OpenCC conversion (a config such as "t2s.json") with what its dictionaries can do to
// each code point, so that callers convert only the pieces of text the dictionaries can
// change and still get what OpenCC gives for the whole text. Used by the t2s fold here
// and by the search index's tw2sp fold. Convert is const and safe to call from several
// threads.
class OpenCcConversion {
 public:
  enum Role : uint8_t {
    kInNoKey = 0,   // no dictionary key holds it: no match spans it, text can be cut there
    kKeptByKeys,    // every key holding it converts it to itself
    kChangedByKey,  // some key holding it converts to something else at its place
  };
  // Loads the config (as given, then under /usr/share/opencc/) and scans its dictionaries
  // (segmentation and every step of the conversion chain). Tens of ms: callers keep the
  // result for the process. Errors: kInternal with OpenCC's message.
  static StatusOr<std::unique_ptr<const OpenCcConversion>> Load(const std::string& config);
  ~OpenCcConversion();

  Role RoleOf(char32_t c) const {
    return c < roles_.size() ? static_cast<Role>(roles_[c]) : kInNoKey;
  }
  // OpenCC over text (well-formed UTF-8 without NUL bytes). Throws std::exception when
  // OpenCC fails.
  std::string Convert(std::string_view text) const;
  // False when no key that some step of the chain converts to something else occurs in
  // text: then every dictionary match in it maps a key to itself, whatever the
  // segmentation, and Convert(text) == text. Much cheaper than Convert.
  bool MayChange(std::string_view text) const;

 private:
  OpenCcConversion();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<uint8_t> roles_;  // Role by code point
};

namespace internal {
struct CompiledBoilerplate;  // the line patterns compiled (RE2), see boilerplate.h
}

// The boilerplate lexicon: words and patterns that mark non-article text. Loaded from
// rules/boilerplate.toml (format documented at the top of that file).
struct BoilerplateRules {
  struct LinePattern {
    std::string regex;       // RE2 syntax, searched anywhere in a line
    uint32_t max_chars = 0;  // condemns only lines of at most this many code points
  };
  // Headings that open a non-article section ("延伸閱讀", "related articles"), lower-case.
  std::vector<std::string> section_labels;
  // Lines that are boilerplate wherever they appear (counters, share prompts, footers).
  std::vector<LinePattern> line_patterns;
  // Class/id tokens of non-content elements (whole tokens), substrings of them ("相关"),
  // and tokens of content elements. Lower-case.
  std::vector<std::string> negative_hints;
  std::vector<std::string> negative_hint_substrings;
  std::vector<std::string> positive_hints;
  // line_patterns compiled; set by LoadBoilerplateRules. Shared, immutable.
  std::shared_ptr<const internal::CompiledBoilerplate> compiled;
};

// Reads a boilerplate rule file and compiles its patterns. Errors: kNotFound,
// kInvalidArgument with "file:line: message" (TOML syntax, unknown keys, wrong types, an
// RE2 pattern that does not compile, with RE2's error and the fragment).
StatusOr<BoilerplateRules> LoadBoilerplateRules(const std::string& path);

// The rules/boilerplate.toml of the source tree this library was built from, loaded once
// (thread-safe); what Normalize uses when NormalizeOptions::boilerplate is null.
StatusOr<std::shared_ptr<const BoilerplateRules>> DefaultBoilerplateRules();

// LoadBoilerplateRules, shared: when path names the file DefaultBoilerplateRules() reads,
// its one instance (the patterns are compiled once per process, not again for a run that
// names the default rule directory); otherwise a fresh load.
StatusOr<std::shared_ptr<const BoilerplateRules>> LoadSharedBoilerplateRules(
    const std::string& path);

struct NormalizeOptions {
  // Documents above this many bytes are refused with kResourceExhausted. Default 32 MiB.
  uint64_t max_bytes = 32ull << 20;
  // Decoded documents with more replaced bytes than this fraction fail with kDataLoss
  // (binary files). Default 0.05.
  double max_replaced_fraction = 0.05;
  // Fold corrections (see FoldRules). Default: none.
  FoldRules fold;
  // Boilerplate lexicon (see BoilerplateRules). Default null: DefaultBoilerplateRules(),
  // and Normalize fails with kFailedPrecondition when that file cannot be loaded.
  std::shared_ptr<const BoilerplateRules> boilerplate;
  // HTML elements nested deeper than this are flattened into their ancestor at this depth
  // before parsing (their text is kept). Real pages stay under 100; the cap bounds the
  // parser's time on hostile input. Default 512.
  int max_html_depth = 512;
  // When false, no line-level boilerplate selection runs: the body is every block the
  // cleaner produced (for HTML, all text of the chosen content container; for text, every
  // non-empty line). Metadata is still read. For debugging extraction. Default true.
  bool remove_boilerplate = true;
};

// Turns raw bytes into an Article. Errors: kInvalidArgument for binary or empty input,
// kFailedPrecondition when no boilerplate rules are given and the default file fails,
// kDataLoss for undecodable text, kResourceExhausted for oversized input, kInternal when a
// library fails (OpenCC/ICU exceptions are caught here).
StatusOr<Article> Normalize(const RawDocument& raw, const NormalizeOptions& options);

// Loads what the first Normalize call would otherwise load on its way (OpenCC t2s
// dictionaries, boilerplate rules, compiled patterns: tens of ms), so that a caller can
// do it on another thread while it loads other things. Idempotent and thread-safe.
void Preload();

// Builds an Article from a plain text snippet with no boilerplate removal: body = text
// (exactly, so offsets into body are offsets into text), folded + map + sentences filled.
// Used by `newsclaim figures` and by rule examples.
Article FromText(std::string_view text, const FoldRules& fold);

// Folds text for matching: NFKC, then Traditional -> Simplified (OpenCC t2s) with names
// OpenCC breaks protected (昇騰 stays 昇腾). Fills out->folded and out->folded_to_body
// from out->body.
void Fold(const FoldRules& fold, Article* article);

}  // namespace newsclaim::normalize

#endif  // NEWSCLAIM_NORMALIZE_NORMALIZE_H_
