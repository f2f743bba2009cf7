// The SQLite store: schema migrations, raw bytes first, one transaction per article (or
// per batch of articles).
#include "store/store.h"

#include <libdeflate.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <map>
#include <unordered_set>

#include "core/clock.h"
#include "store/internal.h"
#include "store/schema.h"

namespace newsclaim::store {
namespace {

std::string HeadersToText(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
  return out;
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

int Store::SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path, const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->read_only = options.read_only;
  const int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &impl->db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return SqlError(impl->db, rc, "cannot open database " + path);
  sqlite3_extended_result_codes(impl->db, 1);
  sqlite3_busy_timeout(impl->db, options.busy_timeout_ms);
  // Reading the schema version is the first real access: it detects files that are not
  // databases before anything is written.
  NC_RETURN_IF_ERROR(impl->Exec("PRAGMA foreign_keys = ON"));
  // SQLite silently falls back to read-only for a write-protected file; the first write
  // would then fail deep inside a run with a vague message.
  if (!options.read_only && sqlite3_db_readonly(impl->db, "main") == 1) {
    return FailedPreconditionError("database " + path +
                                   " is read-only (no write permission on the file)");
  }
  if (options.max_page_count > 0) {
    NC_RETURN_IF_ERROR(
        impl->Exec(("PRAGMA max_page_count = " + std::to_string(options.max_page_count)).c_str()));
  }
  if (!options.read_only) {
    Status s = impl->Exec("PRAGMA journal_mode = WAL");
    if (!s.ok()) return Status(s.code(), "cannot use database " + path + ": " + s.message());
    NC_RETURN_IF_ERROR(impl->Exec("PRAGMA synchronous = NORMAL"));
  }
  NC_RETURN_IF_ERROR(Impl::RegisterSearchTokenizer(impl->db));  // issue 6: search.cc
  Status s = impl->Migrate();
  if (!s.ok()) return Status(s.code(), "database " + path + ": " + s.message());
  if (!options.read_only) NC_RETURN_IF_ERROR(impl->PrepareAll());
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

StatusOr<int64_t> Store::BeginRun(const RunInfo& info) {
  Impl& d = *impl_;
  NC_RETURN_IF_ERROR(d.insert_run.Reset()
                         .Bind(1, info.command)
                         .Bind(2, info.program_version)
                         .Bind(3, info.rules_version)
                         .Bind(4, NowUtc())
                         .Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(d.db));
}

Status Store::EndRun(int64_t run_id, const RunCounts& c) {
  return impl_->end_run.Reset()
      .Bind(1, run_id)
      .Bind(2, NowUtc())
      .Bind(3, c.seen)
      .Bind(4, c.added)
      .Bind(5, c.unchanged)
      .Bind(6, c.failed)
      .Run();
}

namespace {

// libdeflate writes and reads the same zlib streams (RFC 1950) as zlib, about twice as
// fast at level 1 and a little smaller. Its (de)compressors hold no state between calls:
// one per thread.
struct Deflater {
  libdeflate_compressor* c = libdeflate_alloc_compressor(1);
  ~Deflater() { libdeflate_free_compressor(c); }
};
struct Inflater {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  ~Inflater() { libdeflate_free_decompressor(d); }
};

}  // namespace

Store::PackedRaw Store::PackRaw(std::string_view bytes) {
  PackedRaw out;
  // Small documents gain little; a blob this size fits in a page or two either way.
  constexpr size_t kMinPackBytes = 512;
  thread_local Deflater deflater;
  // The compressor writes into a per-thread buffer that only grows (up to kMaxScratch;
  // larger documents use one of their own), so that a document costs neither a fresh
  // zero-filled buffer of its own size nor a shrinking copy.
  constexpr size_t kMaxScratch = size_t{4} << 20;
  thread_local std::string kept_scratch;
  if (bytes.size() >= kMinPackBytes && deflater.c != nullptr) {
    // Kept when it saves at least an eighth (HTML and text save about three quarters;
    // already compressed payloads nothing): a stream that would not fit is not kept.
    const size_t limit = bytes.size() - bytes.size() / 8;
    std::string own_scratch;
    std::string& scratch = limit <= kMaxScratch ? kept_scratch : own_scratch;
    if (scratch.size() < limit) scratch.resize(limit);
    const size_t n =
        libdeflate_zlib_compress(deflater.c, bytes.data(), bytes.size(), scratch.data(), limit);
    if (n > 0) {
      out.bytes.assign(scratch.data(), n);
      out.compression = "zlib";
      return out;
    }
  }
  out.bytes.assign(bytes);
  out.compression.clear();
  return out;
}

StatusOr<std::string> Store::UnpackRaw(std::string stored, const std::string& compression,
                                       int64_t size) {
  if (compression.empty()) return stored;
  if (compression != "zlib") {
    return InvalidArgumentError("raw bytes stored with unknown compression \"" + compression +
                                "\"");
  }
  if (size < 0) return DataLossError("compressed raw bytes with a negative size");
  thread_local Inflater inflater;
  if (inflater.d == nullptr) return ResourceExhaustedError("no memory to inflate raw bytes");
  std::string out(static_cast<size_t>(size), '\0');
  size_t n = 0;
  const libdeflate_result rc = libdeflate_zlib_decompress(inflater.d, stored.data(), stored.size(),
                                                          out.data(), out.size(), &n);
  if (rc != LIBDEFLATE_SUCCESS || n != out.size()) {
    return DataLossError("compressed raw bytes do not inflate to their " + std::to_string(size) +
                         " bytes (libdeflate " + std::to_string(static_cast<int>(rc)) + ")");
  }
  return out;
}

Status Store::PutRaw(const RawDocument& raw, const PackedRaw* packed) {
  Impl& d = *impl_;
  const std::string now = NowUtc();
  return d.InTransaction([&]() -> Status {
    // Raw rows are immutable: a document stored before only gets its uri recorded (and
    // is not compressed again).
    std::optional<PackedRaw> local;
    if (packed == nullptr) {
      StatusOr<bool> have = d.has_raw.Reset().Bind(1, raw.sha256).Step();
      d.has_raw.Reset();
      if (!have.ok()) return have.status();
      if (!*have) packed = &local.emplace(PackRaw(raw.bytes));
    }
    if (packed == nullptr) {
      return d.insert_uri.Reset().Bind(1, raw.uri).Bind(2, raw.sha256).Bind(3, now).Run();
    }
    Stmt& ins = d.insert_raw.Reset();
    ins.Bind(1, raw.sha256)
        .BindBlob(2, packed->bytes)
        .Bind(3, static_cast<int64_t>(raw.bytes.size()))
        .Bind(4, std::string(DocFormatName(raw.format)))
        .Bind(5, std::string(SourceKindName(raw.kind)))
        .Bind(8, raw.declared_charset)
        .Bind(9, raw.uri)
        .Bind(10, raw.fetched_at.empty() ? now : raw.fetched_at);
    if (raw.http_status) {
      ins.Bind(6, static_cast<int64_t>(raw.http_status)).Bind(7, HeadersToText(raw.headers));
    }
    if (!packed->compression.empty()) ins.Bind(11, packed->compression);
    NC_RETURN_IF_ERROR(ins.Run());
    return d.insert_uri.Reset().Bind(1, raw.uri).Bind(2, raw.sha256).Bind(3, now).Run();
  });
}

StatusOr<bool> Store::HasArticle(const std::string& raw_sha256, const std::string& rules_version) {
  Stmt& q = impl_->has_article;
  NC_RETURN_IF_ERROR(q.PrepareOnce(
      impl_->db, "SELECT 1 FROM articles WHERE raw_sha256 = ?1 AND rules_version = ?2"));
  StatusOr<bool> row = q.Reset().Bind(1, raw_sha256).Bind(2, rules_version).Step();
  // Reset at once: a statement left on its row holds a read snapshot, which on a
  // read-only connection (ingest's workers) keeps checkpoints from resetting the WAL.
  q.Reset();
  return row;
}

StatusOr<int64_t> Store::PutArticle(int64_t run_id, const std::string& rules_version,
                                    const Article& a, const Claims& claims,
                                    const IndexEntry* index) {
  Impl& d = *impl_;
  int64_t article_id = 0;
  std::vector<int64_t> figure_ids;
  Status s = d.InTransaction([&]() -> Status {
    NC_RETURN_IF_ERROR(d.delete_article.Reset().Bind(1, a.raw_sha256).Bind(2, rules_version).Run());
    StatusOr<int64_t> id = d.InsertArticleRows(run_id, rules_version, a, claims,
                                               index != nullptr ? &figure_ids : nullptr);
    if (!id.ok()) return id.status();
    article_id = *id;
    if (index != nullptr) return d.InsertIndexRows(*index, article_id, &figure_ids);
    return Status::Ok();
  });
  if (!s.ok() && index != nullptr) d.DropIndexStatements();
  if (!s.ok()) return s;
  return article_id;
}

Status Store::PutError(int64_t run_id, const std::string& uri, const std::string& raw_sha256,
                       const std::string& stage, const Status& error) {
  return impl_->InBatchOrAlone([&]() -> Status {
    Stmt& ins = impl_->insert_error.Reset();
    ins.Bind(1, run_id)
        .Bind(2, uri)
        .Bind(4, stage)
        .Bind(5, std::string(StatusCodeName(error.code())))
        .Bind(6, error.message())
        .Bind(7, NowUtc());
    if (!raw_sha256.empty()) ins.Bind(3, raw_sha256);
    return ins.Run();
  });
}

StatusOr<std::optional<FetchState>> Store::GetFetchState(const std::string& url) {
  if (impl_->read_only) return FailedPreconditionError("fetch state needs a read-write database");
  Stmt& q = impl_->get_fetch_state;
  q.Reset().Bind(1, url);
  StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<FetchState>();
  FetchState st;
  st.url = url;
  st.etag = q.Text(0);
  st.last_modified = q.Text(1);
  st.sha256 = q.Text(2);
  st.http_status = static_cast<int>(q.Int(3));
  st.last_attempt = q.Text(4);
  st.last_success = q.Text(5);
  st.last_changed = q.Text(6);
  st.failures = q.Int(7);
  q.Reset();
  return std::optional<FetchState>(std::move(st));
}

Status Store::PutFetchState(const FetchState& st) {
  if (impl_->read_only) return FailedPreconditionError("database opened read-only");
  return impl_->InBatchOrAlone([&]() -> Status {
    Stmt& q = impl_->put_fetch_state;
    q.Reset()
        .Bind(1, st.url)
        .Bind(2, st.etag)
        .Bind(3, st.last_modified)
        .Bind(4, st.sha256)
        .Bind(5, static_cast<int64_t>(st.http_status))
        .Bind(6, st.last_attempt)
        .Bind(7, st.last_success)
        .Bind(8, st.last_changed)
        .Bind(9, st.failures);
    return q.Run();
  });
}

Status Store::BeginBatch() {
  Impl& d = *impl_;
  if (d.read_only) return FailedPreconditionError("database opened read-only");
  if (d.in_batch) return FailedPreconditionError("a batch is open already");
  if (d.in_rebuild) return FailedPreconditionError("a rebuild is in progress");
  // Prepared (and the staging tables created) before the transaction, so that a rollback
  // of the batch cannot take the tables away.
  NC_RETURN_IF_ERROR(d.PrepareIndexStatements());
  NC_RETURN_IF_ERROR(d.begin.Reset().Run());
  d.in_batch = true;
  d.batch_error = Status::Ok();
  d.stage_fts = true;
  return Status::Ok();
}

Status Store::CommitBatch() {
  Impl& d = *impl_;
  if (!d.in_batch) return FailedPreconditionError("no batch open");
  Status s = d.BatchUsable();
  if (s.ok()) s = d.FlushIndexStage();
  if (s.ok()) s = d.commit.Reset().Run();
  if (!s.ok()) {
    RollbackBatch();
    return s;
  }
  d.in_batch = false;
  d.stage_fts = false;
  return Status::Ok();
}

void Store::RollbackBatch() {
  Impl& d = *impl_;
  if (!d.in_batch) return;
  // The transaction may be gone already (SQLite rolls back by itself after some errors).
  if (sqlite3_get_autocommit(d.db) == 0) (void)d.rollback.Reset().Run();
  d.rollback.Reset();
  d.in_batch = false;
  d.batch_error = Status::Ok();
  d.stage_fts = false;
  // The stages are emptied with the transaction; this is for a transaction that ended
  // otherwise, and for statements that failed halfway.
  if (d.index_prepared) {
    (void)d.clear_article_stage->Reset().Run();
    (void)d.clear_claim_stage->Reset().Run();
    d.staged_articles = d.staged_claims = 0;
  } else {
    d.DropIndexStatements();
  }
}

bool Store::InBatch() const { return impl_->in_batch; }

Status Store::ForEachArticle(const std::function<Status(const ExportArticle&)>& fn) {
  return ForEachArticleFiltered(ArticleFilter(), fn);
}

StatusOr<int64_t> Store::CountRows(const std::string& table) {
  static const std::unordered_set<std::string> kTables = {
      "runs",        "raw_documents", "document_uris",   "articles",
      "sources",     "figures",       "chip_mentions",   "errors",
      "fetch_state", "warc_records",  "article_clusters"};
  if (!kTables.count(table)) return InvalidArgumentError("unknown table " + table);
  Stmt q;
  NC_RETURN_IF_ERROR(q.Prepare(impl_->db, ("SELECT count(*) FROM " + table).c_str()));
  StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return q.Int(0);
}

StatusOr<bool> Store::IntegrityOk() {
  Stmt q;
  NC_RETURN_IF_ERROR(q.Prepare(impl_->db, "PRAGMA integrity_check"));
  StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return q.Text(0) == "ok";
}

}  // namespace newsclaim::store
