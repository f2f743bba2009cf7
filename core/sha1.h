// SHA-1 (FIPS 180-4) and RFC 4648 Base32: what WARC digests ("sha1:<BASE32>") are made
// of. Not for security: WARC uses SHA-1 as a content checksum only.
#ifndef NEWSCLAIM_CORE_SHA1_H_
#define NEWSCLAIM_CORE_SHA1_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace newsclaim {

// Incremental SHA-1: Update any number of times, then Final once.
class Sha1 {
 public:
  Sha1();
  void Update(std::string_view bytes);
  // The 20-byte digest. The object must not be updated afterwards.
  std::array<uint8_t, 20> Final();

 private:
  void Block(const unsigned char* p);
  std::array<uint32_t, 5> h_;
  unsigned char buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

// Lower-case hex of SHA-1(bytes).
std::string Sha1Hex(std::string_view bytes);

// RFC 4648 Base32 (upper-case alphabet A-Z2-7, '=' padding).
std::string Base32Encode(std::string_view bytes);

// "sha1:" + Base32(SHA-1(bytes)), the WARC digest form.
std::string WarcSha1Digest(std::string_view bytes);

}  // namespace newsclaim

#endif  // NEWSCLAIM_CORE_SHA1_H_
