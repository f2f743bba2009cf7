// Internal to store/: the pieces every store/*.cc shares: SQLite error mapping, the
// prepared-statement wrapper, and Store::Impl (the connection and its statements). Each
// feature file (store.cc, and the ones beside it) adds its statements in its own block.
#ifndef NEWSCLAIM_STORE_INTERNAL_H_
#define NEWSCLAIM_STORE_INTERNAL_H_

#include <sqlite3.h>

#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/schema.h"
#include "store/store.h"

namespace newsclaim::store {

// Maps an SQLite result code to the Status code a caller can act on.
inline Status SqlError(sqlite3* db, int rc, const std::string& what) {
  const std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return FailedPreconditionError(msg);
    case SQLITE_FULL:
      return ResourceExhaustedError(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return UnavailableError(msg);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return DataLossError(msg);
    default:
      return InternalError(msg);
  }
}

// A prepared statement that resets itself; binds by 1-based index.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Status Prepare(sqlite3* db, const char* sql) {
    db_ = db;
    const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) return SqlError(db, rc, std::string("prepare ") + sql);
    return Status::Ok();
  }
  Stmt& Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindBlob(int i, const std::string& v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& Bind(int i, const std::optional<double>& v) {
    if (v) {
      sqlite3_bind_double(stmt_, i, *v);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // SQLITE_ROW -> true, SQLITE_DONE -> false, else an error.
  StatusOr<bool> Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqlError(db_, rc, "step");
  }
  Status Run() {
    StatusOr<bool> r = Step();
    if (!r.ok()) return r.status();
    return Status::Ok();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::optional<double> Double(int col) const {
    if (IsNull(col)) return std::nullopt;
    return sqlite3_column_double(stmt_, col);
  }
  bool prepared() const { return stmt_ != nullptr; }
  // Prepares sql on first use (statements of feature files that not every command needs).
  Status PrepareOnce(sqlite3* db, const char* sql) {
    return prepared() ? Status::Ok() : Prepare(db, sql);
  }
  std::string Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

struct Store::Impl {
  sqlite3* db = nullptr;
  bool read_only = false;
  Stmt begin, commit, rollback;
  Stmt insert_raw, insert_uri, has_raw, has_article, delete_article, insert_article, insert_source,
      insert_figure, insert_chip, insert_error, insert_run, end_run;
  Stmt get_fetch_state, put_fetch_state;
  // Feature files (store/<feature>.cc) add their statements below, one block each, and
  // prepare them with Stmt::PrepareOnce.
  // -- warc.cc (issue 5: WARC index) --
  Stmt put_warc_record, warc_by_sha256, warc_by_uri;
  // -- rebuild.cc (issue 6: rebuild, provenance) --
  std::unique_ptr<Stmt> next_raw;  // prepared by BeginRebuild (reads temp.rebuild_order)
  bool in_rebuild = false;
  // Inserts an article and its claims (no transaction of its own); returns its id, and
  // the ids of its figures in order in *figure_ids when not null.
  StatusOr<int64_t> InsertArticleRows(int64_t run_id, const std::string& rules_version,
                                      const Article& article, const Claims& claims,
                                      std::vector<int64_t>* figure_ids = nullptr);
  // -- search.cc (issue 6: full-text search, duplicates) --
  // Statements on FTS5 tables are local to each call, or finalized by ~Impl before the
  // close: one left prepared when sqlite3_close_v2 runs crashes the finalize that follows.
  Stmt get_minhash;
  // The index-row statements (issue 7: also written with each article by PutArticle);
  // finalized before the connection closes, see ~Impl.
  std::unique_ptr<Stmt> put_index, put_article_fts, put_claim_index, put_claim_stage, put_claim_fts,
      clear_claim_stage, put_article_stage, flush_article_stage, clear_article_stage;
  // Staged full-text rows: FTS5 writes its pending terms out as a new segment at the start
  // of every statement in a transaction, so rows are staged in TEMP tables and written to
  // article_fts and claim_fts with one statement each (FlushIndexStage). Claims are always
  // staged and flushed per article; with stage_fts on (a batch, PutIndexEntries) article
  // rows are staged too and both tables are flushed once, before the commit.
  bool stage_fts = false;
  int64_t staged_articles = 0, staged_claims = 0;  // rows in the stages
  bool index_prepared = false;                     // all the index-row statements are prepared
  // Prepares the index-row statements and creates the staging tables, when not done yet.
  // Outside a transaction, the tables then outlive any rollback.
  Status PrepareIndexStatements();
  // Finalizes the index-row statements; the next InsertIndexRows prepares them (and
  // creates its staging tables) again. Called when a transaction that used them rolled
  // back, which may have taken the staging tables (created inside it) with it.
  void DropIndexStatements() {
    put_index.reset();
    put_article_fts.reset();
    put_claim_index.reset();
    put_claim_stage.reset();
    put_claim_fts.reset();
    clear_claim_stage.reset();
    put_article_stage.reset();
    flush_article_stage.reset();
    clear_article_stage.reset();
    staged_articles = staged_claims = 0;
    index_prepared = false;
  }
  // Writes one article's index rows (no transaction of its own). article_id and
  // figure_ids (the claims' figure ids, in order) override e's ids when given.
  Status InsertIndexRows(const IndexEntry& e, int64_t article_id = 0,
                         const std::vector<int64_t>* figure_ids = nullptr);
  // Writes the staged full-text rows to article_fts and claim_fts (one statement per
  // table, in rowid order) and empties the stages.
  Status FlushIndexStage();
  // Registers the "newsclaim" FTS5 tokenizer on db (before migrations: the schema uses it).
  static Status RegisterSearchTokenizer(sqlite3* db);
  // -- batches (group commit; store.cc) --
  // Between BeginBatch and CommitBatch/RollbackBatch every InTransaction body (and PutError,
  // PutFetchState) runs in the batch's one open transaction. The first write that fails
  // in it is kept in batch_error: later writes and CommitBatch return it, and only a
  // rollback ends the batch.
  bool in_batch = false;
  Status batch_error;
  // OK when writes may go on in the batch: no earlier failure, and the transaction is
  // still open (SQLite rolls a transaction back by itself after some errors, e.g. a full
  // disk; later statements would then commit on their own).
  Status BatchUsable() {
    if (!batch_error.ok()) return batch_error;
    if (sqlite3_get_autocommit(db) != 0) {
      batch_error = InternalError("the batch's transaction was rolled back");
    }
    return batch_error;
  }
  // Runs body in the batch's transaction when one is open (recording its failure), or
  // alone (a single statement commits by itself).
  template <typename F>
  Status InBatchOrAlone(F&& body) {
    if (!in_batch) return body();
    NC_RETURN_IF_ERROR(BatchUsable());
    Status s = body();
    if (!s.ok()) batch_error = s;
    return s;
  }

  // close_v2 defers the close until the member statements below are finalized. Those on
  // FTS5 tables are finalized first (finalizing one after close_v2 crashes).
  ~Impl() {
    DropIndexStatements();
    sqlite3_close_v2(db);
  }

  Status Exec(const char* sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return SqlError(nullptr, rc, msg);
    }
    return Status::Ok();
  }

  Status Migrate() {
    Stmt v;
    NC_RETURN_IF_ERROR(v.Prepare(db, "PRAGMA user_version"));
    StatusOr<bool> row = v.Step();
    if (!row.ok()) return row.status();
    const int64_t version = v.Int(0);
    const int64_t latest = static_cast<int64_t>(std::size(kMigrations));
    if (version > latest) {
      return FailedPreconditionError("database schema version " + std::to_string(version) +
                                     " is newer than this program's " + std::to_string(latest));
    }
    if (version == latest) return Status::Ok();
    if (read_only) {
      return FailedPreconditionError("database needs a schema migration; open it read-write once");
    }
    NC_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    for (int64_t i = version; i < latest; ++i) {
      Status s = Exec(kMigrations[i]);
      if (s.ok()) s = Exec(("PRAGMA user_version = " + std::to_string(i + 1)).c_str());
      if (!s.ok()) {
        (void)Exec("ROLLBACK");
        return s;
      }
    }
    return Exec("COMMIT");
  }

  Status PrepareAll() {
    NC_RETURN_IF_ERROR(begin.Prepare(db, "BEGIN IMMEDIATE"));
    NC_RETURN_IF_ERROR(commit.Prepare(db, "COMMIT"));
    NC_RETURN_IF_ERROR(rollback.Prepare(db, "ROLLBACK"));
    NC_RETURN_IF_ERROR(insert_raw.Prepare(
        db,
        "INSERT OR IGNORE INTO raw_documents (sha256, bytes, size, format, source_kind, "
        "http_status, headers, declared_charset, first_uri, first_seen, compression) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    NC_RETURN_IF_ERROR(has_raw.Prepare(db, "SELECT 1 FROM raw_documents WHERE sha256 = ?1"));
    NC_RETURN_IF_ERROR(insert_uri.Prepare(
        db,
        "INSERT INTO document_uris (uri, sha256, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3) "
        "ON CONFLICT (uri, sha256) DO UPDATE SET last_seen = excluded.last_seen"));
    NC_RETURN_IF_ERROR(delete_article.Prepare(
        db, "DELETE FROM articles WHERE raw_sha256 = ?1 AND rules_version = ?2"));
    NC_RETURN_IF_ERROR(insert_article.Prepare(
        db,
        "INSERT INTO articles (raw_sha256, rules_version, run_id, uri, canonical_url, title, "
        "author, outlet, published, language, script, format, charset, replaced_bytes, body) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"));
    NC_RETURN_IF_ERROR(
        insert_source.Prepare(db,
                              "INSERT INTO sources (article_id, seq, start, \"end\", name, kind) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    NC_RETURN_IF_ERROR(insert_figure.Prepare(
        db,
        "INSERT INTO figures (article_id, seq, start, \"end\", text, value, value_high, unit, "
        "qualifier, sentence_start, sentence_end, source_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    NC_RETURN_IF_ERROR(insert_chip.Prepare(
        db,
        "INSERT INTO chip_mentions (article_id, seq, start, \"end\", text, canonical, vendor) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    NC_RETURN_IF_ERROR(insert_error.Prepare(
        db,
        "INSERT INTO errors (run_id, uri, raw_sha256, stage, code, message, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    NC_RETURN_IF_ERROR(
        insert_run.Prepare(db,
                           "INSERT INTO runs (command, program_version, rules_version, started_at) "
                           "VALUES (?1, ?2, ?3, ?4)"));
    NC_RETURN_IF_ERROR(end_run.Prepare(
        db,
        "UPDATE runs SET ended_at = ?2, seen = ?3, added = ?4, unchanged = ?5, failed = ?6 "
        "WHERE id = ?1"));
    NC_RETURN_IF_ERROR(get_fetch_state.Prepare(
        db,
        "SELECT etag, last_modified, sha256, http_status, last_attempt, last_success, "
        "last_changed, failures FROM fetch_state WHERE url = ?1"));
    NC_RETURN_IF_ERROR(put_fetch_state.Prepare(
        db,
        "INSERT OR REPLACE INTO fetch_state (url, etag, last_modified, sha256, http_status, "
        "last_attempt, last_success, last_changed, failures) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    return Status::Ok();
  }

  // Runs body inside BEGIN IMMEDIATE ... COMMIT; rolls back when body fails. Inside a
  // batch, body runs in the batch's transaction (no BEGIN or COMMIT of its own), and its
  // failure fails the batch.
  template <typename F>
  Status InTransaction(F&& body) {
    if (in_batch) return InBatchOrAlone(body);
    NC_RETURN_IF_ERROR(begin.Reset().Run());
    Status s = body();
    if (s.ok()) s = commit.Reset().Run();
    if (!s.ok()) (void)rollback.Reset().Run();
    return s;
  }
};

}  // namespace newsclaim::store

#endif  // NEWSCLAIM_STORE_INTERNAL_H_
