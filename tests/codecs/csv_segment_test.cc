// Tests of the segment parser's quote mark, which tells the reader whether it
// must count quotes before splitting later blocks.
#include <gtest/gtest.h>

#include <string>

#include "codecs/csv_parse.h"

namespace ch::csv_internal {
namespace {

ParsePlan ClimatePlan() {
  CsvReadOptions o;
  o.schema = Schema({{"date", DataType::kDate},
                     {"location_code", DataType::kString},
                     {"rainfall_mm", DataType::kFloat64}});
  Result<ParsePlan> plan = MakePlan(o, {"date", "location_code", "rainfall_mm"}, 1);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return std::move(plan).value();
}

// Every block but the last ends inside a row, which the fast path rejects.
TEST(CsvSegmentTest, ARowCutShortWithoutQuotesDoesNotMarkAQuote) {
  const std::string whole = "2024-01-01,KA,1.5\n2024-01-02,KA,2.5\n";
  const std::string data = whole + "2024-01-03,K";
  SegmentResult r = ParseSegment(ClimatePlan(), data, false, 10);
  EXPECT_EQ(r.table.num_rows(), 2);
  EXPECT_EQ(r.consumed, whole.size());
  EXPECT_FALSE(r.saw_quote);
}

TEST(CsvSegmentTest, ARowCutShortInsideAQuoteMarksAQuote) {
  const std::string whole = "2024-01-01,KA,1.5\n";
  const std::string data = whole + "2024-01-03,\"K";
  SegmentResult r = ParseSegment(ClimatePlan(), data, false, 10);
  EXPECT_EQ(r.consumed, whole.size());
  EXPECT_TRUE(r.saw_quote);
}

// Values the fast path leaves to the general one (an exponent, CRLF, a blank
// line) are not quotes.
TEST(CsvSegmentTest, RowsOffTheFastPathWithoutQuotesDoNotMarkAQuote) {
  const std::string data = "2024-01-01,KA,1.5e1\r\n\n2024-01-02,KA,2.5\n";
  SegmentResult r = ParseSegment(ClimatePlan(), data, true, 10);
  ASSERT_FALSE(r.fatal.has_value()) << r.fatal->reason;
  EXPECT_EQ(r.table.num_rows(), 2);
  EXPECT_DOUBLE_EQ(r.table.column(2).Float64(0), 15.0);
  EXPECT_FALSE(r.saw_quote);
}

TEST(CsvSegmentTest, QuotedFieldsMarkAQuote) {
  const char* cases[] = {
      "2024-01-01,\"KA\",1.5\n",               // simple, on the fast path
      "2024-01-01,\"K\"\"A\",1.5\n",           // doubled quote
      "2024-01-01,\"K\nA\",1.5\n",             // a line end inside
      "2024-01-01,KA,1.5\n2024-01-02,\"KA\"",  // the last row, unended
  };
  for (const char* text : cases) {
    SegmentResult r = ParseSegment(ClimatePlan(), text, false, 10);
    EXPECT_TRUE(r.saw_quote) << text;
  }
}

}  // namespace
}  // namespace ch::csv_internal
