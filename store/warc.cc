// The WARC index (table warc_records): where each archived HTTP response lives, looked up
// by raw document hash or by URI (issue 5).
#include <string>
#include <vector>

#include "store/internal.h"
#include "store/store.h"

namespace newsclaim::store {
namespace {

constexpr const char* kWarcColumns =
    "SELECT COALESCE(raw_sha256, ''), target_uri, warc_file, \"offset\", length, record_id, "
    "date, http_status FROM warc_records ";

StatusOr<std::vector<Store::WarcRecord>> Collect(Stmt& q) {
  std::vector<Store::WarcRecord> out;
  while (true) {
    StatusOr<bool> row = q.Step();
    if (!row.ok()) {
      q.Reset();
      return row.status();
    }
    if (!*row) break;
    Store::WarcRecord r;
    r.raw_sha256 = q.Text(0);
    r.target_uri = q.Text(1);
    r.warc_file = q.Text(2);
    r.offset = q.Int(3);
    r.length = q.Int(4);
    r.record_id = q.Text(5);
    r.date = q.Text(6);
    r.http_status = static_cast<int>(q.Int(7));
    out.push_back(std::move(r));
  }
  q.Reset();
  return out;
}

}  // namespace

StatusOr<bool> Store::PutWarcRecord(const WarcRecord& record) {
  Impl& d = *impl_;
  if (d.read_only) return FailedPreconditionError("database opened read-only");
  if (record.warc_file.empty() || record.offset < 0 || record.length < 0) {
    return InvalidArgumentError("WARC index entry without a file or with a negative offset");
  }
  NC_RETURN_IF_ERROR(d.put_warc_record.PrepareOnce(
      d.db,
      "INSERT OR IGNORE INTO warc_records (raw_sha256, target_uri, warc_file, \"offset\", "
      "length, record_id, date, http_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  Stmt& q = d.put_warc_record;
  q.Reset();
  if (record.raw_sha256.empty()) {
    q.BindNull(1);
  } else {
    q.Bind(1, record.raw_sha256);
  }
  q.Bind(2, record.target_uri)
      .Bind(3, record.warc_file)
      .Bind(4, record.offset)
      .Bind(5, record.length)
      .Bind(6, record.record_id)
      .Bind(7, record.date)
      .Bind(8, static_cast<int64_t>(record.http_status));
  NC_RETURN_IF_ERROR(q.Run());
  return sqlite3_changes(d.db) > 0;
}

StatusOr<std::vector<Store::WarcRecord>> Store::FindWarcRecordsBySha256(
    const std::string& raw_sha256) {
  Impl& d = *impl_;
  static const std::string sql =
      std::string(kWarcColumns) + "WHERE raw_sha256 = ?1 ORDER BY date DESC, warc_file, \"offset\"";
  NC_RETURN_IF_ERROR(d.warc_by_sha256.PrepareOnce(d.db, sql.c_str()));
  d.warc_by_sha256.Reset().Bind(1, raw_sha256);
  return Collect(d.warc_by_sha256);
}

StatusOr<std::vector<Store::WarcRecord>> Store::FindWarcRecordsByUri(const std::string& uri) {
  Impl& d = *impl_;
  static const std::string sql =
      std::string(kWarcColumns) + "WHERE target_uri = ?1 ORDER BY date DESC, warc_file, \"offset\"";
  NC_RETURN_IF_ERROR(d.warc_by_uri.PrepareOnce(d.db, sql.c_str()));
  d.warc_by_uri.Reset().Bind(1, uri);
  return Collect(d.warc_by_uri);
}

}  // namespace newsclaim::store
