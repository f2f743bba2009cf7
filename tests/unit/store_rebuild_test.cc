// Store side of rebuild and provenance: the rebuild transaction (old results visible to
// readers until the commit, all of them back after an abort), the order raw documents
// come back in and their round trip, ids restarting, and GetProvenance.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/sha256.h"
#include "store/store.h"

namespace newsclaim::store {
namespace {

namespace fs = std::filesystem;

class StoreRebuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nc_store_rebuild_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    auto st = Store::Open(path_, {});
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    st_ = std::move(st).value();
    auto run = st_->BeginRun({"0.1.0", "rules-1", "ingest"});
    ASSERT_TRUE(run.ok());
    run_ = *run;
  }
  void TearDown() override {
    st_.reset();
    fs::remove_all(dir_);
  }

  static RawDocument Raw(const std::string& uri, const std::string& bytes,
                         const std::string& seen) {
    RawDocument r;
    r.uri = uri;
    r.bytes = bytes;
    r.sha256 = Sha256Hex(bytes);
    r.format = DocFormat::kText;
    r.fetched_at = seen;
    return r;
  }

  // body: "據路透社報導，晶片出貨約2%。第二句提到H20。"
  static std::pair<Article, Claims> Analyzed(const RawDocument& raw) {
    Article a;
    a.raw_sha256 = raw.sha256;
    a.uri = raw.uri;
    a.title = "标题 " + raw.uri;
    a.outlet = "中央社";
    a.body = "據路透社報導，晶片出貨約2%。第二句提到H20。";
    const uint32_t first = static_cast<uint32_t>(a.body.find("第二句"));
    a.sentences = {{0, first}, {first, static_cast<uint32_t>(a.body.size())}};
    Claims c;
    const uint32_t src = static_cast<uint32_t>(a.body.find("路透社"));
    c.sources.push_back({{src, src + 9}, "路透社", EntityKind::kOutlet});
    Figure f;
    f.span.begin = static_cast<uint32_t>(a.body.find("約2%"));
    f.span.end = f.span.begin + 5;
    f.text = "約2%";
    f.value = 2;
    f.unit = "%";
    f.qualifier = Qualifier::kApprox;
    f.sentence = 0;
    f.source = 0;
    c.figures.push_back(f);
    const uint32_t chip = static_cast<uint32_t>(a.body.find("H20"));
    c.chips.push_back({{chip, chip + 3}, "H20", "NVIDIA H20", "NVIDIA"});
    return {a, c};
  }

  void Ingest(const RawDocument& raw) {
    ASSERT_TRUE(st_->PutRaw(raw).ok());
    auto [a, c] = Analyzed(raw);
    ASSERT_TRUE(st_->PutArticle(run_, "rules-1", a, c).ok());
  }

  int64_t ReaderCount(const std::string& table) {
    StoreOptions ro;
    ro.read_only = true;
    auto reader = Store::Open(path_, ro);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return -1;
    auto n = (*reader)->CountRows(table);
    return n.ok() ? *n : -1;
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<Store> st_;
  int64_t run_ = 0;
};

TEST_F(StoreRebuildTest, OrderFollowsCurrentArticlesThenFirstSeen) {
  // Ingested b, a; c has raw bytes but no article (it failed).
  RawDocument a = Raw("a.txt", "alpha", "2026-01-01T00:00:00Z");
  RawDocument b = Raw("b.txt", "bravo", "2026-01-02T00:00:00Z");
  RawDocument c = Raw("c.txt", "charlie", "2026-01-01T00:00:00Z");
  b.kind = SourceKind::kHttp;
  b.http_status = 200;
  b.headers = {{"Content-Type", "text/html; charset=big5"}, {"ETag", "\"x:y\""}};
  b.declared_charset = "big5";
  b.format = DocFormat::kHtml;
  Ingest(b);
  Ingest(a);
  ASSERT_TRUE(st_->PutRaw(c).ok());

  Store::RawCursor cursor;
  EXPECT_FALSE(st_->NextRawDocuments(&cursor, 2).ok());  // only inside a rebuild
  ASSERT_TRUE(st_->BeginRebuild().ok());
  auto page = st_->NextRawDocuments(&cursor, 2);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].uri, "b.txt");
  EXPECT_EQ((*page)[1].uri, "a.txt");
  const RawDocument& rb = (*page)[0];
  EXPECT_EQ(rb.bytes, "bravo");
  EXPECT_EQ(rb.sha256, b.sha256);
  EXPECT_EQ(rb.kind, SourceKind::kHttp);
  EXPECT_EQ(rb.http_status, 200);
  EXPECT_EQ(rb.headers, b.headers);
  EXPECT_EQ(rb.declared_charset, "big5");
  EXPECT_EQ(rb.format, DocFormat::kHtml);
  EXPECT_EQ(rb.fetched_at, "2026-01-02T00:00:00Z");
  page = st_->NextRawDocuments(&cursor, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].uri, "c.txt");
  page = st_->NextRawDocuments(&cursor, 2);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->empty());
  ASSERT_TRUE(st_->AbortRebuild().ok());
}

TEST_F(StoreRebuildTest, ReadersSeeOldResultsUntilCommitAndAbortRestoresThem) {
  for (const char* name : {"a", "b", "c"}) {
    Ingest(Raw(std::string(name) + ".txt", name, "2026-01-01T00:00:00Z"));
  }
  // Replace b's article so ids have a gap (4 ids used, 3 current articles).
  auto [ab, cb] = Analyzed(Raw("b.txt", "b", "2026-01-01T00:00:00Z"));
  ASSERT_TRUE(st_->PutArticle(run_, "rules-1", ab, cb).ok());
  ASSERT_EQ(*st_->CountRows("articles"), 3);
  ASSERT_EQ(*st_->CountRows("figures"), 3);

  auto rebuild = st_->BeginRun({"0.1.0", "rules-2", "rebuild"});
  ASSERT_TRUE(rebuild.ok());
  ASSERT_TRUE(st_->BeginRebuild().ok());
  EXPECT_EQ(*st_->CountRows("articles"), 0);  // the writer's own view
  EXPECT_EQ(ReaderCount("articles"), 3);      // everyone else's
  Store::RawCursor cursor;
  auto page = st_->NextRawDocuments(&cursor, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 3u);
  auto [a0, c0] = Analyzed((*page)[0]);
  ASSERT_TRUE(st_->PutRebuiltArticle(*rebuild, "rules-2", a0, c0).ok());
  ASSERT_TRUE(st_->AbortRebuild().ok());
  EXPECT_EQ(*st_->CountRows("articles"), 3);
  EXPECT_EQ(*st_->CountRows("figures"), 3);
  EXPECT_TRUE(*st_->IntegrityOk());

  ASSERT_TRUE(st_->BeginRebuild().ok());
  cursor = {};
  page = st_->NextRawDocuments(&cursor, 10);
  ASSERT_TRUE(page.ok());
  std::vector<int64_t> ids;
  for (const RawDocument& raw : *page) {
    auto [a, c] = Analyzed(raw);
    auto id = st_->PutRebuiltArticle(*rebuild, "rules-2", a, c);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(*id);
  }
  // The failed one: an error row inside the same transaction.
  ASSERT_TRUE(st_->PutError(*rebuild, "x.txt", "", "normalize", InvalidArgumentError("bad")).ok());
  EXPECT_EQ(ReaderCount("articles"), 3);
  EXPECT_EQ(ReaderCount("errors"), 0);
  ASSERT_TRUE(st_->CommitRebuild().ok());
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 3}));  // ids restart at 1
  EXPECT_EQ(ReaderCount("articles"), 3);
  EXPECT_EQ(ReaderCount("figures"), 3);
  EXPECT_EQ(ReaderCount("errors"), 1);
  EXPECT_FALSE(st_->PutRebuiltArticle(*rebuild, "rules-2", a0, c0).ok());  // closed

  auto p = st_->GetProvenance(Store::ClaimKind::kFigure, 2);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_TRUE(p->has_value());
  EXPECT_EQ((*p)->run_command, "rebuild");
  EXPECT_EQ((*p)->rules_version, "rules-2");
  EXPECT_EQ((*p)->program_version, "0.1.0");
}

TEST_F(StoreRebuildTest, Provenance) {
  RawDocument raw = Raw("https://example.com/x", "xray", "2026-01-01T00:00:00Z");
  Ingest(raw);
  raw.uri = "https://mirror.example.com/x";
  ASSERT_TRUE(st_->PutRaw(raw).ok());

  auto f = st_->GetProvenance(Store::ClaimKind::kFigure, 1);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_TRUE(f->has_value());
  const Store::Provenance& p = **f;
  EXPECT_EQ(p.text, "約2%");
  EXPECT_EQ(p.value, 2);
  EXPECT_EQ(p.unit, "%");
  EXPECT_EQ(p.qualifier, "approx");
  EXPECT_EQ(p.source, "路透社");
  EXPECT_EQ(p.source_kind, "outlet");
  EXPECT_EQ(p.body.substr(p.start, p.end - p.start), "約2%");
  EXPECT_EQ(p.body.substr(p.sentence_start, p.sentence_end - p.sentence_start),
            "據路透社報導，晶片出貨約2%。");
  EXPECT_EQ(p.raw_sha256, Sha256Hex("xray"));
  EXPECT_EQ(p.raw_size, 4);
  EXPECT_EQ(p.uris,
            (std::vector<std::string>{"https://example.com/x", "https://mirror.example.com/x"}));
  EXPECT_EQ(p.run_id, run_);
  EXPECT_EQ(p.run_command, "ingest");
  EXPECT_EQ(p.rules_version, "rules-1");
  EXPECT_TRUE(p.current);

  // A chip has no stored sentence: the one around its span.
  auto c = st_->GetProvenance(Store::ClaimKind::kChip, 1);
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->canonical, "NVIDIA H20");
  EXPECT_EQ((*c)->body.substr((*c)->sentence_start, (*c)->sentence_end - (*c)->sentence_start),
            "第二句提到H20。");
  auto s = st_->GetProvenance(Store::ClaimKind::kSource, 1);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->text, "路透社");
  EXPECT_EQ((*s)->kind_name, "outlet");
  auto a = st_->GetProvenance(Store::ClaimKind::kArticle, 1);
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->title, "标题 https://example.com/x");

  // Superseded by a newer extraction: still shown, marked not current.
  auto [a2, c2] = Analyzed(raw);
  ASSERT_TRUE(st_->PutArticle(run_, "rules-2", a2, c2).ok());
  f = st_->GetProvenance(Store::ClaimKind::kFigure, 1);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_FALSE((*f)->current);

  auto missing = st_->GetProvenance(Store::ClaimKind::kFigure, 99);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

}  // namespace
}  // namespace newsclaim::store
