// Bounded gzip inflation (see gzip.h).
#include "ingest/gzip.h"

#include <zlib.h>

#include <limits>

namespace newsclaim::ingest {

bool LooksGzipped(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

StatusOr<std::string> Gunzip(std::string_view in, uint64_t max_bytes) {
  if (in.size() > std::numeric_limits<uInt>::max()) {
    return ResourceExhaustedError("compressed input too large");
  }
  z_stream zs{};
  // 15 + 32: any window size, gzip or zlib header detected automatically.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return InternalError("zlib init failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return DataLossError("corrupt gzip data");
    }
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return ResourceExhaustedError("gzip data expands beyond " + std::to_string(max_bytes) +
                                    " bytes");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return DataLossError("truncated gzip data");
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      // A .gz may hold several members (cat a.gz b.gz, WARC files): go on with the next
      // one; trailing bytes that are not gzip are lost data, not silently dropped.
      if (!LooksGzipped(std::string_view(reinterpret_cast<const char*>(zs.next_in), zs.avail_in))) {
        inflateEnd(&zs);
        return DataLossError(std::to_string(zs.avail_in) +
                             " bytes of trailing garbage after gzip data");
      }
      if (inflateReset(&zs) != Z_OK) {
        inflateEnd(&zs);
        return InternalError("zlib reset failed");
      }
      rc = Z_OK;
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace newsclaim::ingest
