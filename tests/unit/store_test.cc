// Store: schema, raw-first writes, article replacement, errors, export iteration.
#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "core/sha256.h"
#include "tests/unit/store_test_util.h"

namespace newsclaim::store {
namespace {

namespace fs = std::filesystem;

class StoreTest : public testing::TempDbTest {
 protected:
  static RawDocument Raw(const std::string& uri, const std::string& bytes) {
    return testing::MakeRaw(uri, bytes, DocFormat::kText);
  }

  static Article MakeArticle(const RawDocument& raw) {
    Article a;
    a.raw_sha256 = raw.sha256;
    a.uri = raw.uri;
    a.title = "标题";
    a.outlet = "中央社";
    a.published = "2026-02-25";
    a.body = "據報導，晶片數量約為2%。第二句。";
    a.sentences = {{0, 33}, {33, static_cast<uint32_t>(a.body.size())}};
    return a;
  }

  static Claims MakeClaims() {
    Claims c;
    c.sources.push_back({{3, 6}, "報導", EntityKind::kOutlet});
    Figure f;
    f.span = {24, 31};
    f.text = "約為2%";
    f.value = 2;
    f.unit = "%";
    f.qualifier = Qualifier::kApprox;
    f.sentence = 0;
    f.source = 0;
    c.figures.push_back(f);
    Figure g = f;
    g.source = -1;
    g.value.reset();
    c.figures.push_back(g);
    c.chips.push_back({{0, 3}, "H20", "NVIDIA H20", "NVIDIA"});
    c.chips.push_back({{0, 3}, "H20", "NVIDIA H20", "NVIDIA"});
    return c;
  }
};

TEST_F(StoreTest, CreatesSchemaAtCurrentVersion) {
  auto st = Store::Open(path_, {});
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(*(*st)->CountRows("articles"), 0);
  EXPECT_TRUE(*(*st)->IntegrityOk());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, nullptr);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(q, 0), Store::SchemaVersion());
  sqlite3_finalize(q);
  sqlite3_close(db);
}

TEST_F(StoreTest, RawIsIdempotentAndArticleReplaces) {
  auto st = Store::Open(path_, {});
  ASSERT_TRUE(st.ok());
  Store& s = **st;
  const int64_t run = *s.BeginRun({"t", "r1", "ingest"});
  const RawDocument raw = Raw("a.txt", "bytes");
  ASSERT_TRUE(s.PutRaw(raw).ok());
  ASSERT_TRUE(s.PutRaw(raw).ok());
  EXPECT_EQ(*s.CountRows("raw_documents"), 1);
  EXPECT_FALSE(*s.HasArticle(raw.sha256, "r1"));
  ASSERT_TRUE(s.PutArticle(run, "r1", MakeArticle(raw), MakeClaims()).ok());
  ASSERT_TRUE(s.PutArticle(run, "r1", MakeArticle(raw), MakeClaims()).ok());
  EXPECT_TRUE(*s.HasArticle(raw.sha256, "r1"));
  EXPECT_FALSE(*s.HasArticle(raw.sha256, "r2"));
  EXPECT_EQ(*s.CountRows("articles"), 1);
  EXPECT_EQ(*s.CountRows("figures"), 2);
  EXPECT_EQ(*s.CountRows("sources"), 1);
  EXPECT_EQ(*s.CountRows("chip_mentions"), 2);
  ASSERT_TRUE(s.EndRun(run, {1, 1, 0, 0}).ok());
}

TEST_F(StoreTest, ExportResolvesSourceOutletSentenceAndChips) {
  auto st = Store::Open(path_, {});
  ASSERT_TRUE(st.ok());
  Store& s = **st;
  const int64_t run = *s.BeginRun({"t", "r1", "ingest"});
  const RawDocument raw = Raw("a.txt", "bytes");
  ASSERT_TRUE(s.PutRaw(raw).ok());
  const Article a = MakeArticle(raw);
  ASSERT_TRUE(s.PutArticle(run, "r1", a, MakeClaims()).ok());
  std::vector<ExportArticle> got;
  ASSERT_TRUE(s.ForEachArticle([&](const ExportArticle& e) {
                 got.push_back(e);
                 return Status::Ok();
               }).ok());
  ASSERT_EQ(got.size(), 1u);
  const ExportArticle& e = got[0];
  EXPECT_EQ(e.doc, "a.txt");
  EXPECT_EQ(e.body, a.body);
  ASSERT_EQ(e.figures.size(), 2u);
  EXPECT_EQ(e.figures[0].source, "報導");
  EXPECT_EQ(e.figures[1].source, "中央社");  // no attribution: the outlet
  EXPECT_EQ(e.figures[0].sentence, a.body.substr(0, 33));
  EXPECT_EQ(e.figures[0].qualifier, "approx");
  EXPECT_FALSE(e.figures[1].value.has_value());
  EXPECT_EQ(e.chips, std::vector<std::string>{"NVIDIA H20"});
  EXPECT_EQ(e.sources, std::vector<std::string>{"報導"});
}

TEST_F(StoreTest, ErrorsAreRecorded) {
  auto st = Store::Open(path_, {});
  ASSERT_TRUE(st.ok());
  const int64_t run = *(*st)->BeginRun({"t", "r1", "ingest"});
  ASSERT_TRUE(
      (*st)->PutError(run, "bad.bin", "", "normalize", InvalidArgumentError("binary")).ok());
  EXPECT_EQ(*(*st)->CountRows("errors"), 1);
  EXPECT_FALSE((*st)->CountRows("no_such_table").ok());
}

// Group commit (Store::BeginBatch): documents written in one batch are invisible to other
// connections until the commit, visible to the writer at once, and give the same search
// results as one transaction per document.
class StoreBatchTest : public StoreTest {
 protected:
  // Document i: its raw bytes, article (title with a word of its own) and index entry.
  struct Doc {
    RawDocument raw;
    Article article;
    Store::IndexEntry index;
  };
  static Doc MakeDoc(int i) {
    Doc d;
    d.raw = Raw("d" + std::to_string(i) + ".txt", "bytes " + std::to_string(i));
    d.article = MakeArticle(d.raw);
    d.article.title = "标题 word" + std::to_string(i);
    d.index.title = d.article.title;
    d.index.body = d.article.body;
    d.index.body_hash = "hash" + std::to_string(i);
    d.index.shingles = 3;
    for (int k = 0; k < 2; ++k) {
      Store::IndexClaim c;
      c.text = "約為2%";
      c.sentence = d.article.body.substr(0, 33);
      c.source = k == 0 ? "報導" : "中央社";
      d.index.claims.push_back(c);
    }
    return d;
  }
  static void Write(Store& s, int64_t run, const Doc& d) {
    ASSERT_TRUE(s.PutRaw(d.raw).ok());
    ASSERT_FALSE(*s.HasArticle(d.raw.sha256, "r1"));
    StatusOr<int64_t> id = s.PutArticle(run, "r1", d.article, MakeClaims(), &d.index);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ASSERT_TRUE(*s.HasArticle(d.raw.sha256, "r1"));
  }
  // Article and claim hits of a few queries, as text.
  static std::string Hits(Store& s) {
    std::string out;
    for (const char* q : {"晶片", "word3", "報導", "中央社 OR word1"}) {
      auto a = s.SearchArticles(q, 100);
      EXPECT_TRUE(a.ok()) << a.status().ToString();
      if (!a.ok()) continue;
      for (const auto& h : *a) {
        out += std::to_string(h.article_id) + " " + std::to_string(h.score) + " " + h.marked_title +
               " " + h.marked_body + "\n";
      }
      auto c = s.SearchClaims(q, 100);
      EXPECT_TRUE(c.ok()) << c.status().ToString();
      if (!c.ok()) continue;
      for (const auto& h : *c) {
        out += std::to_string(h.figure_id) + " " + std::to_string(h.score) + " " +
               h.marked_sentence + "\n";
      }
    }
    return out;
  }
};

TEST_F(StoreBatchTest, BatchCommitsTogetherAndSearchesAsOneByOne) {
  const std::string one_path = (dir_ / "one.db").string();
  auto one = Store::Open(one_path, {});
  auto st = Store::Open(path_, {});
  ASSERT_TRUE(one.ok() && st.ok());
  Store& s = **st;
  StoreOptions ro;
  ro.read_only = true;
  auto reader = Store::Open(path_, ro);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const int64_t run = *s.BeginRun({"t", "r1", "ingest"});
  const int64_t one_run = *(*one)->BeginRun({"t", "r1", "ingest"});
  EXPECT_FALSE(s.InBatch());
  ASSERT_TRUE(s.BeginBatch().ok());
  EXPECT_TRUE(s.InBatch());
  EXPECT_EQ(s.BeginBatch().code(), StatusCode::kFailedPrecondition);
  for (int i = 0; i < 6; ++i) {
    const Doc d = MakeDoc(i);
    Write(s, run, d);
    Write(**one, one_run, d);
    if (i == 2) {
      ASSERT_TRUE(s.PutError(run, "bad.bin", "", "normalize", InvalidArgumentError("x")).ok());
      ASSERT_TRUE(
          (*one)->PutError(one_run, "bad.bin", "", "normalize", InvalidArgumentError("x")).ok());
    }
  }
  // The writer sees its batch; another connection sees none of it yet.
  EXPECT_EQ(*s.CountRows("articles"), 6);
  EXPECT_EQ(*(*reader)->CountRows("articles"), 0);
  EXPECT_EQ(*(*reader)->CountRows("raw_documents"), 0);
  EXPECT_EQ(*(*reader)->CountRows("errors"), 0);
  ASSERT_TRUE(s.CommitBatch().ok());
  EXPECT_FALSE(s.InBatch());
  EXPECT_EQ(*(*reader)->CountRows("articles"), 6);
  EXPECT_EQ(*(*reader)->CountRows("errors"), 1);
  EXPECT_EQ(*(*reader)->CountRows("figures"), 12);
  const std::string hits = Hits(s);
  EXPECT_NE(hits.find("word3"), std::string::npos) << hits;
  EXPECT_EQ(hits, Hits(**one));
  EXPECT_EQ(Hits(**reader), hits);
  // Outside a batch, writes are committed one by one again.
  Write(s, run, MakeDoc(6));
  EXPECT_EQ(*(*reader)->CountRows("articles"), 7);
  EXPECT_TRUE(*s.IntegrityOk());
}

TEST_F(StoreBatchTest, RollbackAndFailureKeepNothingOfTheBatch) {
  auto st = Store::Open(path_, {});
  ASSERT_TRUE(st.ok());
  Store& s = **st;
  const int64_t run = *s.BeginRun({"t", "r1", "ingest"});
  Write(s, run, MakeDoc(0));
  ASSERT_TRUE(s.BeginBatch().ok());
  Write(s, run, MakeDoc(1));
  Write(s, run, MakeDoc(2));
  s.RollbackBatch();
  EXPECT_FALSE(s.InBatch());
  EXPECT_EQ(*s.CountRows("articles"), 1);
  EXPECT_EQ(*s.CountRows("raw_documents"), 1);
  // No staged full-text row of the rolled-back batch reaches the index later.
  ASSERT_TRUE(s.BeginBatch().ok());
  ASSERT_TRUE(s.CommitBatch().ok());
  auto hits = s.SearchArticles("word1 OR word2", 10);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());

  // A write that fails fails the batch: later writes and the commit return its error and
  // nothing of the batch is kept.
  ASSERT_TRUE(s.BeginBatch().ok());
  Write(s, run, MakeDoc(3));
  Doc bad = MakeDoc(4);
  bad.index.claims.pop_back();  // 1 claim for 2 figures
  ASSERT_TRUE(s.PutRaw(bad.raw).ok());
  const StatusOr<int64_t> failed = s.PutArticle(run, "r1", bad.article, MakeClaims(), &bad.index);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(s.PutRaw(MakeDoc(5).raw).message(), failed.status().message());
  EXPECT_FALSE(s.PutError(run, "x", "", "normalize", InvalidArgumentError("x")).ok());
  EXPECT_TRUE(s.InBatch());
  EXPECT_EQ(s.CommitBatch().message(), failed.status().message());
  EXPECT_FALSE(s.InBatch());
  EXPECT_EQ(*s.CountRows("articles"), 1);
  EXPECT_EQ(*s.CountRows("raw_documents"), 1);
  EXPECT_EQ(*s.CountRows("errors"), 0);
  // The next batch works, and its index rows are searchable.
  ASSERT_TRUE(s.BeginBatch().ok());
  Write(s, run, MakeDoc(3));
  ASSERT_TRUE(s.CommitBatch().ok());
  hits = s.SearchArticles("word0 OR word3 OR word1", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_TRUE(*s.IntegrityOk());
}

TEST_F(StoreTest, NotADatabaseIsDataLoss) {
  std::ofstream(path_) << "this is not an sqlite file, just some text that is long enough......"
                          "..................................................................";
  auto st = Store::Open(path_, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), StatusCode::kDataLoss) << st.status().ToString();
}

TEST_F(StoreTest, ReadOnlyMissingFileFails) {
  StoreOptions o;
  o.read_only = true;
  auto st = Store::Open((dir_ / "missing.db").string(), o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(StoreTest, NewerSchemaIsRefused) {
  { ASSERT_TRUE(Store::Open(path_, {}).ok()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto st = Store::Open(path_, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace newsclaim::store
