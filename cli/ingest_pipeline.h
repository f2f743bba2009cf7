// The per-document path every ingest source shares (files, URLs, feeds, sitemaps, WARC):
// raw bytes stored first, then normalise, extract and store, with each document's failure
// recorded as an error row while the run goes on. Rebuild reuses Analyze.
#ifndef NEWSCLAIM_CLI_INGEST_PIPELINE_H_
#define NEWSCLAIM_CLI_INGEST_PIPELINE_H_

#include <cstdint>
#include <string>
#include <utility>

#include "cli/common.h"
#include "core/status.h"
#include "core/types.h"
#include "normalize/normalize.h"
#include "store/store.h"

namespace newsclaim::cli {

// Normalise and extract one raw document: pure, safe to call from several threads with
// the same rules.
StatusOr<std::pair<Article, Claims>> Analyze(const RawDocument& raw, const LoadedRules& rules,
                                             const normalize::NormalizeOptions& options);

// normalize options carrying the loaded fold and boilerplate rules.
normalize::NormalizeOptions NormalizeOptionsFor(const LoadedRules& rules);

// One run's writer: owns the counts, turns document failures into error rows, and turns
// database write failures into run-level errors naming the database and the document.
class IngestPipeline {
 public:
  IngestPipeline(store::Store& store, const LoadedRules& rules, int64_t run_id, std::string db_path,
                 bool quiet);

  // Stores raw (bytes first) and, unless an article for it with the current rules exists,
  // its article and claims. Counts it as seen and as added, unchanged or failed. Returns
  // an error only when the database cannot be written (the run must stop).
  Status Add(const RawDocument& raw);
  // Records a document that failed before it had bytes (read or fetch failure) and counts
  // it as seen and failed. Errors as Add.
  Status Fail(const std::string& uri, const std::string& raw_sha256, const char* stage,
              const Status& error);

  store::RunCounts& counts() { return counts_; }
  int64_t run_id() const { return run_id_; }
  store::Store& store() { return store_; }

  // A database write failure as a run-level error naming the database (and uri if set).
  Status WriteError(const std::string& uri, const Status& s) const;

 private:
  Status RecordFailure(const std::string& uri, const std::string& sha, const char* stage,
                       const Status& error);

  store::Store& store_;
  const LoadedRules& rules_;
  normalize::NormalizeOptions norm_options_;
  int64_t run_id_;
  std::string db_path_;
  bool quiet_;
  store::RunCounts counts_;
};

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_INGEST_PIPELINE_H_
