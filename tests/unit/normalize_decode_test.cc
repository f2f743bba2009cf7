// Bytes to text: charset evidence order, legacy Chinese encodings, BOMs, late <meta>
// declarations, mislabelled UTF-8, counted replacements, and the inputs that must fail.
#include <gtest/gtest.h>

#include <string>

#include "normalize/decode.h"
#include "normalize/normalize.h"

namespace newsclaim::normalize {
namespace {

std::string Hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// "中国政府和民间正大力发展人工智能产业，同时在美国出口管制下追求科技自立。" in GBK.
const std::string kGbkSentence =
    Hex("d6d0b9fad5feb8aebacdc3f1bce4d5fdb4f3c1a6b7a2d5b9c8cbb9a4d6c7c4dcb2fad2b5a3accdaccab1d4dac3"
        "c0b9fab3f6bfdab9dcd6c6cfc2d7b7c7f3bfc6bcbcd7d4c1a2a1a3");
const char kSimplified[] =
    "中国政府和民间正大力发展人工智能产业，同时在美国出口管制下追求科技自立。";
// "中國政府和民間正大力發展人工智慧產業，同時在美國出口管制下追求科技自立。" in Big5.
const std::string kBig5Sentence =
    Hex("a4a4b0eaac46a9b2a94da5c1b6a1a5bfa46aa44fb56fae69a448a475b4bcbc7ab2a3b77ea141a650aec9a662ac"
        "fcb0eaa558a466badea8eea455b06ca844aceca7dea6dba5dfa143");
const char kTraditional[] =
    "中國政府和民間正大力發展人工智慧產業，同時在美國出口管制下追求科技自立。";

StatusOr<internal::Decoded> Decode(const std::string& bytes, const std::string& declared = "") {
  RawDocument raw;
  raw.bytes = bytes;
  raw.declared_charset = declared;
  return internal::DecodeBytes(raw, NormalizeOptions());
}

struct Case {
  const char* name;
  std::string bytes;
  std::string declared;
  std::string want_charset;
  std::string want_substring;
};

TEST(DecodeTest, Table) {
  const std::string late_meta_big5 =
      "<html><head><script>" + std::string(4000, ' ') +
      "var x = 1;</script><style>p{}</style><meta http-equiv=\"Content-Type\" "
      "content=\"text/html; charset=big5\"></head><body><p>" +
      kBig5Sentence + "</p></body></html>";
  const Case cases[] = {
      {"gbk declared as gb2312", kGbkSentence, "gb2312", "GB18030", kSimplified},
      {"gbk declared as GBK", kGbkSentence, "GBK", "GB18030", kSimplified},
      {"big5 declared", kBig5Sentence, "big5", "Big5-HKSCS", kTraditional},
      {"hkscs character", kBig5Sentence + Hex("9dee"), "big5", "Big5-HKSCS", "㗎"},
      {"gb18030 four-byte", kGbkSentence + Hex("95328236"), "gb18030", "GB18030", "𠀀"},
      {"late meta charset", late_meta_big5, "", "Big5-HKSCS", kTraditional},
      {"meta charset attribute",
       "<html><head><meta charset=\"gbk\"></head><body>" + kGbkSentence + "</body></html>", "",
       "GB18030", kSimplified},
      {"xml declaration",
       "<?xml version=\"1.0\" encoding=\"GB2312\"?><rss>" + kGbkSentence + "</rss>", "", "GB18030",
       kSimplified},
      {"gb2312 label on utf-8 bytes",
       std::string("<html><head><meta charset=\"gb2312\"></head><body>") + kSimplified +
           "</body></html>",
       "gb2312", "UTF-8", kSimplified},
      {"utf-8 bom beats a label", "\xEF\xBB\xBF" + std::string(kSimplified), "big5", "UTF-8",
       kSimplified},
      {"utf-16le bom", Hex("fffe2d4e8765"), "", "UTF-16LE", "中文"},
      {"undeclared gbk is detected", kGbkSentence + kGbkSentence + kGbkSentence, "", "GB18030",
       kSimplified},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    StatusOr<internal::Decoded> d = Decode(c.bytes, c.declared);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->charset, c.want_charset);
    EXPECT_NE(d->text.find(c.want_substring), std::string::npos) << d->text;
    EXPECT_EQ(d->replaced_bytes, 0u);
  }
}

TEST(DecodeTest, InvalidBytesAreCountedNotSilent) {
  std::string bytes;
  for (int i = 0; i < 20; ++i) bytes += kSimplified;
  bytes.insert(30, "\xFF\xFE\xFF");
  StatusOr<internal::Decoded> d = Decode(bytes, "utf-8");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->replaced_bytes, 3u);
  EXPECT_NE(d->text.find("\xEF\xBF\xBD"), std::string::npos);

  RawDocument raw;
  raw.bytes = bytes;
  raw.format = DocFormat::kText;
  StatusOr<Article> a = Normalize(raw, NormalizeOptions());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->replaced_bytes, 3u);
  EXPECT_EQ(a->charset, "UTF-8");
}

TEST(DecodeTest, MetaPrescanStopsAtBody) {
  EXPECT_EQ(internal::PrescanMetaCharset("<head><meta charset='big5'></head>"), "big5");
  EXPECT_EQ(internal::PrescanMetaCharset("<head></head><body><meta charset=big5>"), "");
  EXPECT_EQ(internal::PrescanMetaCharset("<!-- <meta charset=big5> --><meta charset=gbk>"), "gbk");
  EXPECT_EQ(internal::CanonicalCharset("GB2312"), "GB18030");
  EXPECT_EQ(internal::CanonicalCharset("x-x-big5"), "Big5-HKSCS");
  EXPECT_EQ(internal::CanonicalCharset("no-such-charset"), "");
}

TEST(DecodeTest, InputsThatMustFail) {
  struct Bad {
    const char* name;
    std::string bytes;
    uint64_t max_bytes;
    StatusCode want;
  };
  std::string binary = "\x89PNG\r\n\x1a\n";
  binary += std::string(64, '\0') + "IHDR" + std::string(64, '\0');
  std::string garbage;
  for (int i = 0; i < 400; ++i) garbage += static_cast<char>(0x80 + (i * 37) % 64);
  const Bad cases[] = {
      {"empty", "", 1000, StatusCode::kInvalidArgument},
      {"only white space", " \n\t ", 1000, StatusCode::kInvalidArgument},
      {"binary", binary, 1000, StatusCode::kInvalidArgument},
      {"oversize", std::string(2000, 'a'), 1000, StatusCode::kResourceExhausted},
      {"undecodable", garbage, 100000, StatusCode::kDataLoss},
  };
  for (const Bad& c : cases) {
    SCOPED_TRACE(c.name);
    RawDocument raw;
    raw.bytes = c.bytes;
    raw.declared_charset = c.want == StatusCode::kDataLoss ? "utf-8" : "";
    raw.format = DocFormat::kText;
    NormalizeOptions options;
    options.max_bytes = c.max_bytes;
    StatusOr<Article> a = Normalize(raw, options);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().code(), c.want) << a.status().ToString();
  }
}

}  // namespace
}  // namespace newsclaim::normalize
