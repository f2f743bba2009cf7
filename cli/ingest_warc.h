// `newsclaim ingest --warc FILE|DIR...`: WARC files (ours, wget's, warcio's, Common
// Crawl's CC-NEWS) read back into the database without the network: every HTML, XML or
// text response goes through the shared IngestPipeline and is indexed in warc_records.
#ifndef NEWSCLAIM_CLI_INGEST_WARC_H_
#define NEWSCLAIM_CLI_INGEST_WARC_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli/ingest_pipeline.h"
#include "core/status.h"
#include "ingest/warc.h"

namespace newsclaim::cli {

struct WarcIngestCounts {
  int64_t files = 0;
  int64_t records = 0;    // WARC records read, of every type
  int64_t documents = 0;  // response records handed to the pipeline
  int64_t errors = 0;     // malformed, corrupt, truncated or oversized records (error rows)
  int64_t indexed = 0;    // documents newly added to warc_records
  // Records that carry no document, by reason ("request record", "revisit record", "http
  // status 404", "payload type image/jpeg", ...).
  std::map<std::string, int64_t> skipped;
};

// The files to read for the given paths: a file as it is (whatever its name, so a
// "....warc.gz.open" left by a killed run can be named), a directory recursively (sorted,
// hidden entries skipped) for the names ingest::IsWarcFileName accepts. Errors: kNotFound
// for a path that does not exist.
StatusOr<std::vector<std::string>> ExpandWarcPaths(const std::vector<std::string>& paths);

// Reads the WARC files of `paths` (see ExpandWarcPaths) in order. Each document goes to
// pipeline.Queue (analysed on the pipeline's threads, written in order, the pipeline
// flushed before returning), its record to the warc_records index right after it (file as
// named here, offset, length); each bad record, and each file that cannot be opened, becomes an
// error row (stage "warc"; uri = the record's target URI, or "<file>#offset=<n>" when it has none;
// the message names the file and offset) and reading goes on. Unless quiet, prints one
// line with the counts and skip reasons to stderr. Returns an error only for a missing
// path or when the database cannot be written.
Status IngestWarc(const std::vector<std::string>& paths, const ingest::WarcReaderOptions& options,
                  IngestPipeline& pipeline, bool quiet, WarcIngestCounts* counts = nullptr);

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_INGEST_WARC_H_
