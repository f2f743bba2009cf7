// Fuzz target for the WARC reader: the bytes are a WARC file, plain or gzipped (as the
// fuzzer found it), and once more wrapped in a gzip member so mutations of plain records
// also run through the member-by-member inflation. Any crash, sanitizer report, endless
// loop or broken invariant (a document whose sha256 does not match its bytes, a payload
// above the cap, an item without a reason or an error status) fails.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/sha256.h"
#include "ingest/warc.h"

namespace {

void ReadAll(std::string bytes, const newsclaim::ingest::WarcReaderOptions& options) {
  using newsclaim::ingest::WarcItem;
  using newsclaim::ingest::WarcItemKind;
  auto reader = newsclaim::ingest::WarcReader::FromBytes(std::move(bytes), "fuzz", options);
  WarcItem item;
  int64_t items = 0;
  while (reader->Next(&item)) {
    if (++items > 1000000) std::abort();
    switch (item.kind) {
      case WarcItemKind::kDocument:
        if (item.doc.sha256 != newsclaim::Sha256Hex(item.doc.bytes)) std::abort();
        if (item.doc.bytes.size() > options.max_payload_bytes) std::abort();
        if (item.doc.http_status < 200 || item.doc.http_status > 299) std::abort();
        break;
      case WarcItemKind::kSkipped:
        if (item.reason.empty()) std::abort();
        break;
      case WarcItemKind::kError:
        if (item.status.ok()) std::abort();
        break;
    }
  }
  if (reader->Next(&item)) std::abort();  // the end stays the end
}

std::string GzipMember(const uint8_t* data, size_t size) {
  z_stream zs{};
  if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::string out(deflateBound(&zs, size) + 64, '\0');
  zs.next_in = const_cast<Bytef*>(data);
  zs.avail_in = static_cast<uInt>(size);
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(out.size() - zs.avail_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  newsclaim::ingest::WarcReaderOptions options;
  options.max_record_bytes = 1 << 20;
  options.max_payload_bytes = 2 << 20;
  options.max_header_line = 4096;
  options.max_header_fields = 64;
  ReadAll(std::string(reinterpret_cast<const char*>(data), size), options);
  ReadAll(GzipMember(data, size), options);
  return 0;
}
