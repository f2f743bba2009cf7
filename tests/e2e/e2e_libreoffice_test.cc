// The exported CSVs as a spreadsheet user sees them: LibreOffice Calc (headless) imports
// them and saves flat ODF (.fods); every cell must read back as written: Chinese text
// intact, numeric columns as numbers (office:value-type="float"), and text that looks like
// a formula (=HYPERLINK(...), +1, -2, @SUM(A1)) as a string, never a formula. Label
// "libreoffice"; skipped only when neither `soffice` nor `libreoffice` is installed
// (scripts/setup.sh --test installs libreoffice-calc).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

#include "tests/e2e/cli_runner.h"
#include "tests/e2e/readback.h"

namespace newsclaim::testing {
namespace {

const std::string kSource = NEWSCLAIM_SOURCE_DIR;

using Rows = CsvRows;

struct OdsCell {
  std::string type;      // office:value-type: float, string, date, ... (empty: no value)
  std::string value;     // office:value of a float
  std::string text;      // the displayed text
  bool formula = false;  // has table:formula
};

std::string Attr(const std::string& tag, const std::string& name) {
  const std::regex re(name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(tag, m, re) ? m[1].str() : std::string();
}

// The text of one <text:p> element's content.
std::string ParagraphText(const std::string& xml) {
  std::string out;
  for (size_t i = 0; i < xml.size();) {
    if (xml[i] == '<') {
      const size_t end = xml.find('>', i);
      const std::string tag = xml.substr(i, end - i + 1);
      if (tag.rfind("<text:s ", 0) == 0 || tag.rfind("<text:s/", 0) == 0) {
        const std::string c = Attr(tag, "text:c");
        out.append(c.empty() ? 1 : std::stoul(c), ' ');
      } else if (tag.rfind("<text:line-break", 0) == 0) {
        out.push_back('\n');
      } else if (tag.rfind("<text:tab", 0) == 0) {
        out.push_back('\t');
      }
      i = end + 1;
    } else if (xml[i] == '&') {
      const size_t end = xml.find(';', i);
      const std::string e = xml.substr(i, end - i + 1);
      out += e == "&lt;"     ? "<"
             : e == "&gt;"   ? ">"
             : e == "&quot;" ? "\""
             : e == "&apos;" ? "'"
                             : "&";
      i = end + 1;
    } else {
      out.push_back(xml[i++]);
    }
  }
  return out;
}

// A cell's displayed text: its paragraphs joined by line ends (the file is indented, so
// only what is inside <text:p> counts).
std::string XmlText(const std::string& xml) {
  std::string out;
  bool first = true;
  for (size_t p = xml.find("<text:p"); p != std::string::npos; p = xml.find("<text:p", p + 1)) {
    const size_t open_end = xml.find('>', p);
    if (!first) out.push_back('\n');
    first = false;
    if (xml[open_end - 1] == '/') continue;
    const size_t close = xml.find("</text:p>", open_end);
    out += ParagraphText(xml.substr(open_end + 1, close - open_end - 1));
    p = close;
  }
  return out;
}

// The rows of the first table of a flat ODF spreadsheet.
std::vector<std::vector<OdsCell>> ParseFods(const std::string& xml) {
  std::vector<std::vector<OdsCell>> rows;
  size_t pos = xml.find("<table:table ");
  const size_t table_end = xml.find("</table:table>", pos);
  while (true) {
    const size_t row = xml.find("<table:table-row", pos);
    if (row == std::string::npos || row > table_end) break;
    const size_t row_end = xml.find("</table:table-row>", row);
    std::vector<OdsCell> cells;
    size_t c = row;
    while (true) {
      c = xml.find("<table:table-cell", c);
      if (c == std::string::npos || c > row_end) break;
      const size_t tag_end = xml.find('>', c);
      const std::string tag = xml.substr(c, tag_end - c + 1);
      OdsCell cell;
      cell.type = Attr(tag, "office:value-type");
      cell.value = Attr(tag, "office:value");
      cell.formula = tag.find("table:formula=") != std::string::npos;
      size_t next = tag_end + 1;
      if (tag[tag.size() - 2] != '/') {
        const size_t close = xml.find("</table:table-cell>", tag_end);
        cell.text = XmlText(xml.substr(tag_end + 1, close - tag_end - 1));
        next = close;
      }
      const std::string repeated = Attr(tag, "table:number-columns-repeated");
      const size_t n = repeated.empty() ? 1 : std::stoul(repeated);
      for (size_t k = 0; k < n && k < 64; ++k) cells.push_back(cell);
      c = next;
    }
    rows.push_back(std::move(cells));
    pos = row_end;
  }
  return rows;
}

std::string FindSoffice() {
  for (const char* name : {"soffice", "libreoffice"}) {
    const std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return "";
}

constexpr char kInjection[] = R"(<!DOCTYPE html>
<html lang="zh-Hant"><head><meta charset="utf-8">
<title>=HYPERLINK("http://x","y") 晶片出口報導</title>
<meta property="og:site_name" content="測試日報">
<meta property="article:published_time" content="2025-09-01T10:00:00+08:00">
</head><body><article>
<h1>=HYPERLINK("http://x","y") 晶片出口報導</h1>
<p>=HYPERLINK("http://x","y")據路透社報導，輝達H20晶片去年在中國出貨約100萬顆，營收超過800億美元。</p>
<p>+1分析師指出，華為昇騰910C晶片的良率約為30%，明年產量可望達到60萬顆。</p>
<p>-2知情人士透露，阿里巴巴的晶片訓練成本下降了約40%，每顆晶片售價約2.5萬美元。</p>
<p>@SUM(A1)半導體研究公司SemiAnalysis估計，中國今年將進口超過100萬顆AI晶片，總值逾200億美元。</p>
</article></body></html>
)";

// Checks that every cell of csv_rows reads back from LibreOffice as written.
void ExpectSameCells(const Rows& csv, const std::vector<std::vector<OdsCell>>& ods,
                     const std::set<std::string>& numeric_columns, int* formula_like) {
  ASSERT_GE(ods.size(), csv.size());
  const std::vector<std::string>& header = csv[0];
  for (size_t r = 0; r < csv.size(); ++r) {
    for (size_t c = 0; c < csv[r].size(); ++c) {
      const std::string& want = csv[r][c];
      SCOPED_TRACE("row " + std::to_string(r) + " column " + header[c] + ": " + want);
      const OdsCell empty;
      const OdsCell& got = c < ods[r].size() ? ods[r][c] : empty;
      EXPECT_FALSE(got.formula);
      if (want.empty()) {
        EXPECT_EQ(got.text, "");
        continue;
      }
      if (r > 0 && numeric_columns.count(header[c])) {
        ASSERT_EQ(got.type, "float");
        EXPECT_DOUBLE_EQ(std::stod(got.value), std::stod(want));
        continue;
      }
      // Text stays text, except what the import's type detection reads as the same
      // value: a published date as a date, a figure written as a bare number or
      // percentage ("2%") as that number.
      if (header[c] == "published" && got.type == "date") continue;
      static const std::regex kBareNumber(R"(\d+(\.\d+)?%?)");
      if ((got.type == "float" || got.type == "percentage") &&
          std::regex_match(want, kBareNumber)) {
        const double scale = got.type == "percentage" ? 100 : 1;
        EXPECT_NEAR(std::stod(got.value) * scale, std::stod(want), 1e-9 * std::stod(want));
        continue;
      }
      EXPECT_EQ(got.type, "string");
      // LibreOffice drops trailing line ends of a cell; compare the rest byte for byte.
      std::string w = want;
      while (!w.empty() && (w.back() == '\n' || w.back() == '\r')) w.pop_back();
      std::string t = got.text;
      t.erase(std::remove(t.begin(), t.end(), '\r'), t.end());
      w.erase(std::remove(w.begin(), w.end(), '\r'), w.end());
      EXPECT_EQ(t, w);
      if (want[0] == '\'') ++*formula_like;
    }
  }
}

TEST(LibreOfficeEndToEnd, CsvOpensWithTextNumbersAndNoFormulas) {
  const std::string soffice = FindSoffice();
  if (soffice.empty()) GTEST_SKIP() << "LibreOffice is not installed (scripts/setup.sh --test)";
  TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "in");
  std::ofstream(tmp / "in/inject.html", std::ios::binary) << kInjection;
  const std::string db = tmp / "lo.db";
  for (const std::string& in : {kSource + "/corpus/seeds", tmp / "in"}) {
    CliResult r = RunCli(tmp, {"ingest", in, "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CliResult r = RunCli(tmp, {"export", "--format", "csv", "--db", db, "--out", tmp / "claims.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunCli(tmp, {"export", "--format", "csv", "--per", "article", "--db", db, "--out",
                   tmp / "articles.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // A private profile and HOME so parallel runs do not share LibreOffice's lock. Headless
  // import takes the character set from the filter options (it does not look at the BOM
  // the way the Text Import dialog does): 76 = UTF-8, comma, double quote, from line 1,
  // default column types (formula evaluation on, as in this version's dialog).
  const std::string cmd = "cd " + ShellQuote(tmp.path().string()) +
                          " && HOME=" + ShellQuote(tmp / "home") + " timeout 300 " + soffice +
                          " -env:UserInstallation=file://" + tmp / "profile" +
                          " --headless --norestore --infilter=CSV:44,34,76,1 --convert-to fods "
                          "--outdir " +
                          ShellQuote(tmp / "out") + " claims.csv articles.csv > " +
                          ShellQuote(tmp / "soffice.log") + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << ReadAll(tmp / "soffice.log");
  const std::string claims_xml = ReadAll(tmp / "out/claims.fods");
  const std::string articles_xml = ReadAll(tmp / "out/articles.fods");
  ASSERT_FALSE(claims_xml.empty()) << ReadAll(tmp / "soffice.log");
  ASSERT_FALSE(articles_xml.empty()) << ReadAll(tmp / "soffice.log");
  EXPECT_EQ(claims_xml.find("table:formula="), std::string::npos);
  EXPECT_EQ(articles_xml.find("table:formula="), std::string::npos);

  const Rows claims = ParseCsv(ReadAll(tmp / "claims.csv"));
  const auto claims_ods = ParseFods(claims_xml);
  ASSERT_GT(claims.size(), 20u);
  ASSERT_FALSE(claims_ods.empty());
  // The BOM is not part of the first cell.
  EXPECT_EQ(claims_ods[0][0].text, "article_id");
  int formula_like = 0;
  ExpectSameCells(claims, claims_ods,
                  {"article_id", "value", "value_high", "figure_id", "cluster_id"}, &formula_like);
  // The crafted article: its title and quotes start with =, +, - and @.
  EXPECT_GE(formula_like, 4);
  bool hyperlink = false, chinese = false;
  for (const auto& row : claims_ods) {
    for (const auto& cell : row) {
      if (cell.text.rfind("'=HYPERLINK(\"http://x\",\"y\")", 0) == 0 && cell.type == "string") {
        hyperlink = true;
      }
      if (cell.text.find("晶片出口報導") != std::string::npos) chinese = true;
    }
  }
  EXPECT_TRUE(hyperlink);
  EXPECT_TRUE(chinese);

  const Rows articles = ParseCsv(ReadAll(tmp / "articles.csv"));
  ASSERT_EQ(articles.size(), 7u);  // header, five seeds, the crafted article
  formula_like = 0;
  ExpectSameCells(articles, ParseFods(articles_xml), {"article_id", "figure_count", "cluster_id"},
                  &formula_like);
  EXPECT_GE(formula_like, 1);
}

}  // namespace
}  // namespace newsclaim::testing
