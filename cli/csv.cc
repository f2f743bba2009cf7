// CSV cells; see csv.h for the spreadsheet-safety rules.
#include "cli/csv.h"

#include <cmath>

#include "cli/common.h"

namespace newsclaim::cli {

bool StartsLikeFormula(std::string_view s) {
  // Spaces before the trigger do not stop every spreadsheet from evaluating it.
  const size_t at = s.find_first_not_of(' ');
  if (at == std::string_view::npos) return false;
  if (at == 0 && (s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) return true;
  s.remove_prefix(at);
  if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') return true;
  // Full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20): some spreadsheets fold them
  // to ASCII (NFKC) before deciding whether a cell is a formula.
  for (std::string_view w : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"}) {
    if (s.substr(0, w.size()) == w) return true;
  }
  return false;
}

void CsvRow::Separator() {
  if (!first_) line_.push_back(',');
  first_ = false;
}

CsvRow& CsvRow::Text(std::string_view s) {
  Separator();
  std::string cell;
  // OWASP's advice for CSV injection: a leading quote makes the cell inert text.
  if (StartsLikeFormula(s)) cell.push_back('\'');
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
  // NaN and infinities have no spreadsheet number; leave the cell empty.
  if (v && std::isfinite(*v)) line_ += FormatNumber(*v);
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
