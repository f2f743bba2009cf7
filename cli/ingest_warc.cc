// Reading WARC files into the store (see ingest_warc.h).
#include "cli/ingest_warc.h"

#include <cstdio>
#include <filesystem>
#include <utility>

#include "ingest/ingest.h"
#include "store/store.h"

namespace newsclaim::cli {

StatusOr<std::vector<std::string>> ExpandWarcPaths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      if (!fs::exists(p, ec)) return NotFoundError("no such file or directory: " + p);
      out.push_back(p);
      continue;
    }
    StatusOr<std::vector<std::string>> files = ingest::ExpandPaths({p});
    if (!files.ok()) return files.status();
    for (std::string& f : *files) {
      if (ingest::IsWarcFileName(f)) out.push_back(std::move(f));
    }
  }
  return out;
}

Status IngestWarc(const std::vector<std::string>& paths, const ingest::WarcReaderOptions& options,
                  IngestPipeline& pipeline, bool quiet, WarcIngestCounts* counts) {
  WarcIngestCounts local;
  WarcIngestCounts& c = counts ? *counts : local;
  StatusOr<std::vector<std::string>> files = ExpandWarcPaths(paths);
  if (!files.ok()) return files.status();
  for (const std::string& file : *files) {
    ++c.files;
    StatusOr<std::unique_ptr<ingest::WarcReader>> reader = ingest::WarcReader::Open(file, options);
    if (!reader.ok()) {
      NC_RETURN_IF_ERROR(pipeline.Fail(file, "", "warc", reader.status()));
      ++c.errors;
      continue;
    }
    ingest::WarcItem item;
    while ((*reader)->Next(&item)) {
      ++c.records;
      switch (item.kind) {
        case ingest::WarcItemKind::kSkipped:
          ++c.skipped[item.reason];
          break;
        case ingest::WarcItemKind::kError: {
          ++c.errors;
          const std::string uri = item.target_uri.empty()
                                      ? file + "#offset=" + std::to_string(item.offset)
                                      : item.target_uri;
          NC_RETURN_IF_ERROR(pipeline.Fail(uri, "", "warc", item.status));
          break;
        }
        case ingest::WarcItemKind::kDocument: {
          ++c.documents;
          store::Store::WarcRecord rec;
          rec.raw_sha256 = item.doc.sha256;
          rec.target_uri = item.doc.uri;
          rec.warc_file = file;
          rec.offset = static_cast<int64_t>(item.offset);
          rec.length = static_cast<int64_t>(item.length);
          rec.record_id = item.record_id;
          rec.date = item.date;
          rec.http_status = item.doc.http_status;
          // The record is indexed right after its document is written, in its turn.
          NC_RETURN_IF_ERROR(pipeline.Queue(
              std::move(item.doc), [&pipeline, &c, rec = std::move(rec)]() -> Status {
                StatusOr<bool> added = pipeline.store().PutWarcRecord(rec);
                if (!added.ok()) return pipeline.WriteError(rec.target_uri, added.status());
                if (*added) ++c.indexed;
                return Status::Ok();
              }));
          break;
        }
      }
    }
  }
  // The queued documents (and their records, counted in c) are written before c goes.
  NC_RETURN_IF_ERROR(pipeline.Flush());
  if (!quiet) {
    std::string skipped;
    int64_t total_skipped = 0;
    for (const auto& [reason, n] : c.skipped) {
      skipped += (skipped.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
      total_skipped += n;
    }
    std::fprintf(stderr,
                 "newsclaim ingest: WARC: %lld files, %lld records, %lld documents, %lld "
                 "skipped%s%s%s, %lld bad\n",
                 static_cast<long long>(c.files), static_cast<long long>(c.records),
                 static_cast<long long>(c.documents), static_cast<long long>(total_skipped),
                 skipped.empty() ? "" : " (", skipped.c_str(), skipped.empty() ? "" : ")",
                 static_cast<long long>(c.errors));
  }
  return Status::Ok();
}

}  // namespace newsclaim::cli
