// WARC 1.1 writing and streaming reading (see warc.h). The writer compresses each record
// into its own gzip member; the reader inflates member by member so it knows where each
// record starts in the compressed file, and can skip a corrupt member.
#include "ingest/warc.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <random>
#include <string_view>

#include "core/clock.h"
#include "core/sha1.h"
#include "core/sha256.h"
#include "ingest/fetch.h"
#include "ingest/gzip.h"
#include "ingest/ingest.h"

namespace newsclaim::ingest {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// Splits a header block into lines (CRLF or LF), dropping the blank lines at its end.
std::vector<std::string_view> SplitLines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    head.remove_prefix(nl + 1);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 410:
      return "Gone";
    case 429:
      return "Too Many Requests";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

// ---- Writer helpers -------------------------------------------------------------------

// "GET /path?q HTTP/1.1" and "Host: host[:port]" for a URL, when the caller has no
// request head.
std::string SynthesizedRequest(const std::string& url) {
  std::string_view rest = url;
  const size_t scheme = rest.find("://");
  if (scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
  const size_t slash = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, slash);
  if (const size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (const size_t hash = path.find('#'); hash != std::string_view::npos)
    path = path.substr(0, hash);
  std::string target = path.empty() || path[0] != '/' ? "/" + std::string(path) : std::string(path);
  return "GET " + target + " HTTP/1.1\r\nHost: " + std::string(host) + "\r\n";
}

// The request head as CRLF lines ending with the blank line.
std::string RequestBlock(const WarcExchange& ex) {
  const std::string head =
      ex.request_head.empty() ? SynthesizedRequest(ex.target_uri) : ex.request_head;
  std::string out;
  for (std::string_view line : SplitLines(head)) {
    out.append(line);
    out.append("\r\n");
  }
  out.append("\r\n");
  return out;
}

// The response head as stored: CRLF lines, the blank line, and honest framing headers for
// the body as stored (see WarcExchange::body_decoded).
StatusOr<std::string> ResponseHead(const WarcExchange& ex) {
  std::vector<std::string> lines;
  if (ex.response_head.empty()) {
    if (ex.http_status < 100 || ex.http_status > 999) {
      return InvalidArgumentError("no response head and no valid http status");
    }
    lines.push_back("HTTP/1.1 " + std::to_string(ex.http_status) + " " +
                    ReasonPhrase(ex.http_status));
    if (lines.back().back() == ' ') lines.back().pop_back();
    for (const auto& [name, value] : ex.response_headers) lines.push_back(name + ": " + value);
  } else {
    for (std::string_view line : SplitLines(ex.response_head)) lines.emplace_back(line);
  }
  if (lines.empty() || lines[0].rfind("HTTP/", 0) != 0) {
    return InvalidArgumentError("response head does not start with an HTTP status line");
  }
  const std::string body_len = std::to_string(ex.body.size());
  bool changed = false, has_true_length = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string& line = lines[i];
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string_view name = Trim(std::string_view(line).substr(0, colon));
    const std::string_view value = Trim(std::string_view(line).substr(colon + 1));
    if (IEquals(name, "transfer-encoding") ||
        (ex.body_decoded && IEquals(name, "content-encoding") && !IEquals(value, "identity"))) {
      line = "X-Crawler-" + line;
      changed = true;
    } else if (IEquals(name, "content-length")) {
      if (value == body_len) {
        has_true_length = true;
      } else {
        line = "X-Crawler-" + line;
        changed = true;
      }
    }
  }
  if (changed && !has_true_length) lines.push_back("Content-Length: " + body_len);
  std::string out;
  for (const std::string& line : lines) out += line + "\r\n";
  out += "\r\n";
  return out;
}

std::string NewUuid(std::mt19937_64& rng) {
  const uint64_t hi = (rng() & ~uint64_t{0xF000}) | 0x4000;                      // version 4
  const uint64_t lo = (rng() & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // variant
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return std::string("<urn:uuid:") + buf + ">";
}

// One WARC record compressed as one gzip member.
StatusOr<std::string> GzipMember(std::string_view a, std::string_view b, std::string_view c) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return InternalError("zlib deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, a.size() + b.size() + c.size()) + 64);
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  for (std::string_view part : {a, b, c}) {
    // In pieces below 4 GiB: avail_in is 32-bit.
    while (!part.empty()) {
      const size_t n = std::min<size_t>(part.size(), 1u << 30);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
      zs.avail_in = static_cast<uInt>(n);
      while (zs.avail_in > 0) {
        if (zs.avail_out == 0) {
          const size_t used = out.size();
          out.resize(used * 2);
          zs.next_out = reinterpret_cast<Bytef*>(out.data() + used);
          zs.avail_out = static_cast<uInt>(out.size() - used);
        }
        if (deflate(&zs, Z_NO_FLUSH) == Z_STREAM_ERROR) {
          deflateEnd(&zs);
          return InternalError("zlib deflate failed");
        }
      }
      part.remove_prefix(n);
    }
  }
  int rc;
  while ((rc = deflate(&zs, Z_FINISH)) == Z_OK || (rc == Z_BUF_ERROR && zs.avail_out == 0)) {
    const size_t used = out.size() - zs.avail_out;
    out.resize(out.size() * 2);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    zs.avail_out = static_cast<uInt>(out.size() - used);
  }
  if (rc != Z_STREAM_END) {
    deflateEnd(&zs);
    return InternalError("zlib deflate did not finish");
  }
  out.resize(out.size() - zs.avail_out);
  deflateEnd(&zs);
  return out;
}

std::string RecordHeader(const std::vector<std::pair<std::string, std::string>>& fields,
                         size_t block_size) {
  std::string h = "WARC/1.1\r\n";
  for (const auto& [name, value] : fields) h += name + ": " + value + "\r\n";
  h += "Content-Length: " + std::to_string(block_size) + "\r\n\r\n";
  return h;
}

std::string UtcStamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%d%H%M%S", &tm);
  return buf;
}

}  // namespace

// ---- WarcWriter -------------------------------------------------------------------------

struct WarcWriter::Impl {
  WarcWriterOptions options;
  std::mt19937_64 rng{std::random_device{}()};
  int fd = -1;
  std::string name;  // final file name of the current file, without ".open"
  uint64_t size = 0;
  uint64_t size_after_warcinfo = 0;
  std::string warcinfo_id;
  bool closed = false;
  bool broken = false;  // the last write failed: start a new file before the next one
  std::vector<std::string> finished;
  int serial = 0;

  std::string PathOf(const std::string& file) const {
    return (fs::path(options.dir) / file).string();
  }

  Status WriteAll(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        const std::string msg = "writing " + PathOf(name) + ".open: " + std::strerror(errno);
        return errno == ENOSPC || errno == EDQUOT ? ResourceExhaustedError(msg)
                                                  : FailedPreconditionError(msg);
      }
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  // Appends members; on failure cuts the file back to its last complete member.
  Status Append(const std::string& bytes) {
    Status s = WriteAll(bytes);
    if (!s.ok()) {
      // A cut-off member would hide the records after it from readers; drop it. If even
      // that fails, the file is finished as is and the next exchange starts a new one.
      (void)::ftruncate(fd, static_cast<off_t>(size));
      broken = true;
      return s;
    }
    size += bytes.size();
    return Status::Ok();
  }

  Status StartFile() {
    const std::string stamp = UtcStamp();
    for (;; ++serial) {
      char num[16];
      std::snprintf(num, sizeof(num), "%05d", serial);
      name = options.prefix + "-" + stamp + "-" + num + ".warc.gz";
      std::error_code ec;
      if (fs::exists(PathOf(name), ec) || fs::exists(PathOf(name + ".open"), ec)) continue;
      fd = ::open(PathOf(name + ".open").c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0 && errno == EEXIST) continue;
      break;
    }
    ++serial;
    if (fd < 0) {
      return FailedPreconditionError("cannot create " + PathOf(name) +
                                     ".open: " + std::strerror(errno));
    }
    size = 0;
    broken = false;
    warcinfo_id = NewUuid(rng);
    std::string fields = "software: " + options.software + "\r\n" +
                         "format: WARC File Format 1.1\r\n"
                         "conformsTo: "
                         "http://iipc.github.io/warc-specifications/specifications/warc-format/"
                         "warc-1.1/\r\n";
    if (!options.operator_contact.empty())
      fields += "operator: " + options.operator_contact + "\r\n";
    if (!options.user_agent.empty()) {
      fields += "http-header-user-agent: " + options.user_agent + "\r\n";
    }
    const std::string header = RecordHeader({{"WARC-Type", "warcinfo"},
                                             {"WARC-Record-ID", warcinfo_id},
                                             {"WARC-Date", NowUtc()},
                                             {"WARC-Filename", name},
                                             {"Content-Type", "application/warc-fields"}},
                                            fields.size());
    StatusOr<std::string> member = GzipMember(header, fields, "\r\n\r\n");
    if (!member.ok()) return member.status();
    NC_RETURN_IF_ERROR(Append(*member));
    size_after_warcinfo = size;
    return Status::Ok();
  }

  Status FinishFile() {
    if (fd < 0) return Status::Ok();
    Status s;
    if (::fsync(fd) != 0 && errno != EINVAL) {
      s = FailedPreconditionError("fsync " + PathOf(name) + ".open: " + std::strerror(errno));
    }
    ::close(fd);
    fd = -1;
    if (!s.ok()) return s;
    std::error_code ec;
    fs::rename(PathOf(name + ".open"), PathOf(name), ec);
    if (ec) {
      return FailedPreconditionError("renaming " + PathOf(name) + ".open: " + ec.message());
    }
    finished.push_back(PathOf(name));
    return Status::Ok();
  }
};

WarcWriter::WarcWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WarcWriter::~WarcWriter() { (void)Close(); }

StatusOr<std::unique_ptr<WarcWriter>> WarcWriter::Open(const WarcWriterOptions& options) {
  if (options.dir.empty()) return InvalidArgumentError("WARC directory not set");
  if (options.prefix.empty() || options.prefix.find('/') != std::string::npos) {
    return InvalidArgumentError("WARC file prefix must be a non-empty name without '/'");
  }
  if (HasControl(options.software) || HasControl(options.operator_contact) ||
      HasControl(options.user_agent)) {
    return InvalidArgumentError("WARC warcinfo fields must not contain control characters");
  }
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) {
    return FailedPreconditionError("cannot create WARC directory " + options.dir + ": " +
                                   ec.message());
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  NC_RETURN_IF_ERROR(impl->StartFile());
  return std::unique_ptr<WarcWriter>(new WarcWriter(std::move(impl)));
}

StatusOr<WarcLocation> WarcWriter::Write(const WarcExchange& ex) {
  Impl& w = *impl_;
  if (w.closed) return FailedPreconditionError("WARC writer is closed");
  if (ex.target_uri.empty() || HasControl(ex.target_uri)) {
    return InvalidArgumentError("WARC target URI empty or with control characters");
  }
  if (HasControl(ex.fetch_time) || HasControl(ex.ip_address) || HasControl(ex.truncated)) {
    return InvalidArgumentError("WARC header value with control characters");
  }
  std::string uri;
  for (char c : ex.target_uri) uri += c == ' ' ? std::string("%20") : std::string(1, c);
  const std::string date = ex.fetch_time.empty() ? NowUtc() : ex.fetch_time;

  StatusOr<std::string> response_head = ResponseHead(ex);
  if (!response_head.ok()) return response_head.status();
  const std::string request_block = RequestBlock(ex);

  Sha1 block_hash;
  block_hash.Update(*response_head);
  block_hash.Update(ex.body);
  const std::array<uint8_t, 20> block_digest = block_hash.Final();
  const std::string block_sha1 =
      "sha1:" +
      Base32Encode(std::string_view(reinterpret_cast<const char*>(block_digest.data()), 20));
  const std::string payload_sha1 = WarcSha1Digest(ex.body);

  const std::string response_id = NewUuid(w.rng), request_id = NewUuid(w.rng);
  // Rebuilt after a rotation: the records name the warcinfo record of their file.
  auto build_members = [&]() -> StatusOr<std::pair<std::string, std::string>> {
    std::vector<std::pair<std::string, std::string>> req = {{"WARC-Type", "request"},
                                                            {"WARC-Record-ID", request_id},
                                                            {"WARC-Date", date},
                                                            {"WARC-Target-URI", uri},
                                                            {"WARC-Concurrent-To", response_id},
                                                            {"WARC-Warcinfo-ID", w.warcinfo_id}};
    if (!ex.ip_address.empty()) req.emplace_back("WARC-IP-Address", ex.ip_address);
    req.emplace_back("WARC-Block-Digest", WarcSha1Digest(request_block));
    req.emplace_back("Content-Type", "application/http;msgtype=request");
    std::vector<std::pair<std::string, std::string>> resp = {{"WARC-Type", "response"},
                                                             {"WARC-Record-ID", response_id},
                                                             {"WARC-Date", date},
                                                             {"WARC-Target-URI", uri},
                                                             {"WARC-Warcinfo-ID", w.warcinfo_id}};
    if (!ex.ip_address.empty()) resp.emplace_back("WARC-IP-Address", ex.ip_address);
    if (!ex.truncated.empty()) resp.emplace_back("WARC-Truncated", ex.truncated);
    resp.emplace_back("WARC-Block-Digest", block_sha1);
    resp.emplace_back("WARC-Payload-Digest", payload_sha1);
    resp.emplace_back("Content-Type", "application/http;msgtype=response");
    StatusOr<std::string> req_member =
        GzipMember(RecordHeader(req, request_block.size()) + request_block, "", "\r\n\r\n");
    if (!req_member.ok()) return req_member.status();
    StatusOr<std::string> resp_member =
        GzipMember(RecordHeader(resp, response_head->size() + ex.body.size()) + *response_head,
                   ex.body, "\r\n\r\n");
    if (!resp_member.ok()) return resp_member.status();
    return std::make_pair(std::move(*req_member), std::move(*resp_member));
  };

  if (w.broken || w.fd < 0) {
    NC_RETURN_IF_ERROR(w.FinishFile());
    NC_RETURN_IF_ERROR(w.StartFile());
  }
  StatusOr<std::pair<std::string, std::string>> members = build_members();
  if (!members.ok()) return members.status();
  const uint64_t need = members->first.size() + members->second.size();
  if (w.size > w.size_after_warcinfo && w.size + need > w.options.max_file_bytes) {
    NC_RETURN_IF_ERROR(w.FinishFile());
    NC_RETURN_IF_ERROR(w.StartFile());
    members = build_members();  // the new file's warcinfo id
    if (!members.ok()) return members.status();
  }
  const uint64_t before = w.size;
  NC_RETURN_IF_ERROR(w.Append(members->first + members->second));
  WarcLocation loc;
  loc.file = w.name;
  loc.offset = before + members->first.size();
  loc.length = members->second.size();
  loc.record_id = response_id;
  loc.date = date;
  loc.payload_sha1 = payload_sha1;
  return loc;
}

Status WarcWriter::Close() {
  if (impl_->closed) return Status::Ok();
  impl_->closed = true;
  return impl_->FinishFile();
}

const std::vector<std::string>& WarcWriter::finished_files() const { return impl_->finished; }

std::string WarcWriter::current_file() const {
  if (impl_->closed || impl_->fd < 0) return "";
  return impl_->PathOf(impl_->name + ".open");
}

// ---- Reading ----------------------------------------------------------------------------

namespace {

constexpr size_t kChunk = 64 << 10;

// Compressed or plain bytes of a file or a string, with random access for resyncing.
class Source {
 public:
  virtual ~Source() = default;
  // Reads up to n bytes at the current position; 0 at the end (or on a read error).
  virtual size_t Read(char* buf, size_t n) = 0;
  // Moves to byte offset; false when that is not possible.
  virtual bool Seek(uint64_t offset) = 0;
};

class FileSource : public Source {
 public:
  explicit FileSource(std::FILE* f) : f_(f) {}
  ~FileSource() override { std::fclose(f_); }
  size_t Read(char* buf, size_t n) override { return std::fread(buf, 1, n, f_); }
  bool Seek(uint64_t offset) override {
    return fseeko(f_, static_cast<off_t>(offset), SEEK_SET) == 0;
  }

 private:
  std::FILE* f_;
};

class StringSource : public Source {
 public:
  explicit StringSource(std::string s) : s_(std::move(s)) {}
  size_t Read(char* buf, size_t n) override {
    n = std::min(n, s_.size() - pos_);
    std::memcpy(buf, s_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  bool Seek(uint64_t offset) override {
    pos_ = static_cast<size_t>(std::min<uint64_t>(offset, s_.size()));
    return true;
  }

 private:
  std::string s_;
  size_t pos_ = 0;
};

// The decompressed byte stream of a WARC file with the compressed offset of every gzip
// member start. Corrupt compressed data stops the stream at a "break" (with a status);
// Resume() skips to the next gzip member that holds a WARC record.
class Stream {
 public:
  Stream(std::unique_ptr<Source> src, std::string name)
      : src_(std::move(src)), name_(std::move(name)) {
    EnsureIn(2);
    gz_ = in_.size() - in_pos_ >= 2 && static_cast<unsigned char>(in_[in_pos_]) == 0x1f &&
          static_cast<unsigned char>(in_[in_pos_ + 1]) == 0x8b;
    if (gz_) inflateInit2(&zs_, 15 + 16);
  }
  ~Stream() {
    if (gz_) inflateEnd(&zs_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  bool gz() const { return gz_; }
  // Uncompressed position of the next unread byte.
  uint64_t pos() const { return out_base_ + out_pos_; }
  // Makes up to n bytes available after pos(); returns how many are (fewer only at the
  // end of the file or at a break).
  size_t Fill(size_t n) {
    while (out_.size() - out_pos_ < n && !eof_ && !broken_) Produce();
    return std::min(n, out_.size() - out_pos_);
  }
  std::string_view View() const { return std::string_view(out_).substr(out_pos_); }
  void Consume(size_t n) {
    out_pos_ += n;
    if (out_pos_ > (1u << 20) && out_pos_ * 2 > out_.size()) {
      out_.erase(0, out_pos_);
      out_base_ += out_pos_;
      out_pos_ = 0;
    }
  }
  bool at_break() const { return broken_ && out_pos_ == out_.size(); }
  bool broken() const { return broken_; }
  const Status& break_status() const { return break_status_; }
  // Compressed offset of the member (or bytes) where the data broke.
  uint64_t break_offset() const { return broken_member_; }
  // Drops what is left of the broken member and goes on at the next member that looks
  // like a WARC record; the end of the stream if there is none.
  void Resume() {
    out_base_ += out_.size();
    out_.clear();
    out_pos_ = 0;
    broken_ = false;
    if (!gz_) {
      eof_ = true;
      return;
    }
    // Search from one byte past the start of the broken member: inflate may have read
    // beyond the damage before noticing it.
    const uint64_t from = broken_member_ + 1;
    if (!src_->Seek(from)) {
      eof_ = true;
      return;
    }
    in_.clear();
    in_pos_ = 0;
    in_base_ = from;
    src_eof_ = false;
    while (true) {
      EnsureIn(4096);
      const std::string_view in = std::string_view(in_).substr(in_pos_);
      if (in.size() < 3) {
        eof_ = true;
        return;
      }
      const size_t hit = in.find(std::string_view("\x1f\x8b\x08", 3));
      if (hit == std::string_view::npos) {
        in_pos_ = in_.size() - 2;  // a magic number may straddle the next read
        continue;
      }
      in_pos_ += hit;
      EnsureIn(4096);
      if (LooksLikeWarcMember()) break;
      ++in_pos_;
    }
    inflateReset(&zs_);
    in_member_ = false;
  }
  // Compressed offset of the member starting exactly at uncompressed position p, if any.
  std::optional<uint64_t> MemberAt(uint64_t p) const {
    for (const auto& [u, c] : members_) {
      if (u == p) return c;
    }
    return std::nullopt;
  }
  // Compressed offset of the member holding uncompressed position p.
  uint64_t MemberHolding(uint64_t p) const {
    uint64_t best = 0;
    for (const auto& [u, c] : members_) {
      if (u <= p) best = c;
    }
    return best;
  }
  // The next member start after uncompressed position p, if known yet.
  std::optional<uint64_t> NextMemberAfter(uint64_t p) const {
    for (const auto& [u, c] : members_) {
      if (u > p) return u;
    }
    return std::nullopt;
  }
  // Forgets member starts before the one holding p.
  void PruneMembers(uint64_t p) {
    size_t keep = 0;
    for (size_t i = 0; i < members_.size(); ++i) {
      if (members_[i].first <= p) keep = i;
    }
    members_.erase(members_.begin(), members_.begin() + static_cast<ptrdiff_t>(keep));
  }
  // Compressed bytes consumed so far (the end of the last finished member when between
  // members).
  uint64_t compressed_pos() const { return in_base_ + in_pos_; }
  bool between_members() const { return !in_member_; }

 private:
  void EnsureIn(size_t n) {
    if (in_.size() - in_pos_ >= n || src_eof_) return;
    in_.erase(0, in_pos_);
    in_base_ += in_pos_;
    in_pos_ = 0;
    char buf[kChunk];
    while (in_.size() < n && !src_eof_) {
      const size_t got = src_->Read(buf, sizeof(buf));
      if (got == 0) src_eof_ = true;
      in_.append(buf, got);
    }
  }
  // Whether the gzip member at in_pos_ inflates to something starting with "WARC/".
  bool LooksLikeWarcMember() {
    z_stream t{};
    if (inflateInit2(&t, 15 + 16) != Z_OK) return false;
    char out[8];
    t.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
    t.avail_in = static_cast<uInt>(in_.size() - in_pos_);
    t.next_out = reinterpret_cast<Bytef*>(out);
    t.avail_out = sizeof(out);
    const int rc = inflate(&t, Z_SYNC_FLUSH);
    const size_t got = sizeof(out) - t.avail_out;
    inflateEnd(&t);
    return (rc == Z_OK || rc == Z_STREAM_END) && got >= 5 && std::string_view(out, 5) == "WARC/";
  }
  void Break(Status s) {
    broken_ = true;
    break_status_ = std::move(s);
  }
  void Produce() {
    if (!gz_) {
      EnsureIn(kChunk);
      const size_t n = in_.size() - in_pos_;
      if (n == 0) {
        eof_ = true;
        return;
      }
      out_.append(in_, in_pos_, n);
      in_pos_ += n;
      return;
    }
    EnsureIn(in_member_ ? 1 : 3);
    if (in_.size() == in_pos_) {
      eof_ = true;
      if (in_member_) {
        broken_member_ = member_start_;
        Break(DataLossError(name_ + ": file ends inside the gzip member at offset " +
                            std::to_string(member_start_) + " (truncated)"));
      }
      return;
    }
    if (!in_member_) {
      const std::string_view in = std::string_view(in_).substr(in_pos_);
      if (in.size() < 2 || static_cast<unsigned char>(in[0]) != 0x1f ||
          static_cast<unsigned char>(in[1]) != 0x8b) {
        // Some writers pad the end of a file with zero bytes; anything else is damage.
        if (std::all_of(in.begin(), in.end(), [](char c) { return c == 0; })) {
          in_pos_ = in_.size();
          return;
        }
        broken_member_ = compressed_pos();
        Break(DataLossError(name_ + ": bytes that are not gzip at offset " +
                            std::to_string(compressed_pos())));
        return;
      }
      in_member_ = true;
      member_start_ = compressed_pos();
      members_.emplace_back(out_base_ + out_.size(), member_start_);
    }
    char buf[kChunk];
    zs_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
    zs_.avail_in = static_cast<uInt>(std::min<size_t>(in_.size() - in_pos_, 1u << 30));
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = sizeof(buf);
    const int rc = inflate(&zs_, Z_NO_FLUSH);
    in_pos_ = static_cast<size_t>(reinterpret_cast<char*>(zs_.next_in) - in_.data());
    out_.append(buf, sizeof(buf) - zs_.avail_out);
    if (rc == Z_STREAM_END) {
      inflateReset(&zs_);
      in_member_ = false;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      broken_member_ = member_start_;
      Break(DataLossError(name_ + ": corrupt gzip data in the member at offset " +
                          std::to_string(member_start_)));
    }
  }

  std::unique_ptr<Source> src_;
  std::string name_;
  bool gz_ = false;
  z_stream zs_{};
  std::string in_;
  size_t in_pos_ = 0;
  uint64_t in_base_ = 0;  // compressed offset of in_[0]
  bool src_eof_ = false;
  bool in_member_ = false;
  uint64_t member_start_ = 0;
  uint64_t broken_member_ = 0;
  std::string out_;
  size_t out_pos_ = 0;
  uint64_t out_base_ = 0;  // uncompressed offset of out_[0]
  bool eof_ = false;
  bool broken_ = false;
  Status break_status_;
  std::vector<std::pair<uint64_t, uint64_t>> members_;  // (uncompressed, compressed) starts
};

// Inflates with a cap. window_bits as for inflateInit2.
StatusOr<std::string> InflateCapped(std::string_view in, int window_bits, uint64_t max) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return InternalError("zlib init failed");
  std::string out;
  char buf[kChunk];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), 1u << 30));
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > max) {
      inflateEnd(&zs);
      return ResourceExhaustedError("payload expands beyond " + std::to_string(max) + " bytes");
    }
  } while (rc == Z_OK && (zs.avail_in > 0 || zs.avail_out == 0));
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return DataLossError("corrupt or truncated compressed payload");
  return out;
}

// Undoes chunked transfer coding. *not_chunked is set (and nothing returned) when the body
// does not even start like a chunked one: some archivers de-chunk and keep the header.
StatusOr<std::string> Dechunk(std::string_view in, uint64_t max, bool* not_chunked) {
  *not_chunked = false;
  std::string out;
  size_t pos = 0;
  bool first = true;
  while (true) {
    const size_t nl = in.find('\n', pos);
    if (nl == std::string_view::npos || nl - pos > 1024) {
      if (first) {
        *not_chunked = true;
        return out;
      }
      return DataLossError("truncated chunked body");
    }
    std::string_view line = Trim(in.substr(pos, nl - pos));
    if (const size_t semi = line.find(';'); semi != std::string_view::npos) {
      line = Trim(line.substr(0, semi));
    }
    uint64_t size = 0;
    bool ok = !line.empty() && line.size() <= 15;
    for (char c : line) {
      const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                                : -1;
      if (d < 0) ok = false;
      size = size * 16 + static_cast<uint64_t>(std::max(d, 0));
    }
    if (!ok) {
      if (first) {
        *not_chunked = true;
        return out;
      }
      return DataLossError("malformed chunk size line");
    }
    first = false;
    pos = nl + 1;
    if (size == 0) return out;  // trailers, if any, are not kept
    if (size > in.size() - pos) return DataLossError("truncated chunked body");
    if (out.size() + size > max) {
      return ResourceExhaustedError("chunked payload beyond " + std::to_string(max) + " bytes");
    }
    out.append(in.substr(pos, size));
    pos += size;
    if (in.compare(pos, 2, "\r\n") == 0) {
      pos += 2;
    } else if (in.compare(pos, 1, "\n") == 0) {
      pos += 1;
    } else {
      return DataLossError("chunk not followed by a line end");
    }
  }
}

bool IsDocumentType(const std::string& mime) {
  if (mime.empty()) return true;  // decided by sniffing
  return mime.rfind("text/", 0) == 0 || mime == "application/xhtml+xml" ||
         mime == "application/xml" || EndsWith(mime, "+xml");
}

// "2026-11-23T18:38:42.123Z" -> "2026-11-23T18:38:42Z"; "" when not an ISO 8601 UTC time.
std::string NormalizeWarcDate(std::string_view d) {
  if (d.size() < 20 || d[4] != '-' || d[7] != '-' || d[10] != 'T' || d[13] != ':' || d[16] != ':') {
    return "";
  }
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return "";
  }
  if (d.back() != 'Z') return "";
  return std::string(d.substr(0, 19)) + "Z";
}

// Accepts "sha1:<BASE32>" and "sha1:<hex>" (some tools write base16).
bool Sha1DigestMatches(std::string_view declared, std::string_view data, bool* checked) {
  *checked = false;
  if (declared.size() < 5 || !IEquals(declared.substr(0, 5), "sha1:")) return true;
  const std::string value(declared.substr(5));
  Sha1 h;
  h.Update(data);
  const std::array<uint8_t, 20> d = h.Final();
  const std::string_view raw(reinterpret_cast<const char*>(d.data()), d.size());
  if (value.size() == 32) {
    *checked = true;
    std::string upper = value;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper == Base32Encode(raw);
  }
  if (value.size() == 40) {
    *checked = true;
    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    for (uint8_t b : d) {
      hex.push_back(kHex[b >> 4]);
      hex.push_back(kHex[b & 15]);
    }
    return Lower(value) == hex;
  }
  return true;
}

}  // namespace

struct WarcReader::Impl {
  WarcReaderOptions options;
  std::string name;
  std::unique_ptr<Stream> stream;
  bool done = false;

  // Where a record starting at uncompressed position start is, for messages: the file
  // offset (of its gzip member when compressed).
  std::string At(uint64_t start) const {
    if (!stream->gz()) return name + " at offset " + std::to_string(start);
    std::string s = name + " at offset " + std::to_string(stream->MemberHolding(start));
    if (!stream->MemberAt(start)) s += " (uncompressed offset " + std::to_string(start) + ")";
    return s;
  }

  // Reads one line (without its line end) of at most max_header_line bytes. False at the
  // end of the data, or when the line is too long (*too_long set).
  bool ReadLine(std::string* line, bool* too_long) {
    *too_long = false;
    const size_t limit = options.max_header_line + 2;
    size_t scanned = 0;
    while (true) {
      const size_t have = stream->Fill(std::min(limit, scanned + 4096));
      const std::string_view v = stream->View().substr(0, have);
      const size_t nl = v.find('\n', scanned);
      if (nl != std::string_view::npos) {
        std::string_view l = v.substr(0, nl);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.size() > options.max_header_line) {
          *too_long = true;
          return false;
        }
        line->assign(l);
        stream->Consume(nl + 1);
        return true;
      }
      if (have >= limit) {
        *too_long = true;
        return false;
      }
      if (have == scanned) return false;  // end of data
      scanned = have;
    }
  }

  // Discards n bytes; returns how many there were.
  uint64_t Skip(uint64_t n) {
    uint64_t done_bytes = 0;
    while (done_bytes < n) {
      const size_t have =
          stream->Fill(static_cast<size_t>(std::min<uint64_t>(n - done_bytes, kChunk)));
      if (have == 0) break;
      stream->Consume(have);
      done_bytes += have;
    }
    return done_bytes;
  }

  // After a malformed record: discards up to the next "WARC/1." at a line start or the
  // next gzip member, whichever comes first.
  void Resync(uint64_t record_start) {
    // The bad line was consumed: a record may start right here.
    if (stream->pos() > record_start && stream->Fill(7) == 7 &&
        stream->View().substr(0, 7) == "WARC/1.") {
      return;
    }
    while (true) {
      const size_t have = stream->Fill(kChunk);
      if (have == 0) return;
      const std::string_view v = stream->View().substr(0, have);
      // Never skip past the start of a gzip member: it starts a record in per-record files.
      size_t limit = have;
      bool member_stop = false;
      if (std::optional<uint64_t> next = stream->NextMemberAfter(stream->pos())) {
        if (*next - stream->pos() <= have) {
          limit = static_cast<size_t>(*next - stream->pos());
          member_stop = true;
        }
      }
      const size_t hit = v.substr(0, limit).find("\nWARC/1.");
      if (hit != std::string_view::npos) {
        stream->Consume(hit + 1);
        return;
      }
      if (member_stop || have < kChunk) {  // a member start, or the end of the data
        stream->Consume(limit);
        return;
      }
      stream->Consume(have - 8);  // keep a "\nWARC/1." that straddles the next read
    }
  }

  void Error(WarcItem* item, Status s) {
    item->kind = WarcItemKind::kError;
    item->status = std::move(s);
  }

  // The data ended inside a record: the file is truncated, or its compression is damaged
  // (then reading goes on at the next intact member).
  void OutOfData(WarcItem* item, uint64_t start, const char* what) {
    if (stream->broken()) {
      Error(item, Status(stream->break_status().code(), stream->break_status().message() + "; " +
                                                            what + " " + At(start) + " lost"));
      stream->Resume();
    } else {
      Error(item, DataLossError(std::string("truncated ") + what + " " + At(start)));
      Skip(UINT64_MAX);
    }
  }

  bool Next(WarcItem* item) {
    if (done) return false;
    // Blank lines between records (and the end of a previous record's trailer).
    while (true) {
      const size_t have = stream->Fill(1);
      if (have == 0) {
        if (stream->at_break()) {
          *item = WarcItem();
          item->offset = stream->break_offset();
          Error(item, stream->break_status());
          stream->Resume();
          return true;
        }
        done = true;
        return false;
      }
      const char c = stream->View()[0];
      if (c != '\r' && c != '\n') break;
      stream->Consume(1);
    }
    *item = WarcItem();
    const uint64_t start = stream->pos();
    stream->PruneMembers(start);
    const std::optional<uint64_t> member = stream->MemberAt(start);
    item->offset = stream->gz() ? stream->MemberHolding(start) : start;
    const bool complete = ReadRecord(item, start);
    // A record in a member of its own whose member then turns out corrupt (bad deflate
    // data or CRC after it was parsed, or garbage that made it look malformed): one error
    // for the member, not a record built from damaged bytes plus a second error.
    if (member && stream->Fill(1) == 0 && stream->at_break() && stream->break_offset() == *member) {
      item->kind = WarcItemKind::kError;
      item->doc = RawDocument();
      item->reason.clear();
      item->length = 0;
      item->status =
          Status(stream->break_status().code(),
                 stream->break_status().message() + "; WARC record " + At(start) + " lost");
      stream->Resume();
      return true;
    }
    if (complete) {
      if (!stream->gz()) {
        item->length = stream->pos() - start;
      } else if (member) {
        // The record fills whole members when the next one starts right after it (looking
        // one byte ahead makes the stream open that member) or the file ends cleanly.
        const bool more = stream->Fill(1) > 0;
        if (std::optional<uint64_t> next = stream->MemberAt(stream->pos())) {
          item->length = *next - *member;
        } else if (!more && !stream->broken() && stream->between_members()) {
          item->length = stream->compressed_pos() - *member;
        }
      }
    }
    return true;
  }

  // Reads the record at the current position into *item. Returns true when the record was
  // read to its end (so its length is known); false after an error.
  bool ReadRecord(WarcItem* item, uint64_t start) {
    std::string line;
    bool too_long = false;
    const bool got_line = ReadLine(&line, &too_long);
    if (!got_line && !too_long) {
      OutOfData(item, start, "WARC record");
      return false;
    }
    if (!got_line || line.rfind("WARC/1.", 0) != 0) {
      Error(item, InvalidArgumentError("not a WARC record " + At(start) + " (\"" +
                                       line.substr(0, 40) + "\")"));
      Resync(start);
      return false;
    }
    // Header fields.
    std::vector<std::pair<std::string, std::string>> fields;
    while (true) {
      if (!ReadLine(&line, &too_long)) {
        if (too_long) {
          Error(item, InvalidArgumentError("WARC header line too long " + At(start)));
          Resync(start);
        } else {
          OutOfData(item, start, "WARC header");
        }
        return false;
      }
      if (line.empty()) break;
      if ((line[0] == ' ' || line[0] == '\t') && !fields.empty()) {
        fields.back().second += " " + std::string(Trim(line));
        continue;
      }
      const size_t colon = line.find(':');
      if (colon == std::string::npos || fields.size() >= options.max_header_fields) {
        Error(item,
              InvalidArgumentError((colon == std::string::npos ? "malformed WARC header line "
                                                               : "too many WARC header fields ") +
                                   At(start)));
        Resync(start);
        return false;
      }
      fields.emplace_back(Lower(Trim(std::string_view(line).substr(0, colon))),
                          std::string(Trim(std::string_view(line).substr(colon + 1))));
    }
    auto field = [&](std::string_view name) -> std::string {
      for (const auto& [k, v] : fields) {
        if (k == name) return v;
      }
      return "";
    };
    item->warc_type = Lower(field("warc-type"));
    item->record_id = field("warc-record-id");
    item->target_uri = field("warc-target-uri");
    if (item->target_uri.size() >= 2 && item->target_uri.front() == '<' &&
        item->target_uri.back() == '>') {
      item->target_uri = item->target_uri.substr(1, item->target_uri.size() - 2);
    }
    item->date = field("warc-date");
    const std::string length_text = field("content-length");
    uint64_t length = 0;
    bool length_ok = !length_text.empty() && length_text.size() <= 18;
    for (char c : length_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) length_ok = false;
      length = length * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!length_ok) {
      Error(item, InvalidArgumentError("WARC record without a valid Content-Length " + At(start)));
      Resync(start);
      return false;
    }
    auto skip_block = [&]() -> bool {
      if (Skip(length) < length) {
        OutOfData(item, start, "WARC record");
        return false;
      }
      SkipTrailer();
      return true;
    };
    if (item->warc_type != "response") {
      item->kind = WarcItemKind::kSkipped;
      item->reason =
          (item->warc_type.empty() ? std::string("untyped") : item->warc_type) + " record";
      return skip_block();
    }
    if (length > options.max_record_bytes) {
      const bool ok = skip_block();
      if (ok) {
        Error(item, ResourceExhaustedError(
                        "WARC record of " + std::to_string(length) + " bytes above the limit of " +
                        std::to_string(options.max_record_bytes) + " " + At(start)));
      }
      return ok;
    }
    if (stream->Fill(static_cast<size_t>(length)) < length) {
      OutOfData(item, start, "WARC record");
      return false;
    }
    const std::string block(stream->View().substr(0, static_cast<size_t>(length)));
    stream->Consume(static_cast<size_t>(length));
    SkipTrailer();
    InterpretResponse(item, start, fields, block, field("content-type"), field("warc-truncated"),
                      field("warc-block-digest"), field("warc-identified-payload-type"));
    return true;
  }

  void SkipTrailer() {
    for (int i = 0; i < 4 && stream->Fill(1) > 0; ++i) {
      const char c = stream->View()[0];
      if (c != '\r' && c != '\n') break;
      stream->Consume(1);
    }
  }

  void InterpretResponse(WarcItem* item, uint64_t start,
                         const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::string& block, const std::string& content_type,
                         const std::string& truncated, const std::string& block_digest,
                         const std::string& identified_type) {
    if (options.verify_block_digest && !block_digest.empty()) {
      bool checked = false;
      if (!Sha1DigestMatches(block_digest, block, &checked)) {
        Error(item, DataLossError("WARC-Block-Digest mismatch " + At(start)));
        return;
      }
    }
    const std::string ct = Lower(content_type);
    if (!ct.empty() && ct.rfind("application/http", 0) != 0) {
      item->kind = WarcItemKind::kSkipped;
      item->reason = "response record of type " + ct.substr(0, ct.find(';'));
      return;
    }
    if (!truncated.empty()) {
      item->kind = WarcItemKind::kSkipped;
      item->reason = "truncated by the crawler (" + Lower(truncated) + ")";
      return;
    }
    // HTTP head.
    size_t head_end = block.find("\r\n\r\n");
    size_t body_start = head_end == std::string::npos ? std::string::npos : head_end + 4;
    if (const size_t lf = block.find("\n\n"); lf != std::string::npos && lf < head_end) {
      head_end = lf;
      body_start = lf + 2;
    }
    if (head_end == std::string::npos) {
      // A head with no body and no blank line (a HEAD-like record) still ends at the block.
      Error(item, InvalidArgumentError("HTTP response without the blank line after its headers " +
                                       At(start)));
      return;
    }
    const std::vector<std::string_view> lines =
        SplitLines(std::string_view(block).substr(0, head_end));
    if (lines.empty() || lines[0].rfind("HTTP/", 0) != 0) {
      Error(item, InvalidArgumentError("HTTP response without a status line " + At(start)));
      return;
    }
    const std::string_view status_line = lines[0];
    const size_t sp = status_line.find(' ');
    int status = 0;
    if (sp != std::string_view::npos && status_line.size() >= sp + 4) {
      for (size_t i = sp + 1; i < sp + 4; ++i) {
        const char c = status_line[i];
        if (!std::isdigit(static_cast<unsigned char>(c))) {
          status = -1;
          break;
        }
        status = status * 10 + (c - '0');
      }
    }
    if (status < 100) {
      Error(item, InvalidArgumentError("malformed HTTP status line " + At(start)));
      return;
    }
    if (lines.size() - 1 > options.max_header_fields) {
      Error(item, InvalidArgumentError("too many HTTP header fields " + At(start)));
      return;
    }
    RawDocument& doc = item->doc;
    for (size_t i = 1; i < lines.size(); ++i) {
      const std::string_view l = lines[i];
      if (l.size() > options.max_header_line) {
        Error(item, InvalidArgumentError("HTTP header line too long " + At(start)));
        return;
      }
      if ((l.empty() || l[0] == ' ' || l[0] == '\t')) {
        if (!doc.headers.empty()) doc.headers.back().second += " " + std::string(Trim(l));
        continue;
      }
      const size_t colon = l.find(':');
      if (colon == std::string_view::npos) continue;  // tolerated, as browsers do
      doc.headers.emplace_back(Lower(Trim(l.substr(0, colon))),
                               std::string(Trim(l.substr(colon + 1))));
    }
    auto header = [&](std::string_view name) -> std::string {
      for (const auto& [k, v] : doc.headers) {
        if (k == name) return v;
      }
      return "";
    };
    if (status < 200 || status > 299) {
      item->kind = WarcItemKind::kSkipped;
      item->reason = "http status " + std::to_string(status);
      return;
    }
    const std::string http_ct = header("content-type");
    std::string mime = Lower(Trim(std::string_view(http_ct).substr(0, http_ct.find(';'))));
    if (mime.empty()) {
      mime = Lower(Trim(std::string_view(identified_type).substr(0, identified_type.find(';'))));
    }
    if (!IsDocumentType(mime)) {
      item->kind = WarcItemKind::kSkipped;
      item->reason = "payload type " + mime;
      return;
    }
    std::string body = body_start == std::string::npos ? "" : block.substr(body_start);
    const uint64_t max = options.max_payload_bytes;
    if (Lower(header("transfer-encoding")).find("chunked") != std::string::npos) {
      bool not_chunked = false;
      StatusOr<std::string> d = Dechunk(body, max, &not_chunked);
      if (!d.ok()) {
        Error(item, Status(d.status().code(), d.status().message() + " " + At(start)));
        return;
      }
      if (!not_chunked) body = std::move(*d);
    }
    const std::string encoding = Lower(header("content-encoding"));
    if (!encoding.empty() && encoding != "identity") {
      StatusOr<std::string> d = std::string();
      if (encoding == "gzip" || encoding == "x-gzip") {
        // Archivers that store decoded bodies sometimes keep the header: only inflate
        // what is gzip.
        if (LooksGzipped(body))
          d = InflateCapped(body, 15 + 16, max);
        else
          d = body;
      } else if (encoding == "deflate") {
        // "deflate" is zlib-wrapped by the RFC, raw deflate by some servers.
        d = InflateCapped(body, 15, max);
        if (!d.ok() && d.status().code() == StatusCode::kDataLoss)
          d = InflateCapped(body, -15, max);
      } else {
        item->kind = WarcItemKind::kSkipped;
        item->reason = "content-encoding " + encoding + " unsupported";
        return;
      }
      if (!d.ok()) {
        Error(item, Status(d.status().code(), d.status().message() + " " + At(start)));
        return;
      }
      body = std::move(*d);
    }
    if (body.size() > max) {
      Error(item, ResourceExhaustedError("payload of " + std::to_string(body.size()) +
                                         " bytes above the limit " + At(start)));
      return;
    }
    item->kind = WarcItemKind::kDocument;
    doc.uri = item->target_uri;
    doc.kind = SourceKind::kWarc;
    doc.fetched_at = NormalizeWarcDate(item->date);
    if (doc.fetched_at.empty()) doc.fetched_at = NowUtc();
    doc.http_status = status;
    doc.declared_charset = CharsetOfContentType(http_ct);
    doc.bytes = std::move(body);
    doc.sha256 = Sha256Hex(doc.bytes);
    doc.format = SniffFormat(doc.uri, doc.bytes);
    if (doc.format == DocFormat::kText &&
        (mime == "text/html" || mime == "application/xhtml+xml")) {
      doc.format = DocFormat::kHtml;
    }
    (void)fields;
  }
};

WarcReader::WarcReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WarcReader::~WarcReader() = default;

StatusOr<std::unique_ptr<WarcReader>> WarcReader::Open(const std::string& path,
                                                       const WarcReaderOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return NotFoundError("no such WARC file: " + path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return FailedPreconditionError("cannot read " + path + ": " + std::strerror(errno));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->name = path;
  impl->stream = std::make_unique<Stream>(std::make_unique<FileSource>(f), path);
  return std::unique_ptr<WarcReader>(new WarcReader(std::move(impl)));
}

std::unique_ptr<WarcReader> WarcReader::FromBytes(std::string bytes, const std::string& name,
                                                  const WarcReaderOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->name = name;
  impl->stream = std::make_unique<Stream>(std::make_unique<StringSource>(std::move(bytes)), name);
  return std::unique_ptr<WarcReader>(new WarcReader(std::move(impl)));
}

bool WarcReader::Next(WarcItem* item) { return impl_->Next(item); }

bool IsWarcFileName(const std::string& name) {
  const std::string lower = Lower(name);
  return EndsWith(lower, ".warc") || EndsWith(lower, ".warc.gz");
}

}  // namespace newsclaim::ingest
