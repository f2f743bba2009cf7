// RFC 4180 CSV for spreadsheets: UTF-8 with BOM, CRLF rows, numbers unquoted, and text
// cells that a spreadsheet would run as a formula neutralised with a leading apostrophe.
#ifndef NEWSCLAIM_CLI_CSV_H_
#define NEWSCLAIM_CLI_CSV_H_

#include <optional>
#include <string>
#include <string_view>

namespace newsclaim::cli {

// True when a spreadsheet could take a text cell holding s for a formula: it starts with
// = + - @ (after optional spaces; also their full-width forms ＝ ＋ － ＠), TAB, CR or LF.
bool StartsLikeFormula(std::string_view s);

class CsvRow {
 public:
  // A text cell: prefixed with ' when StartsLikeFormula, then quoted when it holds a
  // comma, quote, CR or LF.
  CsvRow& Text(std::string_view s);
  // A numeric cell, unquoted (negative numbers too: a number is never a formula); empty
  // when absent or not finite.
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
