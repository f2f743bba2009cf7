// gzip/zlib inflation with a cap on the output size, shared by file reading, sitemaps
// served as .xml.gz, and anything else in ingest that meets compressed bytes. Internal.
#ifndef NEWSCLAIM_INGEST_GZIP_H_
#define NEWSCLAIM_INGEST_GZIP_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace newsclaim::ingest {

// True when bytes start with the gzip magic number (1f 8b).
bool LooksGzipped(std::string_view bytes);

// Inflates gzip (or zlib) data. Errors: kResourceExhausted when the output would exceed
// max_bytes (a gzip bomb is an error, not an out-of-memory kill), kDataLoss for corrupt
// or truncated data.
StatusOr<std::string> Gunzip(std::string_view in, uint64_t max_bytes);

}  // namespace newsclaim::ingest

#endif  // NEWSCLAIM_INGEST_GZIP_H_
