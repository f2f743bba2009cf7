// ingest: path expansion, format sniffing, reading files (gzip included) with size caps.
#include "ingest/ingest.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

namespace newsclaim::ingest {
namespace {

namespace fs = std::filesystem;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nc_ingest_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub" / ".hidden");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& rel, const std::string& bytes) {
    const fs::path p = dir_ / rel;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  static std::string Gzip(const std::string& in) {
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, in.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
  }
  fs::path dir_;
};

TEST(SniffFormatTest, Table) {
  struct Case {
    const char* name;
    std::string bytes;
    DocFormat want;
  };
  const Case cases[] = {
      {"a.txt", "---\ntitle: x\n---\n# x", DocFormat::kMarkdown},
      {"a.txt", "\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n", DocFormat::kMarkdown},
      {"a.bin", "<!DOCTYPE html><html>", DocFormat::kHtml},
      {"a", "  <html lang=zh>", DocFormat::kHtml},
      {"page.htm", "hello", DocFormat::kHtml},
      {"page.html.gz", "hello", DocFormat::kHtml},
      {"notes.md", "# hi", DocFormat::kMarkdown},
      {"a.txt", "<a href=x><img src=y></a><table><tr><td>x</td></tr></table>", DocFormat::kHtml},
      {"a.txt", "快訊\n\n中國欲大力發展AI產業", DocFormat::kText},
      {"a.txt",
       "<<< not really markup, just a line of prose that is long enough to count "
       "as text and not as markup at all, so it stays text.",
       DocFormat::kText},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.bytes.substr(0, 30));
    EXPECT_EQ(SniffFormat(c.name, c.bytes), c.want);
  }
}

TEST_F(IngestTest, ExpandsDirectoriesSortedSkippingHidden) {
  Write("b.txt", "b");
  Write("sub/a.txt", "a");
  Write("sub/.hidden/x.txt", "x");
  Write(".dot.txt", "d");
  auto files = ExpandPaths({dir_.string()});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0], (dir_ / "b.txt").string());
  EXPECT_EQ((*files)[1], (dir_ / "sub" / "a.txt").string());
  EXPECT_EQ(ExpandPaths({(dir_ / "nope").string()}).status().code(), StatusCode::kNotFound);
}

TEST_F(IngestTest, ReadsFileWithHash) {
  const std::string p = Write("a.txt", "abc");
  auto raw = ReadFile(p, {});
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->bytes, "abc");
  EXPECT_EQ(raw->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(raw->uri, p);
  EXPECT_EQ(raw->format, DocFormat::kText);
  EXPECT_EQ(raw->fetched_at.size(), 20u);
}

TEST_F(IngestTest, GunzipsTransparently) {
  const std::string p = Write("page.html.gz", Gzip("<html><body>hi</body></html>"));
  auto raw = ReadFile(p, {});
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(raw->bytes, "<html><body>hi</body></html>");
  EXPECT_EQ(raw->format, DocFormat::kHtml);
}

// Regression: only the first member of a multi-member gzip file was read, silently.
TEST_F(IngestTest, MultiMemberGzipIsReadWhole) {
  const std::string p = Write("two.txt.gz", Gzip("first member, ") + Gzip("second member"));
  auto raw = ReadFile(p, {});
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(raw->bytes, "first member, second member");
  const std::string junk = Write("junk.txt.gz", Gzip("data") + "trailing junk");
  EXPECT_EQ(ReadFile(junk, {}).status().code(), StatusCode::kDataLoss);
}

TEST_F(IngestTest, RefusesGzipBombAndOversizeAndCorruptGzip) {
  FileOptions small;
  small.max_bytes = 1 << 20;
  const std::string bomb = Write("bomb.gz", Gzip(std::string(8 << 20, 'a')));
  EXPECT_EQ(ReadFile(bomb, small).status().code(), StatusCode::kResourceExhausted);
  const std::string big = Write("big.txt", std::string((1 << 20) + 1, 'a'));
  EXPECT_EQ(ReadFile(big, small).status().code(), StatusCode::kResourceExhausted);
  std::string gz = Gzip("hello world hello world");
  const std::string trunc = Write("t.gz", gz.substr(0, gz.size() / 2));
  EXPECT_EQ(ReadFile(trunc, {}).status().code(), StatusCode::kDataLoss);
  const std::string junk = Write("j.gz", "not gzip at all");
  EXPECT_EQ(ReadFile(junk, {}).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace newsclaim::ingest
