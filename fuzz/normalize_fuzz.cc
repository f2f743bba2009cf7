// Fuzz target for the normalize stage: the same bytes as an HTML page, a markdown dump
// and a text dump, plus FromText. Any crash, sanitizer report or broken invariant fails.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "normalize/normalize.h"

namespace {

void Check(const newsclaim::Article& a) {
  if (a.folded_to_body.size() != a.folded.size() + 1) std::abort();
  if (a.folded_to_body.back() != a.body.size()) std::abort();
  for (const newsclaim::Span& s : a.sentences) {
    if (s.begin > s.end || s.end > a.body.size()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using newsclaim::DocFormat;
  static const newsclaim::normalize::NormalizeOptions* options = [] {
    auto* o = new newsclaim::normalize::NormalizeOptions();
    o->fold.keep = {{"昇騰", "昇腾"}, {"昇腾", "昇腾"}};
    o->max_bytes = 1 << 20;
    return o;
  }();
  newsclaim::RawDocument raw;
  raw.bytes.assign(reinterpret_cast<const char*>(data), size);
  for (DocFormat f : {DocFormat::kHtml, DocFormat::kMarkdown, DocFormat::kText}) {
    raw.format = f;
    newsclaim::StatusOr<newsclaim::Article> a = newsclaim::normalize::Normalize(raw, *options);
    if (a.ok()) Check(*a);
  }
  Check(newsclaim::normalize::FromText(raw.bytes, options->fold));
  return 0;
}
