// index: derived search structures over stored articles. Keeps the full-text index
// (SQLite FTS5, the "newsclaim" tokenizer of store/) and the duplicate clusters of the
// current articles (the newest extraction of each raw document) up to date, and answers
// searches. Everything here is derived from the articles table and can be thrown away and
// rebuilt; Update is incremental and deterministic.
#ifndef NEWSCLAIM_INDEX_INDEX_H_
#define NEWSCLAIM_INDEX_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace newsclaim::index {

// Near-duplicate detection: MinHash (one permutation hashing, kMinhashBins bins of 32
// bits) over shingles of kShingleTokens consecutive tokens of the folded body (a CJK
// character or a Latin/digit word is one token), LSH with kBands bands of
// kMinhashBins / kBands bins, and a candidate pair is linked when its estimated Jaccard
// similarity is at least kNearDuplicateJaccard. Bodies with fewer than kMinShingles
// distinct shingles only take part in exact (body hash) duplicates.
inline constexpr int kMinhashBins = 128;
inline constexpr int kBands = 32;
inline constexpr int kShingleTokens = 4;
inline constexpr int kMinShingles = 20;
inline constexpr double kNearDuplicateJaccard = 0.5;

// Folds text for search and duplicate detection: OpenCC tw2sp (Traditional -> Simplified
// with Taiwan phrases turned into mainland ones: 晶片 -> 芯片, 軟體 -> 软件), applied the
// same way to documents and queries, so either script and either regional word finds the
// other. The tokenizer adds width and case folding. Thread-safe. Errors: kInternal when
// OpenCC cannot load its dictionaries.
// Only the clauses holding a character the dictionaries change go through OpenCC (the
// result is the same as OpenCC over the whole text, FoldForSearchWhole).
StatusOr<std::string> FoldForSearch(std::string_view text);
// OpenCC tw2sp over the whole text, without the clause fast path. Exposed for tests.
StatusOr<std::string> FoldForSearchWhole(std::string_view text);

// The duplicate signature of a folded body.
struct Signature {
  std::string body_hash;          // SHA-256 hex of the body's tokens (exact duplicates)
  int64_t shingles = 0;           // distinct shingles
  std::vector<uint32_t> minhash;  // kMinhashBins values; empty when shingles < kMinShingles
};
Signature ComputeSignature(std::string_view folded_body);
// Fraction of equal bins: an estimate of the Jaccard similarity of the two shingle sets.
// 0 when either is empty.
double EstimateJaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

// The index rows Update derives from an article once it is stored (folded title, body
// and claims; duplicate signature), computed before it is stored: ingest's workers fold
// while the writer writes, and Store::PutArticle writes the rows in the article's own
// transaction (filling in the article and figure ids, left 0 here). Thread-safe. Errors:
// as FoldForSearch.
StatusOr<store::Store::IndexEntry> MakeIndexEntry(const Article& article, const Claims& claims);

// Estimated Jaccard similarity of two indexed articles' bodies (0 when either has no
// signature).
StatusOr<double> Similarity(store::Store& store, int64_t article_a, int64_t article_b);

struct UpdateOptions {
  // Threads that fold and hash articles (the store is used from the calling thread
  // only). 0 = all cores.
  int threads = 0;
  // Articles read, folded and written per transaction.
  int batch = 256;
};

struct UpdateStats {
  int64_t indexed = 0;    // articles added to the index
  int64_t removed = 0;    // articles removed (gone or superseded)
  int64_t clustered = 0;  // articles in clusters of more than one article
  int64_t clusters = 0;   // clusters of more than one article
  bool reclustered = false;
};

// Brings the index of store up to date: removes the rows of articles that are no longer
// current, indexes every current article that is not indexed yet (full text of title,
// body and claims; duplicate signature), then, when anything changed, recomputes the
// duplicate clusters (article_clusters: cluster_id = smallest article id of the
// cluster; method "self", "body" (same normalised body as another member) or "near").
// Each batch is one transaction, so an interrupted update leaves a consistent index
// that the next call completes. Needs a read-write store.
StatusOr<UpdateStats> Update(store::Store& store, const UpdateOptions& options = {});

// Turns what a user typed into an FTS5 query over folded text: words separated by
// spaces must all match (a CJK word matches as a substring), `OR` between two words
// matches either, a leading `-` excludes a word, a trailing `*` makes a prefix, "double
// quotes" make a phrase. Errors: kInvalidArgument when nothing searchable is left.
StatusOr<std::string> BuildQuery(std::string_view user_query);

struct SearchOptions {
  int limit = 20;
  bool claims = false;  // search figures (their text, sentence and source) instead
  // Snippet length in characters around the first match.
  int snippet_chars = 80;
};

struct SearchHit {
  int64_t article_id = 0;
  int64_t figure_id = 0;   // claims search only
  int64_t cluster_id = 0;  // articles search only
  double score = 0;        // bm25, lower is better
  std::string doc, title, outlet, published, raw_sha256;
  // Claims search: the figure.
  std::string figure_text, unit, source;
  std::optional<double> value, value_high;
  // The passage around the first match with every match between `[` and `]`, in the
  // original script when the folded line maps character by character (else folded).
  std::string snippet;
};

// Searches the current articles (or claims), best bm25 first.
StatusOr<std::vector<SearchHit>> Search(store::Store& store, std::string_view user_query,
                                        const SearchOptions& options);

// Marks matches in original text: folded_marked is FoldForSearch(original) with matches
// between \x02 and \x03 (FTS5 highlight()). Returns a snippet of about max_chars
// characters around the first match, matches between `[` and `]`, "…" where text was
// cut. Exposed for tests.
std::string MakeSnippet(std::string_view original, std::string_view folded_marked, int max_chars);

// Opens the database at path for searching: read-write with the index brought up to date
// by Update (so a database written before the index existed, or by a run that did not
// update it, is searchable), or read-only as it is when update is false or the file
// cannot be written. Errors: kNotFound when there is no file at path; Store::Open's.
StatusOr<std::unique_ptr<store::Store>> OpenForSearch(const std::string& path, bool update,
                                                      UpdateStats* stats);

}  // namespace newsclaim::index

#endif  // NEWSCLAIM_INDEX_INDEX_H_
