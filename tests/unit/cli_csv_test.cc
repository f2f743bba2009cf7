// CSV cells: RFC 4180 quoting, numbers unquoted (negative ones too), formula injection
// neutralised (ASCII and full-width triggers, after spaces), the BOM constant.
#include <gtest/gtest.h>

#include <limits>

#include "cli/common.h"
#include "cli/csv.h"

namespace newsclaim::cli {
namespace {

TEST(CsvRowTest, QuotingAndNeutralising) {
  struct Case {
    std::string in;
    std::string want;
  };
  const Case cases[] = {
      {"plain", "plain"},
      {"晶片", "晶片"},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
      {"+1", "'+1"},
      {"-5%", "'-5%"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\tx", "'\tx"},
      {"\rx", "\"'\rx\""},
      {"\nx", "\"'\nx\""},
      {"  =1+1", "'  =1+1"},
      {"\xEF\xBC\x9D"
       "1+1",
       "'\xEF\xBC\x9D"
       "1+1"},  // ＝1+1
      {"\xEF\xBC\x8B"
       "1",
       "'\xEF\xBC\x8B"
       "1"},  // ＋1
      {"\xEF\xBC\x8D"
       "2",
       "'\xEF\xBC\x8D"
       "2"},  // －2
      {"\xEF\xBC\xA0"
       "SUM",
       "'\xEF\xBC\xA0"
       "SUM"},  // ＠SUM
      {"a=b", "a=b"},
      {"5-2", "5-2"},
      {"  ", "  "},
      {"", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    CsvRow row;
    row.Text(c.in);
    EXPECT_EQ(row.Finish(), c.want + "\r\n");
  }
}

TEST(CsvRowTest, NumbersAreUnquoted) {
  CsvRow row;
  row.Integer(7).Number(8e10).Number(40.42).Number(3.8e25).Number(std::nullopt).Number(-2.5);
  EXPECT_EQ(row.Finish(), "7,80000000000,40.42,3.8e+25,,-2.5\r\n");
}

TEST(CsvRowTest, NonFiniteNumbersAreEmpty) {
  CsvRow row;
  row.Number(std::numeric_limits<double>::quiet_NaN())
      .Number(std::numeric_limits<double>::infinity())
      .Number(-std::numeric_limits<double>::infinity())
      .Number(-0.5);
  EXPECT_EQ(row.Finish(), ",,,-0.5\r\n");
}

TEST(CsvRowTest, RowsResetAfterFinish) {
  CsvRow row;
  EXPECT_EQ(row.Text("a").Integer(-3).Finish(), "a,-3\r\n");
  EXPECT_EQ(row.Text("b").Finish(), "b\r\n");
  EXPECT_EQ(kUtf8Bom, "\xEF\xBB\xBF");
}

TEST(StartsLikeFormulaTest, OnlyLeadingTriggers) {
  for (const char* s : {"=A1", "+1", "-1", "@x", "\t", "\r", "\n", " -1", "\xEF\xBC\x9D"}) {
    EXPECT_TRUE(StartsLikeFormula(s)) << s;
  }
  for (const char* s : {"", " ", "1", "晶片", "x=1", "\xEF\xBC\x91", "'=A1"}) {
    EXPECT_FALSE(StartsLikeFormula(s)) << s;
  }
}

TEST(FormatNumberTest, ShortestRoundTrip) {
  EXPECT_EQ(FormatNumber(16384), "16384");
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(1.4e6), "1400000");
  EXPECT_EQ(FormatNumber(453000000000.0), "453000000000");
}

}  // namespace
}  // namespace newsclaim::cli
