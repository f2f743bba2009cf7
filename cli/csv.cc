// CSV cells; see csv.h for the spreadsheet-safety rules.
#include "cli/csv.h"

#include "cli/common.h"

namespace newsclaim::cli {

void CsvRow::Separator() {
  if (!first_) line_.push_back(',');
  first_ = false;
}

CsvRow& CsvRow::Text(std::string_view s) {
  Separator();
  std::string cell;
  // OWASP's advice for CSV injection: a leading quote makes the cell inert text.
  if (!s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
    cell.push_back('\'');
  }
  cell.append(s);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) {
    line_ += cell;
    return *this;
  }
  line_.push_back('"');
  for (char c : cell) {
    if (c == '"') line_.push_back('"');
    line_.push_back(c);
  }
  line_.push_back('"');
  return *this;
}

CsvRow& CsvRow::Number(std::optional<double> v) {
  Separator();
  if (v) line_ += FormatNumber(*v);
  return *this;
}

CsvRow& CsvRow::Integer(long long v) {
  Separator();
  line_ += std::to_string(v);
  return *this;
}

std::string CsvRow::Finish() {
  std::string out = std::move(line_);
  out += "\r\n";
  line_.clear();
  first_ = true;
  return out;
}

}  // namespace newsclaim::cli
