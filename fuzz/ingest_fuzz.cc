// Fuzz target for file ingestion: the format sniffer and gunzip, through ReadFile on a
// temporary file. The first byte picks the file name (and so whether the bytes are
// un-gzipped); a mode also gzips the rest itself, which must read back unchanged.
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/sha256.h"
#include "ingest/ingest.h"

namespace {

namespace fs = std::filesystem;

// One directory per process, removed at exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "nc_ingest_fuzz_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string Gzip(const std::string& in) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    std::abort();
  }
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ScratchDir* dir = new ScratchDir();
  static const char* const kNames[] = {"doc.html",    "doc.md", "doc.txt",    "doc",
                                       "doc.html.gz", "doc.gz", "DOC.TXT.GZ", "doc.htm"};
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const bool self_gzip = (mode & 0x80) != 0;
  const std::string name = self_gzip ? "self.gz" : kNames[mode % std::size(kNames)];
  const std::string path = (dir->path() / name).string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::string content = self_gzip ? Gzip(bytes) : bytes;
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }
  newsclaim::ingest::FileOptions options;
  options.max_bytes = 1 << 20;
  auto raw = newsclaim::ingest::ReadFile(path, options);
  if (self_gzip && bytes.size() <= options.max_bytes / 2) {
    // Our own gzip of any bytes must come back exactly.
    if (!raw.ok() || raw->bytes != bytes) std::abort();
  }
  if (raw.ok()) {
    if (raw->bytes.size() > options.max_bytes) std::abort();
    if (raw->sha256 != newsclaim::Sha256Hex(raw->bytes)) std::abort();
    if (raw->format == newsclaim::DocFormat::kUnknown) std::abort();
    if (raw->uri != path) std::abort();
  } else if (raw.status().message().empty()) {
    std::abort();
  }
  if (newsclaim::ingest::SniffFormat(name, bytes) == newsclaim::DocFormat::kUnknown) std::abort();
  fs::remove(path);
  return 0;
}
