// index::Update over a real SQLite store: incremental indexing, stale rows, duplicate
// clusters (deterministic ids), search in either script, queries and snippets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/sha256.h"
#include "index/index.h"

namespace newsclaim::index {
namespace {

namespace fs = std::filesystem;
using store::Store;

std::string Seed(const std::string& name) {
  std::ifstream in(std::string(NEWSCLAIM_SOURCE_DIR) + "/corpus/seeds/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class IndexUpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nc_index_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto st = Store::Open((dir_ / "t.db").string(), {});
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    store_ = std::move(st).value();
    auto run = store_->BeginRun({"test", "0", "r1"});
    ASSERT_TRUE(run.ok());
    run_ = *run;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // Stores body as an article (one raw document per call) and returns its id.
  int64_t Add(const std::string& uri, const std::string& title, const std::string& body,
              const std::string& rules = "r1") {
    RawDocument raw;
    raw.uri = uri;
    raw.bytes = title + "\n" + body;
    raw.sha256 = Sha256Hex(raw.bytes);
    raw.format = DocFormat::kText;
    EXPECT_TRUE(store_->PutRaw(raw).ok());
    Article a;
    a.raw_sha256 = raw.sha256;
    a.uri = uri;
    a.title = title;
    a.outlet = "outlet";
    a.body = body;
    a.sentences = {{0, static_cast<uint32_t>(body.size())}};
    Claims c;
    Figure f;
    f.span = {0, static_cast<uint32_t>(std::min<size_t>(body.size(), 6))};
    f.text = body.substr(0, f.span.end);
    f.value = 2;
    f.unit = "%";
    f.sentence = 0;
    c.figures.push_back(f);
    auto id = store_->PutArticle(run_, rules, a, c);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  std::map<int64_t, std::pair<int64_t, std::string>> Clusters() {
    std::map<int64_t, std::pair<int64_t, std::string>> out;
    EXPECT_TRUE(store_
                    ->ForEachDuplicate([&](const Store::DuplicateMember& m) {
                      out[m.article_id] = {m.cluster_id, m.method};
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  std::vector<int64_t> Find(const std::string& q, bool claims = false) {
    SearchOptions o;
    o.claims = claims;
    auto hits = Search(*store_, q, o);
    EXPECT_TRUE(hits.ok()) << hits.status().ToString();
    std::vector<int64_t> ids;
    if (hits.ok()) {
      for (const auto& h : *hits) ids.push_back(h.article_id);
      std::sort(ids.begin(), ids.end());
    }
    return ids;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  int64_t run_ = 0;
};

const char kTraditional[] = "000_deaf9d1a60bb2f27.txt";  // 晶片
const char kSimplified[] = "001_d7040c06c3092106.txt";   // 芯片

TEST_F(IndexUpdateTest, IndexesIncrementallyAndFindsBothScripts) {
  const int64_t t = Add("t", "中國晶片", Seed(kTraditional));
  const int64_t s = Add("s", "中国芯片", Seed(kSimplified));
  auto st = Update(*store_);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->indexed, 2);
  EXPECT_TRUE(st->reclustered);
  EXPECT_EQ(Find("芯片"), (std::vector<int64_t>{t, s}));
  EXPECT_EQ(Find("晶片"), (std::vector<int64_t>{t, s}));
  EXPECT_EQ(Find("晶片 -芯片"), std::vector<int64_t>{});
  EXPECT_EQ(Find("量子糾纏"), std::vector<int64_t>{});
  EXPECT_EQ(Find("量子糾纏 OR 晶片"), (std::vector<int64_t>{t, s}));
  // Nothing changed: nothing to do.
  st = Update(*store_);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->indexed, 0);
  EXPECT_EQ(st->removed, 0);
  EXPECT_FALSE(st->reclustered);
  // A new extraction of a document supersedes the old article in the index.
  const int64_t t2 = Add("t", "中國晶片", Seed(kTraditional), "r2");
  st = Update(*store_);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->indexed, 1);
  EXPECT_EQ(st->removed, 1);
  EXPECT_EQ(Find("晶片"), (std::vector<int64_t>{s, t2}));
  EXPECT_EQ(*store_->CountUnclusteredArticles(), 0);
}

TEST_F(IndexUpdateTest, ClaimsAreSearchable) {
  const int64_t s = Add("s", "晶片", "今年AI晶片數量約僅為外國企業的2%。");
  ASSERT_TRUE(Update(*store_).ok());
  SearchOptions o;
  o.claims = true;
  auto hits = Search(*store_, "芯片", o);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].article_id, s);
  EXPECT_GT((*hits)[0].figure_id, 0);
  EXPECT_EQ((*hits)[0].unit, "%");
  EXPECT_EQ((*hits)[0].figure_text, "今年");
  // The sentence in its own script, the match marked.
  EXPECT_EQ((*hits)[0].snippet, "今年AI[晶片]數量約僅為外國企業的2%。");
  o.claims = false;
  hits = Search(*store_, "外国企业", o);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].snippet, "今年AI晶片數量約僅為[外國企業]的2%。");
}

TEST_F(IndexUpdateTest, ClustersDuplicatesDeterministically) {
  const std::string a = Seed(kTraditional), b = Seed(kSimplified),
                    c = Seed("003_1f4918f4bdd0fc92.txt");
  const std::string repost = "熱門新聞：颱風最新路徑\n" + a + "\n延伸閱讀\n版權所有 © 2026\n";
  const int64_t ia = Add("a", "A", a);
  const int64_t ib = Add("b", "B", b);
  const int64_t irepost = Add("a2", "A, new headline", repost);
  const int64_t ic = Add("c", "C", c);
  const int64_t icopy = Add("c2", "C copy", c + "\n");  // same normalised body
  ASSERT_TRUE(Update(*store_).ok());
  auto clusters = Clusters();
  EXPECT_EQ(clusters.size(), 4u);
  EXPECT_EQ(clusters[ia], std::make_pair(ia, std::string("self")));
  EXPECT_EQ(clusters[irepost], std::make_pair(ia, std::string("near")));
  EXPECT_EQ(clusters[ic], std::make_pair(ic, std::string("self")));
  EXPECT_EQ(clusters[icopy], std::make_pair(ic, std::string("body")));
  EXPECT_EQ(clusters.count(ib), 0u);

  // The same articles in another order give the same partition, named by the smallest id.
  TearDown();
  SetUp();
  const int64_t jcopy = Add("c2", "C copy", c + "\n");
  const int64_t jrepost = Add("a2", "A, new headline", repost);
  const int64_t jc = Add("c", "C", c);
  Add("b", "B", b);
  const int64_t ja = Add("a", "A", a);
  ASSERT_TRUE(Update(*store_).ok());
  clusters = Clusters();
  EXPECT_EQ(clusters.size(), 4u);
  EXPECT_EQ(clusters[ja].first, std::min(ja, jrepost));
  EXPECT_EQ(clusters[jrepost].first, std::min(ja, jrepost));
  EXPECT_EQ(clusters[jc].first, jcopy);
  EXPECT_EQ(clusters[jcopy], std::make_pair(jcopy, std::string("self")));
}

TEST(IndexQueryTest, BuildsFts5Queries) {
  EXPECT_EQ(*BuildQuery("晶片"), "\"芯片\"");
  EXPECT_EQ(*BuildQuery("  NVIDIA  晶片 "), "\"NVIDIA\" AND \"芯片\"");
  EXPECT_EQ(*BuildQuery("华为 OR 英伟达 芯片"), "(\"华为\" OR \"英伟达\") AND \"芯片\"");
  EXPECT_EQ(*BuildQuery("芯片 -华为 nvid*"), "(\"芯片\" AND \"nvid\" *) NOT \"华为\"");
  EXPECT_EQ(*BuildQuery("\"export controls\" a\"b"), "\"export controls\" AND \"a\"\"b\"");
  EXPECT_EQ(*BuildQuery("OR 芯片 ，"), "\"芯片\"");
  EXPECT_FALSE(BuildQuery("，。").ok());
  EXPECT_FALSE(BuildQuery("-芯片").ok());
  EXPECT_FALSE(BuildQuery("").ok());
}

TEST(IndexSnippetTest, MapsMatchesBackToTheOriginalScript) {
  // The folded line has as many characters as the original: the original is shown.
  EXPECT_EQ(MakeSnippet("美國管制晶片出口", "美国管制\x02芯片\x03出口", 80), "美國管制[晶片]出口");
  // 記憶體 -> 内存 changes the length: the folded text is shown.
  EXPECT_EQ(MakeSnippet("記憶體晶片", "内存\x02芯片\x03", 80), "内存[芯片]");
  // The line with the first match; long lines are cut around it.
  const std::string longline(200, 'x');
  EXPECT_EQ(MakeSnippet("first\n" + longline + "ab",
                        "first\n" + longline +
                            "\x02"
                            "ab"
                            "\x03",
                        20),
            "…xxxxxxxxxxxxxxxxxx[ab]");
  // No match: the start of the text.
  EXPECT_EQ(MakeSnippet("\n  title line\nbody", "\n  title line\nbody", 80), "title line");
  EXPECT_EQ(MakeSnippet("", "", 80), "");
}

}  // namespace
}  // namespace newsclaim::index
