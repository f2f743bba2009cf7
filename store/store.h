// store: the SQLite database. Raw bytes first, then one transaction per document for the
// article and its claims (or one per batch of documents: BeginBatch); error records;
// runs. The only writer in the pipeline.
// A Store is used from one thread at a time.
#ifndef NEWSCLAIM_STORE_STORE_H_
#define NEWSCLAIM_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace newsclaim::store {

struct StoreOptions {
  // Open read-only (export, stats). Default false: create and migrate when needed.
  bool read_only = false;
  // SQLite busy timeout in milliseconds. Default 5000.
  int busy_timeout_ms = 5000;
  // Upper bound on the database size in pages (PRAGMA max_page_count); a write that would
  // grow past it fails with kResourceExhausted, as on a full disk. 0 = SQLite's default
  // (no practical limit). Used to test full-disk handling.
  int64_t max_page_count = 0;
};

// A figure as exported: the claim with its article context resolved.
struct ExportFigure {
  int64_t id = 0;
  std::string text;
  std::optional<double> value;
  std::optional<double> value_high;
  std::string unit;
  std::string qualifier;
  std::string source;  // attributed source name, or the outlet when the text names none
  std::string sentence;
  uint32_t start = 0, end = 0;  // byte offsets into body
  // -- query.cc (issue 6: export filters, stats) --
  // False when ArticleFilter's units/sources filters are set and this figure fails them.
  bool matched = true;
};

// One article as exported (the JSONL contract of product.md plus ids).
struct ExportArticle {
  int64_t id = 0;
  std::string doc;  // uri
  std::string raw_sha256;
  std::string title, published, outlet, author, language, script, canonical_url;
  std::string body;
  std::vector<ExportFigure> figures;
  std::vector<std::string> chips;    // canonical names, unique, in first-mention order
  std::vector<std::string> sources;  // unique names in first-mention order
  // -- query.cc (issue 6: export filters, stats) --
  // Duplicate cluster (article_clusters.cluster_id; the article's own id when it has no
  // row yet), so counts can be taken once per cluster.
  int64_t cluster_id = 0;
};

// -- query.cc (issue 6: export filters, stats) --
// Which articles (the newest extraction of each raw document) an export or stats run
// covers. Every set field must match (AND); a list matches when any of its values does
// (OR). Text comparisons ignore ASCII case.
struct ArticleFilter {
  // Bounds on `published`, inclusive. A date (YYYY-MM-DD) compares with the calendar date
  // as published (the outlet's local date, offset ignored); a date-time
  // (YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM], no offset = UTC) compares instants in UTC
  // (a date-only `published` is midnight UTC). Articles without a usable date are left
  // out when a bound is set, unless include_undated.
  std::string since, until;
  bool include_undated = false;
  std::vector<std::string> outlets;  // articles.outlet
  std::vector<std::string> chips;    // a canonical chip name the article mentions
  // Figure filters: the article must have one figure whose unit is in units and whose
  // source (attributed name, else the outlet) is in sources; ExportFigure::matched marks
  // those figures.
  std::vector<std::string> units;
  std::vector<std::string> sources;
  bool empty() const {
    return since.empty() && until.empty() && outlets.empty() && chips.empty() && units.empty() &&
           sources.empty();
  }
};

// One line of `newsclaim stats`: raw counts and counts taken once per duplicate cluster
// (within the line's key: each cluster counts once, through its lowest article id).
struct StatsRow {
  std::string key;
  int64_t articles = 0, clusters = 0;  // articles; distinct duplicate clusters
  int64_t claims = 0, claims_dedup = 0;
  int64_t errors = 0;  // distinct failed documents (errors table; filters do not apply)
};

struct CorpusStats {
  StatsRow total;
  std::vector<StatsRow> by_outlet, by_month, by_chip, by_unit, top_sources;
};

struct RunInfo {
  std::string program_version;
  std::string rules_version;
  std::string command;  // e.g. "ingest"
};

// What the last fetch of one URL left behind, for conditional GET and change detection.
// Times are ISO 8601 UTC; empty strings mean "never" or "not sent by the server".
struct FetchState {
  std::string url;
  std::string etag;           // ETag of the last successful response
  std::string last_modified;  // Last-Modified of the last successful response
  std::string sha256;         // of the last body received (feeds often lie about ETag)
  int http_status = 0;        // of the last attempt; 0 when no response arrived
  std::string last_attempt;
  std::string last_success;  // last 2xx or 304
  std::string last_changed;  // last time sha256 changed
  int64_t failures = 0;      // consecutive failed attempts
};

struct RunCounts {
  int64_t seen = 0, added = 0, unchanged = 0, failed = 0;
};

class Store {
 public:
  // Opens (creating and migrating to the current schema unless read_only) the database at
  // path. Errors: kFailedPrecondition for a read-only or locked file (a file that cannot
  // be written is refused here unless options.read_only), kDataLoss for a file that is not
  // a database, kInternal otherwise.
  static StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                               const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Current schema version (PRAGMA user_version).
  static int SchemaVersion();

  // Starts a run row; returns its id.
  StatusOr<int64_t> BeginRun(const RunInfo& info);
  Status EndRun(int64_t run_id, const RunCounts& counts);

  // Raw bytes in the form they are stored in (raw_documents.bytes and .compression).
  struct PackedRaw {
    std::string bytes;        // a zlib stream of the original bytes, or the bytes themselves
    std::string compression;  // "zlib", or empty when bytes are the original bytes
  };
  // Compresses raw bytes for PutRaw (zlib level 1, kept only when it saves at least an
  // eighth). Needs no database and is safe to call from several threads: ingest's
  // workers pack while the writer writes.
  static PackedRaw PackRaw(std::string_view bytes);
  // The original bytes of a stored form. Errors: kDataLoss when the stream is corrupt or
  // does not inflate to `size` bytes, kInvalidArgument for an unknown compression.
  static StatusOr<std::string> UnpackRaw(std::string stored, const std::string& compression,
                                         int64_t size);

  // Stores raw bytes keyed by sha256 (no-op if present) and records the uri. Committed
  // before anything else happens to the document. packed: PackRaw(raw.bytes) when the
  // caller packed them already; null = packed here, only when the row is new.
  Status PutRaw(const RawDocument& raw, const PackedRaw* packed = nullptr);
  // True when the raw document already has an article extracted with rules_version.
  StatusOr<bool> HasArticle(const std::string& raw_sha256, const std::string& rules_version);
  // Replaces the article (and its claims) of raw_sha256 for this rules version, in one
  // transaction. Returns the article id. index: the article's search index rows
  // (index::MakeIndexEntry; its article and figure ids are ignored), written in the same
  // transaction, so the article is never stored without them; null = left for the next
  // index update.
  struct IndexEntry;
  StatusOr<int64_t> PutArticle(int64_t run_id, const std::string& rules_version,
                               const Article& article, const Claims& claims,
                               const IndexEntry* index = nullptr);
  // Records a document-level failure.
  Status PutError(int64_t run_id, const std::string& uri, const std::string& raw_sha256,
                  const std::string& stage, const Status& error);

  // The fetch state of url; std::nullopt when it was never fetched.
  StatusOr<std::optional<FetchState>> GetFetchState(const std::string& url);
  // Inserts or replaces the fetch state of state.url.
  Status PutFetchState(const FetchState& state);

  // Group commit: between BeginBatch and CommitBatch the writes of several documents
  // (PutRaw, PutArticle, PutError, PutFetchState, PutIndexEntries, ...) go into one
  // transaction instead of one each, and the search index's full-text rows are staged and
  // written to article_fts and claim_fts with one statement per table at the commit (so
  // FTS5 makes one segment per batch, not one per document, and there are fewer WAL
  // writes and syncs). Readers on other connections see none of the batch until it
  // commits; this connection sees all of it (HasArticle included). Outside a batch
  // everything is as described above. The first write that fails inside a batch fails
  // the batch: that write and every later one (and CommitBatch) return its error, and
  // nothing of the batch is kept. The caller then calls RollbackBatch and may write the
  // documents again one by one. A batch still open when the Store closes is rolled back.
  // Errors: kFailedPrecondition when a batch (or a rebuild) is open already or the
  // database is read-only; BEGIN's errors otherwise.
  Status BeginBatch();
  // Writes the staged full-text rows and commits. On failure the batch is rolled back
  // (RollbackBatch) and the error returned; either way no batch is open afterwards.
  Status CommitBatch();
  // Discards the open batch (no-op when none is open).
  void RollbackBatch();
  bool InBatch() const;

  // Calls fn for each article of the newest rules version, in id order. Stops early and
  // returns fn's status if it is not OK.
  Status ForEachArticle(const std::function<Status(const ExportArticle&)>& fn);

  // Feature files add their methods below in their own block (see store/internal.h).
  // -- warc.cc (issue 5: WARC index) --
  // One archived HTTP response: where it is in which WARC file (table warc_records).
  struct WarcRecord {
    std::string raw_sha256;  // of the payload; empty when the record holds no document
    std::string target_uri;
    std::string warc_file;  // path of the file as the writer or reader named it
    int64_t offset = 0;     // of the record's gzip member (or "WARC/" line) in the file
    int64_t length = 0;     // bytes of the file from offset; 0 when unknown
    std::string record_id;  // WARC-Record-ID
    std::string date;       // WARC-Date
    int http_status = 0;
  };
  // Indexes a record. A record already indexed (same warc_file and offset) is left as it
  // is: returns false then, true when added.
  StatusOr<bool> PutWarcRecord(const WarcRecord& record);
  // Records holding the raw document with this sha256 / fetched from this URI, newest
  // WARC-Date first (then file and offset).
  StatusOr<std::vector<WarcRecord>> FindWarcRecordsBySha256(const std::string& raw_sha256);
  StatusOr<std::vector<WarcRecord>> FindWarcRecordsByUri(const std::string& uri);
  // -- rebuild.cc (issue 6: rebuild, provenance) --
  // Rebuild: every stored raw document is extracted again and the derived tables
  // (articles, figures, chip_mentions, sources, and the search index and duplicate
  // clusters, which index::Update refills afterwards) are replaced inside ONE write
  // transaction, opened by BeginRebuild and closed by CommitRebuild. Readers see the old
  // results until the commit; a crash or AbortRebuild before it leaves them untouched.
  // Other writers wait (busy timeout) meanwhile. Ids restart at 1 and follow the write
  // order, so a rebuild that writes the same documents in the same order yields the same
  // ids. Between BeginRebuild and CommitRebuild use only NextRawDocuments,
  // PutRebuiltArticle, PutError, CountRawDocuments and EndRun (the run's end commits with
  // the results).
  Status BeginRebuild();
  Status CommitRebuild();
  Status AbortRebuild();
  // Position in the rebuild order of the raw documents: those with a current article in
  // the order of its id (so ids stay put when nothing before them changes, and a second
  // rebuild repeats the first), then the others by (first_seen, sha256). The order is
  // fixed by BeginRebuild. Default = the start.
  struct RawCursor {
    int64_t seq = 0;
  };
  // The next (up to) limit stored raw documents after *cursor in rebuild order, with
  // uri = first_uri and fetched_at = first_seen; advances *cursor. Empty at the end.
  // Pages by key, so memory is bounded by limit, not by the corpus.
  StatusOr<std::vector<RawDocument>> NextRawDocuments(RawCursor* cursor, int limit);
  StatusOr<int64_t> CountRawDocuments();
  // Writes one article and its claims inside the rebuild transaction; returns its id.
  StatusOr<int64_t> PutRebuiltArticle(int64_t run_id, const std::string& rules_version,
                                      const Article& article, const Claims& claims);

  // Provenance of one stored claim (figure, chip mention or source) or article: what
  // `newsclaim show` prints.
  enum class ClaimKind { kFigure, kChip, kSource, kArticle };
  struct Provenance {
    ClaimKind kind = ClaimKind::kFigure;
    int64_t id = 0;
    std::string text;  // as written in the body (article: the title)
    // Figure: value, unit, qualifier, attributed source (empty: none named in the text).
    std::optional<double> value, value_high;
    std::string unit, qualifier, source, source_kind;
    int64_t source_id = 0;
    // Chip mention: canonical name and vendor. Source: kind (person, organisation, outlet).
    std::string canonical, vendor, kind_name;
    // Byte span of the claim in the article body (original script), and of its sentence
    // (figures: as stored; others: the sentence around the span).
    uint32_t start = 0, end = 0, sentence_start = 0, sentence_end = 0;
    // The article.
    int64_t article_id = 0;
    std::string doc, title, outlet, published, author, canonical_url, language, script;
    std::string body;
    bool current = true;  // the newest extraction of its raw document
    // The raw document.
    std::string raw_sha256, raw_format, raw_first_uri, raw_first_seen;
    int64_t raw_size = 0;
    std::vector<std::string> uris;  // every URI the bytes were seen at
    // The run that produced the article.
    int64_t run_id = 0;
    std::string run_command, program_version, rules_version, run_started_at, run_ended_at;
  };
  // std::nullopt when there is no such row.
  StatusOr<std::optional<Provenance>> GetProvenance(ClaimKind kind, int64_t id);
  // -- search.cc (issue 6: full-text search, duplicates) --
  // The "newsclaim" FTS5 tokenizer, registered on every connection (store/search.cc).
  // Runs of CJK characters (Han, kana, Hangul) become overlapping character bigrams, so a
  // two-character word such as 芯片 is found inside 中国芯片产业; every CJK character is
  // also indexed as a unigram at the same position (one-character queries, phrases that
  // mix scripts, and highlight() marks exactly the matched characters). Letters and digits form
  // words, lower-cased; full-width ASCII is read as ASCII. Everything else (punctuation, symbols,
  // invalid UTF-8) separates tokens.
  enum class TokenizeMode {
    kDocument,  // what is indexed: per character its unigram, then its bigram colocated
    kQuery,     // a query phrase: the bigrams, then the last character (one per position)
    kUnits,     // every CJK character and every word once (shingles, hashes)
  };
  struct SearchToken {
    std::string text;
    uint32_t begin = 0, end = 0;  // byte span in the input
    bool colocated = false;       // same position as the previous token
  };
  static std::vector<SearchToken> TokenizeForSearch(std::string_view text, TokenizeMode mode);

  // What index/ reads of an article to index it, and writes back. Text is as stored
  // (original script); folding is the caller's business.
  struct IndexClaim {
    int64_t figure_id = 0;
    std::string text, sentence, source;
  };
  struct IndexSource {
    int64_t article_id = 0;
    std::string title, body;
    std::vector<IndexClaim> claims;
  };
  struct IndexEntry {
    int64_t article_id = 0;
    std::string title, body;         // folded text that goes into article_fts
    std::string body_hash;           // hash of the canonical folded body
    int64_t shingles = 0;            // distinct shingles of the body
    std::string minhash;             // signature bytes; empty: too short for near-duplicates
    std::vector<IndexClaim> claims;  // folded, into claim_fts
  };
  // Up to limit current articles (the newest extraction of each raw document) with id >
  // after_id that have no article_index row, in id order.
  StatusOr<std::vector<IndexSource>> UnindexedArticles(int64_t after_id, int limit);
  // Writes the entries (article_index, article_fts, claim_index, claim_fts) in one
  // transaction.
  Status PutIndexEntries(const std::vector<IndexEntry>& entries);
  // Removes the index rows (and cluster rows) of articles that are no longer current.
  // Returns how many articles were removed.
  StatusOr<int64_t> RemoveStaleIndexRows();
  // Number of article_index rows without an article_clusters row, and rows in total.
  StatusOr<int64_t> CountUnclusteredArticles();
  // Calls fn(article_id, body_hash) for every indexed article, ordered by (body_hash, id).
  Status ForEachBodyHash(const std::function<Status(int64_t, const std::string&)>& fn);
  // Cuts every stored minhash signature into `bands` slices of band_bytes bytes and calls
  // fn(band, slice, article_id) ordered by (band, slice, id): equal slices arrive together.
  // SQLite sorts (on disk when large), so memory does not grow with the corpus.
  Status ForEachMinhashBand(int bands, int band_bytes,
                            const std::function<Status(int, const std::string&, int64_t)>& fn);
  // The minhash signature of an indexed article ("" when none).
  StatusOr<std::string> GetMinhash(int64_t article_id);
  struct ClusterAssignment {
    int64_t article_id = 0, cluster_id = 0;
    std::string method;  // "body" or "near"
  };
  // Replaces article_clusters in one transaction: every indexed article is its own
  // cluster ("self") except those listed.
  Status ReplaceClusters(const std::vector<ClusterAssignment>& linked);

  // Full-text search over the current articles / claims. fts_query is FTS5 query syntax
  // over folded text; best bm25 first (title weighs twice the body).
  struct ArticleHit {
    int64_t article_id = 0, cluster_id = 0;
    double score = 0;  // bm25: lower is better
    std::string doc, title, outlet, published, raw_sha256;
    std::string body;                       // original script
    std::string marked_title, marked_body;  // folded text, matches between \x02 and \x03
  };
  StatusOr<std::vector<ArticleHit>> SearchArticles(const std::string& fts_query, int limit);
  struct ClaimHit {
    int64_t figure_id = 0, article_id = 0;
    double score = 0;
    std::string text, unit, source, sentence, doc, title, outlet, published;
    std::optional<double> value, value_high;
    std::string marked_sentence;  // folded, matches between \x02 and \x03
  };
  StatusOr<std::vector<ClaimHit>> SearchClaims(const std::string& fts_query, int limit);

  // Members of duplicate clusters (clusters of more than one article, and articles whose
  // raw document was seen under several URIs), ordered by (cluster_id, article_id).
  struct DuplicateMember {
    int64_t cluster_id = 0, article_id = 0;
    std::string method, doc, title, outlet, published, raw_sha256;
    std::vector<std::string> uris;  // every URI of the raw document
  };
  Status ForEachDuplicate(const std::function<Status(const DuplicateMember&)>& fn);
  // -- query.cc (issue 6: export filters, stats) --
  // Calls fn for each article of the newest rules version matching filter, in id order,
  // streaming (one article in memory at a time). Every figure is loaded; those matching
  // the figure filters have matched = true. Errors: kInvalidArgument for a malformed
  // since/until.
  Status ForEachArticleFiltered(const ArticleFilter& filter,
                                const std::function<Status(const ExportArticle&)>& fn);
  // Counts by outlet, month (published, else first fetched), chip, unit, and the top
  // `top_sources` sources by claims, over the articles matching filter.
  StatusOr<CorpusStats> Stats(const ArticleFilter& filter, int top_sources);

  // Row counts by table, for tests and stats.
  StatusOr<int64_t> CountRows(const std::string& table);
  // PRAGMA integrity_check == "ok".
  StatusOr<bool> IntegrityOk();

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsclaim::store

#endif  // NEWSCLAIM_STORE_STORE_H_
