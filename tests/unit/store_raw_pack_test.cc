// Store: raw bytes stored compressed (PackRaw / UnpackRaw, schema 6), read back whole by
// the rebuild cursor, and a raw row written once (not packed again for a second URI).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <zlib.h>

#include <filesystem>
#include <random>
#include <string>

#include "core/sha256.h"
#include "store/store.h"
#include "tests/unit/store_test_util.h"

namespace newsclaim::store {
namespace {

namespace fs = std::filesystem;

std::string Html(int paragraphs) {
  std::string s = "<html><head><title>Chips</title></head><body>";
  for (int i = 0; i < paragraphs; ++i) {
    s += "<p>NVIDIA shipped " + std::to_string(i * 37 % 1000) +
         " thousand H20 accelerators in the quarter, analysts said.</p>\n";
  }
  return s + "</body></html>";
}

std::string Noise(size_t n) {
  std::mt19937 rng(7);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

TEST(StoreRawPackTest, PackedWhenItSavesAndUnpacksToTheOriginal) {
  const std::string html = Html(200);
  Store::PackedRaw p = Store::PackRaw(html);
  EXPECT_EQ(p.compression, "zlib");
  EXPECT_LT(p.bytes.size(), html.size() / 4);
  StatusOr<std::string> back = Store::UnpackRaw(p.bytes, p.compression, html.size());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, html);
  // A plain zlib stream: any zlib inflates it (the README tells researchers so).
  std::string inflated(html.size(), '\0');
  uLongf n = static_cast<uLongf>(inflated.size());
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(inflated.data()), &n,
                       reinterpret_cast<const Bytef*>(p.bytes.data()),
                       static_cast<uLong>(p.bytes.size())),
            Z_OK);
  EXPECT_EQ(inflated, html);
  // And a stream zlib wrote (as rows stored by earlier versions) unpacks the same.
  uLongf bound = compressBound(static_cast<uLong>(html.size()));
  std::string by_zlib(bound, '\0');
  ASSERT_EQ(
      compress2(reinterpret_cast<Bytef*>(by_zlib.data()), &bound,
                reinterpret_cast<const Bytef*>(html.data()), static_cast<uLong>(html.size()), 6),
      Z_OK);
  by_zlib.resize(bound);
  StatusOr<std::string> from_zlib = Store::UnpackRaw(by_zlib, "zlib", html.size());
  ASSERT_TRUE(from_zlib.ok()) << from_zlib.status().ToString();
  EXPECT_EQ(*from_zlib, html);

  // Random bytes do not shrink, small documents are not worth it: kept as they are.
  for (const std::string& kept : {Noise(100000), std::string("<p>short</p>"), std::string()}) {
    Store::PackedRaw k = Store::PackRaw(kept);
    EXPECT_EQ(k.compression, "");
    EXPECT_EQ(k.bytes, kept);
    StatusOr<std::string> same = Store::UnpackRaw(k.bytes, k.compression, kept.size());
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(*same, kept);
  }
}

TEST(StoreRawPackTest, CorruptOrUnknownFormsAreErrors) {
  const std::string html = Html(50);
  Store::PackedRaw p = Store::PackRaw(html);
  ASSERT_EQ(p.compression, "zlib");
  std::string cut = p.bytes.substr(0, p.bytes.size() / 2);
  EXPECT_EQ(Store::UnpackRaw(cut, "zlib", html.size()).status().code(), StatusCode::kDataLoss);
  std::string flipped = p.bytes;
  flipped[flipped.size() / 2] ^= 0x55;
  EXPECT_FALSE(Store::UnpackRaw(flipped, "zlib", html.size()).ok());
  // The stored size must match what the stream inflates to.
  EXPECT_EQ(Store::UnpackRaw(p.bytes, "zlib", html.size() - 1).status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(Store::UnpackRaw(p.bytes, "zlib", html.size() + 1).status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(Store::UnpackRaw(p.bytes, "zstd", html.size()).status().code(),
            StatusCode::kInvalidArgument);
}

class StoreRawPackDbTest : public testing::TempDbTest {
 protected:
  static RawDocument Raw(const std::string& uri, const std::string& bytes) {
    return testing::MakeRaw(uri, bytes, DocFormat::kHtml);
  }

  // (compression, size, length(bytes)) of the raw row of sha.
  std::string RowForm(const std::string& sha) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT coalesce(compression, '-') || ' ' || size || ' ' || "
                                 "length(bytes) FROM raw_documents WHERE sha256 = ?1",
                                 -1, &q, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(q, 1, sha.c_str(), -1, SQLITE_TRANSIENT);
    std::string out;
    if (sqlite3_step(q) == SQLITE_ROW)
      out = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
  }
};

TEST_F(StoreRawPackDbTest, StoredPackedAndRebuiltWhole) {
  const RawDocument html = Raw("a.html", Html(300));
  const RawDocument noise = Raw("b.bin", Noise(20000));
  const RawDocument given = Raw("c.html", Html(120));
  {
    auto s = Store::Open(path_, StoreOptions());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_TRUE((*s)->PutRaw(html).ok());  // packed by PutRaw
    ASSERT_TRUE((*s)->PutRaw(noise).ok());
    const Store::PackedRaw p = Store::PackRaw(given.bytes);  // packed by the caller
    ASSERT_TRUE((*s)->PutRaw(given, &p).ok());
    // The same bytes under another URI: the row stays as it was, the URI is recorded.
    ASSERT_TRUE((*s)->PutRaw(Raw("a-again.html", html.bytes)).ok());
    EXPECT_EQ(*(*s)->CountRows("raw_documents"), 3);
    EXPECT_EQ(*(*s)->CountRows("document_uris"), 4);
  }
  const std::string html_form = RowForm(html.sha256);
  EXPECT_EQ(html_form.substr(0, 5), "zlib ") << html_form;
  EXPECT_EQ(RowForm(noise.sha256), "- 20000 20000");
  EXPECT_EQ(RowForm(given.sha256).substr(0, 5), "zlib ");

  auto s = Store::Open(path_, StoreOptions());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->BeginRebuild().ok());
  Store::RawCursor cursor;
  StatusOr<std::vector<RawDocument>> docs = (*s)->NextRawDocuments(&cursor, 10);
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  ASSERT_EQ(docs->size(), 3u);
  int found = 0;
  for (const RawDocument& d : *docs) {
    EXPECT_EQ(Sha256Hex(d.bytes), d.sha256) << d.uri;
    for (const RawDocument* want : {&html, &noise, &given}) {
      if (d.sha256 == want->sha256) {
        EXPECT_EQ(d.bytes, want->bytes);
        ++found;
      }
    }
  }
  EXPECT_EQ(found, 3);
  ASSERT_TRUE((*s)->AbortRebuild().ok());
}

TEST_F(StoreRawPackDbTest, CorruptStoredStreamIsDataLossOnRebuild) {
  const RawDocument html = Raw("a.html", Html(100));
  {
    auto s = Store::Open(path_, StoreOptions());
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->PutRaw(html).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE raw_documents SET bytes = substr(bytes, 1, 20)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = Store::Open(path_, StoreOptions());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->BeginRebuild().ok());
  Store::RawCursor cursor;
  StatusOr<std::vector<RawDocument>> docs = (*s)->NextRawDocuments(&cursor, 10);
  EXPECT_EQ(docs.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(docs.status().message().find(html.sha256), std::string::npos)
      << docs.status().message();
  ASSERT_TRUE((*s)->AbortRebuild().ok());
}

}  // namespace
}  // namespace newsclaim::store
