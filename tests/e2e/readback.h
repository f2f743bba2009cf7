// Reading back what the CLI wrote, for end-to-end tests: one-column SQL queries on the
// database (opened read-only), the three exports of a database, and RFC 4180 parsing of
// the CSV exports.
#ifndef NEWSCLAIM_TESTS_E2E_READBACK_H_
#define NEWSCLAIM_TESTS_E2E_READBACK_H_

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/e2e/cli_runner.h"

namespace newsclaim::testing {

// The first column of every row sql returns, as text (NULL as ""). A database or query
// that cannot be opened or prepared fails the test.
inline std::vector<std::string> SqlColumn(const std::string& db_path, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr), SQLITE_OK) << sql;
  while (q != nullptr && sqlite3_step(q) == SQLITE_ROW) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    out.push_back(t ? t : "");
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return out;
}

// The first value sql returns, as an integer; -1 when it returns no row.
inline int64_t SqlCount(const std::string& db_path, const std::string& sql) {
  const std::vector<std::string> v = SqlColumn(db_path, sql);
  return v.empty() ? -1 : std::stoll(v[0]);
}

// The JSONL export, the per-claim CSV and the per-article CSV of one database.
struct Exports {
  std::string jsonl, csv, csv_articles;
  bool operator==(const Exports& o) const {
    return jsonl == o.jsonl && csv == o.csv && csv_articles == o.csv_articles;
  }
};

// Runs the three exports of db; each must exit 0.
inline Exports ExportAll(const TempDir& tmp, const std::string& db) {
  Exports e;
  CliResult r = RunCli(tmp, {"export", "--format", "jsonl", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  e.jsonl = r.out;
  r = RunCli(tmp, {"export", "--format", "csv", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  e.csv = r.out;
  r = RunCli(tmp, {"export", "--format", "csv", "--per", "article", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  e.csv_articles = r.out;
  return e;
}

using CsvRows = std::vector<std::vector<std::string>>;

// The rows of an RFC 4180 document (BOM stripped, CRLF rows).
inline CsvRows ParseCsv(std::string s) {
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  CsvRows rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
      ++i;
    } else {
      cell.push_back(c);
    }
  }
  EXPECT_TRUE(cell.empty() && row.empty()) << "last row without CRLF";
  return rows;
}

}  // namespace newsclaim::testing

#endif  // NEWSCLAIM_TESTS_E2E_READBACK_H_
