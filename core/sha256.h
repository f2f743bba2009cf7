// SHA-256 (FIPS 180-4) of a byte string, as lower-case hex.
#ifndef NEWSCLAIM_CORE_SHA256_H_
#define NEWSCLAIM_CORE_SHA256_H_

#include <string>
#include <string_view>

namespace newsclaim {

std::string Sha256Hex(std::string_view bytes);

namespace internal {
// Whether Sha256Hex uses the CPU's SHA extensions (x86 SHA-NI).
bool HasShaExtensions();
// Sha256Hex by the portable rounds alone, to test the two paths against each other.
std::string Sha256HexPortable(std::string_view bytes);
}  // namespace internal

}  // namespace newsclaim

#endif  // NEWSCLAIM_CORE_SHA256_H_
