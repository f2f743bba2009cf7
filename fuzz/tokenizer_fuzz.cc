// Fuzz target for full-text search on untrusted text: the "newsclaim" FTS5 tokenizer
// (spans inside the input, non-empty UTF-8 tokens, one query token per document
// position) and the query builder (whatever a user types becomes either a usage error or
// an FTS5 query that SQLite accepts against a real index).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "index/index.h"
#include "store/store.h"

namespace {

using newsclaim::store::Store;

Store* Db() {
  static Store* db = [] {
    auto st = Store::Open(":memory:", {});
    if (!st.ok()) std::abort();
    return st.value().release();
  }();
  return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t positions = 0;
  for (auto mode :
       {Store::TokenizeMode::kDocument, Store::TokenizeMode::kQuery, Store::TokenizeMode::kUnits}) {
    const auto tokens = Store::TokenizeForSearch(in, mode);
    size_t count = 0;
    for (size_t i = 0; i < tokens.size(); ++i) {
      const auto& t = tokens[i];
      if (t.text.empty() || !newsclaim::utf8::IsValid(t.text)) std::abort();
      if (t.begin >= t.end || t.end > in.size()) std::abort();
      if (t.colocated && (i == 0 || mode != Store::TokenizeMode::kDocument)) std::abort();
      if (!t.colocated) ++count;
    }
    if (mode == Store::TokenizeMode::kDocument) positions = count;
    if (mode == Store::TokenizeMode::kQuery && count != positions) std::abort();
  }
  if (size > 4096) return 0;  // the query path folds with OpenCC: keep runs fast
  auto q = newsclaim::index::BuildQuery(in);
  if (!q.ok()) {
    if (q.status().code() != newsclaim::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  auto hits = Db()->SearchArticles(*q, 5);
  if (!hits.ok()) std::abort();
  return 0;
}
