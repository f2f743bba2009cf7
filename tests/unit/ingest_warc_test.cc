// ingest: WARC writing and reading: round trips with digests checked by Python's hashlib,
// rotation, ".open" files and crashes, chunked and compressed payloads, CC-NEWS layout,
// damaged and truncated files, limits.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/sha256.h"
#include "ingest/warc.h"

namespace newsclaim::ingest {
namespace {

namespace fs = std::filesystem;

const std::string kSource = NEWSCLAIM_SOURCE_DIR;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteAll(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

// An independent gzip member (zlib directly, not the writer's code).
std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(out.size() - zs.avail_out);
  deflateEnd(&zs);
  return out;
}

std::string RawDeflate(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(out.size() - zs.avail_out);
  deflateEnd(&zs);
  return out;
}

// A WARC record as wget/warcio write it (uncompressed).
std::string Record(const std::string& type, const std::string& uri, const std::string& block,
                   const std::string& extra_fields = "",
                   const std::string& content_type = "application/http; msgtype=response") {
  static int n = 0;
  std::string r = "WARC/1.0\r\nWARC-Type: " + type +
                  "\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-" +
                  std::to_string(100000000000 + ++n) + ">\r\nWARC-Date: 2026-11-20T10:00:00Z\r\n";
  if (!uri.empty()) r += "WARC-Target-URI: " + uri + "\r\n";
  if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
  r += extra_fields;
  r += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
  return r;
}

std::string Html(const std::string& title) {
  return "<!DOCTYPE html><html><head><title>" + title + "</title></head><body><p>" + title +
         " body text.</p></body></html>";
}

std::string HttpOk(const std::string& body, const std::string& headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + headers + "\r\n" + body;
}

std::vector<WarcItem> ReadItems(std::unique_ptr<WarcReader> reader) {
  std::vector<WarcItem> items;
  WarcItem item;
  while (reader->Next(&item)) {
    items.push_back(item);
    if (items.size() > 10000) break;  // a reader that never ends fails the test
  }
  return items;
}

std::vector<WarcItem> ReadBytes(const std::string& bytes, const WarcReaderOptions& options = {}) {
  return ReadItems(WarcReader::FromBytes(bytes, "mem", options));
}

std::vector<WarcItem> ReadPath(const fs::path& p) {
  auto reader = WarcReader::Open(p.string(), {});
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  return ReadItems(std::move(*reader));
}

std::vector<const WarcItem*> OfKind(const std::vector<WarcItem>& items, WarcItemKind kind) {
  std::vector<const WarcItem*> out;
  for (const WarcItem& i : items) {
    if (i.kind == kind) out.push_back(&i);
  }
  return out;
}

std::string Header(const RawDocument& doc, const std::string& name) {
  for (const auto& [k, v] : doc.headers) {
    if (k == name) return v;
  }
  return "<none>";
}

class WarcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nc_warc_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  WarcExchange Exchange(int i, const std::string& body) const {
    WarcExchange ex;
    ex.target_uri = "https://news.example.com/a/" + std::to_string(i) + ".html";
    ex.fetch_time = "2026-11-23T18:38:4" + std::to_string(i % 10) + "Z";
    ex.ip_address = "127.0.0.1";
    ex.request_head = "GET /a/" + std::to_string(i) +
                      ".html HTTP/1.1\r\nHost: news.example.com\r\nUser-Agent: t\r\n\r\n";
    ex.response_head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GB18030\r\n"
        "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nContent-Length: 17\r\n";
    ex.body = body;
    return ex;
  }
  fs::path dir_;
};

TEST_F(WarcTest, RoundTripKeepsBytesHeadersAndLocations) {
  WarcWriterOptions opt;
  opt.dir = (dir_ / "warcs").string();  // created by Open
  opt.prefix = "crawl";
  opt.operator_contact = "ops@example.org";
  auto writer = WarcWriter::Open(opt);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  const std::string body1 = Html("\xC4\xE3\xBA\xC3 first");  // GB18030 bytes
  const std::string body2 = Html("second");
  auto loc1 = (*writer)->Write(Exchange(1, body1));
  ASSERT_TRUE(loc1.ok()) << loc1.status().ToString();
  auto loc2 = (*writer)->Write(Exchange(2, body2));
  ASSERT_TRUE(loc2.ok());
  EXPECT_EQ(loc1->file, loc2->file);
  EXPECT_GT(loc2->offset, loc1->offset + loc1->length);  // request record in between
  ASSERT_TRUE((*writer)->Close().ok());
  const fs::path file = fs::path(opt.dir) / loc1->file;
  ASSERT_TRUE(fs::exists(file));
  EXPECT_TRUE(std::regex_match(loc1->file, std::regex(R"(crawl-\d{14}-\d{5}\.warc\.gz)")))
      << loc1->file;

  const std::vector<WarcItem> items = ReadPath(file);
  ASSERT_EQ(items.size(), 5u);  // warcinfo, request, response, request, response
  EXPECT_EQ(items[0].reason, "warcinfo record");
  EXPECT_EQ(items[1].reason, "request record");
  const auto docs = OfKind(items, WarcItemKind::kDocument);
  ASSERT_EQ(docs.size(), 2u);
  const WarcItem& d = *docs[0];
  EXPECT_EQ(d.offset, loc1->offset);
  EXPECT_EQ(d.length, loc1->length);
  EXPECT_EQ(d.record_id, loc1->record_id);
  EXPECT_EQ(docs[1]->offset, loc2->offset);
  EXPECT_EQ(docs[1]->length, loc2->length);
  EXPECT_EQ(d.doc.uri, "https://news.example.com/a/1.html");
  EXPECT_EQ(d.doc.kind, SourceKind::kWarc);
  EXPECT_EQ(d.doc.fetched_at, "2026-11-23T18:38:41Z");
  EXPECT_EQ(d.doc.http_status, 200);
  EXPECT_EQ(d.doc.bytes, body1);
  EXPECT_EQ(d.doc.sha256, Sha256Hex(body1));
  EXPECT_EQ(d.doc.declared_charset, "gb18030");
  EXPECT_EQ(d.doc.format, DocFormat::kHtml);
  // The body was stored decoded: the framing headers say so and are not applied again.
  EXPECT_EQ(Header(d.doc, "content-encoding"), "<none>");
  EXPECT_EQ(Header(d.doc, "x-crawler-content-encoding"), "gzip");
  EXPECT_EQ(Header(d.doc, "x-crawler-transfer-encoding"), "chunked");
  EXPECT_EQ(Header(d.doc, "x-crawler-content-length"), "17");
  EXPECT_EQ(Header(d.doc, "content-length"), std::to_string(body1.size()));

  // The index entry alone is enough to read the record back.
  const std::string all = ReadAll(file);
  const std::vector<WarcItem> one =
      ReadBytes(all.substr(static_cast<size_t>(loc2->offset), static_cast<size_t>(loc2->length)));
  ASSERT_EQ(one.size(), 1u);
  ASSERT_EQ(one[0].kind, WarcItemKind::kDocument);
  EXPECT_EQ(one[0].doc.bytes, body2);
}

TEST_F(WarcTest, DigestsAndLayoutMatchAnIndependentReader) {
  WarcWriterOptions opt;
  opt.dir = dir_.string();
  auto writer = WarcWriter::Open(opt);
  ASSERT_TRUE(writer.ok());
  std::string body = Html("digest");
  for (int i = 0; i < 300; ++i) body += static_cast<char>(i * 7);
  auto loc = (*writer)->Write(Exchange(3, body));
  ASSERT_TRUE(loc.ok());
  ASSERT_TRUE((*writer)->Close().ok());
  const fs::path file = dir_ / loc->file;
  // Python's gzip (multi-member), hashlib and base64 recompute every digest; the script
  // also checks one gzip member per record and the request/response link.
  const std::string script = R"PY(
import base64, gzip, hashlib, sys, zlib
def d(b): return "sha1:" + base64.b32encode(hashlib.sha1(b).digest()).decode()
raw = open(sys.argv[1], "rb").read()
members, pos = [], 0
while pos < len(raw):
    z = zlib.decompressobj(16 + 15)
    members.append(z.decompress(raw[pos:]))
    pos = len(raw) - len(z.unused_data)
out, ids = [], {}
for m in members:
    head, _, rest = m.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    f = dict(l.decode().split(": ", 1) for l in lines[1:])
    n = int(f["Content-Length"])
    block = rest[:n]
    assert rest[n:] == b"\r\n\r\n", "one record per member"
    ids[f["WARC-Type"]] = f
    if "WARC-Block-Digest" in f: out.append(f["WARC-Block-Digest"] == d(block))
    if "WARC-Payload-Digest" in f:
        out.append(f["WARC-Payload-Digest"] == d(block.partition(b"\r\n\r\n")[2]))
out.append(ids["request"]["WARC-Concurrent-To"] == ids["response"]["WARC-Record-ID"])
out.append(lines[0] == b"WARC/1.1" and len(members) == 3)
print(" ".join("ok" if x else "BAD" for x in out))
print(ids["response"]["WARC-Payload-Digest"])
)PY";
  WriteAll(dir_ / "check.py", script);
  const std::string cmd = "python3 " + (dir_ / "check.py").string() + " " + file.string();
  std::FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[256] = {};
  const size_t n = std::fread(buf, 1, sizeof(buf) - 1, p);
  ASSERT_EQ(::pclose(p), 0);
  ASSERT_GT(n, 15u);
  EXPECT_EQ(std::string(buf, 15), "ok ok ok ok ok\n");
  // The location carries the response's payload digest, as Python computes it.
  EXPECT_EQ(loc->payload_sha1 + "\n", std::string(buf + 15, n - 15));
}

TEST_F(WarcTest, RotatesBySizeWithNamesInWriteOrder) {
  WarcWriterOptions opt;
  opt.dir = dir_.string();
  opt.max_file_bytes = 4000;
  auto writer = WarcWriter::Open(opt);
  ASSERT_TRUE(writer.ok());
  uint32_t x = 12345;
  std::vector<std::string> files;
  for (int i = 0; i < 6; ++i) {
    std::string body = Html("rotation " + std::to_string(i));
    for (int k = 0; k < 1500; ++k) {  // incompressible
      x = x * 1103515245 + 12345;
      body += static_cast<char>(x >> 24);
    }
    auto loc = (*writer)->Write(Exchange(i, body));
    ASSERT_TRUE(loc.ok()) << loc.status().ToString();
    if (files.empty() || files.back() != loc->file) files.push_back(loc->file);
  }
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_GE(files.size(), 3u);
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end()));
  EXPECT_EQ((*writer)->finished_files().size(), files.size());
  int docs = 0;
  for (const std::string& f : files) {
    EXPECT_LE(fs::file_size(dir_ / f), 4000u + 2000u) << f;  // one exchange may overshoot
    const auto items = ReadPath(dir_ / f);
    ASSERT_FALSE(items.empty());
    EXPECT_EQ(items[0].warc_type, "warcinfo") << f;
    docs += static_cast<int>(OfKind(items, WarcItemKind::kDocument).size());
  }
  EXPECT_EQ(docs, 6);
  // No ".open" file is left behind.
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().extension(), ".gz") << e.path();
  }
}

TEST_F(WarcTest, OpenFileIsReadableAndACrashLeavesNoCompleteLookingFile) {
  WarcWriterOptions opt;
  opt.dir = dir_.string();
  auto writer = WarcWriter::Open(opt);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(Exchange(1, Html("one"))).ok());
  ASSERT_TRUE((*writer)->Write(Exchange(2, Html("two"))).ok());
  const std::string open_path = (*writer)->current_file();
  ASSERT_TRUE(open_path.size() > 5 && open_path.substr(open_path.size() - 5) == ".open");
  EXPECT_FALSE(IsWarcFileName(open_path));
  EXPECT_FALSE(fs::exists(open_path.substr(0, open_path.size() - 5)));
  // Every record is already in the file (a SIGKILL now loses nothing written).
  const std::string bytes = ReadAll(open_path);
  EXPECT_EQ(OfKind(ReadBytes(bytes), WarcItemKind::kDocument).size(), 2u);
  // A crash in the middle of the next record: the complete records are read, then an
  // error for the cut one; no crash, no endless loop.
  auto loc3 = (*writer)->Write(Exchange(3, Html("three")));
  ASSERT_TRUE(loc3.ok());
  const std::string with3 = ReadAll(open_path);
  const std::string cut = with3.substr(0, static_cast<size_t>(loc3->offset + loc3->length / 2));
  const auto items = ReadBytes(cut);
  EXPECT_EQ(OfKind(items, WarcItemKind::kDocument).size(), 2u);
  const auto errors = OfKind(items, WarcItemKind::kError);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]->status.code(), StatusCode::kDataLoss);
  EXPECT_NE(errors[0]->status.message().find("truncated"), std::string::npos)
      << errors[0]->status.message();
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_FALSE(fs::exists(open_path));
  EXPECT_TRUE(fs::exists(open_path.substr(0, open_path.size() - 5)));
  EXPECT_FALSE((*writer)->Write(Exchange(4, "x")).ok());
}

TEST_F(WarcTest, SynthesizesRequestAndStatusLineWhenNotGiven) {
  WarcWriterOptions opt;
  opt.dir = dir_.string();
  auto writer = WarcWriter::Open(opt);
  ASSERT_TRUE(writer.ok());
  WarcExchange ex;
  ex.target_uri = "https://news.example.com/missing?id=3#top";
  ex.http_status = 404;
  ex.response_headers = {{"content-type", "text/html"}};
  ex.body = "not here";
  ASSERT_TRUE((*writer)->Write(ex).ok());
  WarcExchange ok;
  ok.target_uri = "http://news.example.com";
  ok.http_status = 200;
  ok.response_headers = {{"content-type", "text/plain; charset=big5"}};
  ok.body = "plain text";
  ok.truncated = "";
  ASSERT_TRUE((*writer)->Write(ok).ok());
  WarcExchange bad;
  bad.target_uri = "https://x/";
  bad.response_head = "garbage\r\n";
  EXPECT_EQ((*writer)->Write(bad).status().code(), StatusCode::kInvalidArgument);
  bad.response_head.clear();
  bad.target_uri = "https://x/\r\nWARC-Type: injected";
  bad.http_status = 200;
  EXPECT_EQ((*writer)->Write(bad).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE((*writer)->Close().ok());
  const std::string text = [&] {
    const auto& f = (*writer)->finished_files();
    EXPECT_EQ(f.size(), 1u);
    const std::string gz = ReadAll(f[0]);
    // Inflate every member with zlib for a look at the text.
    std::string out;
    size_t pos = 0;
    while (pos < gz.size()) {
      z_stream zs{};
      inflateInit2(&zs, 15 + 16);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data() + pos));
      zs.avail_in = static_cast<uInt>(gz.size() - pos);
      char buf[4096];
      int rc;
      do {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof(buf);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof(buf) - zs.avail_out);
      } while (rc == Z_OK);
      pos = gz.size() - zs.avail_in;
      inflateEnd(&zs);
      if (rc != Z_STREAM_END) break;
    }
    return out;
  }();
  EXPECT_NE(text.find("GET /missing?id=3 HTTP/1.1\r\nHost: news.example.com\r\n\r\n"),
            std::string::npos);
  EXPECT_NE(text.find("GET / HTTP/1.1\r\nHost: news.example.com\r\n"), std::string::npos);
  EXPECT_NE(text.find("HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\n\r\nnot here"),
            std::string::npos);
  EXPECT_EQ(text.find("injected"), std::string::npos);
  const auto items = ReadPath((*writer)->finished_files()[0]);
  std::vector<std::string> reasons;
  for (const auto& i : items) reasons.push_back(i.reason);
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), "http status 404"), reasons.end());
  const auto docs = OfKind(items, WarcItemKind::kDocument);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]->doc.declared_charset, "big5");
  EXPECT_EQ(docs[0]->doc.format, DocFormat::kText);
}

TEST_F(WarcTest, DecodesChunkedGzipAndDeflatePayloadsAsWgetStoresThem) {
  const std::string html = Html("chunked and compressed");
  const std::string gz = Gzip(html);
  // Chunked transfer of the gzip bytes, split in three chunks, with an extension.
  std::string chunked;
  const size_t a = gz.size() / 3, b = 2 * gz.size() / 3;
  for (auto [from, to] : {std::pair<size_t, size_t>{0, a}, {a, b}, {b, gz.size()}}) {
    char hex[32];
    std::snprintf(hex, sizeof(hex), "%zx;ext=1\r\n", to - from);
    chunked += hex + gz.substr(from, to - from) + "\r\n";
  }
  chunked += "0\r\nX-Trailer: t\r\n\r\n";
  std::string file =
      Record("response", "https://a.example/chunked",
             HttpOk(chunked, "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"));
  file += Record("response", "<https://a.example/deflate>",
                 HttpOk(RawDeflate(html), "Content-Encoding: deflate\r\n"));
  // Already de-chunked by the archiver, header kept: taken as it is.
  file += Record("response", "https://a.example/dechunked",
                 HttpOk(html, "Transfer-Encoding: chunked\r\n"));
  const auto items = ReadBytes(file);
  ASSERT_EQ(items.size(), 3u);
  for (const auto& i : items) {
    ASSERT_EQ(i.kind, WarcItemKind::kDocument) << i.target_uri << " " << i.status.ToString();
    EXPECT_EQ(i.doc.bytes, html) << i.target_uri;
  }
  EXPECT_EQ(items[1].doc.uri, "https://a.example/deflate");
  // Uncompressed file: offsets are those of the "WARC/" lines, lengths exact.
  EXPECT_EQ(items[0].offset, 0u);
  EXPECT_EQ(items[1].offset, items[0].length);
  EXPECT_EQ(items[2].offset + items[2].length, file.size());

  // A truncated chunked body is lost data, not a short page.
  const std::string bad = Record("response", "https://a.example/cut",
                                 HttpOk("400\r\nabc", "Transfer-Encoding: chunked\r\n"));
  const auto cut = ReadBytes(bad);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(cut[0].kind, WarcItemKind::kError);
  EXPECT_EQ(cut[0].status.code(), StatusCode::kDataLoss);
}

TEST_F(WarcTest, WholeFileGzipAndPlainFilesReadAlike) {
  std::string plain;
  for (int i = 0; i < 5; ++i) {
    plain += Record("response", "https://a.example/" + std::to_string(i),
                    HttpOk(Html("page " + std::to_string(i))));
  }
  const auto from_plain = ReadBytes(plain);
  const auto from_gz = ReadBytes(Gzip(plain));
  ASSERT_EQ(from_plain.size(), 5u);
  ASSERT_EQ(from_gz.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(from_gz[i].kind, WarcItemKind::kDocument);
    EXPECT_EQ(from_gz[i].doc.bytes, from_plain[i].doc.bytes);
    EXPECT_EQ(from_gz[i].offset, 0u);  // all in the one member
  }
  EXPECT_EQ(from_gz[0].length, 0u);  // shares its member
}

TEST_F(WarcTest, CorruptMemberIsAnErrorAndReadingGoesOn) {
  WarcWriterOptions opt;
  opt.dir = dir_.string();
  auto writer = WarcWriter::Open(opt);
  ASSERT_TRUE(writer.ok());
  std::vector<WarcLocation> locs;
  for (int i = 0; i < 4; ++i) {
    std::string body = Html("corrupt " + std::to_string(i));
    for (int k = 0; k < 200; ++k) body += "paragraph " + std::to_string(k * i) + ". ";
    auto loc = (*writer)->Write(Exchange(i, body));
    ASSERT_TRUE(loc.ok());
    locs.push_back(*loc);
  }
  ASSERT_TRUE((*writer)->Close().ok());
  std::string bytes = ReadAll(dir_ / locs[0].file);
  // Damage the deflate data in the middle of the second response's member.
  for (size_t k = 0; k < 40; ++k) bytes[locs[1].offset + locs[1].length / 2 + k] ^= 0x5A;
  const auto items = ReadBytes(bytes);
  const auto docs = OfKind(items, WarcItemKind::kDocument);
  const auto errors = OfKind(items, WarcItemKind::kError);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0]->offset, locs[0].offset);
  EXPECT_EQ(docs[1]->offset, locs[2].offset);
  EXPECT_EQ(docs[2]->offset, locs[3].offset);
  ASSERT_GE(errors.size(), 1u);
  EXPECT_EQ(errors[0]->status.code(), StatusCode::kDataLoss);
  EXPECT_NE(errors[0]->status.message().find(std::to_string(locs[1].offset)), std::string::npos)
      << errors[0]->status.message();

  // Garbage between members (not gzip) is reported, and the next member is still read.
  std::string spliced = ReadAll(dir_ / locs[0].file);
  spliced.insert(static_cast<size_t>(locs[2].offset), "GARBAGE BYTES");
  const auto items2 = ReadBytes(spliced);
  EXPECT_EQ(OfKind(items2, WarcItemKind::kDocument).size(), 4u);
  EXPECT_EQ(OfKind(items2, WarcItemKind::kError).size(), 1u);
}

TEST_F(WarcTest, MalformedRecordsResyncToTheNextOne) {
  const std::string good1 = Record("response", "https://a.example/1", HttpOk(Html("one")));
  const std::string good2 = Record("response", "https://a.example/2", HttpOk(Html("two")));
  const std::string good3 = Record("response", "https://a.example/3", HttpOk(Html("three")));
  std::string no_length =
      "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 12x\r\n\r\nbody\r\n\r\n";
  std::string long_line = "WARC/1.1\r\nWARC-Type: response\r\nX-Long: " + std::string(100000, 'a') +
                          "\r\nContent-Length: 4\r\n\r\nbody\r\n\r\n";
  const std::string file = "leading junk\r\n" + good1 + no_length + good2 + long_line + good3;
  const auto items = ReadBytes(file);
  const auto docs = OfKind(items, WarcItemKind::kDocument);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[2]->doc.uri, "https://a.example/3");
  const auto errors = OfKind(items, WarcItemKind::kError);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0]->offset, 0u);
  EXPECT_NE(errors[0]->status.message().find("not a WARC record"), std::string::npos);
  EXPECT_NE(errors[1]->status.message().find("Content-Length"), std::string::npos);
  EXPECT_NE(errors[2]->status.message().find("too long"), std::string::npos);

  // Truncated in the block: an error, then the end.
  const std::string cut = (good1 + good2).substr(0, good1.size() + good2.size() / 2);
  const auto t = ReadBytes(cut);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].kind, WarcItemKind::kError);
  EXPECT_EQ(t[1].status.code(), StatusCode::kDataLoss);
  EXPECT_NE(t[1].status.message().find("offset " + std::to_string(good1.size())), std::string::npos)
      << t[1].status.message();

  // Empty input and whitespace only: no records, no errors.
  EXPECT_TRUE(ReadBytes("").empty());
  EXPECT_TRUE(ReadBytes("\r\n\r\n").empty());
}

TEST_F(WarcTest, SkipsWhatCarriesNoDocumentWithAReason) {
  std::string file;
  file += Record("warcinfo", "", "software: x\r\n", "", "application/warc-fields");
  file += Record("request", "https://a.example/", "GET / HTTP/1.1\r\n\r\n", "",
                 "application/http; msgtype=request");
  file +=
      Record("revisit", "https://a.example/", "HTTP/1.1 200 OK\r\n\r\n",
             "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n");
  file += Record("metadata", "https://a.example/", "via: x\r\n", "", "application/warc-fields");
  file += Record("response", "https://a.example/img.jpg",
                 "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF");
  file += Record("response", "https://a.example/moved",
                 "HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\n\r\n");
  file +=
      Record("response", "https://a.example/br", HttpOk("\x1b\x2e", "Content-Encoding: br\r\n"));
  file += Record("response", "https://a.example/cut", HttpOk(Html("cut")),
                 "WARC-Truncated: length\r\n");
  file += Record("resource", "file:///x.html", Html("resource"), "", "text/html");
  file += Record("response", "dns:a.example", "a.example. 300 IN A 192.0.2.1", "", "text/dns");
  const auto items = ReadBytes(file);
  std::vector<std::string> reasons;
  for (const auto& i : items) {
    EXPECT_EQ(i.kind, WarcItemKind::kSkipped) << i.target_uri << " " << i.status.ToString();
    reasons.push_back(i.reason);
  }
  const std::vector<std::string> expected = {"warcinfo record",
                                             "request record",
                                             "revisit record",
                                             "metadata record",
                                             "payload type image/jpeg",
                                             "http status 301",
                                             "content-encoding br unsupported",
                                             "truncated by the crawler (length)",
                                             "resource record",
                                             "response record of type text/dns"};
  EXPECT_EQ(reasons, expected);
}

TEST_F(WarcTest, LimitsAndDigestMismatches) {
  const std::string big =
      Record("response", "https://a.example/big", HttpOk(std::string(5000, 'x')));
  const std::string small = Record("response", "https://a.example/small", HttpOk(Html("s")));
  WarcReaderOptions opt;
  opt.max_record_bytes = 1000;
  auto items = ReadBytes(big + small, opt);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].kind, WarcItemKind::kError);
  EXPECT_EQ(items[0].status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(items[1].kind, WarcItemKind::kDocument);

  // A gzip bomb in Content-Encoding stops at the payload cap.
  const std::string bomb = Gzip(std::string(10 << 20, 'a'));
  WarcReaderOptions capped;
  capped.max_payload_bytes = 1 << 20;
  items = ReadBytes(
      Record("response", "https://a.example/bomb", HttpOk(bomb, "Content-Encoding: gzip\r\n")) +
          small,
      capped);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(items[1].kind, WarcItemKind::kDocument);

  // Block digests: base32 and hex forms are checked, a mismatch is lost data.
  const std::string block = HttpOk(Html("digest"));
  const std::string wrong = Record("response", "https://a.example/d", block,
                                   "WARC-Block-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n");
  items = ReadBytes(wrong);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status.code(), StatusCode::kDataLoss);
  WarcReaderOptions no_verify;
  no_verify.verify_block_digest = false;
  EXPECT_EQ(ReadBytes(wrong, no_verify)[0].kind, WarcItemKind::kDocument);
}

TEST_F(WarcTest, ReadsCcNewsLayoutWithCharsetsFromTheHttpHeader) {
  const auto items = ReadPath(kSource + "/tests/data/warc/cc-news-sample.warc.gz");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].warc_type, "warcinfo");
  const auto docs = OfKind(items, WarcItemKind::kDocument);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0]->doc.declared_charset, "gb18030");
  EXPECT_EQ(docs[1]->doc.declared_charset, "big5");
  EXPECT_EQ(docs[2]->doc.declared_charset, "utf-8");
  EXPECT_EQ(docs[1]->doc.uri, "https://www.chinatimes.com/realtimenews/20261121000001-260410");
  EXPECT_EQ(docs[1]->doc.fetched_at, "2026-11-22T06:02:00Z");
  // No charset in the page itself: only the header can tell.
  EXPECT_EQ(docs[0]->doc.bytes.find("charset"), std::string::npos);
  // "华为" in GB18030 is BB AA CE AA.
  EXPECT_NE(docs[0]->doc.bytes.find("\xBB\xAA\xCE\xAA"), std::string::npos);
  for (const WarcItem* d : docs) {
    EXPECT_EQ(d->doc.format, DocFormat::kHtml);
    EXPECT_GT(d->length, 0u);
  }
  EXPECT_EQ(docs[0]->offset, items[0].length);
}

TEST(WarcFileNameTest, PicksWarcFilesOnly) {
  EXPECT_TRUE(IsWarcFileName("a.warc"));
  EXPECT_TRUE(IsWarcFileName("dir/CC-NEWS-20261122-00001.warc.gz"));
  EXPECT_TRUE(IsWarcFileName("X.WARC.GZ"));
  EXPECT_FALSE(IsWarcFileName("a.warc.gz.open"));
  EXPECT_FALSE(IsWarcFileName("a.html.gz"));
  EXPECT_FALSE(IsWarcFileName("warc"));
}

TEST(WarcWriterOptionsTest, RejectsBadOptions) {
  WarcWriterOptions opt;
  EXPECT_EQ(WarcWriter::Open(opt).status().code(), StatusCode::kInvalidArgument);
  opt.dir = "/tmp";
  opt.prefix = "a/b";
  EXPECT_EQ(WarcWriter::Open(opt).status().code(), StatusCode::kInvalidArgument);
  opt.prefix = "ok";
  opt.dir = "/proc/definitely/not/here";
  EXPECT_EQ(WarcWriter::Open(opt).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(WarcReader::Open("/nonexistent/x.warc.gz", {}).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace newsclaim::ingest
