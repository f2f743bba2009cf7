// Sentence segmentation of a body with ICU's sentence BreakIterator.
#ifndef NEWSCLAIM_NORMALIZE_SENTENCES_H_
#define NEWSCLAIM_NORMALIZE_SENTENCES_H_

#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace newsclaim::normalize::internal {

// Splits text into sentences: spans (byte offsets) in order, trimmed of white space, never
// empty. 。！？ and newlines end sentences. Thread-safe (clones a shared prototype).
// Errors: kInternal when ICU fails.
StatusOr<std::vector<Span>> SplitSentences(std::string_view text);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_SENTENCES_H_
