// End to end: `newsclaim ingest --warc` on a CC-NEWS-style file (GB18030 and Big5 pages
// whose charset is only in the HTTP header): articles with the right text, an index entry
// per record, nothing added by a second run; a damaged record becomes an error row and
// exit status 1 while the others are stored.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ingest/warc.h"
#include "tests/e2e/cli_runner.h"
#include "tests/e2e/readback.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSource = NEWSCLAIM_SOURCE_DIR;
const std::string kSample = kSource + "/tests/data/warc/cc-news-sample.warc.gz";

std::string One(const std::string& db, const std::string& sql) {
  const std::vector<std::string> rows = SqlColumn(db, sql);
  return rows.empty() ? "<no row>" : rows[0];
}

TEST(WarcEndToEnd, CcNewsFileIsStoredWithTheRightTextAndIndexedOnce) {
  TempDir tmp;
  const std::string db = tmp / "warc.db";
  CliResult first = RunCli(tmp, {"ingest", "--db", db, "--warc", kSample});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("3 documents, 1 skipped (1 warcinfo record), 0 bad"), std::string::npos)
      << first.err;
  EXPECT_EQ(One(db, "SELECT count(*) FROM articles"), "3");
  EXPECT_EQ(One(db, "SELECT count(*) FROM errors"), "0");
  // Decoded with the charset of the HTTP header (the pages declare none).
  const std::string gb = "http://finance.sina.com.cn/tech/2026-11-20/doc-ai-chips.shtml";
  const std::string big5 = "https://www.chinatimes.com/realtimenews/20261121000001-260410";
  const std::string gb_body = One(db, "SELECT body FROM articles WHERE uri = '" + gb + "'");
  EXPECT_NE(gb_body.find("华为今年昇腾910B芯片的出货量预计将达到40万片"), std::string::npos)
      << gb_body;
  EXPECT_EQ(One(db, "SELECT lower(charset) FROM articles WHERE uri = '" + gb + "'"), "gb18030");
  const std::string big5_body = One(db, "SELECT body FROM articles WHERE uri = '" + big5 + "'");
  EXPECT_NE(big5_body.find("明年CoWoS先進封裝的月產能將提高到每月8萬片"), std::string::npos)
      << big5_body;
  EXPECT_EQ(One(db, "SELECT title FROM articles WHERE uri = '" + big5 + "'"),
            "台積電先進封裝產能再擴充");
  EXPECT_NE(One(db, "SELECT count(*) FROM figures"), "0");
  // Raw documents keep the transport facts.
  EXPECT_EQ(One(db,
                "SELECT source_kind || ' ' || http_status || ' ' || declared_charset || ' ' || "
                "first_seen FROM raw_documents WHERE first_uri = '" +
                    big5 + "'"),
            "warc 200 big5 2026-11-22T06:02:00Z");
  // One index entry per response; each points at a readable record of that document.
  EXPECT_EQ(One(db, "SELECT count(*) FROM warc_records"), "3");
  const std::string offset =
      One(db, "SELECT \"offset\" FROM warc_records WHERE target_uri = '" + big5 + "'");
  const std::string length =
      One(db, "SELECT length FROM warc_records WHERE target_uri = '" + big5 + "'");
  const std::string bytes = ReadAll(kSample);
  auto reader = ingest::WarcReader::FromBytes(bytes.substr(std::stoul(offset), std::stoul(length)),
                                              "slice", {});
  ingest::WarcItem item;
  ASSERT_TRUE(reader->Next(&item));
  EXPECT_EQ(item.doc.uri, big5);
  EXPECT_EQ(item.doc.sha256,
            One(db, "SELECT raw_sha256 FROM warc_records WHERE target_uri = '" + big5 + "'"));

  // Again: nothing new, nothing duplicated.
  CliResult second = RunCli(tmp, {"ingest", "--db", db, "--warc", kSample, "-q"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err, "");
  EXPECT_EQ(One(db, "SELECT count(*) FROM articles"), "3");
  EXPECT_EQ(One(db, "SELECT count(*) FROM raw_documents"), "3");
  EXPECT_EQ(One(db, "SELECT count(*) FROM warc_records"), "3");
  EXPECT_EQ(One(db, "SELECT added || ' ' || unchanged FROM runs ORDER BY id DESC LIMIT 1"), "0 3");
}

TEST(WarcEndToEnd, DamagedRecordIsAnErrorRowAndTheRestIsStored) {
  TempDir tmp;
  std::string bytes = ReadAll(kSample);
  // Find the Big5 page's gzip member with the reader itself and damage its middle.
  auto reader = ingest::WarcReader::FromBytes(bytes, "sample", {});
  ingest::WarcItem item;
  uint64_t offset = 0, length = 0;
  while (reader->Next(&item)) {
    if (item.target_uri.find("chinatimes") != std::string::npos) {
      offset = item.offset;
      length = item.length;
    }
  }
  ASSERT_GT(length, 100u);
  for (uint64_t k = 0; k < 30; ++k) bytes[offset + length / 2 + k] ^= 0x55;
  const std::string dir = tmp / "warcs";
  fs::create_directories(dir);
  const std::string damaged = dir + "/damaged.warc.gz";
  std::ofstream(damaged, std::ios::binary) << bytes;
  std::ofstream(dir + "/notes.txt") << "not a WARC file";  // ignored in a directory
  const std::string db = tmp / "warc.db";
  CliResult r = RunCli(tmp, {"ingest", "--db", db, "--warc", dir});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(One(db, "SELECT count(*) FROM articles"), "2");
  EXPECT_EQ(One(db, "SELECT count(*) FROM warc_records"), "2");
  EXPECT_EQ(One(db, "SELECT count(*) FROM errors"), "1");
  EXPECT_EQ(One(db, "SELECT stage || ' ' || code FROM errors"), "warc data_loss");
  const std::string message = One(db, "SELECT message FROM errors");
  EXPECT_NE(message.find(damaged), std::string::npos) << message;
  EXPECT_NE(message.find("offset " + std::to_string(offset)), std::string::npos) << message;
  EXPECT_NE(r.err.find("1 failed"), std::string::npos) << r.err;
}

TEST(WarcEndToEnd, MissingPathIsAUsageError) {
  TempDir tmp;
  CliResult r = RunCli(tmp, {"ingest", "--db", tmp / "x.db", "--warc", tmp / "missing.warc.gz"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.exit_code, 1);  // not "some documents failed"
  EXPECT_NE(r.err.find("missing.warc.gz"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace newsclaim::testing
