// See ingest_pipeline.h.
#include "cli/ingest_pipeline.h"

#include <cstdio>
#include <optional>

#include "cli/ordered_pool.h"
#include "extract/extract.h"

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
};

struct IngestPipeline::Pending {
  // A document: its bytes, and its analysis unless it already had an article when queued.
  RawDocument raw;
  std::optional<Analyzed> analyzed;
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

IngestPipeline::IngestPipeline(store::Store& store, const LoadedRules& rules, int64_t run_id,
                               std::string db_path, bool quiet, int threads)
    : store_(store),
      rules_(rules),
      norm_options_(NormalizeOptionsFor(rules)),
      run_id_(run_id),
      db_path_(std::move(db_path)),
      quiet_(quiet),
      threads_(threads) {}

IngestPipeline::~IngestPipeline() = default;

Status IngestPipeline::WriteError(const std::string& uri, const Status& s) const {
  return Status(s.code(), "cannot write to database " + db_path_ +
                              (uri.empty() ? "" : " (while storing " + uri + ")") + ": " +
                              s.message());
}

Status IngestPipeline::RecordFailure(const std::string& uri, const std::string& sha,
                                     const char* stage, const Status& error) {
  ++counts_.failed;
  if (!quiet_) {
    std::fprintf(stderr, "newsclaim: %s: %s: %s\n", uri.c_str(), stage, error.ToString().c_str());
  }
  if (Status s = store_.PutError(run_id_, uri, sha, stage, error); !s.ok()) {
    return WriteError(uri, s);
  }
  return Status::Ok();
}

Status IngestPipeline::Fail(const std::string& uri, const std::string& raw_sha256,
                            const char* stage, const Status& error) {
  ++counts_.seen;
  if (pool_ == nullptr || pool_->Empty()) return RecordFailure(uri, raw_sha256, stage, error);
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

Status IngestPipeline::WriteDocument(const RawDocument& raw, Analyzed* analyzed) {
  // Raw bytes first: whatever happens next, the document can be re-run from them.
  if (Status s = store_.PutRaw(raw); !s.ok()) return WriteError(raw.uri, s);
  const std::string& rules_version = rules_.rules->version();
  // Checked in the writer's turn: a copy of the same bytes queued earlier may have been
  // written since this one was queued, and it is unchanged then, as in a one-by-one run.
  StatusOr<bool> have = store_.HasArticle(raw.sha256, rules_version);
  if (!have.ok()) return WriteError(raw.uri, have.status());
  if (*have) {
    ++counts_.unchanged;
    return Status::Ok();
  }
  Analyzed local = analyzed != nullptr ? std::move(*analyzed) : Analyze(raw, rules_, norm_options_);
  if (!local.ok()) return RecordFailure(raw.uri, raw.sha256, "normalize", local.status());
  StatusOr<int64_t> id = store_.PutArticle(run_id_, rules_version, local->first, local->second);
  if (!id.ok()) return WriteError(raw.uri, id.status());
  ++counts_.added;
  return Status::Ok();
}

Status IngestPipeline::Write(Pending& p) {
  if (p.stage != nullptr) return RecordFailure(p.uri, p.sha256, p.stage, p.error);
  NC_RETURN_IF_ERROR(WriteDocument(p.raw, p.analyzed ? &*p.analyzed : nullptr));
  return p.then ? p.then() : Status::Ok();
}

Status IngestPipeline::WriteOldest() {
  Pending p = pool_->Take();
  return Write(p);
}

Status IngestPipeline::MakeRoom() {
  while (pool_->Full()) NC_RETURN_IF_ERROR(WriteOldest());
  return Status::Ok();
}

Status IngestPipeline::Flush() {
  while (pool_ != nullptr && !pool_->Empty()) NC_RETURN_IF_ERROR(WriteOldest());
  return Status::Ok();
}

Status IngestPipeline::Add(const RawDocument& raw) {
  NC_RETURN_IF_ERROR(Flush());
  ++counts_.seen;
  return WriteDocument(raw, nullptr);
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
  if (pool_ == nullptr) {
    pool_ = std::make_unique<Pool>(threads_, std::max(8, 8 * threads_), [this](Job& job) {
      Pending p;
      p.analyzed = Analyze(job.raw, rules_, norm_options_);
      p.raw = std::move(job.raw);
      p.then = std::move(job.then);
      return p;
    });
  }
  if (*have) {
    Pending p;
    p.raw = std::move(raw);
    p.then = std::move(then);
    if (pool_->Empty()) return Write(p);
    NC_RETURN_IF_ERROR(MakeRoom());
    pool_->SubmitResult(std::move(p));
    return Status::Ok();
  }
  NC_RETURN_IF_ERROR(MakeRoom());
  pool_->Submit({std::move(raw), std::move(then)});
  return Status::Ok();
}

}  // namespace newsclaim::cli
