// See ordered_pool.h.
#include "cli/ordered_pool.h"

namespace newsclaim::cli {

int ResolveThreads(int n) {
  return n > 0 ? n : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace newsclaim::cli
