// Tests of ISO date parsing and formatting.
#include "table/date.h"

#include <gtest/gtest.h>

namespace ch {
namespace {

TEST(DateTest, EpochIsDayZero) {
  int32_t days = -1;
  ASSERT_TRUE(ParseIsoDate("1970-01-01", &days));
  EXPECT_EQ(days, 0);
  ASSERT_TRUE(ParseIsoDate("2024-03-01", &days));
  EXPECT_EQ(days, 19783);
  EXPECT_EQ(FormatIsoDate(19783), "2024-03-01");
  ASSERT_TRUE(ParseIsoDate("1969-12-31", &days));
  EXPECT_EQ(days, -1);
}

TEST(DateTest, LeapYearsFollowTheGregorianRules) {
  int32_t days;
  EXPECT_TRUE(ParseIsoDate("2024-02-29", &days));
  EXPECT_TRUE(ParseIsoDate("2000-02-29", &days));
  EXPECT_FALSE(ParseIsoDate("1900-02-29", &days));
  EXPECT_FALSE(ParseIsoDate("2023-02-29", &days));
  EXPECT_FALSE(ParseIsoDate("2023-04-31", &days));
  EXPECT_TRUE(ParseIsoDate("2023-12-31", &days));
}

TEST(DateTest, RejectsOtherFormats) {
  int32_t days;
  for (const char* bad : {"2023-1-01", "2023/01/01", "20230101", "2023-13-01", "2023-00-10",
                          "2023-01-00", "2023-01-32", " 2023-01-01", "2023-01-01x", "abcd-ef-gh"}) {
    EXPECT_FALSE(ParseIsoDate(bad, &days)) << bad;
  }
}

TEST(DateTest, DescribesWhyADateIsBad) {
  EXPECT_EQ(DescribeBadDate("2023-02-30"),
            "'2023-02-30' is not a valid date (day 30 is out of range for 2023-02)");
  EXPECT_EQ(DescribeBadDate("2023-13-01"),
            "'2023-13-01' is not a valid date (month 13 is out of range)");
  EXPECT_EQ(DescribeBadDate("01/02/2023"), "'01/02/2023' is not a date in the form YYYY-MM-DD");
}

TEST(DateTest, FormatRoundTripsEveryDayOfFourCenturies) {
  for (int32_t d = DaysFromCivil(1900, 1, 1); d < DaysFromCivil(2300, 1, 1); ++d) {
    int32_t back = 0;
    ASSERT_TRUE(ParseIsoDate(FormatIsoDate(d), &back)) << d;
    ASSERT_EQ(back, d);
  }
}

}  // namespace
}  // namespace ch
