// Fuzz target for the figure grammar: arbitrary bytes as an article body, matched with the
// repository's rules, in both modes. Checks that spans stay inside the body and in order.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "extract/extract.h"
#include "extract/figures.h"
#include "extract/internal.h"
#include "extract/numbers.h"
#include "normalize/normalize.h"

namespace {

const newsclaim::extract::RuleSet* Rules() {
  static const std::shared_ptr<const newsclaim::extract::RuleSet> rules = [] {
    // NEWSCLAIM_RULES, else the rules/ directory of this source tree.
    const char* env = std::getenv("NEWSCLAIM_RULES");
    std::string dir = env != nullptr ? env : __FILE__;
    if (env == nullptr) dir = dir.substr(0, dir.rfind("/fuzz/")) + "/rules";
    auto r = newsclaim::extract::RuleSet::LoadDir(dir);
    if (!r.ok()) std::abort();
    return *r;
  }();
  return rules.get();
}

void CheckSpans(const newsclaim::Article& a, const std::vector<newsclaim::Figure>& figures) {
  uint32_t last = 0;
  for (const newsclaim::Figure& f : figures) {
    if (f.span.begin > f.span.end || f.span.end > a.body.size() || f.span.begin < last) {
      std::abort();
    }
    last = f.span.end;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto& figures = *Rules()->impl().figures;
  // Folded, as in the pipeline.
  const newsclaim::Article folded = newsclaim::normalize::FromText(text, {});
  newsclaim::extract::FigureOptions numbers;
  numbers.numbers_only = true;
  CheckSpans(folded, figures.Find(folded));
  CheckSpans(folded, figures.Find(folded, numbers));
  // Unfolded: the parser must cope with any bytes, including invalid UTF-8.
  newsclaim::Article raw;
  raw.body = text;
  CheckSpans(raw, figures.Find(raw));
  for (const bool slash : {false, true}) {
    const newsclaim::extract::NumberSource src{text, {}, nullptr, slash};
    for (size_t pos = 0; pos < text.size(); ++pos) {
      if (!newsclaim::extract::MayStartNumber(text, pos)) continue;
      size_t skip = pos;
      const auto n = newsclaim::extract::ParseNumber(src, pos, nullptr, &skip);
      if (n && (n->begin != pos || n->end <= pos || n->end > text.size())) std::abort();
      if (n && !std::isfinite(n->value)) std::abort();
      if (skip < pos || skip > text.size()) std::abort();
    }
  }
  return 0;
}
