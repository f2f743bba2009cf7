// A compact SHA-256 so the core needs no crypto library; checked against FIPS vectors
// in tests/unit/core_test.cc. On x86 CPUs with the SHA extensions (checked at run time)
// the blocks go through SHA-NI instructions, several times faster than the portable
// rounds; both paths are tested against each other.
#include "core/sha256.h"

#include <array>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define NEWSCLAIM_SHA_NI 1
#endif

namespace newsclaim {
namespace {

constexpr std::array<uint32_t, 64> kK = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

inline uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

using State = std::array<uint32_t, 8>;

void Block(const unsigned char* p, State* h) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t{p[4 * i]} << 24) | (uint32_t{p[4 * i + 1]} << 16) |
           (uint32_t{p[4 * i + 2]} << 8) | uint32_t{p[4 * i + 3]};
  }
  for (int i = 16; i < 64; ++i) {
    const uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = (*h)[0], b = (*h)[1], c = (*h)[2], d = (*h)[3];
  uint32_t e = (*h)[4], f = (*h)[5], g = (*h)[6], hh = (*h)[7];
  for (int i = 0; i < 64; ++i) {
    const uint32_t s1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
    const uint32_t ch = (e & f) ^ (~e & g);
    const uint32_t t1 = hh + s1 + ch + kK[i] + w[i];
    const uint32_t s0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
    const uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    const uint32_t t2 = s0 + maj;
    hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
  }
  (*h)[0] += a, (*h)[1] += b, (*h)[2] += c, (*h)[3] += d;
  (*h)[4] += e, (*h)[5] += f, (*h)[6] += g, (*h)[7] += hh;
}

void BlocksPortable(const unsigned char* p, size_t blocks, State* h) {
  for (size_t i = 0; i < blocks; ++i) Block(p + 64 * i, h);
}

#ifdef NEWSCLAIM_SHA_NI
// The 64 rounds as 16 groups of four: sha256rnds2 does two rounds on the state held as
// ABEF and CDGH; sha256msg1/msg2 extend the message schedule four words at a time.
__attribute__((target("sha,sse4.1,ssse3"))) void BlocksShaNi(const unsigned char* p, size_t blocks,
                                                             State* h) {
  const __m128i kByteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h->data()));         // DCBA
  __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h->data() + 4));  // HGFE
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                                                 // CDAB
  state1 = _mm_shuffle_epi32(state1, 0x1B);                                           // EFGH
  __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);                                   // ABEF
  state1 = _mm_blend_epi16(state1, tmp, 0xF0);                                        // CDGH
  for (size_t b = 0; b < blocks; ++b, p += 64) {
    const __m128i abef = state0, cdgh = state1;
    __m128i w[4];  // the last four groups of schedule words, w[g % 4] = group g
    for (int g = 0; g < 16; ++g) {
      __m128i& cur = w[g % 4];
      if (g < 4) {
        cur = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * g)),
                               kByteSwap);
      } else {
        // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four words at once.
        const __m128i prev = w[(g + 3) % 4], prev2 = w[(g + 2) % 4];
        __m128i x = _mm_sha256msg1_epu32(cur, w[(g + 1) % 4]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(prev, prev2, 4));
        cur = _mm_sha256msg2_epu32(x, prev);
      }
      __m128i msg =
          _mm_add_epi32(cur, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kK.data() + 4 * g)));
      state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
    }
    state0 = _mm_add_epi32(state0, abef);
    state1 = _mm_add_epi32(state1, cdgh);
  }
  tmp = _mm_shuffle_epi32(state0, 0x1B);        // FEBA
  state1 = _mm_shuffle_epi32(state1, 0xB1);     // DCHG
  state0 = _mm_blend_epi16(tmp, state1, 0xF0);  // DCBA
  state1 = _mm_alignr_epi8(state1, tmp, 8);     // HGFE
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h->data()), state0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h->data() + 4), state1);
}
#endif

using BlocksFn = void (*)(const unsigned char*, size_t, State*);

std::string Sha256HexWith(BlocksFn blocks_fn, std::string_view bytes) {
  State h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  const size_t whole = n / 64;
  blocks_fn(data, whole, &h);
  const size_t i = whole * 64;
  unsigned char tail[128] = {};
  const size_t rest = n - i;
  for (size_t k = 0; k < rest; ++k) tail[k] = data[i + k];
  tail[rest] = 0x80;
  const size_t tail_len = rest + 9 <= 64 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(n) * 8;
  for (int k = 0; k < 8; ++k) tail[tail_len - 1 - k] = static_cast<unsigned char>(bits >> (8 * k));
  blocks_fn(tail, tail_len / 64, &h);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint32_t v : h) {
    for (int s = 28; s >= 0; s -= 4) out.push_back(kHex[(v >> s) & 0xF]);
  }
  return out;
}

}  // namespace

namespace internal {

bool HasShaExtensions() {
#ifdef NEWSCLAIM_SHA_NI
  // CPUID leaf 7 EBX bit 29: SHA; leaf 1 ECX bits 19 and 9: SSE4.1, SSSE3.
  static const bool has = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
    const bool sse = (c & (1u << 19)) != 0 && (c & (1u << 9)) != 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
    return sse && (b & (1u << 29)) != 0;
  }();
  return has;
#else
  return false;
#endif
}

std::string Sha256HexPortable(std::string_view bytes) {
  return Sha256HexWith(BlocksPortable, bytes);
}

}  // namespace internal

std::string Sha256Hex(std::string_view bytes) {
#ifdef NEWSCLAIM_SHA_NI
  if (internal::HasShaExtensions()) return Sha256HexWith(BlocksShaNi, bytes);
#endif
  return internal::Sha256HexPortable(bytes);
}

}  // namespace newsclaim
