// Internal to store/: the schema as an ordered list of migrations. Migration i brings a
// database from user_version i to i + 1; never edit a released migration, add one.
#ifndef NEWSCLAIM_STORE_SCHEMA_H_
#define NEWSCLAIM_STORE_SCHEMA_H_

namespace newsclaim::store {

inline constexpr const char* kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  program_version TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  seen INTEGER NOT NULL DEFAULT 0,
  added INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE raw_documents (
  sha256 TEXT PRIMARY KEY,
  bytes BLOB NOT NULL,
  size INTEGER NOT NULL,
  format TEXT NOT NULL,
  source_kind TEXT NOT NULL,
  http_status INTEGER,
  headers TEXT,
  declared_charset TEXT,
  first_uri TEXT NOT NULL,
  first_seen TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE document_uris (
  uri TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES raw_documents(sha256),
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (uri, sha256)
) WITHOUT ROWID;
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  raw_sha256 TEXT NOT NULL REFERENCES raw_documents(sha256),
  rules_version TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id),
  uri TEXT NOT NULL,
  canonical_url TEXT,
  title TEXT,
  author TEXT,
  outlet TEXT,
  published TEXT,
  language TEXT,
  script TEXT,
  format TEXT,
  charset TEXT,
  replaced_bytes INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  UNIQUE (raw_sha256, rules_version)
);
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL
);
CREATE INDEX sources_article ON sources(article_id);
CREATE TABLE figures (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL,
  value REAL,
  value_high REAL,
  unit TEXT NOT NULL,
  qualifier TEXT,
  sentence_start INTEGER,
  sentence_end INTEGER,
  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL
);
CREATE INDEX figures_article ON figures(article_id);
CREATE INDEX figures_unit ON figures(unit);
CREATE TABLE chip_mentions (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  text TEXT NOT NULL,
  canonical TEXT NOT NULL,
  vendor TEXT
);
CREATE INDEX chip_mentions_article ON chip_mentions(article_id);
CREATE INDEX chip_mentions_canonical ON chip_mentions(canonical);
CREATE TABLE errors (
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs(id),
  uri TEXT NOT NULL,
  raw_sha256 TEXT,
  stage TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE VIEW claims_view AS
  SELECT f.id AS figure_id, a.id AS article_id, a.uri AS doc, a.outlet, a.published,
         a.title, f.text, f.value, f.value_high, f.unit, f.qualifier,
         COALESCE(s.name, a.outlet) AS source,
         (SELECT group_concat(canonical, '; ') FROM
            (SELECT canonical FROM chip_mentions c WHERE c.article_id = a.id
             GROUP BY canonical ORDER BY min(c.seq))) AS chips,
         -- offsets are UTF-8 byte offsets, so cut the body as a blob
         CAST(substr(CAST(a.body AS BLOB), f.sentence_start + 1,
                     f.sentence_end - f.sentence_start) AS TEXT) AS sentence,
         a.raw_sha256, a.rules_version
  FROM figures f JOIN articles a ON a.id = f.article_id
  LEFT JOIN sources s ON s.id = f.source_id;
)sql",
    // 1 -> 2: per-URL fetch state for incremental network ingestion (issue 5).
    R"sql(
CREATE TABLE fetch_state (
  url TEXT PRIMARY KEY,
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL DEFAULT '',
  http_status INTEGER NOT NULL DEFAULT 0,
  last_attempt TEXT NOT NULL,
  last_success TEXT NOT NULL DEFAULT '',
  last_changed TEXT NOT NULL DEFAULT '',
  failures INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)sql",
    // 2 -> 3: where each archived HTTP response lives in the WARC files (issue 5;
    // store/warc.cc), so the corpus can be rebuilt without the network.
    R"sql(
CREATE TABLE warc_records (
  id INTEGER PRIMARY KEY,
  raw_sha256 TEXT,             -- sha256 of the payload; NULL when it holds no document
  target_uri TEXT NOT NULL,    -- WARC-Target-URI
  warc_file TEXT NOT NULL,     -- path of the WARC file as the writer or reader named it
  "offset" INTEGER NOT NULL,   -- byte offset of the record (its gzip member) in the file
  length INTEGER NOT NULL,     -- bytes of the file it occupies; 0 when unknown
  record_id TEXT NOT NULL,     -- WARC-Record-ID, "<urn:uuid:...>"
  date TEXT NOT NULL,          -- WARC-Date
  http_status INTEGER NOT NULL DEFAULT 0,
  UNIQUE (warc_file, "offset")
);
CREATE INDEX warc_records_sha256 ON warc_records(raw_sha256);
CREATE INDEX warc_records_uri ON warc_records(target_uri);
)sql",
    // 3 -> 4: rebuild and provenance (issue 6; store/rebuild.cc). Rebuild reads the raw
    // documents in (first_seen, sha256) order, page by page; `show` finds a run's articles.
    R"sql(
CREATE INDEX raw_documents_order ON raw_documents(first_seen, sha256);
CREATE INDEX articles_run ON articles(run_id);
)sql",
    // 4 -> 5: full-text search and duplicate clusters (issue 6; store/search.cc).
    R"sql(
-- Duplicate clusters: every article that has been compared has a row; cluster_id is the
-- smallest article id in its cluster (its own id when it has no duplicate).
CREATE TABLE article_clusters (
  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  cluster_id INTEGER NOT NULL,
  method TEXT NOT NULL  -- "self", "raw", "body", "near"
);
CREATE INDEX article_clusters_cluster ON article_clusters(cluster_id);
-- What index/ derived from each current article; the next index update removes the rows
-- of articles that are gone or superseded. minhash: 128 little-endian uint32 (one
-- permutation hashing of the body's shingles), NULL when the body is too short.
CREATE TABLE article_index (
  article_id INTEGER PRIMARY KEY,
  body_hash TEXT NOT NULL,
  shingles INTEGER NOT NULL,
  minhash BLOB
);
CREATE INDEX article_index_body_hash ON article_index(body_hash, article_id);
-- Which figures are in claim_fts (rowid = figure id), by article.
CREATE TABLE claim_index (
  figure_id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL
);
CREATE INDEX claim_index_article ON claim_index(article_id);
-- Full text, folded (OpenCC tw2sp: Simplified script, mainland vocabulary), tokenised by
-- the "newsclaim" tokenizer (store/search.cc). rowid = articles.id / figures.id.
CREATE VIRTUAL TABLE article_fts USING fts5(title, body, tokenize = 'newsclaim');
CREATE VIRTUAL TABLE claim_fts USING fts5(text, sentence, source, tokenize = 'newsclaim');
)sql",
    // 5 -> 6: raw bytes may be stored compressed (issue 7: a quarter of the bytes through
    // the WAL and the checkpoint). compression NULL: bytes are the document's bytes, as in
    // every row written before; 'zlib': bytes are a zlib stream (RFC 1950) of them. size
    // and sha256 are always those of the original bytes (Store::UnpackRaw).
    R"sql(
ALTER TABLE raw_documents ADD COLUMN compression TEXT;
)sql",
};

}  // namespace newsclaim::store

#endif  // NEWSCLAIM_STORE_SCHEMA_H_
