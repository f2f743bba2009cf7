// Duplicate signatures: MinHash by one permutation hashing over shingles of the folded
// body, the body hash, and the search fold (OpenCC tw2sp) they are computed on.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "index/index.h"

namespace newsclaim::index {
namespace {

std::string Seed(const std::string& name) {
  std::ifstream in(std::string(NEWSCLAIM_SOURCE_DIR) + "/corpus/seeds/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Fold(const std::string& s) {
  StatusOr<std::string> f = FoldForSearch(s);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? *f : std::string();
}

std::string Words(int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += "w" + std::to_string(i) + " ";
  return out;
}

TEST(IndexSignatureTest, FoldMapsRegionalWordsAndScripts) {
  EXPECT_EQ(Fold("晶片"), "芯片");
  EXPECT_EQ(Fold("芯片"), "芯片");
  EXPECT_EQ(Fold("軟體與記憶體"), "软件与内存");
  EXPECT_EQ(Fold("Ascend 910C"), "Ascend 910C");
  // Broken UTF-8 and NUL bytes never reach OpenCC as such.
  EXPECT_EQ(Fold(std::string("a\0b\xff", 4)), "a b\xEF\xBF\xBD");
  EXPECT_EQ(Fold(""), "");
}

TEST(IndexSignatureTest, SameTextSameSignature) {
  const std::string body = Fold(Seed("000_deaf9d1a60bb2f27.txt"));
  const Signature a = ComputeSignature(body), b = ComputeSignature(body);
  ASSERT_EQ(a.minhash.size(), static_cast<size_t>(kMinhashBins));
  EXPECT_EQ(a.minhash, b.minhash);
  EXPECT_EQ(a.body_hash, b.body_hash);
  EXPECT_EQ(a.body_hash.size(), 64u);
  EXPECT_DOUBLE_EQ(EstimateJaccard(a.minhash, b.minhash), 1.0);
  // Punctuation, spacing and case do not change the normalised body.
  std::string noisy = body;
  for (char& c : noisy) {
    if (c == '\n') c = ' ';
  }
  EXPECT_EQ(ComputeSignature(noisy + " !!").body_hash, a.body_hash);
}

TEST(IndexSignatureTest, EstimateFollowsTrueJaccard) {
  // 4-word shingles: A = w0..w999, B = w500..w1499 share the 497 shingles inside
  // w500..w999, so J = 497 / (997 + 997 - 497) = 0.332.
  const Signature a = ComputeSignature(Words(0, 1000)), b = ComputeSignature(Words(500, 1500));
  EXPECT_EQ(a.shingles, 997);
  EXPECT_NEAR(EstimateJaccard(a.minhash, b.minhash), 0.332, 0.12);
  const Signature c = ComputeSignature(Words(100, 1100));  // J = 897 / 1097 = 0.818
  EXPECT_NEAR(EstimateJaccard(a.minhash, c.minhash), 0.818, 0.12);
  const Signature d = ComputeSignature(Words(5000, 6000));  // disjoint
  EXPECT_LT(EstimateJaccard(a.minhash, d.minhash), 0.05);
}

TEST(IndexSignatureTest, ShortBodiesHaveNoSignature) {
  const Signature s = ComputeSignature("订阅全文请登录");
  EXPECT_LT(s.shingles, kMinShingles);
  EXPECT_TRUE(s.minhash.empty());
  EXPECT_TRUE(s.body_hash.empty());
  EXPECT_EQ(EstimateJaccard(s.minhash, s.minhash), 0.0);
  EXPECT_EQ(ComputeSignature("").shingles, 0);
}

TEST(IndexSignatureTest, RepostWithOtherBoilerplateStaysAboveThreshold) {
  const std::string seed = Seed("000_deaf9d1a60bb2f27.txt");
  const std::string repost =
      "轉載自合作媒體 請勿轉發\n熱門新聞：颱風最新路徑、今日股市收盤、藝人婚訊\n" + seed +
      "\n延伸閱讀\n美股三大指數收高 科技股領漲\n本網站使用Cookie以提供更好的服務\n"
      "版權所有 © 2026 某某新聞網 All rights reserved\n";
  const Signature a = ComputeSignature(Fold(seed)), b = ComputeSignature(Fold(repost));
  std::printf("J(seed, repost with boilerplate) = %.3f\n", EstimateJaccard(a.minhash, b.minhash));
  EXPECT_NE(a.body_hash, b.body_hash);
  EXPECT_GE(EstimateJaccard(a.minhash, b.minhash), kNearDuplicateJaccard);
}

TEST(IndexSignatureTest, DifferentSeedsOnTheSameTopicStayApart) {
  const char* seeds[] = {"000_deaf9d1a60bb2f27.txt", "001_d7040c06c3092106.txt",
                         "002_92448aa21c421522.txt", "003_1f4918f4bdd0fc92.txt",
                         "004_b5c4fdc71bfe94fc.txt"};
  std::vector<Signature> sigs;
  for (const char* s : seeds) sigs.push_back(ComputeSignature(Fold(Seed(s))));
  for (size_t i = 0; i < sigs.size(); ++i) {
    for (size_t j = i + 1; j < sigs.size(); ++j) {
      const double jac = EstimateJaccard(sigs[i].minhash, sigs[j].minhash);
      std::printf("J(%.3s, %.3s) = %.3f\n", seeds[i], seeds[j], jac);
      EXPECT_LT(jac, 0.2) << seeds[i] << " vs " << seeds[j];
      EXPECT_NE(sigs[i].body_hash, sigs[j].body_hash);
    }
  }
}

}  // namespace
}  // namespace newsclaim::index
