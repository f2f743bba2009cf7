// store: the SQLite database. Raw bytes first, then one transaction per document for the
// article and its claims; error records; runs. The only writer in the pipeline.
// A Store is used from one thread at a time.
#ifndef NEWSCLAIM_STORE_STORE_H_
#define NEWSCLAIM_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
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

  // Stores raw bytes keyed by sha256 (no-op if present) and records the uri. Committed
  // before anything else happens to the document.
  Status PutRaw(const RawDocument& raw);
  // True when the raw document already has an article extracted with rules_version.
  StatusOr<bool> HasArticle(const std::string& raw_sha256, const std::string& rules_version);
  // Replaces the article (and its claims) of raw_sha256 for this rules version, in one
  // transaction. Returns the article id.
  StatusOr<int64_t> PutArticle(int64_t run_id, const std::string& rules_version,
                               const Article& article, const Claims& claims);
  // Records a document-level failure.
  Status PutError(int64_t run_id, const std::string& uri, const std::string& raw_sha256,
                  const std::string& stage, const Status& error);

  // The fetch state of url; std::nullopt when it was never fetched.
  StatusOr<std::optional<FetchState>> GetFetchState(const std::string& url);
  // Inserts or replaces the fetch state of state.url.
  Status PutFetchState(const FetchState& state);

  // Calls fn for each article of the newest rules version, in id order. Stops early and
  // returns fn's status if it is not OK.
  Status ForEachArticle(const std::function<Status(const ExportArticle&)>& fn);

  // Feature files add their methods below in their own block (see store/internal.h).
  // -- warc.cc (issue 5: WARC index) --
  // -- rebuild.cc (issue 6: rebuild, provenance) --
  // -- search.cc (issue 6: full-text search, duplicates) --
  // -- query.cc (issue 6: export filters, stats) --

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
