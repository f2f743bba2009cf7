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
