// Rebuild and provenance (issue 6): the store side of `newsclaim rebuild` (every stored
// raw document read back page by page, the derived tables replaced in one write
// transaction) and of `newsclaim show` (a claim with its article, raw document and run).
#include <sqlite3.h>

#include <algorithm>
#include <string_view>
#include <tuple>

#include "store/internal.h"
#include "store/store.h"

namespace newsclaim::store {
namespace {

// Derived tables emptied by a rebuild, children before parents. Tables of features that
// are not in this database (an older schema) are skipped.
constexpr const char* kDerivedTables[] = {
    "figures",          "chip_mentions", "sources",      // claims
    "article_clusters", "article_index", "claim_index",  // search.cc: refilled by index::Update
    "articles",
};
// Full-text tables (search.cc) are dropped and created again from their own CREATE
// statement: far cheaper than deleting every row of an FTS5 index one by one.
constexpr const char* kDerivedVirtualTables[] = {"article_fts", "claim_fts"};

DocFormat ParseFormat(const std::string& name) {
  for (DocFormat f : {DocFormat::kHtml, DocFormat::kMarkdown, DocFormat::kText}) {
    if (name == DocFormatName(f)) return f;
  }
  return DocFormat::kUnknown;
}

SourceKind ParseSourceKind(const std::string& name) {
  for (SourceKind k : {SourceKind::kHttp, SourceKind::kFeed, SourceKind::kWarc}) {
    if (name == SourceKindName(k)) return k;
  }
  return SourceKind::kFile;
}

// The inverse of store.cc's "Name: value\r\n" header text.
std::vector<std::pair<std::string, std::string>> ParseHeaders(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    size_t eol = text.find("\r\n");
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    out.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return out;
}

// Byte length of a sentence terminator starting at body[i], 0 when there is none: CJK
// full stop, exclamation and question marks (full-width), ASCII ! ? and '.' before a
// space, and line breaks.
size_t TerminatorAt(std::string_view body, size_t i) {
  const char c = body[i];
  if (c == '\n' || c == '!' || c == '?') return 1;
  if (c == '.' && (i + 1 == body.size() || body[i + 1] == ' ')) return 1;
  for (std::string_view t : {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"}) {  // 。！？
    if (body.substr(i, t.size()) == t) return t.size();
  }
  return 0;
}

// The sentence around [begin, end) of body: from after the previous terminator to after
// the next one (figures store theirs; chips and sources do not).
std::pair<uint32_t, uint32_t> SentenceAround(std::string_view body, uint32_t begin, uint32_t end) {
  if (begin > body.size()) begin = static_cast<uint32_t>(body.size());
  if (end > body.size() || end < begin) end = begin;
  size_t s = 0;
  for (size_t i = 0; i < begin;) {
    const size_t n = TerminatorAt(body, i);
    if (n > 0 && i + n <= begin) {
      s = i + n;
      i += n;
    } else {
      ++i;
    }
  }
  while (s < begin && (body[s] == ' ' || body[s] == '\n')) ++s;
  size_t e = body.size();
  for (size_t i = end; i < body.size(); ++i) {
    if (const size_t n = TerminatorAt(body, i); n > 0) {
      e = body[i] == '\n' ? i : i + n;
      break;
    }
  }
  return {static_cast<uint32_t>(s), static_cast<uint32_t>(e)};
}

StatusOr<bool> TableExists(sqlite3* db, const char* name) {
  Stmt q;
  NC_RETURN_IF_ERROR(
      q.Prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1"));
  q.Bind(1, std::string(name));
  return q.Step();
}

}  // namespace

StatusOr<int64_t> Store::Impl::InsertArticleRows(int64_t run_id, const std::string& rules_version,
                                                 const Article& a, const Claims& claims,
                                                 std::vector<int64_t>* figure_ids) {
  NC_RETURN_IF_ERROR(insert_article.Reset()
                         .Bind(1, a.raw_sha256)
                         .Bind(2, rules_version)
                         .Bind(3, run_id)
                         .Bind(4, a.uri)
                         .Bind(5, a.canonical_url)
                         .Bind(6, a.title)
                         .Bind(7, a.author)
                         .Bind(8, a.outlet)
                         .Bind(9, a.published)
                         .Bind(10, a.language)
                         .Bind(11, a.script)
                         .Bind(12, std::string(DocFormatName(a.format)))
                         .Bind(13, a.charset)
                         .Bind(14, static_cast<int64_t>(a.replaced_bytes))
                         .Bind(15, a.body)
                         .Run());
  const int64_t article_id = sqlite3_last_insert_rowid(db);
  std::vector<int64_t> source_ids;
  source_ids.reserve(claims.sources.size());
  for (size_t i = 0; i < claims.sources.size(); ++i) {
    const Source& src = claims.sources[i];
    NC_RETURN_IF_ERROR(insert_source.Reset()
                           .Bind(1, article_id)
                           .Bind(2, static_cast<int64_t>(i))
                           .Bind(3, static_cast<int64_t>(src.span.begin))
                           .Bind(4, static_cast<int64_t>(src.span.end))
                           .Bind(5, src.name)
                           .Bind(6, std::string(EntityKindName(src.kind)))
                           .Run());
    source_ids.push_back(sqlite3_last_insert_rowid(db));
  }
  for (size_t i = 0; i < claims.figures.size(); ++i) {
    const Figure& f = claims.figures[i];
    Stmt& ins = insert_figure.Reset();
    ins.Bind(1, article_id)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, static_cast<int64_t>(f.span.begin))
        .Bind(4, static_cast<int64_t>(f.span.end))
        .Bind(5, f.text)
        .Bind(6, f.value)
        .Bind(7, f.value_high)
        .Bind(8, f.unit)
        .Bind(9, std::string(QualifierName(f.qualifier)));
    if (f.sentence >= 0 && static_cast<size_t>(f.sentence) < a.sentences.size()) {
      ins.Bind(10, static_cast<int64_t>(a.sentences[f.sentence].begin))
          .Bind(11, static_cast<int64_t>(a.sentences[f.sentence].end));
    }
    if (f.source >= 0 && static_cast<size_t>(f.source) < source_ids.size()) {
      ins.Bind(12, source_ids[f.source]);
    }
    NC_RETURN_IF_ERROR(ins.Run());
    if (figure_ids != nullptr) figure_ids->push_back(sqlite3_last_insert_rowid(db));
  }
  for (size_t i = 0; i < claims.chips.size(); ++i) {
    const ChipMention& c = claims.chips[i];
    NC_RETURN_IF_ERROR(insert_chip.Reset()
                           .Bind(1, article_id)
                           .Bind(2, static_cast<int64_t>(i))
                           .Bind(3, static_cast<int64_t>(c.span.begin))
                           .Bind(4, static_cast<int64_t>(c.span.end))
                           .Bind(5, c.text)
                           .Bind(6, c.canonical)
                           .Bind(7, c.vendor)
                           .Run());
  }
  return article_id;
}

Status Store::BeginRebuild() {
  Impl& d = *impl_;
  if (d.read_only) return FailedPreconditionError("rebuild needs a read-write database");
  if (d.in_rebuild) return FailedPreconditionError("a rebuild is already in progress");
  NC_RETURN_IF_ERROR(d.begin.Reset().Run());
  d.in_rebuild = true;
  Status s = [&]() -> Status {
    for (const char* table : kDerivedVirtualTables) {
      Stmt q;
      NC_RETURN_IF_ERROR(
          q.Prepare(d.db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1"));
      q.Bind(1, std::string(table));
      StatusOr<bool> row = q.Step();
      if (!row.ok()) return row.status();
      if (!*row) continue;
      const std::string create = q.Text(0);
      q.Reset();
      NC_RETURN_IF_ERROR(d.Exec((std::string("DROP TABLE ") + table).c_str()));
      NC_RETURN_IF_ERROR(d.Exec(create.c_str()));
    }
    // The order of the rebuild, fixed before the articles go (see RawCursor).
    NC_RETURN_IF_ERROR(d.Exec("DROP TABLE IF EXISTS temp.rebuild_order"));
    NC_RETURN_IF_ERROR(
        d.Exec("CREATE TEMP TABLE rebuild_order (seq INTEGER PRIMARY KEY, sha256 TEXT NOT NULL)"));
    NC_RETURN_IF_ERROR(
        d.Exec("INSERT INTO temp.rebuild_order (sha256) SELECT sha256 FROM ("
               "  SELECT r.sha256, r.first_seen, (SELECT max(a.id) FROM articles a "
               "    WHERE a.raw_sha256 = r.sha256) AS current FROM raw_documents r) "
               "ORDER BY current IS NULL, current, first_seen, sha256"));
    d.next_raw = std::make_unique<Stmt>();
    NC_RETURN_IF_ERROR(d.next_raw->Prepare(
        d.db,
        "SELECT o.seq, r.sha256, r.bytes, r.format, r.source_kind, r.http_status, r.headers, "
        "r.declared_charset, r.first_uri, r.first_seen, r.compression, r.size "
        "FROM temp.rebuild_order o "
        "JOIN raw_documents r ON r.sha256 = o.sha256 WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2"));
    for (const char* table : kDerivedTables) {
      StatusOr<bool> exists = TableExists(d.db, table);
      if (!exists.ok()) return exists.status();
      if (!*exists) continue;
      NC_RETURN_IF_ERROR(d.Exec((std::string("DELETE FROM ") + table).c_str()));
    }
    return Status::Ok();
  }();
  if (!s.ok()) (void)AbortRebuild();
  return s;
}

Status Store::CommitRebuild() {
  Impl& d = *impl_;
  if (!d.in_rebuild) return FailedPreconditionError("no rebuild in progress");
  d.next_raw.reset();
  Status s = d.commit.Reset().Run();
  if (!s.ok()) (void)d.rollback.Reset().Run();
  d.in_rebuild = false;
  (void)d.Exec("DROP TABLE IF EXISTS temp.rebuild_order");
  return s;
}

Status Store::AbortRebuild() {
  Impl& d = *impl_;
  if (!d.in_rebuild) return Status::Ok();
  d.next_raw.reset();
  d.in_rebuild = false;
  Status s = d.rollback.Reset().Run();
  (void)d.Exec("DROP TABLE IF EXISTS temp.rebuild_order");
  return s;
}

StatusOr<int64_t> Store::CountRawDocuments() {
  Stmt q;
  NC_RETURN_IF_ERROR(q.Prepare(impl_->db, "SELECT count(*) FROM raw_documents"));
  StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return q.Int(0);
}

StatusOr<std::vector<RawDocument>> Store::NextRawDocuments(RawCursor* cursor, int limit) {
  Impl& d = *impl_;
  if (!d.in_rebuild || !d.next_raw) return FailedPreconditionError("no rebuild in progress");
  Stmt& q = d.next_raw->Reset();
  q.Bind(1, cursor->seq).Bind(2, static_cast<int64_t>(limit));
  std::vector<RawDocument> out;
  while (true) {
    StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    RawDocument raw;
    cursor->seq = q.Int(0);
    raw.sha256 = q.Text(1);
    // The blob's bytes as they are (no conversion in UTF-8 dbs), inflated when packed.
    StatusOr<std::string> bytes = UnpackRaw(q.Text(2), q.Text(10), q.Int(11));
    if (!bytes.ok()) {
      q.Reset();
      return Status(bytes.status().code(),
                    "raw document " + raw.sha256 + ": " + bytes.status().message());
    }
    raw.bytes = std::move(bytes).value();
    raw.format = ParseFormat(q.Text(3));
    raw.kind = ParseSourceKind(q.Text(4));
    raw.http_status = q.IsNull(5) ? 0 : static_cast<int>(q.Int(5));
    raw.headers = ParseHeaders(q.Text(6));
    raw.declared_charset = q.Text(7);
    raw.uri = q.Text(8);
    raw.fetched_at = q.Text(9);
    out.push_back(std::move(raw));
  }
  q.Reset();
  return out;
}

StatusOr<int64_t> Store::PutRebuiltArticle(int64_t run_id, const std::string& rules_version,
                                           const Article& article, const Claims& claims) {
  if (!impl_->in_rebuild) return FailedPreconditionError("no rebuild in progress");
  return impl_->InsertArticleRows(run_id, rules_version, article, claims);
}

StatusOr<std::optional<Store::Provenance>> Store::GetProvenance(ClaimKind kind, int64_t id) {
  Impl& d = *impl_;
  Provenance p;
  p.kind = kind;
  p.id = id;
  bool has_sentence = false;
  Stmt q;
  switch (kind) {
    case ClaimKind::kFigure:
      NC_RETURN_IF_ERROR(q.Prepare(
          d.db,
          "SELECT f.article_id, f.text, f.value, f.value_high, f.unit, f.qualifier, s.name, "
          "s.kind, f.source_id, f.start, f.\"end\", f.sentence_start, f.sentence_end "
          "FROM figures f LEFT JOIN sources s ON s.id = f.source_id WHERE f.id = ?1"));
      break;
    case ClaimKind::kChip:
      NC_RETURN_IF_ERROR(q.Prepare(d.db,
                                   "SELECT article_id, text, canonical, vendor, start, \"end\" "
                                   "FROM chip_mentions WHERE id = ?1"));
      break;
    case ClaimKind::kSource:
      NC_RETURN_IF_ERROR(q.Prepare(
          d.db, "SELECT article_id, name, kind, start, \"end\" FROM sources WHERE id = ?1"));
      break;
    case ClaimKind::kArticle:
      NC_RETURN_IF_ERROR(q.Prepare(d.db, "SELECT id, title FROM articles WHERE id = ?1"));
      break;
  }
  q.Bind(1, id);
  StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Provenance>();
  p.article_id = q.Int(0);
  p.text = q.Text(1);
  switch (kind) {
    case ClaimKind::kFigure:
      p.value = q.Double(2);
      p.value_high = q.Double(3);
      p.unit = q.Text(4);
      p.qualifier = q.Text(5);
      p.source = q.Text(6);
      p.source_kind = q.Text(7);
      p.source_id = q.IsNull(8) ? 0 : q.Int(8);
      p.start = static_cast<uint32_t>(q.Int(9));
      p.end = static_cast<uint32_t>(q.Int(10));
      if (!q.IsNull(11)) {
        has_sentence = true;
        p.sentence_start = static_cast<uint32_t>(q.Int(11));
        p.sentence_end = static_cast<uint32_t>(q.Int(12));
      }
      break;
    case ClaimKind::kChip:
      p.canonical = q.Text(2);
      p.vendor = q.Text(3);
      p.start = static_cast<uint32_t>(q.Int(4));
      p.end = static_cast<uint32_t>(q.Int(5));
      break;
    case ClaimKind::kSource:
      p.kind_name = q.Text(2);
      p.start = static_cast<uint32_t>(q.Int(3));
      p.end = static_cast<uint32_t>(q.Int(4));
      break;
    case ClaimKind::kArticle:
      break;
  }

  Stmt a;
  NC_RETURN_IF_ERROR(a.Prepare(
      d.db,
      "SELECT a.uri, a.title, a.outlet, a.published, a.author, a.canonical_url, a.language, "
      "a.script, a.body, a.raw_sha256, a.rules_version, a.run_id, "
      "a.id = (SELECT max(b.id) FROM articles b WHERE b.raw_sha256 = a.raw_sha256), "
      "r.format, r.first_uri, r.first_seen, r.size "
      "FROM articles a JOIN raw_documents r ON r.sha256 = a.raw_sha256 WHERE a.id = ?1"));
  a.Bind(1, p.article_id);
  row = a.Step();
  if (!row.ok()) return row.status();
  if (!*row) return DataLossError("claim " + std::to_string(id) + " has no article");
  p.doc = a.Text(0);
  p.title = a.Text(1);
  p.outlet = a.Text(2);
  p.published = a.Text(3);
  p.author = a.Text(4);
  p.canonical_url = a.Text(5);
  p.language = a.Text(6);
  p.script = a.Text(7);
  p.body = a.Text(8);
  p.raw_sha256 = a.Text(9);
  p.rules_version = a.Text(10);
  p.run_id = a.IsNull(11) ? 0 : a.Int(11);
  p.current = a.Int(12) != 0;
  p.raw_format = a.Text(13);
  p.raw_first_uri = a.Text(14);
  p.raw_first_seen = a.Text(15);
  p.raw_size = a.Int(16);
  if (kind == ClaimKind::kArticle) {
    p.end = static_cast<uint32_t>(p.body.size());
  } else if (!has_sentence) {
    std::tie(p.sentence_start, p.sentence_end) = SentenceAround(p.body, p.start, p.end);
  }
  if (kind != ClaimKind::kArticle) {
    // Stored spans come from this body; clamp anyway so a damaged row cannot cut outside.
    const auto size = static_cast<uint32_t>(p.body.size());
    p.end = std::min(p.end, size);
    p.start = std::min(p.start, p.end);
    p.sentence_end = std::min(p.sentence_end, size);
    p.sentence_start = std::min(p.sentence_start, p.sentence_end);
  }

  Stmt u;
  NC_RETURN_IF_ERROR(
      u.Prepare(d.db, "SELECT uri FROM document_uris WHERE sha256 = ?1 ORDER BY first_seen, uri"));
  u.Bind(1, p.raw_sha256);
  while (true) {
    StatusOr<bool> r = u.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    p.uris.push_back(u.Text(0));
  }

  if (p.run_id != 0) {
    Stmt r;
    NC_RETURN_IF_ERROR(r.Prepare(d.db,
                                 "SELECT command, program_version, rules_version, started_at, "
                                 "ended_at FROM runs WHERE id = ?1"));
    r.Bind(1, p.run_id);
    StatusOr<bool> rr = r.Step();
    if (!rr.ok()) return rr.status();
    if (*rr) {
      p.run_command = r.Text(0);
      p.program_version = r.Text(1);
      // The article's own rules version is authoritative; the run's is the same.
      p.run_started_at = r.Text(3);
      p.run_ended_at = r.Text(4);
    }
  }
  return std::optional<Provenance>(std::move(p));
}

}  // namespace newsclaim::store
