// CSV cells: RFC 4180 quoting, numbers unquoted, formula injection neutralised.
#include <gtest/gtest.h>

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

TEST(FormatNumberTest, ShortestRoundTrip) {
  EXPECT_EQ(FormatNumber(16384), "16384");
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(1.4e6), "1400000");
  EXPECT_EQ(FormatNumber(453000000000.0), "453000000000");
}

}  // namespace
}  // namespace newsclaim::cli
