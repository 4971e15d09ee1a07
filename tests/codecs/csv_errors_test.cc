// A catalogue of malformed CSV inputs and the exact errors they give, strict and lenient.
#include <gtest/gtest.h>

#include <string>

#include "codecs/csv_reader.h"

namespace ch {
namespace {

CsvReadOptions ClimateFromRaw() {
  CsvReadOptions o;
  o.source_name = "raw/climate_data.csv";
  o.schema = Schema({{"date", DataType::kDate},
                     {"location_code", DataType::kString, true, /*nullable=*/false},
                     {"temp_max_c", DataType::kFloat64},
                     {"rainfall_mm", DataType::kFloat64},
                     {"cases", DataType::kInt64, /*required=*/false}});
  return o;
}

constexpr char kHeader[] = "date,location_code,temp_max_c,rainfall_mm\n";

struct Malformed {
  const char* name;
  std::string csv;
  std::string error;  // expected message after "parse csv raw/climate_data.csv: "
};

std::vector<Malformed> Catalogue() {
  std::string h = kHeader;
  return {
      {"BadNumber", h + "2024-01-01,KA,30.5,1\n2024-01-02,KA,31,abc\n",
       "line 3, column 4 (rainfall_mm): 'abc' is not a number"},
      {"BadInteger", "date,location_code,temp_max_c,rainfall_mm,cases\n2024-01-01,KA,1,2,3.5\n",
       "line 2, column 5 (cases): '3.5' is not an integer"},
      {"BadDateDay", h + "2023-02-29,KA,1,2\n",
       "line 2, column 1 (date): '2023-02-29' is not a valid date (day 29 is out of range for "
       "2023-02)"},
      {"BadDateMonth", h + "2023-13-01,KA,1,2\n",
       "line 2, column 1 (date): '2023-13-01' is not a valid date (month 13 is out of range)"},
      {"BadDateFormat", h + "01/02/2023,KA,1,2\n",
       "line 2, column 1 (date): '01/02/2023' is not a date in the form YYYY-MM-DD"},
      {"TooFewFields", h + "2024-01-01,KA,1\n",
       "line 2, column 4 (rainfall_mm): missing field: the row has 3 fields, the header has 4"},
      {"TooManyFields", h + "2024-01-01,KA,1,2,3\n",
       "line 2, column 5: extra field: the header has 4 columns"},
      {"UnterminatedQuote", h + "2024-01-01,KA,1,2\n2024-01-02,\"KA,1,2\n",
       "line 3, column 2 (location_code): unterminated quoted field (no closing quote before the "
       "end of input)"},
      {"TextAfterClosingQuote", h + "2024-01-01,\"KA\"x,1,2\n",
       "line 2, column 2 (location_code): unexpected character 'x' after the closing quote"},
      {"QuoteInsideUnquotedField", h + "2024-01-01,K\"A,1,2\n",
       "line 2, column 2 (location_code): quote character inside an unquoted field (quote the "
       "whole field and double the quote)"},
      {"NullInNonNullableColumn", h + "2024-01-01,,1,2\n",
       "line 2, column 2 (location_code): empty value in a column that may not be empty"},
      {"InvalidUtf8", h + "2024-01-01,K\xC3\x28,1,2\n",
       "line 2, column 2 (location_code): value is not valid UTF-8"},
      {"LineCountsIncludeNewlinesInsideQuotes",
       "date,location_code,temp_max_c,rainfall_mm,note\n2024-01-01,KA,1,2,\"a\nb\r\nc\"\n"
       "\n2024-01-02,KA,x,2,n\n",
       "line 6, column 3 (temp_max_c): 'x' is not a number"},
      {"LineCountsIncludeThousandsOfNewlinesInOneQuotedField",
       "date,location_code,temp_max_c,rainfall_mm,note\n2024-01-01,KA,1,2,\"" +
           std::string(5000, '\n') + std::string(70, 'x') + "\n\"\n2024-01-02,KA,x,2,n\n",
       "line 5004, column 3 (temp_max_c): 'x' is not a number"},
      {"BadDateAfterRowsOfTheSameGoodDate",
       h + "2024-01-01,KA,1,2\n2024-01-01,MH,1,2\n2024-01-01,DL,1,2\n2024-01-0x,KA,1,2\n",
       "line 5, column 1 (date): '2024-01-0x' is not a date in the form YYYY-MM-DD"},
      {"MissingRequiredColumns", "date,temp_max_c\n2024-01-01,1\n",
       "line 1: missing required columns 'location_code', 'rainfall_mm' (the header has: date, "
       "temp_max_c)"},
      {"DuplicateHeader", "date,location_code,temp_max_c,rainfall_mm,date\n",
       "line 1, column 5 (date): duplicate column name 'date' (also column 1)"},
      {"BadHeaderQuote", "date,\"location_code,temp_max_c,rainfall_mm\n",
       "line 1, column 2: unterminated quoted field in the header"},
      {"EmptyInput", "", "empty input: no header row"},
      {"EmptyHeader", "\n2024-01-01\n", "line 1: the header row is empty"},
  };
}

class CsvMalformedTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(CsvMalformedTest, NamesTheSourceLineColumnAndReason) {
  const Malformed& m = GetParam();
  Result<Table> t = ParseCsv(m.csv, ClimateFromRaw());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "parse csv raw/climate_data.csv: " + m.error);
}

TEST_P(CsvMalformedTest, SameErrorWhenFedAByteAtATime) {
  const Malformed& m = GetParam();
  CsvReadOptions o = ClimateFromRaw();
  o.block_size = 5;
  CsvStreamParser parser(o, [](Table&) { return Status::Ok(); });
  Status s;
  for (size_t i = 0; i < m.csv.size() && s.ok(); ++i) s = parser.Feed(m.csv.substr(i, 1));
  if (s.ok()) s = parser.Finish();
  EXPECT_EQ(s.message(), "parse csv raw/climate_data.csv: " + m.error);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, CsvMalformedTest, ::testing::ValuesIn(Catalogue()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CsvLenientTest, BadRowsAreLeftOutCountedAndListed) {
  CsvReadOptions o = ClimateFromRaw();
  o.bad_rows = BadRowPolicy::kSkip;
  std::string csv = std::string(kHeader) +
                    "2024-01-01,KA,30.5,1\n"
                    "2024-01-02,KA,31,abc\n"
                    "2024-02-30,MH,1,2\n"
                    "2024-01-03,MH,1,2,9\n"
                    "2024-01-04,\"MH\"?,1,2\n"
                    "2024-01-05,DL,\"7\",0\n"
                    "2024-01-06,TN,8\n";
  CsvReport report;
  Result<Table> t = ParseCsv(csv, o, &report);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->num_rows(), 2);
  EXPECT_EQ(t->column(1).String(0), "KA");
  EXPECT_EQ(t->column(1).String(1), "DL");
  EXPECT_EQ(t->column(2).Float64(1), 7.0);
  EXPECT_EQ(report.rows, 2);
  EXPECT_EQ(report.rows_rejected, 5);
  ASSERT_EQ(report.errors.size(), 5u);
  EXPECT_EQ(report.errors[0].ToString(), "line 3, column 4 (rainfall_mm): 'abc' is not a number");
  EXPECT_EQ(report.errors[1].line, 4);
  EXPECT_EQ(report.errors[1].column, 1);
  EXPECT_EQ(report.errors[2].ToString(), "line 5, column 5: extra field: the header has 4 columns");
  EXPECT_EQ(report.errors[3].column_name, "location_code");
  EXPECT_EQ(report.errors[4].line, 8);
  EXPECT_EQ(report.Summary().substr(0, 24), "2 rows, 5 rejected (line");
}

TEST(CsvLenientTest, ARepeatedBadDateIsRejectedEveryTimeAndGoodOnesBetweenAreKept) {
  CsvReadOptions o = ClimateFromRaw();
  o.bad_rows = BadRowPolicy::kSkip;
  std::string csv = std::string(kHeader) +
                    "2024-02-28,KA,1,2\n"
                    "2024-02-30,KA,1,2\n"
                    "2024-02-30,MH,1,2\n"
                    "2024-02-28,MH,1,2\n"
                    "2024-02-29,DL,1,2\n"
                    "2024-02-29,TN,1,2\n";
  CsvReport report;
  Result<Table> t = ParseCsv(csv, o, &report);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->num_rows(), 4);
  EXPECT_EQ(t->column(0).ValueToString(0), "2024-02-28");
  EXPECT_EQ(t->column(0).ValueToString(1), "2024-02-28");
  EXPECT_EQ(t->column(0).ValueToString(2), "2024-02-29");
  EXPECT_EQ(t->column(0).ValueToString(3), "2024-02-29");
  EXPECT_EQ(report.rows_rejected, 2);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].line, 3);
  EXPECT_EQ(report.errors[1].line, 4);
}

TEST(CsvLenientTest, ListIsCappedButTheCountIsExact) {
  CsvReadOptions o;
  o.schema = Schema({{"x", DataType::kInt64}});
  o.bad_rows = BadRowPolicy::kSkip;
  o.max_reported_errors = 3;
  o.block_size = 64;
  std::string csv = "x\n";
  for (int i = 0; i < 100; ++i) csv += (i % 2 ? "bad\n" : "1\n");
  CsvReport report;
  Result<Table> t = ParseCsv(csv, o, &report);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_rows(), 50);
  EXPECT_EQ(report.rows_rejected, 50);
  ASSERT_EQ(report.errors.size(), 3u);
  EXPECT_EQ(report.errors[2].line, 7);
}

TEST(CsvLenientTest, StrayQuoteInABadRowDoesNotConfuseParallelSplitting) {
  CsvReadOptions o;
  o.schema = Schema({{"id", DataType::kInt64}, {"s", DataType::kString}});
  o.bad_rows = BadRowPolicy::kSkip;
  o.num_threads = 4;
  o.block_size = 4 << 20;
  std::string csv = "id,s\n";
  for (int i = 0; i < 100000; ++i) {
    csv += std::to_string(i) + (i == 10 ? ",bad\"quote\n" : ",ok\n");
  }
  CsvReport report;
  Result<Table> t = ParseCsv(csv, o, &report);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->num_rows(), 99999);
  EXPECT_EQ(report.rows_rejected, 1);
  EXPECT_EQ(t->column(0).Int64(99998), 99999);
}

TEST(CsvInferenceTest, LaterValueThatDoesNotFitTheInferredTypeIsABadRow) {
  CsvReadOptions o;
  o.source_name = "x.csv";
  o.block_size = 16;
  Result<Table> t = ParseCsv("n\n1\n2\n3\n4\n5\n6\n7\nseven\n", o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "parse csv x.csv: line 9, column 1 (n): 'seven' is not an integer");
}

}  // namespace
}  // namespace ch
