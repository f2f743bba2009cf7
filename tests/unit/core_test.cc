// Tests for the shared core: SHA-256 vectors, UTF-8 helpers, Status.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/sha1.h"
#include "core/sha256.h"
#include "core/status.h"
#include "core/utf8.h"

namespace newsclaim {
namespace {

TEST(Sha256Test, FipsVectors) {
  struct Case {
    std::string input;
    std::string hex;
  };
  const Case cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input.substr(0, 20));
    EXPECT_EQ(Sha256Hex(c.input), c.hex);
    EXPECT_EQ(internal::Sha256HexPortable(c.input), c.hex);
  }
}

// The SHA-NI path (taken when the CPU has it) against the portable rounds, over every
// length around the one- and two-block padding edges and longer pseudo-random inputs.
TEST(Sha256Test, HardwarePathEqualsPortable) {
  std::string bytes;
  uint32_t x = 12345;
  for (int i = 0; i < 5000; ++i) {
    x = x * 1664525u + 1013904223u;
    bytes.push_back(static_cast<char>(x >> 24));
  }
  for (size_t n = 0; n <= 300; ++n) {
    const std::string_view s(bytes.data(), n);
    ASSERT_EQ(Sha256Hex(s), internal::Sha256HexPortable(s)) << "length " << n;
  }
  for (size_t n : {1000, 4095, 4096, 4097, 5000}) {
    const std::string_view s(bytes.data(), n);
    ASSERT_EQ(Sha256Hex(s), internal::Sha256HexPortable(s)) << "length " << n;
  }
  std::printf("SHA extensions used: %s\n", internal::HasShaExtensions() ? "yes" : "no");
}

TEST(Sha1Test, FipsVectors) {
  struct Case {
    std::string input;
    std::string hex;
  };
  const Case cases[] = {
      {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
      {std::string(1000000, 'a'), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input.substr(0, 20));
    EXPECT_EQ(Sha1Hex(c.input), c.hex);
  }
}

TEST(Sha1Test, IncrementalUpdatesMatchOneShot) {
  // 1063 bytes fed in uneven pieces cross the 64-byte block boundary in every way.
  const std::string input = std::string(1000, 'x') + std::string(63, 'y');
  for (size_t piece : {1u, 7u, 63u, 64u, 65u, 1000u}) {
    SCOPED_TRACE(piece);
    Sha1 s;
    for (size_t i = 0; i < input.size(); i += piece)
      s.Update(std::string_view(input).substr(i, piece));
    const std::array<uint8_t, 20> d = s.Final();
    std::string hex;
    for (uint8_t b : d) {
      static const char kHex[] = "0123456789abcdef";
      hex.push_back(kHex[b >> 4]);
      hex.push_back(kHex[b & 15]);
    }
    EXPECT_EQ(hex, "5bf18e35d861328e928ef96c57cd92c8be481873");
  }
}

TEST(Base32Test, Rfc4648Vectors) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},
      {"f", "MY======"},
      {"fo", "MZXQ===="},
      {"foo", "MZXW6==="},
      {"foob", "MZXW6YQ="},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI======"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(Base32Encode(in), out) << in;
  // The WARC digest form, as Python's base64.b32encode(hashlib.sha1(b"abc").digest()).
  EXPECT_EQ(WarcSha1Digest("abc"), "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
}

TEST(Utf8Test, ValidAndInvalid) {
  EXPECT_TRUE(utf8::IsValid("abc"));
  EXPECT_TRUE(utf8::IsValid("晶片 \xEF\xBF\xBD"));
  EXPECT_FALSE(utf8::IsValid("\xC0\xAF"));          // overlong
  EXPECT_FALSE(utf8::IsValid("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(utf8::IsValid("\xE6\x99"));          // truncated
  EXPECT_FALSE(utf8::IsValid("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Utf8Test, RoundTripAndCount) {
  const std::string s = "a晶😀";
  size_t pos = 0;
  std::string out;
  while (pos < s.size()) utf8::Append(utf8::Next(s, &pos), &out);
  EXPECT_EQ(out, s);
  EXPECT_EQ(utf8::CodePointCount(s, s.size()), 3u);
  EXPECT_EQ(utf8::CodePointCount(s, 4), 2u);
}

TEST(StatusTest, OrCarriesValueOrError) {
  StatusOr<int> v = 3;
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(*v, 3);
  StatusOr<int> e = NotFoundError("x");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().ToString(), "not_found: x");
}

}  // namespace
}  // namespace newsclaim
