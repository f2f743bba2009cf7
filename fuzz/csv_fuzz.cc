// Fuzz target for the CSV writer: the bytes become rows of text and number cells, written
// with CsvRow and read back with a strict RFC 4180 reader. Every text cell must read back
// as written (with the apostrophe the writer adds to formula-like cells), no cell may
// start like a formula, and every number must read back to the same double.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/csv.h"

namespace {

// Input layout: cells separated by 0x00, rows by 0x01. A cell starting with 0x02 is a
// number cell: the next 8 bytes (zero-padded) are a double; 0x02 alone is an absent number.
struct Cell {
  bool number = false;
  std::string text;
  std::optional<double> value;
};

std::vector<std::vector<Cell>> Split(std::string_view in) {
  std::vector<std::vector<Cell>> rows(1);
  std::string current;
  auto end_cell = [&]() {
    Cell c;
    if (!current.empty() && current[0] == '\x02') {
      c.number = true;
      if (current.size() > 1) {
        char bytes[8] = {};
        std::memcpy(bytes, current.data() + 1, std::min<size_t>(8, current.size() - 1));
        double v;
        std::memcpy(&v, bytes, sizeof(v));
        c.value = v;
      }
    } else {
      c.text = current;
    }
    rows.back().push_back(std::move(c));
    current.clear();
  };
  for (char ch : in) {
    if (ch == '\0') {
      end_cell();
    } else if (ch == '\x01') {
      end_cell();
      rows.emplace_back();
    } else {
      current.push_back(ch);
    }
  }
  end_cell();
  return rows;
}

// Strict RFC 4180: quoted cells double their quotes; unquoted cells hold no quote, CR or
// LF; every row ends in CRLF. Returns false on anything else.
bool ParseCsv(std::string_view in, std::vector<std::vector<std::string>>* rows) {
  size_t i = 0;
  while (i < in.size()) {
    std::vector<std::string> row;
    while (true) {
      std::string cell;
      if (i < in.size() && in[i] == '"') {
        ++i;
        while (true) {
          if (i >= in.size()) return false;
          if (in[i] == '"') {
            if (i + 1 < in.size() && in[i + 1] == '"') {
              cell.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          cell.push_back(in[i++]);
        }
      } else {
        while (i < in.size() && in[i] != ',' && in[i] != '\r' && in[i] != '\n') {
          if (in[i] == '"') return false;
          cell.push_back(in[i++]);
        }
      }
      row.push_back(std::move(cell));
      if (i < in.size() && in[i] == ',') {
        ++i;
        continue;
      }
      if (in.compare(i, 2, "\r\n") != 0) return false;
      i += 2;
      break;
    }
    rows->push_back(std::move(row));
  }
  return true;
}

bool FormulaStart(std::string_view s) {
  return !s.empty() && std::strchr("=+-@\t\r", s[0]) != nullptr && s[0] != '\0';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::vector<std::vector<Cell>> rows = Split(in);
  std::string doc(newsclaim::cli::kUtf8Bom);
  for (const auto& row : rows) {
    newsclaim::cli::CsvRow w;
    for (const Cell& c : row) {
      if (c.number) {
        w.Number(c.value);
      } else {
        w.Text(c.text);
      }
    }
    doc += w.Finish();
  }
  if (doc.compare(0, 3, newsclaim::cli::kUtf8Bom) != 0) std::abort();
  std::vector<std::vector<std::string>> back;
  if (!ParseCsv(std::string_view(doc).substr(3), &back)) std::abort();
  if (back.size() != rows.size()) std::abort();
  for (size_t r = 0; r < rows.size(); ++r) {
    if (back[r].size() != rows[r].size()) std::abort();
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const Cell& want = rows[r][c];
      const std::string& got = back[r][c];
      if (!want.number) {
        // The writer's rule covers at least the ASCII triggers checked here independently.
        if (FormulaStart(want.text) && !newsclaim::cli::StartsLikeFormula(want.text)) {
          std::abort();
        }
        const std::string expected =
            (newsclaim::cli::StartsLikeFormula(want.text) ? "'" : "") + want.text;
        if (got != expected) std::abort();
        if (FormulaStart(got) || newsclaim::cli::StartsLikeFormula(got)) std::abort();
        continue;
      }
      if (!want.value) {
        if (!got.empty()) std::abort();
        continue;
      }
      // Numbers are unquoted and read back exactly; NaN and infinities are empty cells.
      if (!std::isfinite(*want.value)) {
        if (!got.empty()) std::abort();
        continue;
      }
      if (got.empty() || got.find_first_of(",\"\r\n") != std::string::npos) std::abort();
      char* end = nullptr;
      const double v = std::strtod(got.c_str(), &end);
      if (end != got.c_str() + got.size()) std::abort();
      if (v != *want.value) std::abort();
    }
  }
  return 0;
}
