// Number formatting, CSV quoting and locations.csv.
#include "generator/rows.h"

#include <gtest/gtest.h>

#include "generator/test_util.h"

namespace ch::gen {
namespace {

std::string Fixed(double value, int decimals) {
  char buf[32];
  return std::string(buf, WriteFixed(buf, value, decimals));
}

TEST(RowsTest, WriteFixedRoundsHalfAwayFromZeroAndNeverPrintsMinusZero) {
  EXPECT_EQ(Fixed(2.25, 1), "2.3");
  EXPECT_EQ(Fixed(-2.25, 1), "-2.3");
  EXPECT_EQ(Fixed(0.04, 1), "0.0");
  EXPECT_EQ(Fixed(-0.04, 1), "0.0");
  EXPECT_EQ(Fixed(0, 1), "0.0");
  EXPECT_EQ(Fixed(1234.5678, 4), "1234.5678");
  EXPECT_EQ(Fixed(-0.5, 2), "-0.50");
  EXPECT_EQ(Fixed(99.96, 1), "100.0");
}

TEST(RowsTest, WriteIntHandlesExtremes) {
  char buf[32];
  EXPECT_EQ(std::string(buf, WriteInt(buf, 0)), "0");
  EXPECT_EQ(std::string(buf, WriteInt(buf, -17)), "-17");
  EXPECT_EQ(std::string(buf, WriteInt(buf, INT64_MIN)), "-9223372036854775808");
}

TEST(RowsTest, CsvFieldsAreQuotedOnlyWhenNeededWithQuotesDoubled) {
  std::string out;
  AppendCsvField("plain", out);
  out += '|';
  AppendCsvField("a,b", out);
  out += '|';
  AppendCsvField("say \"hi\"", out);
  out += '|';
  AppendCsvField("two\nlines", out);
  EXPECT_EQ(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"");
}

TEST(RowsTest, TextBufferGrowsAndKeepsContent) {
  TextBuffer buffer;
  std::string expected;
  for (int i = 0; i < 100000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    buffer.Append(piece);
    expected += piece;
  }
  EXPECT_EQ(buffer.view(), expected);
  buffer.clear();
  EXPECT_EQ(buffer.size(), 0u);
}

TEST(RowsTest, LocationsCsvRoundTripsNamesWithCommasQuotesAndDevanagari) {
  const std::vector<Location> locs = BuildLocations(4, 3);
  const testing::Csv csv = testing::ParseCsv(LocationsCsv(locs));
  ASSERT_EQ(csv.rows.size(), locs.size());
  EXPECT_EQ(csv.header, (std::vector<std::string>{"location_code", "name", "latitude", "longitude",
                                                  "population", "elevation_m"}));
  for (size_t i = 0; i < locs.size(); ++i) {
    EXPECT_EQ(csv.rows[i][0], locs[i].code);
    EXPECT_EQ(csv.rows[i][1], locs[i].name);
    EXPECT_NEAR(std::stod(csv.rows[i][2]), locs[i].latitude, 1e-4);
    EXPECT_EQ(std::stoll(csv.rows[i][4]), locs[i].population);
  }
}

TEST(RowsTest, RowsFollowTheHeaderColumnOrder) {
  DayRecord record;
  record.climate = ClimateDay{41.26, 28.04, 34.66, 23.0, 0.0, 12.5, 88.8};
  record.health = HealthDay{1, 2, 3, 4, 5};
  record.hospital = HospitalDay{10, 2000, 1500, 100, 60};
  const DayInfo day = MakeDayInfo(std::chrono::sys_days{std::chrono::year{2020} / 5 / 17});
  TextBuffer out;
  AppendRow(Dataset::kClimate, day, "DL", record, "\n", out);
  AppendRow(Dataset::kHealth, day, "DL", record, "\r\n", out);
  AppendRow(Dataset::kHospital, day, "KA-017", record, "\n", out);
  EXPECT_EQ(out.view(),
            "2020-05-17,DL,41.3,28.0,34.7,23.0,0.0,12.5,88.8\n"
            "2020-05-17,DL,1,2,3,4,5\r\n"
            "2020-05-17,KA-017,10,2000,1500,100,60\n");
}

}  // namespace
}  // namespace ch::gen
