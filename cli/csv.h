// RFC 4180 CSV for spreadsheets: UTF-8 with BOM, CRLF rows, numbers unquoted, and text
// cells that a spreadsheet would run as a formula neutralised with a leading apostrophe.
#ifndef NEWSCLAIM_CLI_CSV_H_
#define NEWSCLAIM_CLI_CSV_H_

#include <optional>
#include <string>
#include <string_view>

namespace newsclaim::cli {

class CsvRow {
 public:
  // A text cell: quoted when it holds a comma, quote, CR or LF; prefixed with ' when it
  // starts with = + - @ TAB or CR.
  CsvRow& Text(std::string_view s);
  // A numeric cell, unquoted; empty when absent.
  CsvRow& Number(std::optional<double> v);
  CsvRow& Integer(long long v);
  // The row with its CRLF terminator.
  std::string Finish();

 private:
  void Separator();
  std::string line_;
  bool first_ = true;
};

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_CSV_H_
