// WARC 1.1 archives of raw HTTP exchanges: WarcWriter keeps every response the fetcher
// receives (one gzip member per record, rotated by size), WarcReader streams records back
// out of .warc / .warc.gz files (ours, wget's, warcio's, Heritrix's, Common Crawl's CC-NEWS)
// as RawDocuments, so the corpus can be rebuilt without the network.
#ifndef NEWSCLAIM_INGEST_WARC_H_
#define NEWSCLAIM_INGEST_WARC_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace newsclaim::ingest {

// ---- Writing ------------------------------------------------------------------------

struct WarcWriterOptions {
  // Directory the files go to; created (with parents) when missing.
  std::string dir;
  // File names are <prefix>-<YYYYMMDDhhmmss>-<NNNNN>.warc.gz (UTC time the file was
  // started, serial number), so a plain sort lists them in write order. Default
  // "newsclaim".
  std::string prefix = "newsclaim";
  // A new file is started when the next exchange (request + response records) would make
  // the current one larger than this (compressed). An exchange larger than the limit on
  // its own gets a file to itself. Default 1 GB.
  uint64_t max_file_bytes = 1000ull * 1000 * 1000;
  // Written into the warcinfo record that opens each file ("software", "operator").
  std::string software = "newsclaim";
  std::string operator_contact;  // e.g. "News desk <ops@example.org>"; omitted when empty
  // Also written into warcinfo ("http-header-user-agent"); omitted when empty.
  std::string user_agent;
};

// One HTTP exchange as the fetcher saw it.
struct WarcExchange {
  // The URL requested (WARC-Target-URI). For a redirected fetch, the URL whose response
  // this is (the final URL), so a replay finds the bytes under the address that served
  // them.
  std::string target_uri;
  // When the response arrived: ISO 8601 UTC ("2026-11-23T18:38:42Z", fractions allowed).
  // Empty: now.
  std::string fetch_time;
  // The server's IP address (WARC-IP-Address); omitted when empty.
  std::string ip_address;

  // The request as sent: request line and header lines ("GET /a HTTP/1.1\r\nHost: x\r\n"
  // ...), CRLF or LF line ends, with or without the blank line that ends them (libcurl's
  // CURLINFO_HEADER_OUT text fits as is). Empty: a request line "GET <path> HTTP/1.1" and
  // a Host header are written, i.e. what was asked for without the other headers sent.
  std::string request_head;

  // The response as received: status line and header lines, like request_head (the
  // headers of the final response only, after redirects). Empty: built from http_status
  // and response_headers below ("HTTP/1.1 <status> <standard reason>", "name: value").
  std::string response_head;
  int http_status = 0;  // used only when response_head is empty
  std::vector<std::pair<std::string, std::string>> response_headers;  // ditto

  // The body bytes as handed over by the HTTP client.
  std::string body;
  // True when the client already undid Content-Encoding (libcurl with
  // CURLOPT_ACCEPT_ENCODING, as ingest's fetcher does). The stored header block then says
  // so, as warcio does: Content-Encoding becomes X-Crawler-Content-Encoding and a
  // Content-Length that does not match the stored body becomes X-Crawler-Content-Length
  // (with a true Content-Length added), so readers never decode twice. Transfer-Encoding
  // is always renamed to X-Crawler-Transfer-Encoding: libcurl de-chunks every body.
  // Default true.
  bool body_decoded = true;
  // Set when the body is incomplete (WARC-Truncated: "length" when a size cap stopped it,
  // "time" for a timeout, "disconnect" for a reset, "unspecified"); empty when complete.
  std::string truncated;
};

// Where a response record was written: enough to read it back without scanning.
struct WarcLocation {
  std::string file;          // file name inside WarcWriterOptions::dir, final name (no ".open")
  uint64_t offset = 0;       // byte offset of the record's gzip member in that file
  uint64_t length = 0;       // compressed length of that member
  std::string record_id;     // "<urn:uuid:...>" of the response record
  std::string date;          // its WARC-Date
  std::string payload_sha1;  // its WARC-Payload-Digest, "sha1:<BASE32>"
};

// Appends exchanges to WARC 1.1 files: each file opens with a warcinfo record; each
// exchange is a request record and a response record (WARC-Concurrent-To links them),
// each record one gzip member, with WARC-Block-Digest and (response) WARC-Payload-Digest
// as "sha1:<BASE32>" like Heritrix, wget and warcio. A file being written is named
// "<name>.warc.gz.open" and renamed to "<name>.warc.gz" when it is closed (Close(),
// rotation, or destruction), so a crash never leaves a file that looks complete; every
// record is flushed to the operating system before Write returns, so a SIGKILL loses at
// most the record being written, and a reader reads the complete members of a ".open"
// file. Not thread-safe: one writer per thread (and per directory and prefix).
class WarcWriter {
 public:
  // Creates the directory when needed and starts the first file. Errors:
  // kInvalidArgument (empty dir or prefix, prefix with '/'), kFailedPrecondition (cannot
  // create the directory or the file), kInternal (zlib).
  static StatusOr<std::unique_ptr<WarcWriter>> Open(const WarcWriterOptions& options);
  // Closes (and renames) the current file; errors are lost, call Close() to see them.
  ~WarcWriter();
  WarcWriter(const WarcWriter&) = delete;
  WarcWriter& operator=(const WarcWriter&) = delete;

  // Writes the request and response records of one exchange (rotating first when the
  // file would grow past max_file_bytes) and returns the response record's location.
  // Errors: kInvalidArgument (empty target_uri, a response head that is not an HTTP
  // status line), kResourceExhausted (disk full), kFailedPrecondition (other write
  // failures, or the writer was closed). After a write error the writer starts a new file
  // for the next exchange; the failed one keeps whatever complete members it has.
  StatusOr<WarcLocation> Write(const WarcExchange& exchange);

  // Closes and renames the current file. Further writes fail. Idempotent.
  Status Close();

  // Full paths of the files this writer has finished (renamed), in write order.
  const std::vector<std::string>& finished_files() const;
  // Full path of the file being written ("....warc.gz.open"); empty after Close().
  std::string current_file() const;

 private:
  struct Impl;
  explicit WarcWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- Reading ------------------------------------------------------------------------

struct WarcReaderOptions {
  // Records whose block (Content-Length) is larger are not read into memory: they are
  // skipped over while streaming and reported as an error (kResourceExhausted).
  // Default 64 MiB.
  uint64_t max_record_bytes = 64ull << 20;
  // Cap on a payload after chunked and Content-Encoding decoding (a gzip bomb stops
  // here, kResourceExhausted). Default 32 MiB.
  uint64_t max_payload_bytes = 32ull << 20;
  // Limits on a WARC or HTTP header block: line length and number of fields; beyond
  // them the record is malformed (kInvalidArgument). Defaults 64 KiB, 512.
  size_t max_header_line = 64 << 10;
  size_t max_header_fields = 512;
  // Check WARC-Block-Digest when it is a sha1 digest; a mismatch is an error
  // (kDataLoss) for that record. Default true.
  bool verify_block_digest = true;
};

// What one record turned into.
enum class WarcItemKind {
  kDocument,  // a 2xx response with an HTML, XML or text payload: doc is set
  kSkipped,   // a record that carries no document (warcinfo, request, metadata,
              // revisit, non-2xx, images...): reason says which
  kError,     // a malformed, corrupt, truncated or oversized record: status says why
};

struct WarcItem {
  WarcItemKind kind = WarcItemKind::kSkipped;
  // Byte offset in the file where the record starts: for a gzipped file, the offset of
  // the gzip member the record starts in (exact for one-member-per-record files); for an
  // uncompressed file, the offset of the "WARC/" line.
  uint64_t offset = 0;
  // Bytes of the file the record occupies from offset (compressed, members included) when
  // the record starts and ends on member boundaries or the file is uncompressed; 0 when
  // it shares a gzip member with other records.
  uint64_t length = 0;
  // WARC header fields, when they could be read.
  std::string warc_type;   // "response", "request", "warcinfo", "revisit", ...
  std::string record_id;   // WARC-Record-ID as written, "<urn:uuid:...>"
  std::string target_uri;  // WARC-Target-URI, without the "<>" some writers add
  std::string date;        // WARC-Date as written
  // kDocument: kind kWarc, uri = target_uri, fetched_at = date (ISO 8601 UTC), http_status,
  // headers (HTTP response headers, names lower-cased, in order), declared_charset from
  // the HTTP Content-Type, bytes (payload after chunked and Content-Encoding decoding),
  // sha256, format (SniffFormat).
  RawDocument doc;
  // kSkipped: a short stable reason ("warcinfo record", "request record", "revisit
  // record", "http status 404", "payload type image/jpeg", "content-encoding br
  // unsupported", "truncated by the crawler (length)", ...).
  std::string reason;
  // kError: what is wrong, with the offset in the message.
  Status status;
};

// Streams the records of one WARC file: uncompressed, gzipped one member per record, or
// one gzip member for the whole file; WARC/1.0 and WARC/1.1; never holds more than one
// record (capped by max_record_bytes) in memory. After a malformed record it reports an
// error and resynchronises at the next record ("WARC/1." line, or the next gzip member
// after corrupt compressed data) when it can; a truncated file ends with an error item.
// Not thread-safe.
class WarcReader {
 public:
  // Opens a file (gzip detected from its first bytes, not its name). Errors: kNotFound,
  // kFailedPrecondition (unreadable).
  static StatusOr<std::unique_ptr<WarcReader>> Open(const std::string& path,
                                                    const WarcReaderOptions& options);
  // Reads from bytes held in memory (tests, fuzzing); `name` is used in messages.
  static std::unique_ptr<WarcReader> FromBytes(std::string bytes, const std::string& name,
                                               const WarcReaderOptions& options);
  ~WarcReader();
  WarcReader(const WarcReader&) = delete;
  WarcReader& operator=(const WarcReader&) = delete;

  // Reads the next record into *item. Returns false at the end of the file (*item is
  // then untouched). Never fails: problems are kError items.
  bool Next(WarcItem* item);

 private:
  struct Impl;
  explicit WarcReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True for names a WARC directory scan picks up: "*.warc", "*.warc.gz" (not ".open"
// files of a writer that is still running or was killed; name those explicitly).
bool IsWarcFileName(const std::string& name);

}  // namespace newsclaim::ingest

#endif  // NEWSCLAIM_INGEST_WARC_H_
