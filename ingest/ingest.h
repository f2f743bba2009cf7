// ingest: turns files (and later URLs, feeds, WARC records) into RawDocuments.
// Reads bytes only; never interprets them beyond sniffing the format.
#ifndef NEWSCLAIM_INGEST_INGEST_H_
#define NEWSCLAIM_INGEST_INGEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace newsclaim::ingest {

struct FileOptions {
  // Files larger than this are refused with kResourceExhausted (the document is still
  // recorded as an error by the caller). Default 100 MiB.
  uint64_t max_bytes = 100ull << 20;
};

// Expands files and directories (recursively, in sorted order, skipping hidden entries)
// into a list of regular file paths. A path that does not exist is an error for the
// whole call (kNotFound): the operator mistyped it.
StatusOr<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths);

// Reads one file into a RawDocument (uri = path as given, sha256, fetched_at = now,
// format sniffed). Transparently un-gzips ".gz" files.
StatusOr<RawDocument> ReadFile(const std::string& path, const FileOptions& options);

// Guesses the format from the bytes (and the name as a tie-breaker): YAML front matter
// ("---" first line) is markdown, a document starting with markup is HTML, else text.
DocFormat SniffFormat(const std::string& name, const std::string& bytes);

// Current UTC time as ISO 8601 ("2026-11-23T18:38:42Z").
std::string NowUtc();

}  // namespace newsclaim::ingest

#endif  // NEWSCLAIM_INGEST_INGEST_H_
