// The wall clock as the store and the fetch records write it.
#ifndef NEWSCLAIM_CORE_CLOCK_H_
#define NEWSCLAIM_CORE_CLOCK_H_

#include <string>

namespace newsclaim {

// Current UTC time as ISO 8601 with seconds ("2026-11-23T18:38:42Z").
std::string NowUtc();

}  // namespace newsclaim

#endif  // NEWSCLAIM_CORE_CLOCK_H_
