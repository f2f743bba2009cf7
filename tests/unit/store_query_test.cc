// Store::ForEachArticleFiltered and Store::Stats: every filter alone and combined, id
// order, figure matching, duplicate cluster ids, and stats counted raw and per cluster.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>

#include "core/sha256.h"
#include "store/store.h"

namespace newsclaim::store {
namespace {

namespace fs = std::filesystem;

struct Fig {
  std::string unit;
  double value;
  int source;  // index into the article's sources, -1 = none (the outlet)
};

struct Doc {
  std::string outlet, published;
  std::vector<std::string> chips;    // canonical names
  std::vector<std::string> sources;  // names
  std::vector<Fig> figures;
};

class StoreQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nc_query_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    auto st = Store::Open(path_, {});
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(*st);
    auto run = store_->BeginRun({"0", "r1", "test"});
    ASSERT_TRUE(run.ok());
    // Ids 1..6 in this order.
    const Doc docs[] = {
        {"中央社", "2026-02-25", {"NVIDIA H20"}, {"路透社"}, {{"USD", 8e10, 0}, {"%", 2, -1}}},
        {"Reuters",
         "2025-08-21T23:30:00-05:00",
         {"NVIDIA H100", "NVIDIA H20"},
         {},
         {{"count", 1000, -1}}},
        {"中央社", "", {"Huawei Ascend 910C"}, {"SemiAnalysis"}, {{"USD", -3.5, 0}}},
        {"udn", "2024-05-07", {}, {}, {}},
        {"Reuters", "2025-08-22", {"NVIDIA H20"}, {"SemiAnalysis"}, {{"USD", 5, 0}, {"nm", 7, -1}}},
        {"中央社", "2026-02-25T08:00:00+08:00", {"NVIDIA H20"}, {"路透社"}, {{"USD", 8e10, 0}}},
    };
    int n = 0;
    for (const Doc& d : docs) {
      RawDocument raw;
      raw.uri = "file:///doc" + std::to_string(++n);
      raw.bytes = "raw bytes " + std::to_string(n);
      raw.sha256 = Sha256Hex(raw.bytes);
      raw.format = DocFormat::kText;
      raw.fetched_at = "2026-11-0" + std::to_string(n) + "T00:00:00Z";
      ASSERT_TRUE(store_->PutRaw(raw).ok());
      Article a;
      a.raw_sha256 = raw.sha256;
      a.uri = raw.uri;
      a.title = "title " + std::to_string(n);
      a.outlet = d.outlet;
      a.published = d.published;
      a.body = "body of article " + std::to_string(n) + ".";
      a.sentences = {{0, static_cast<uint32_t>(a.body.size())}};
      Claims c;
      for (const std::string& s : d.sources) c.sources.push_back({{0, 4}, s, EntityKind::kOutlet});
      for (const Fig& f : d.figures) {
        Figure g;
        g.span = {0, 4};
        g.text = "fig";
        g.value = f.value;
        g.unit = f.unit;
        g.sentence = 0;
        g.source = f.source;
        c.figures.push_back(g);
      }
      for (const std::string& chip : d.chips) c.chips.push_back({{5, 7}, "x", chip, "v"});
      auto id = store_->PutArticle(*run, "r1", a, c);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      ASSERT_EQ(*id, n);
    }
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::vector<int64_t> Query(const ArticleFilter& f) {
    std::vector<int64_t> ids;
    Status s = store_->ForEachArticleFiltered(f, [&](const ExportArticle& a) -> Status {
      ids.push_back(a.id);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return ids;
  }

  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
    sqlite3_free(err);
    sqlite3_close(db);
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

using Ids = std::vector<int64_t>;

TEST_F(StoreQueryTest, EmptyFilterStreamsEveryArticleInIdOrder) {
  EXPECT_EQ(Query({}), (Ids{1, 2, 3, 4, 5, 6}));
  // A newer extraction of a raw document (rules r2) replaces the older one.
  auto run = store_->BeginRun({"0", "r2", "test"});
  ASSERT_TRUE(run.ok());
  Article a;
  a.raw_sha256 = Sha256Hex("raw bytes 1");
  a.uri = "file:///doc1";
  a.title = "title 1 again";
  a.body = "new body";
  auto id = store_->PutArticle(*run, "r2", a, {});
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(Query({}), (Ids{2, 3, 4, 5, 6, *id}));
}

TEST_F(StoreQueryTest, StopsWhenTheCallbackFails) {
  int calls = 0;
  Status s = store_->ForEachArticleFiltered({}, [&](const ExportArticle&) -> Status {
    return ++calls == 2 ? UnavailableError("stop") : Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(calls, 2);
}

TEST_F(StoreQueryTest, DateBounds) {
  ArticleFilter f;
  f.since = "2025-08-22";
  EXPECT_EQ(Query(f), (Ids{1, 5, 6}));
  // A date compares with the date as published: doc 2 is 2025-08-21 local (08-22 UTC).
  f.since = "2025-08-21";
  f.until = "2025-08-21";
  EXPECT_EQ(Query(f), (Ids{2}));
  // A date-time compares instants in UTC: doc 2 is 2025-08-22T04:30Z.
  f.since = "2025-08-22T00:00:00Z";
  f.until = "2025-08-22T04:30Z";
  EXPECT_EQ(Query(f), (Ids{2, 5}));
  // Doc 6 is 2026-02-25T00:00Z; doc 1 (a date) counts as midnight UTC.
  f.since = "2026-02-25T00:00:00+00:00";
  f.until = "2026-02-25T08:00:00+08:00";
  EXPECT_EQ(Query(f), (Ids{1, 6}));
  // Undated articles (doc 3) only on request.
  f = {};
  f.until = "2024-12-31";
  EXPECT_EQ(Query(f), (Ids{4}));
  f.include_undated = true;
  EXPECT_EQ(Query(f), (Ids{3, 4}));
}

TEST_F(StoreQueryTest, MalformedBoundsAreRejected) {
  for (const char* bad : {"2025", "yesterday", "2025-02-30", "2023-02-29", "2025-13-01",
                          "2025-01-01T24:00", "2025-01-01T10:00+8", "'; DROP TABLE articles; --"}) {
    ArticleFilter f;
    f.since = bad;
    Status s = store_->ForEachArticleFiltered(f, [](const ExportArticle&) { return Status::Ok(); });
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    f.since.clear();
    f.until = bad;
    EXPECT_EQ(store_->Stats(f, 10).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  ArticleFilter leap;
  leap.since = "2024-02-29";
  EXPECT_EQ(Query(leap), (Ids{1, 2, 4, 5, 6}));
}

TEST_F(StoreQueryTest, OutletChipUnitSource) {
  ArticleFilter f;
  f.outlets = {"reuters"};  // ASCII case ignored
  EXPECT_EQ(Query(f), (Ids{2, 5}));
  f.outlets = {"中央社", "udn"};
  EXPECT_EQ(Query(f), (Ids{1, 3, 4, 6}));
  f = {};
  f.chips = {"nvidia h20"};
  EXPECT_EQ(Query(f), (Ids{1, 2, 5, 6}));
  f.chips = {"H20"};  // an alias, not the canonical name
  EXPECT_EQ(Query(f), Ids{});
  f = {};
  f.units = {"usd"};
  EXPECT_EQ(Query(f), (Ids{1, 3, 5, 6}));
  f = {};
  f.sources = {"SemiAnalysis"};
  EXPECT_EQ(Query(f), (Ids{3, 5}));
  // A figure without a named source is attributed to its outlet.
  f.sources = {"Reuters"};
  EXPECT_EQ(Query(f), (Ids{2, 5}));
  // Quotes and SQL in a value are just text.
  f.sources = {"x' OR 1=1 --"};
  EXPECT_EQ(Query(f), Ids{});
}

TEST_F(StoreQueryTest, FiltersCombineWithAndOnTheSameFigure) {
  ArticleFilter f;
  f.outlets = {"中央社"};
  f.chips = {"NVIDIA H20"};
  f.since = "2026-01-01";
  EXPECT_EQ(Query(f), (Ids{1, 6}));
  f = {};
  f.units = {"nm"};
  f.sources = {"SemiAnalysis"};  // doc 5 has both, but not on one figure
  EXPECT_EQ(Query(f), Ids{});
  f.sources = {"Reuters"};
  EXPECT_EQ(Query(f), (Ids{5}));
}

TEST_F(StoreQueryTest, MarksMatchingFiguresAndKeepsTheRest) {
  ArticleFilter f;
  f.units = {"USD"};
  std::map<int64_t, std::vector<bool>> matched;
  ASSERT_TRUE(store_
                  ->ForEachArticleFiltered(f,
                                           [&](const ExportArticle& a) -> Status {
                                             for (const auto& fig : a.figures)
                                               matched[a.id].push_back(fig.matched);
                                             return Status::Ok();
                                           })
                  .ok());
  EXPECT_EQ(matched[1], (std::vector<bool>{true, false}));
  EXPECT_EQ(matched[5], (std::vector<bool>{true, false}));
  EXPECT_EQ(matched[3], (std::vector<bool>{true}));
}

TEST_F(StoreQueryTest, ArticleRowsCarryClaimsAndClusterIds) {
  Sql("INSERT INTO article_clusters VALUES (1, 1, 'self'), (6, 1, 'near'), (5, 2, 'body')");
  std::map<int64_t, ExportArticle> by_id;
  ASSERT_TRUE(store_
                  ->ForEachArticleFiltered({},
                                           [&](const ExportArticle& a) -> Status {
                                             by_id[a.id] = a;
                                             return Status::Ok();
                                           })
                  .ok());
  EXPECT_EQ(by_id[1].cluster_id, 1);
  EXPECT_EQ(by_id[6].cluster_id, 1);
  EXPECT_EQ(by_id[5].cluster_id, 2);
  EXPECT_EQ(by_id[3].cluster_id, 3);  // no row: its own id
  const ExportArticle& a = by_id[2];
  EXPECT_EQ(a.outlet, "Reuters");
  EXPECT_EQ(a.published, "2025-08-21T23:30:00-05:00");
  EXPECT_EQ(a.chips, (std::vector<std::string>{"NVIDIA H100", "NVIDIA H20"}));
  ASSERT_EQ(a.figures.size(), 1u);
  EXPECT_EQ(a.figures[0].source, "Reuters");
  EXPECT_EQ(a.figures[0].sentence, a.body);
  EXPECT_EQ(by_id[3].figures[0].value, -3.5);
  EXPECT_EQ(by_id[1].sources, (std::vector<std::string>{"路透社"}));
}

TEST_F(StoreQueryTest, StatsCountRawAndOncePerCluster) {
  // Docs 1 and 6 are one story (same outlet, same figure).
  Sql("INSERT INTO article_clusters VALUES (1, 1, 'self'), (6, 1, 'near')");
  Sql("INSERT INTO errors (run_id, uri, raw_sha256, stage, code, message, at) VALUES "
      "(1, 'file:///bad', NULL, 'normalize', 'DATA_LOSS', 'x', '2026-10-03T00:00:00Z'),"
      "(1, 'file:///bad', NULL, 'normalize', 'DATA_LOSS', 'x', '2026-10-04T00:00:00Z')");
  auto st = store_->Stats({}, 2);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->total.articles, 6);
  EXPECT_EQ(st->total.clusters, 5);
  EXPECT_EQ(st->total.claims, 7);
  EXPECT_EQ(st->total.claims_dedup, 6);
  EXPECT_EQ(st->total.errors, 1);  // one failed document, failed twice
  auto find = [](const std::vector<StatsRow>& rows, const std::string& key) {
    for (const auto& r : rows)
      if (r.key == key) return r;
    return StatsRow{"missing"};
  };
  const StatsRow cna = find(st->by_outlet, "中央社");
  EXPECT_EQ(cna.articles, 3);
  EXPECT_EQ(cna.clusters, 2);
  EXPECT_EQ(cna.claims, 4);
  EXPECT_EQ(cna.claims_dedup, 3);
  EXPECT_EQ(st->by_outlet.front().key, "中央社");  // most articles first
  EXPECT_EQ(find(st->by_outlet, "").errors, 1);    // the failure has no article
  // Months: published, else first fetched (doc 3: 2026-11-03); errors by failure time.
  std::vector<std::string> months;
  for (const auto& r : st->by_month) months.push_back(r.key);
  EXPECT_EQ(months,
            (std::vector<std::string>{"2024-05", "2025-08", "2026-02", "2026-10", "2026-11"}));
  EXPECT_EQ(find(st->by_month, "2026-02").articles, 2);
  EXPECT_EQ(find(st->by_month, "2026-02").claims_dedup, 2);
  EXPECT_EQ(find(st->by_month, "2026-10").errors, 1);
  const StatsRow h20 = find(st->by_chip, "NVIDIA H20");
  EXPECT_EQ(h20.articles, 4);
  EXPECT_EQ(h20.clusters, 3);
  EXPECT_EQ(h20.claims, 6);
  EXPECT_EQ(h20.claims_dedup, 5);
  const StatsRow usd = find(st->by_unit, "USD");
  EXPECT_EQ(usd.articles, 4);
  EXPECT_EQ(usd.claims, 4);
  EXPECT_EQ(usd.claims_dedup, 3);
  EXPECT_EQ(st->by_unit.front().key, "USD");
  // Top sources by claims, then name: Reuters, SemiAnalysis and 路透社 have 2 each.
  ASSERT_EQ(st->top_sources.size(), 2u);
  EXPECT_EQ(st->top_sources[0].key, "Reuters");
  EXPECT_EQ(st->top_sources[0].claims, 2);
  EXPECT_EQ(st->top_sources[1].key, "SemiAnalysis");
  // A filter narrows articles and claims (the figure filters count only their figures).
  ArticleFilter f;
  f.units = {"USD"};
  f.outlets = {"中央社"};
  auto narrow = store_->Stats(f, 10);
  ASSERT_TRUE(narrow.ok());
  EXPECT_EQ(narrow->total.articles, 3);
  EXPECT_EQ(narrow->total.claims, 3);
  EXPECT_EQ(narrow->total.claims_dedup, 2);
  EXPECT_EQ(find(narrow->by_unit, "%").articles, 0);
}

}  // namespace
}  // namespace newsclaim::store
