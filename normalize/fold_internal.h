// Internal entry points of the fold step (NFKC + OpenCC t2s with an exact offset map).
#ifndef NEWSCLAIM_NORMALIZE_FOLD_INTERNAL_H_
#define NEWSCLAIM_NORMALIZE_FOLD_INTERNAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "normalize/normalize.h"

namespace newsclaim::normalize::internal {

// Folds body into *folded with *folded_to_body (size folded->size() + 1). Errors:
// kInternal when OpenCC or ICU fails (its exception is caught here); the outputs are then
// unspecified.
Status FoldText(const FoldRules& rules, std::string_view body, std::string* folded,
                std::vector<uint32_t>* folded_to_body);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_FOLD_INTERNAL_H_
