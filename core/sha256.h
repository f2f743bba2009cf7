// SHA-256 (FIPS 180-4) of a byte string, as lower-case hex.
#ifndef NEWSCLAIM_CORE_SHA256_H_
#define NEWSCLAIM_CORE_SHA256_H_

#include <string>
#include <string_view>

namespace newsclaim {

std::string Sha256Hex(std::string_view bytes);

}  // namespace newsclaim

#endif  // NEWSCLAIM_CORE_SHA256_H_
