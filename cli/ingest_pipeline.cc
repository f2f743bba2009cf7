// See ingest_pipeline.h.
#include "cli/ingest_pipeline.h"

#include <cstdio>
#include <mutex>
#include <optional>
#include <vector>

#include "cli/ordered_pool.h"
#include "core/clock.h"
#include "extract/extract.h"
#include "index/index.h"
#include "ingest/ingest.h"

namespace newsclaim::cli {

normalize::NormalizeOptions NormalizeOptionsFor(const LoadedRules& rules) {
  normalize::NormalizeOptions options;
  options.fold = rules.fold;
  options.boilerplate = rules.boilerplate;
  return options;
}

StatusOr<std::pair<Article, Claims>> Analyze(const RawDocument& raw, const LoadedRules& rules,
                                             const normalize::NormalizeOptions& options) {
  StatusOr<Article> article = normalize::Normalize(raw, options);
  if (!article.ok()) return article.status();
  article->uri = raw.uri;
  article->raw_sha256 = raw.sha256;
  Claims claims = extract::Extract(*article, *rules.rules);
  return std::make_pair(std::move(article).value(), std::move(claims));
}

using Analyzed = StatusOr<std::pair<Article, Claims>>;

struct IngestPipeline::Job {
  RawDocument raw;
  std::function<Status()> then;
  // QueueFile: the file to read into raw on the worker, and its first-seen time.
  std::string path, first_seen;
};

struct IngestPipeline::Pending {
  // A document: its bytes, and its analysis unless it already had an article when queued
  // (or, for a file, when read), with its bytes packed for the raw table.
  RawDocument raw;
  std::optional<Analyzed> analyzed;
  std::optional<store::Store::PackedRaw> packed;
  std::optional<store::Store::IndexEntry> index;  // set_index_with_articles
  std::function<Status()> then;
  // A failure recorded by Fail (stage null for a document).
  const char* stage = nullptr;
  std::string uri, sha256;
  Status error;
};

class IngestPipeline::Pool : public OrderedPool<Job, Pending> {
 public:
  using OrderedPool::OrderedPool;
};

class IngestPipeline::Readers {
 public:
  explicit Readers(std::string db_path) : db_path_(std::move(db_path)) {}
  // A read-only connection, or null when none can be opened (the writer's own check in
  // the document's turn decides alone then).
  std::unique_ptr<store::Store> Take() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        std::unique_ptr<store::Store> s = std::move(free_.back());
        free_.pop_back();
        return s;
      }
      if (failed_) return nullptr;
    }
    store::StoreOptions options;
    options.read_only = true;
    StatusOr<std::unique_ptr<store::Store>> s = store::Store::Open(db_path_, options);
    if (s.ok()) return std::move(s).value();
    std::lock_guard<std::mutex> lock(mu_);
    failed_ = true;
    return nullptr;
  }
  void Give(std::unique_ptr<store::Store> s) {
    if (s == nullptr) return;
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(s));
  }

 private:
  const std::string db_path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<store::Store>> free_;
  bool failed_ = false;
};

IngestPipeline::IngestPipeline(store::Store& store, const LoadedRules& rules, int64_t run_id,
                               std::string db_path, bool quiet, int threads)
    : store_(store),
      rules_(rules),
      norm_options_(NormalizeOptionsFor(rules)),
      run_id_(run_id),
      db_path_(std::move(db_path)),
      quiet_(quiet),
      threads_(threads),
      readers_(std::make_unique<Readers>(db_path_)) {}

// What was written is kept, as with one transaction per document (the run ended early;
// its error, if any, is reported by the caller already).
IngestPipeline::~IngestPipeline() { (void)CommitBatch(); }

Status IngestPipeline::WriteError(const std::string& uri, const Status& s) const {
  return Status(s.code(), "cannot write to database " + db_path_ +
                              (uri.empty() ? "" : " (while storing " + uri + ")") + ": " +
                              s.message());
}

Status IngestPipeline::RecordFailure(const std::string& uri, const std::string& sha,
                                     const char* stage, const Status& error) {
  ++counts_.failed;
  if (!quiet_) {
    if (!batch_.empty()) ++batch_messages_;
    if (skip_messages_ > 0) {
      --skip_messages_;  // printed when its batch was first written
    } else {
      std::fprintf(stderr, "newsclaim: %s: %s: %s\n", uri.c_str(), stage, error.ToString().c_str());
    }
  }
  if (Status s = store_.PutError(run_id_, uri, sha, stage, error); !s.ok()) {
    return WriteError(uri, s);
  }
  return Status::Ok();
}

Status IngestPipeline::Fail(const std::string& uri, const std::string& raw_sha256,
                            const char* stage, const Status& error) {
  ++counts_.seen;
  if (pool_ == nullptr || pool_->Empty()) {
    NC_RETURN_IF_ERROR(CommitBatch());
    return RecordFailure(uri, raw_sha256, stage, error);
  }
  // Documents queued before it are written first: error rows keep the input order.
  NC_RETURN_IF_ERROR(MakeRoom());
  Pending p;
  p.stage = stage;
  p.uri = uri;
  p.sha256 = raw_sha256;
  p.error = error;
  pool_->SubmitResult(std::move(p));
  return Status::Ok();
}

Status IngestPipeline::WriteDocument(const RawDocument& raw, const Analyzed* analyzed,
                                     const store::Store::PackedRaw* packed,
                                     const store::Store::IndexEntry* index) {
  // Raw bytes first: whatever happens next, the document can be re-run from them.
  if (Status s = store_.PutRaw(raw, packed); !s.ok()) return WriteError(raw.uri, s);
  const std::string& rules_version = rules_.rules->version();
  // Checked in the writer's turn: a copy of the same bytes queued earlier may have been
  // written since this one was queued, and it is unchanged then, as in a one-by-one run.
  StatusOr<bool> have = store_.HasArticle(raw.sha256, rules_version);
  if (!have.ok()) return WriteError(raw.uri, have.status());
  if (*have) {
    ++counts_.unchanged;
    return Status::Ok();
  }
  std::optional<Analyzed> local;
  const Analyzed& a =
      analyzed != nullptr ? *analyzed : local.emplace(Analyze(raw, rules_, norm_options_));
  if (!a.ok()) return RecordFailure(raw.uri, raw.sha256, "normalize", a.status());
  StatusOr<int64_t> id = store_.PutArticle(run_id_, rules_version, a->first, a->second, index);
  if (!id.ok()) return WriteError(raw.uri, id.status());
  ++counts_.added;
  return Status::Ok();
}

Status IngestPipeline::Write(Pending& p) {
  if (p.stage != nullptr) return RecordFailure(p.uri, p.sha256, p.stage, p.error);
  NC_RETURN_IF_ERROR(WriteDocument(p.raw, p.analyzed ? &*p.analyzed : nullptr,
                                   p.packed ? &*p.packed : nullptr, p.index ? &*p.index : nullptr));
  return p.then ? p.then() : Status::Ok();
}

Status IngestPipeline::WriteOldest() {
  Pending p = pool_->Take();
  if (commit_every_ > 1 && !p.then) return WriteBatched(std::move(p));
  NC_RETURN_IF_ERROR(CommitBatch());
  return Write(p);
}

Status IngestPipeline::WriteBatched(Pending p) {
  if (batch_.empty()) {
    // Without a batch the document is written alone (its own transaction reports what
    // kept the batch from starting, if it persists).
    if (!store_.BeginBatch().ok()) return Write(p);
    batch_start_counts_ = counts_;
    batch_messages_ = 0;
    batch_bytes_ = 0;
  }
  batch_.push_back(std::move(p));
  batch_bytes_ += batch_.back().raw.bytes.size();
  if (!Write(batch_.back()).ok()) return ReplayBatch();
  // Held until the commit: a batch of large documents commits early, to bound memory.
  if (static_cast<int>(batch_.size()) >= commit_every_ || batch_bytes_ >= kMaxBatchBytes) {
    return CommitBatch();
  }
  return Status::Ok();
}

Status IngestPipeline::CommitBatch() {
  if (batch_.empty()) return Status::Ok();
  if (!store_.CommitBatch().ok()) return ReplayBatch();
  batch_.clear();
  return Status::Ok();
}

Status IngestPipeline::ReplayBatch() {
  store_.RollbackBatch();
  // Writes change only these counts (seen is counted when a document is queued).
  counts_.added = batch_start_counts_.added;
  counts_.unchanged = batch_start_counts_.unchanged;
  counts_.failed = batch_start_counts_.failed;
  std::vector<Pending> entries = std::move(batch_);
  batch_.clear();
  skip_messages_ = batch_messages_;
  Status s;
  for (Pending& p : entries) {
    s = Write(p);
    if (!s.ok()) break;
  }
  skip_messages_ = 0;
  return s;
}

Status IngestPipeline::MakeRoom() {
  while (pool_->Full()) NC_RETURN_IF_ERROR(WriteOldest());
  return Status::Ok();
}

Status IngestPipeline::Flush() {
  while (pool_ != nullptr && !pool_->Empty()) NC_RETURN_IF_ERROR(WriteOldest());
  return CommitBatch();
}

Status IngestPipeline::Add(const RawDocument& raw) {
  NC_RETURN_IF_ERROR(Flush());
  ++counts_.seen;
  return WriteDocument(raw, nullptr, nullptr, nullptr);
}

Status IngestPipeline::Queue(RawDocument raw, std::function<Status()> then) {
  if (threads_ <= 0) {
    NC_RETURN_IF_ERROR(Add(raw));
    return then ? then() : Status::Ok();
  }
  ++counts_.seen;
  // A document that already has an article needs no analysis, only its turn (its raw
  // bytes and URI are recorded again).
  StatusOr<bool> have = store_.HasArticle(raw.sha256, rules_.rules->version());
  if (!have.ok()) return WriteError(raw.uri, have.status());
  StartPool();
  if (*have) {
    Pending p;
    p.raw = std::move(raw);
    p.then = std::move(then);
    if (pool_->Empty()) {
      NC_RETURN_IF_ERROR(CommitBatch());
      return Write(p);
    }
    NC_RETURN_IF_ERROR(MakeRoom());
    pool_->SubmitResult(std::move(p));
    return Status::Ok();
  }
  NC_RETURN_IF_ERROR(MakeRoom());
  pool_->Submit({std::move(raw), std::move(then), {}, {}});
  return Status::Ok();
}

Status IngestPipeline::QueueFile(const std::string& path) {
  if (threads_ <= 0) {
    StatusOr<RawDocument> raw = ingest::ReadFile(path, {});
    if (!raw.ok()) return Fail(path, "", "read", raw.status());
    return Add(*raw);
  }
  ++counts_.seen;
  StartPool();
  NC_RETURN_IF_ERROR(MakeRoom());
  pool_->Submit({RawDocument(), nullptr, path, NowUtc()});
  return Status::Ok();
}

void IngestPipeline::StartPool() {
  if (pool_ != nullptr) return;
  pool_ = std::make_unique<Pool>(threads_, std::max(8, 8 * threads_),
                                 [this](Job& job) { return Work(job); });
}

IngestPipeline::Pending IngestPipeline::Work(Job& job) {
  Pending p;
  p.then = std::move(job.then);
  if (!job.path.empty()) {
    StatusOr<RawDocument> raw = ingest::ReadFile(job.path, {});
    if (!raw.ok()) {
      p.stage = "read";
      p.uri = job.path;
      p.error = raw.status();
      return p;
    }
    job.raw = std::move(raw).value();
    job.raw.fetched_at = std::move(job.first_seen);
    // Unchanged documents skip the analysis, as Queue's check on the writer's
    // connection does; the writer checks again in the document's turn.
    std::unique_ptr<store::Store> reader = readers_->Take();
    bool have = false;
    if (reader != nullptr) {
      StatusOr<bool> h = reader->HasArticle(job.raw.sha256, rules_.rules->version());
      have = h.ok() && *h;
    }
    readers_->Give(std::move(reader));
    if (have) {
      p.raw = std::move(job.raw);
      return p;
    }
  }
  p.analyzed = Analyze(job.raw, rules_, norm_options_);
  if (index_with_articles_ && p.analyzed->ok()) {
    // A folding error leaves the article to the index update, which reports it.
    StatusOr<store::Store::IndexEntry> e =
        index::MakeIndexEntry((*p.analyzed)->first, (*p.analyzed)->second);
    if (e.ok()) p.index = std::move(e).value();
  }
  p.packed = store::Store::PackRaw(job.raw.bytes);
  p.raw = std::move(job.raw);
  return p;
}

}  // namespace newsclaim::cli
