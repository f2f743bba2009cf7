// Preload: loading on one thread while others normalise changes no result.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "normalize/normalize.h"

namespace newsclaim::normalize {
namespace {

RawDocument Seed(const std::string& name) {
  std::ifstream in(std::string(NEWSCLAIM_SOURCE_DIR) + "/corpus/seeds/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  RawDocument raw;
  raw.uri = name;
  raw.bytes = ss.str();
  return raw;
}

TEST(PreloadTest, ConcurrentWithNormalizeGivesTheSameArticles) {
  const RawDocument raw = Seed("001_d7040c06c3092106.txt");
  ASSERT_FALSE(raw.bytes.empty());
  std::vector<StatusOr<Article>> got(4, InternalError("not run"));
  std::thread preload([] { Preload(); });
  std::vector<std::thread> workers;
  for (size_t i = 0; i < got.size(); ++i) {
    workers.emplace_back([&, i] { got[i] = Normalize(raw, NormalizeOptions{}); });
  }
  preload.join();
  for (std::thread& t : workers) t.join();
  Preload();  // idempotent
  const StatusOr<Article> after = Normalize(raw, NormalizeOptions{});
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_FALSE(after->body.empty());
  EXPECT_FALSE(after->folded.empty());
  for (const StatusOr<Article>& a : got) {
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->body, after->body);
    EXPECT_EQ(a->folded, after->folded);
    EXPECT_EQ(a->title, after->title);
    EXPECT_EQ(a->published, after->published);
  }
}

}  // namespace
}  // namespace newsclaim::normalize
