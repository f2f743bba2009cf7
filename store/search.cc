// The store side of full-text search and duplicate clusters (issue 6): the "newsclaim"
// FTS5 tokenizer (CJK bigrams + unigrams, lower-cased words), the index tables
// (article_index, claim_index, article_fts, claim_fts, article_clusters) and the search
// and listing queries. What goes into them (folding, signatures, clustering) is index/.
#include <sqlite3.h>

#include <cstring>
#include <new>

#include "core/utf8.h"
#include "store/internal.h"
#include "store/search_tokenizer.h"
#include "store/store.h"

namespace newsclaim::store {
namespace {

// The FTS5 tokenizer object; it has no state.
struct NcTokenizer {};

int TokCreate(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(new (std::nothrow) NcTokenizer());
  return *out ? SQLITE_OK : SQLITE_NOMEM;
}

void TokDelete(Fts5Tokenizer* t) { delete reinterpret_cast<NcTokenizer*>(t); }

int TokTokenize(Fts5Tokenizer*, void* ctx, int flags, const char* text, int n,
                int (*token)(void*, int, const char*, int, int, int)) {
  const Store::TokenizeMode mode =
      (flags & FTS5_TOKENIZE_QUERY) ? Store::TokenizeMode::kQuery : Store::TokenizeMode::kDocument;
  int rc = SQLITE_OK;
  tokenizer::ForEachToken(std::string_view(text ? text : "", n > 0 ? static_cast<size_t>(n) : 0),
                          mode, [&](std::string_view t, uint32_t b, uint32_t e, bool colocated) {
                            if (rc != SQLITE_OK) return;
                            rc = token(ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, t.data(),
                                       static_cast<int>(t.size()), static_cast<int>(b),
                                       static_cast<int>(e));
                          });
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// Current articles: the newest extraction of each raw document.
constexpr const char* kIsCurrent =
    "a.id = (SELECT max(b.id) FROM articles b WHERE b.raw_sha256 = a.raw_sha256)";

Status StepAll(Stmt& q, const std::function<Status()>& row) {
  while (true) {
    StatusOr<bool> r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    NC_RETURN_IF_ERROR(row());
  }
}

}  // namespace

Status Store::Impl::RegisterSearchTokenizer(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqlError(db, rc, "FTS5 is not available");
  fts5_api* api = nullptr;
  sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", nullptr);
  rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr) return SqlError(db, rc == SQLITE_ROW ? SQLITE_ERROR : rc, "FTS5 api");
  fts5_tokenizer tok = {TokCreate, TokDelete, TokTokenize};
  rc = api->xCreateTokenizer(api, "newsclaim", nullptr, &tok, nullptr);
  if (rc != SQLITE_OK) return SqlError(db, rc, "register FTS5 tokenizer");
  return Status::Ok();
}

std::vector<Store::SearchToken> Store::TokenizeForSearch(std::string_view text, TokenizeMode mode) {
  std::vector<SearchToken> out;
  tokenizer::ForEachToken(text, mode,
                          [&](std::string_view t, uint32_t b, uint32_t e, bool colocated) {
                            out.push_back({std::string(t), b, e, colocated});
                          });
  return out;
}

StatusOr<std::vector<Store::IndexSource>> Store::UnindexedArticles(int64_t after_id, int limit) {
  Impl& d = *impl_;
  Stmt q, c;
  NC_RETURN_IF_ERROR(q.Prepare(
      d.db, (std::string("SELECT a.id, a.title, a.body FROM articles a WHERE a.id > ?1 AND ") +
             kIsCurrent +
             " AND NOT EXISTS (SELECT 1 FROM article_index x WHERE x.article_id = a.id) "
             "ORDER BY a.id LIMIT ?2")
                .c_str()));
  NC_RETURN_IF_ERROR(c.Prepare(
      d.db,
      "SELECT f.id, f.text, f.sentence_start, f.sentence_end, s.name FROM figures f "
      "LEFT JOIN sources s ON s.id = f.source_id WHERE f.article_id = ?1 ORDER BY f.seq"));
  std::vector<IndexSource> out;
  q.Bind(1, after_id).Bind(2, static_cast<int64_t>(limit));
  NC_RETURN_IF_ERROR(StepAll(q, [&]() {
    IndexSource s;
    s.article_id = q.Int(0);
    s.title = q.Text(1);
    s.body = q.Text(2);
    out.push_back(std::move(s));
    return Status::Ok();
  }));
  q.Reset();
  for (IndexSource& s : out) {
    c.Reset().Bind(1, s.article_id);
    NC_RETURN_IF_ERROR(StepAll(c, [&]() {
      IndexClaim claim;
      claim.figure_id = c.Int(0);
      claim.text = c.Text(1);
      if (!c.IsNull(2)) {
        const int64_t b = c.Int(2), e = c.Int(3);
        if (b >= 0 && e >= b && static_cast<size_t>(e) <= s.body.size()) {
          claim.sentence = s.body.substr(b, e - b);
        }
      }
      claim.source = c.Text(4);
      s.claims.push_back(std::move(claim));
      return Status::Ok();
    }));
    c.Reset();
  }
  return out;
}

Status Store::Impl::PrepareIndexStatements() {
  if (index_prepared) return Status::Ok();
  DropIndexStatements();  // what an attempt that failed halfway left
  auto prepare = [this](std::unique_ptr<Stmt>& stmt, const char* sql) {
    stmt = std::make_unique<Stmt>();
    return stmt->Prepare(db, sql);
  };
  NC_RETURN_IF_ERROR(
      prepare(put_index,
              "INSERT OR REPLACE INTO article_index (article_id, body_hash, shingles, minhash) "
              "VALUES (?1, ?2, ?3, ?4)"));
  NC_RETURN_IF_ERROR(
      prepare(put_article_fts, "INSERT INTO article_fts (rowid, title, body) VALUES (?1, ?2, ?3)"));
  NC_RETURN_IF_ERROR(
      prepare(put_claim_index,
              "INSERT OR REPLACE INTO claim_index (figure_id, article_id) VALUES (?1, ?2)"));
  // An article's claims go into claim_fts in one statement, from a staging table: FTS5
  // writes its pending terms out as a new segment at the start of every statement in a
  // transaction (its savepoint), so one statement per claim made one segment per claim
  // and the merges that follow. Batches stage article rows the same way.
  NC_RETURN_IF_ERROR(
      Exec("CREATE TEMP TABLE IF NOT EXISTS nc_claim_stage (figure_id INTEGER PRIMARY KEY, "
           "text TEXT NOT NULL, sentence TEXT NOT NULL, source TEXT NOT NULL)"));
  NC_RETURN_IF_ERROR(
      Exec("CREATE TEMP TABLE IF NOT EXISTS nc_article_stage (article_id INTEGER PRIMARY KEY, "
           "title TEXT NOT NULL, body TEXT NOT NULL)"));
  NC_RETURN_IF_ERROR(
      prepare(put_claim_stage,
              "INSERT OR REPLACE INTO temp.nc_claim_stage (figure_id, text, sentence, source) "
              "VALUES (?1, ?2, ?3, ?4)"));
  NC_RETURN_IF_ERROR(prepare(
      put_claim_fts,
      "INSERT INTO claim_fts (rowid, text, sentence, source) "
      "SELECT figure_id, text, sentence, source FROM temp.nc_claim_stage ORDER BY figure_id"));
  NC_RETURN_IF_ERROR(prepare(clear_claim_stage, "DELETE FROM temp.nc_claim_stage"));
  // Plain INSERT: an article staged twice fails here as a second article_fts row with the
  // same rowid would.
  NC_RETURN_IF_ERROR(
      prepare(put_article_stage,
              "INSERT INTO temp.nc_article_stage (article_id, title, body) VALUES (?1, ?2, ?3)"));
  NC_RETURN_IF_ERROR(
      prepare(flush_article_stage,
              "INSERT INTO article_fts (rowid, title, body) "
              "SELECT article_id, title, body FROM temp.nc_article_stage ORDER BY article_id"));
  NC_RETURN_IF_ERROR(prepare(clear_article_stage, "DELETE FROM temp.nc_article_stage"));
  index_prepared = true;
  return Status::Ok();
}

Status Store::Impl::FlushIndexStage() {
  if (staged_articles > 0) {
    NC_RETURN_IF_ERROR(flush_article_stage->Reset().Run());
    NC_RETURN_IF_ERROR(clear_article_stage->Reset().Run());
    staged_articles = 0;
  }
  if (staged_claims > 0) {
    NC_RETURN_IF_ERROR(put_claim_fts->Reset().Run());
    NC_RETURN_IF_ERROR(clear_claim_stage->Reset().Run());
    staged_claims = 0;
  }
  return Status::Ok();
}

Status Store::Impl::InsertIndexRows(const IndexEntry& e, int64_t article_id,
                                    const std::vector<int64_t>* figure_ids) {
  NC_RETURN_IF_ERROR(PrepareIndexStatements());
  if (figure_ids != nullptr && figure_ids->size() != e.claims.size()) {
    return InternalError("index entry has " + std::to_string(e.claims.size()) + " claims for " +
                         std::to_string(figure_ids->size()) + " figures");
  }
  const int64_t id = article_id != 0 ? article_id : e.article_id;
  Stmt& ins = put_index->Reset().Bind(1, id).Bind(2, e.body_hash).Bind(3, e.shingles);
  if (e.minhash.empty()) {
    ins.BindNull(4);
  } else {
    ins.BindBlob(4, e.minhash);
  }
  NC_RETURN_IF_ERROR(ins.Run());
  Stmt& fts = stage_fts ? *put_article_stage : *put_article_fts;
  NC_RETURN_IF_ERROR(fts.Reset().Bind(1, id).Bind(2, e.title).Bind(3, e.body).Run());
  fts.Reset();
  if (stage_fts) ++staged_articles;
  for (size_t i = 0; i < e.claims.size(); ++i) {
    const IndexClaim& c = e.claims[i];
    const int64_t figure_id = figure_ids != nullptr ? (*figure_ids)[i] : c.figure_id;
    NC_RETURN_IF_ERROR(put_claim_index->Reset().Bind(1, figure_id).Bind(2, id).Run());
    NC_RETURN_IF_ERROR(put_claim_stage->Reset()
                           .Bind(1, figure_id)
                           .Bind(2, c.text)
                           .Bind(3, c.sentence)
                           .Bind(4, c.source)
                           .Run());
  }
  staged_claims += static_cast<int64_t>(e.claims.size());
  if (!stage_fts) NC_RETURN_IF_ERROR(FlushIndexStage());
  // Nothing stays bound: these statements outlive the call.
  put_index->Reset();
  put_claim_index->Reset();
  put_claim_stage->Reset();
  return Status::Ok();
}

Status Store::PutIndexEntries(const std::vector<IndexEntry>& entries) {
  Impl& d = *impl_;
  if (d.read_only) return FailedPreconditionError("database opened read-only");
  // All entries' full-text rows are staged and written with one statement per table
  // (inside a batch, at its commit).
  const bool staged = d.stage_fts;
  d.stage_fts = true;
  Status s = d.InTransaction([&]() -> Status {
    for (const IndexEntry& e : entries) NC_RETURN_IF_ERROR(d.InsertIndexRows(e));
    return d.in_batch ? Status::Ok() : d.FlushIndexStage();
  });
  d.stage_fts = staged;
  if (!s.ok()) d.DropIndexStatements();
  return s;
}

StatusOr<int64_t> Store::RemoveStaleIndexRows() {
  Impl& d = *impl_;
  if (d.read_only) return FailedPreconditionError("database opened read-only");
  int64_t removed = 0;
  Status s = d.InTransaction([&]() -> Status {
    NC_RETURN_IF_ERROR(d.Exec("CREATE TEMP TABLE IF NOT EXISTS nc_stale (id INTEGER PRIMARY KEY)"));
    NC_RETURN_IF_ERROR(d.Exec("DELETE FROM nc_stale"));
    NC_RETURN_IF_ERROR(
        d.Exec("INSERT INTO nc_stale SELECT x.article_id FROM article_index x "
               "LEFT JOIN articles a ON a.id = x.article_id "
               "WHERE a.id IS NULL OR a.id <> (SELECT max(b.id) FROM articles b "
               "WHERE b.raw_sha256 = a.raw_sha256)"));
    removed = sqlite3_changes(d.db);
    if (removed == 0) return Status::Ok();
    NC_RETURN_IF_ERROR(d.Exec("DELETE FROM article_fts WHERE rowid IN (SELECT id FROM nc_stale)"));
    NC_RETURN_IF_ERROR(
        d.Exec("DELETE FROM claim_fts WHERE rowid IN (SELECT figure_id FROM claim_index "
               "WHERE article_id IN (SELECT id FROM nc_stale))"));
    NC_RETURN_IF_ERROR(
        d.Exec("DELETE FROM claim_index WHERE article_id IN (SELECT id FROM nc_stale)"));
    NC_RETURN_IF_ERROR(
        d.Exec("DELETE FROM article_clusters WHERE article_id IN (SELECT id FROM nc_stale)"));
    NC_RETURN_IF_ERROR(
        d.Exec("DELETE FROM article_index WHERE article_id IN (SELECT id FROM nc_stale)"));
    return d.Exec("DELETE FROM nc_stale");
  });
  if (!s.ok()) return s;
  return removed;
}

StatusOr<int64_t> Store::CountUnclusteredArticles() {
  Stmt q;
  NC_RETURN_IF_ERROR(
      q.Prepare(impl_->db,
                "SELECT count(*) FROM article_index x WHERE NOT EXISTS "
                "(SELECT 1 FROM article_clusters c WHERE c.article_id = x.article_id)"));
  StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return q.Int(0);
}

Status Store::ForEachBodyHash(const std::function<Status(int64_t, const std::string&)>& fn) {
  Stmt q;
  NC_RETURN_IF_ERROR(q.Prepare(
      impl_->db, "SELECT article_id, body_hash FROM article_index ORDER BY body_hash, article_id"));
  return StepAll(q, [&]() { return fn(q.Int(0), q.Text(1)); });
}

Status Store::ForEachMinhashBand(
    int bands, int band_bytes, const std::function<Status(int, const std::string&, int64_t)>& fn) {
  Stmt q;
  NC_RETURN_IF_ERROR(
      q.Prepare(impl_->db,
                "WITH RECURSIVE b(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM b WHERE n + 1 < ?1) "
                "SELECT b.n, substr(x.minhash, b.n * ?2 + 1, ?2), x.article_id "
                "FROM b, article_index x WHERE x.minhash IS NOT NULL ORDER BY 1, 2, 3"));
  q.Bind(1, static_cast<int64_t>(bands)).Bind(2, static_cast<int64_t>(band_bytes));
  return StepAll(q, [&]() {
    // substr of a blob is a blob: read its bytes (Text reads them as they are).
    return fn(static_cast<int>(q.Int(0)), q.Text(1), q.Int(2));
  });
}

StatusOr<std::string> Store::GetMinhash(int64_t article_id) {
  Impl& d = *impl_;
  NC_RETURN_IF_ERROR(
      d.get_minhash.PrepareOnce(d.db, "SELECT minhash FROM article_index WHERE article_id = ?1"));
  Stmt& q = d.get_minhash.Reset().Bind(1, article_id);
  StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  std::string out = *row ? q.Text(0) : std::string();
  q.Reset();
  return out;
}

Status Store::ReplaceClusters(const std::vector<ClusterAssignment>& linked) {
  Impl& d = *impl_;
  if (d.read_only) return FailedPreconditionError("database opened read-only");
  return d.InTransaction([&]() -> Status {
    NC_RETURN_IF_ERROR(d.Exec("DELETE FROM article_clusters"));
    NC_RETURN_IF_ERROR(
        d.Exec("INSERT INTO article_clusters (article_id, cluster_id, method) "
               "SELECT x.article_id, x.article_id, 'self' FROM article_index x "
               "JOIN articles a ON a.id = x.article_id"));
    Stmt up;
    NC_RETURN_IF_ERROR(up.Prepare(
        d.db, "UPDATE article_clusters SET cluster_id = ?2, method = ?3 WHERE article_id = ?1"));
    for (const ClusterAssignment& c : linked) {
      NC_RETURN_IF_ERROR(
          up.Reset().Bind(1, c.article_id).Bind(2, c.cluster_id).Bind(3, c.method).Run());
    }
    return Status::Ok();
  });
}

StatusOr<std::vector<Store::ArticleHit>> Store::SearchArticles(const std::string& fts_query,
                                                               int limit) {
  Stmt q;
  NC_RETURN_IF_ERROR(q.Prepare(
      impl_->db,
      (std::string(
           "SELECT a.id, COALESCE(c.cluster_id, a.id), bm25(article_fts, 2.0, 1.0) AS score, "
           "a.uri, a.title, a.outlet, a.published, a.raw_sha256, a.body, "
           "highlight(article_fts, 0, char(2), char(3)), "
           "highlight(article_fts, 1, char(2), char(3)) "
           "FROM article_fts JOIN articles a ON a.id = article_fts.rowid "
           "LEFT JOIN article_clusters c ON c.article_id = a.id "
           "WHERE article_fts MATCH ?1 AND ") +
       kIsCurrent + " ORDER BY score, a.id LIMIT ?2")
          .c_str()));
  q.Bind(1, fts_query).Bind(2, static_cast<int64_t>(limit));
  std::vector<ArticleHit> out;
  NC_RETURN_IF_ERROR(StepAll(q, [&]() {
    ArticleHit h;
    h.article_id = q.Int(0);
    h.cluster_id = q.Int(1);
    h.score = *q.Double(2);
    h.doc = q.Text(3);
    h.title = q.Text(4);
    h.outlet = q.Text(5);
    h.published = q.Text(6);
    h.raw_sha256 = q.Text(7);
    h.body = q.Text(8);
    h.marked_title = q.Text(9);
    h.marked_body = q.Text(10);
    out.push_back(std::move(h));
    return Status::Ok();
  }));
  return out;
}

StatusOr<std::vector<Store::ClaimHit>> Store::SearchClaims(const std::string& fts_query,
                                                           int limit) {
  Stmt q;
  NC_RETURN_IF_ERROR(q.Prepare(
      impl_->db,
      (std::string("SELECT f.id, a.id, bm25(claim_fts, 2.0, 1.0, 1.0) AS score, f.text, "
                   "f.unit, COALESCE(s.name, a.outlet), f.value, f.value_high, "
                   "CAST(substr(CAST(a.body AS BLOB), f.sentence_start + 1, "
                   "f.sentence_end - f.sentence_start) AS TEXT), a.uri, a.title, a.outlet, "
                   "a.published, highlight(claim_fts, 1, char(2), char(3)) "
                   "FROM claim_fts JOIN figures f ON f.id = claim_fts.rowid "
                   "JOIN articles a ON a.id = f.article_id "
                   "LEFT JOIN sources s ON s.id = f.source_id "
                   "WHERE claim_fts MATCH ?1 AND ") +
       kIsCurrent + " ORDER BY score, f.id LIMIT ?2")
          .c_str()));
  q.Bind(1, fts_query).Bind(2, static_cast<int64_t>(limit));
  std::vector<ClaimHit> out;
  NC_RETURN_IF_ERROR(StepAll(q, [&]() {
    ClaimHit h;
    h.figure_id = q.Int(0);
    h.article_id = q.Int(1);
    h.score = *q.Double(2);
    h.text = q.Text(3);
    h.unit = q.Text(4);
    h.source = q.Text(5);
    h.value = q.Double(6);
    h.value_high = q.Double(7);
    h.sentence = q.Text(8);
    h.doc = q.Text(9);
    h.title = q.Text(10);
    h.outlet = q.Text(11);
    h.published = q.Text(12);
    h.marked_sentence = q.Text(13);
    out.push_back(std::move(h));
    return Status::Ok();
  }));
  return out;
}

Status Store::ForEachDuplicate(const std::function<Status(const DuplicateMember&)>& fn) {
  Stmt q, uris;
  NC_RETURN_IF_ERROR(q.Prepare(
      impl_->db,
      "SELECT c.cluster_id, c.article_id, c.method, a.uri, a.title, a.outlet, a.published, "
      "a.raw_sha256 FROM article_clusters c JOIN articles a ON a.id = c.article_id "
      "WHERE c.cluster_id IN (SELECT cluster_id FROM article_clusters GROUP BY cluster_id "
      "HAVING count(*) > 1) OR (SELECT count(*) FROM document_uris u "
      "WHERE u.sha256 = a.raw_sha256) > 1 ORDER BY c.cluster_id, c.article_id"));
  NC_RETURN_IF_ERROR(
      uris.Prepare(impl_->db, "SELECT uri FROM document_uris WHERE sha256 = ?1 ORDER BY uri"));
  return StepAll(q, [&]() {
    DuplicateMember m;
    m.cluster_id = q.Int(0);
    m.article_id = q.Int(1);
    m.method = q.Text(2);
    m.doc = q.Text(3);
    m.title = q.Text(4);
    m.outlet = q.Text(5);
    m.published = q.Text(6);
    m.raw_sha256 = q.Text(7);
    uris.Reset().Bind(1, m.raw_sha256);
    NC_RETURN_IF_ERROR(StepAll(uris, [&]() {
      m.uris.push_back(uris.Text(0));
      return Status::Ok();
    }));
    return fn(m);
  });
}

}  // namespace newsclaim::store
