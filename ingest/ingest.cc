// Files and directories to RawDocuments: the bytes as they are on disk (gzip undone),
// their hash, and a first guess at their format.
#include "ingest/ingest.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/clock.h"
#include "core/sha256.h"
#include "ingest/gzip.h"

namespace newsclaim::ingest {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

}  // namespace

StatusOr<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return NotFoundError("no such file or directory: " + p);
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec),
          end;
      if (ec) return FailedPreconditionError("cannot read directory " + p + ": " + ec.message());
      for (; it != end; it.increment(ec)) {
        if (ec) return FailedPreconditionError("cannot read directory " + p + ": " + ec.message());
        if (IsHidden(it->path())) {
          if (it->is_directory(ec)) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file(ec)) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

DocFormat SniffFormat(const std::string& name, const std::string& bytes) {
  size_t i = 0;
  if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  if (bytes.compare(i, 4, "---\n") == 0 || bytes.compare(i, 5, "---\r\n") == 0) {
    return DocFormat::kMarkdown;
  }
  const std::string head = Lower(bytes.substr(i, 512));
  if (head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0 ||
      head.rfind("<?xml", 0) == 0 || head.rfind("<head", 0) == 0 || head.rfind("<meta", 0) == 0 ||
      head.rfind("<!--", 0) == 0) {
    return DocFormat::kHtml;
  }
  std::string lname = Lower(name);
  if (EndsWith(lname, ".gz")) lname.resize(lname.size() - 3);
  if (EndsWith(lname, ".html") || EndsWith(lname, ".htm") || EndsWith(lname, ".xhtml")) {
    return DocFormat::kHtml;
  }
  if (EndsWith(lname, ".md") || EndsWith(lname, ".markdown")) return DocFormat::kMarkdown;
  // A dump that opens with a tag and is dense with markup is HTML whatever its name.
  if (i < bytes.size() && bytes[i] == '<') {
    const std::string sample = bytes.substr(i, 8192);
    const size_t tags = std::count(sample.begin(), sample.end(), '<');
    if (tags * 40 > sample.size()) return DocFormat::kHtml;
  }
  return DocFormat::kText;
}

StatusOr<RawDocument> ReadFile(const std::string& path, const FileOptions& options) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return NotFoundError("cannot stat " + path + ": " + ec.message());
  if (size > options.max_bytes) {
    return ResourceExhaustedError("file is " + std::to_string(size) + " bytes, above the cap of " +
                                  std::to_string(options.max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path);
  RawDocument raw;
  raw.bytes.resize(size);
  in.read(raw.bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<uintmax_t>(in.gcount()) != size) return DataLossError("short read on " + path);
  raw.uri = path;
  raw.kind = SourceKind::kFile;
  raw.fetched_at = NowUtc();
  if (EndsWith(Lower(path), ".gz")) {
    StatusOr<std::string> plain = Gunzip(raw.bytes, options.max_bytes);
    if (!plain.ok()) return plain.status();
    raw.bytes = std::move(plain).value();
  }
  raw.sha256 = Sha256Hex(raw.bytes);
  raw.format = SniffFormat(path, raw.bytes);
  return raw;
}

}  // namespace newsclaim::ingest
