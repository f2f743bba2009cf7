// The per-document path every ingest source shares (files, URLs, feeds, sitemaps, WARC):
// raw bytes stored first, then normalise, extract and store, with each document's failure
// recorded as an error row while the run goes on. Documents can be analysed on several
// threads (Queue; cli/ordered_pool.h) while everything is written from the calling
// thread in input order, so ids and exports do not depend on the thread count. Rebuild
// reuses Analyze.
#ifndef NEWSCLAIM_CLI_INGEST_PIPELINE_H_
#define NEWSCLAIM_CLI_INGEST_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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
// Every database write happens on the calling thread, in the order of the calls.
class IngestPipeline {
 public:
  // threads: analysis threads for Queue (>= 1 starts a pool of that many workers on the
  // first Queue; 0 = Queue analyses on the calling thread, as Add).
  IngestPipeline(store::Store& store, const LoadedRules& rules, int64_t run_id, std::string db_path,
                 bool quiet, int threads = 0);
  ~IngestPipeline();
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  // Stores raw (bytes first) and, unless an article for it with the current rules exists,
  // its article and claims. Counts it as seen and as added, unchanged or failed. Returns
  // an error only when the database cannot be written (the run must stop). Writes what
  // Queue left pending first; everything is written when it returns.
  Status Add(const RawDocument& raw);
  // As Add, but the analysis runs on a worker thread, ahead of the writer: the document
  // (raw bytes first, then its article or failure, then `then`, e.g. an index row that
  // belongs to it) is written in its turn by a later Queue, Fail or Flush call, so the
  // database sees the same writes in the same order as with Add. At most a bounded
  // window of documents is pending; one being analysed when the process dies has no row
  // yet (its source, the file or WARC record, is still there). Errors as Add, possibly
  // for an earlier document.
  Status Queue(RawDocument raw, std::function<Status()> then = nullptr);
  // As Queue for the file at path (ingest::ReadFile), but the file is read and hashed on
  // a worker too; the document's first-seen time is taken here, in input order. A file
  // that cannot be read is recorded as a "read" failure in its turn.
  Status QueueFile(const std::string& path);
  // Records a document that failed before it had bytes (read or fetch failure) and counts
  // it as seen and failed, after the documents queued before it. Errors as Add.
  Status Fail(const std::string& uri, const std::string& raw_sha256, const char* stage,
              const Status& error);
  // Writes everything Queue left pending. Call before the run ends.
  Status Flush();

  // On: the workers also compute each article's search index rows, written with the
  // article (Store::PutArticle), so the index update after the run has only the
  // duplicate clusters left to do. Off (default): the index is left to index::Update.
  void set_index_with_articles(bool on) { index_with_articles_ = on; }

  // Group commit. Documents (and failures) written in their turn from the queue
  // (Queue, QueueFile, Fail while documents are pending) without a `then` are committed
  // together, up to n per transaction (Store::BeginBatch); 1 = one transaction per
  // document. The open batch is committed when full, by Flush, and before anything else
  // is written: a document with a `then` (so a WARC record or fetch state never gets
  // ahead of its document), Add, or a Fail written at once. Failures behave as with one
  // transaction per document: when any write of a batch (its commit included) fails, the
  // batch is rolled back, the counts are restored, and its documents are written again
  // one per transaction, so the first document that cannot be written gives the run-level
  // error and those before it stay committed. A killed run loses at most the open batch
  // (its documents have no rows at all; running the same input again writes them).
  // Writes made through store() while documents are pending may join the open batch.
  static constexpr int kDefaultCommitEvery = 32;
  // A batch also commits once its documents' raw bytes reach this much (memory bound).
  static constexpr size_t kMaxBatchBytes = 64u << 20;
  void set_commit_every(int n) { commit_every_ = n < 1 ? 1 : n; }

  store::RunCounts& counts() { return counts_; }
  int64_t run_id() const { return run_id_; }
  store::Store& store() { return store_; }

  // A database write failure as a run-level error naming the database (and uri if set).
  Status WriteError(const std::string& uri, const Status& s) const;

 private:
  struct Pending;  // a queued document waiting for its turn, or a failure
  struct Job;      // a document for the workers
  class Pool;
  Status RecordFailure(const std::string& uri, const std::string& sha, const char* stage,
                       const Status& error);
  // Writes one document: raw bytes (packed, or packed here when null and new), then,
  // unless an article for it with the current rules exists, its article (from
  // *analyzed, which is left as it is for a replay, or analysed here when null) or
  // failure, with its index rows when given.
  Status WriteDocument(const RawDocument& raw, const StatusOr<std::pair<Article, Claims>>* analyzed,
                       const store::Store::PackedRaw* packed,
                       const store::Store::IndexEntry* index);
  // Writes one pending entry (document or failure) and runs its `then`.
  Status Write(Pending& p);
  // Takes and writes the oldest pending entry (in the open batch when it has no `then`).
  Status WriteOldest();
  // Writes p in the open batch (opening one when none is), keeping it until the commit.
  Status WriteBatched(Pending p);
  // Commits the open batch, if any; on failure, replays it (ReplayBatch).
  Status CommitBatch();
  // Rolls the open batch back, restores the counts and writes its documents again one
  // per transaction; returns the first write error.
  Status ReplayBatch();
  // Makes room for one more pending entry.
  Status MakeRoom();
  // Starts the pool on first use.
  void StartPool();
  // Runs on a worker: reads the file of a path job, then analyses and packs the document.
  Pending Work(Job& job);

  store::Store& store_;
  const LoadedRules& rules_;
  normalize::NormalizeOptions norm_options_;
  int64_t run_id_;
  std::string db_path_;
  bool quiet_;
  int threads_;
  bool index_with_articles_ = false;
  store::RunCounts counts_;
  int commit_every_ = kDefaultCommitEvery;
  // The open batch: its entries as written (kept until the commit, for a replay), the
  // counts before it, and the failure messages printed while writing it (not printed
  // again by a replay).
  std::vector<Pending> batch_;
  store::RunCounts batch_start_counts_;
  int64_t batch_messages_ = 0, skip_messages_ = 0;
  size_t batch_bytes_ = 0;  // raw bytes of the open batch's documents
  // Read-only connections the workers use to skip documents that have an article
  // already (one per worker at most, taken from and given back to the list). Declared
  // before pool_: the workers give theirs back until the pool is gone.
  class Readers;
  std::unique_ptr<Readers> readers_;
  std::unique_ptr<Pool> pool_;  // started by the first Queue when threads_ > 0
};

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_INGEST_PIPELINE_H_
