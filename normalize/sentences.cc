// ICU sentence segmentation over UTF-8 (UText keeps offsets in bytes).
#include "normalize/sentences.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <memory>

#include "core/utf8.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize::internal {
namespace {

// Built once; each call iterates on its own clone, since iterators carry position state.
// "en@ss=standard" adds the English abbreviation suppressions (Mr., U.S.) to the root
// rules, which already end sentences at 。！？ without a following space.
const icu::BreakIterator* Prototype() {
  static const icu::BreakIterator* proto = []() -> const icu::BreakIterator* {
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator* bi =
        icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status);
    if (U_FAILURE(status)) {
      delete bi;
      status = U_ZERO_ERROR;
      bi = icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status);
    }
    if (U_FAILURE(status)) {
      delete bi;
      return nullptr;
    }
    return bi;
  }();
  return proto;
}

void AddTrimmed(std::string_view text, size_t begin, size_t end, std::vector<Span>* out) {
  const std::string_view s = text.substr(begin, end - begin);
  const std::string_view t = Trim(s);
  if (t.empty()) return;
  const size_t b = begin + static_cast<size_t>(t.data() - s.data());
  out->push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(b + t.size())});
}

}  // namespace

StatusOr<std::vector<Span>> SplitSentences(std::string_view text) {
  std::vector<Span> spans;
  if (text.empty()) return spans;
  const icu::BreakIterator* proto = Prototype();
  if (proto == nullptr) return InternalError("ICU sentence break iterator unavailable");
  std::unique_ptr<icu::BreakIterator> bi(proto->clone());
  if (bi == nullptr) return InternalError("ICU break iterator clone failed");
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return InternalError(std::string("ICU UText: ") + u_errorName(status));
  bi->setText(ut, status);
  if (U_FAILURE(status)) {
    utext_close(ut);
    return InternalError(std::string("ICU setText: ") + u_errorName(status));
  }
  int32_t start = bi->first();
  for (int32_t end = bi->next(); end != icu::BreakIterator::DONE; start = end, end = bi->next()) {
    AddTrimmed(text, static_cast<size_t>(start), static_cast<size_t>(end), &spans);
  }
  utext_close(ut);
  return spans;
}

}  // namespace newsclaim::normalize::internal
