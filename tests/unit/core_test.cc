// Tests for the shared core: SHA-256 vectors, UTF-8 helpers, Status.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

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

// Next decodes the common three-byte forms inline and the rest out of line; both must
// decode like a plain reading of Unicode's table 3-7, with U+FFFD and a one-byte step for
// anything ill-formed.
TEST(Utf8Test, NextDecodesLikeTheStandard) {
  auto reference = [](std::string_view s, size_t pos, size_t* next) -> char32_t {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[pos + k]); };
    auto cont = [&](size_t k, unsigned lo, unsigned hi) {
      return pos + k < s.size() && b(k) >= lo && b(k) <= hi;
    };
    const unsigned c = b(0);
    *next = pos + 1;
    if (c < 0x80) return c;
    if (c >= 0xC2 && c <= 0xDF && cont(1, 0x80, 0xBF)) {
      *next = pos + 2;
      return ((c & 0x1F) << 6) | (b(1) & 0x3F);
    }
    if (c >= 0xE0 && c <= 0xEF) {
      const unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      if (cont(1, lo, hi) && cont(2, 0x80, 0xBF)) {
        *next = pos + 3;
        return ((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
      }
    }
    if (c >= 0xF0 && c <= 0xF4) {
      const unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      if (cont(1, lo, hi) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF)) {
        *next = pos + 4;
        return ((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
      }
    }
    return 0xFFFD;
  };
  int checked = 0;
  for (int b0 = 0; b0 < 0x100; ++b0) {
    for (int b1 = 0; b1 < 0x100; ++b1) {
      for (int b2 : {0x00, 0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF}) {
        for (int len = 1; len <= 4; ++len) {
          std::string s{static_cast<char>(b0), static_cast<char>(b1), static_cast<char>(b2),
                        '\x80'};
          s.resize(static_cast<size_t>(len));
          size_t pos = 0, want_next = 0;
          const char32_t got = utf8::Next(s, &pos);
          ASSERT_EQ(got, reference(s, 0, &want_next)) << b0 << " " << b1 << " " << b2;
          ASSERT_EQ(pos, want_next) << b0 << " " << b1 << " " << b2;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 2000000);
}

// IsValid checks bytes without decoding; it must agree with Next, which decodes every
// well-formed sequence and turns anything else into U+FFFD one byte at a time.
TEST(Utf8Test, IsValidAgreesWithNext) {
  auto decodes = [](std::string_view s) {
    for (size_t pos = 0; pos < s.size();) {
      const size_t before = pos;
      if (utf8::Next(s, &pos) == 0xFFFD && pos - before == 1) return false;
    }
    return true;
  };
  std::vector<std::string> cases;
  for (int b0 = 0x80; b0 < 0x100; ++b0) {
    for (int b1 = 0; b1 < 0x100; ++b1) {
      for (int b2 : {0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0}) {
        std::string seq{static_cast<char>(b0), static_cast<char>(b1), static_cast<char>(b2)};
        cases.push_back(seq);
        if (b0 >= 0xF0) cases.push_back(seq + "\x80");
      }
      cases.push_back(std::string{static_cast<char>(b0), static_cast<char>(b1)});
    }
  }
  int checked = 0;
  for (const std::string& c : cases) {
    // Behind 0..9 ASCII bytes, so that the eight-byte step meets the sequence anywhere.
    for (const std::string& pad : {std::string(), std::string("abcde"), std::string(9, 'x')}) {
      const std::string s = pad + c + pad;
      ASSERT_EQ(utf8::IsValid(s), decodes(s)) << checked;
      ++checked;
    }
  }
  EXPECT_GT(checked, 900000);
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
