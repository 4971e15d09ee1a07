// Tests of CSV writing and write-then-read round trips.
#include "codecs/csv_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>

#include "codecs/csv_reader.h"
#include "support/temp_dir.h"

namespace ch {
namespace {

Table Awkward() {
  Schema schema({{"day", DataType::kDate},
                 {"name", DataType::kString},
                 {"value", DataType::kFloat64},
                 {"count", DataType::kInt64},
                 {"flag", DataType::kBool}});
  std::vector<Column> cols;
  cols.push_back(Column::FromDate({19783, 0, -1, 11016, 20000}, {1, 1, 1, 0, 1}));
  cols.push_back(Column::FromStrings(
      {"plain", "with, comma", "say \"hi\"", "two\nlines\r\nthree", "", "Mysuru ಮೈಸೂರು"},
      {1, 1, 1, 1, 1, 0}));
  cols.back().Truncate(5);
  cols.push_back(Column::FromFloat64({0.1, -2.5e-300, 1e21, 0, std::numeric_limits<double>::max()},
                                     {1, 1, 1, 0, 1}));
  cols.push_back(Column::FromInt64(
      {0, -1, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 7},
      {1, 0, 1, 1, 1}));
  cols.push_back(Column::FromBool({true, false, true, false, true}, {1, 1, 0, 1, 1}));
  return Table::Make(schema, std::move(cols)).value();
}

CsvReadOptions SchemaOf(const Table& t) {
  CsvReadOptions o;
  o.schema = t.schema();
  return o;
}

TEST(CsvWriterTest, QuotesOnlyWhereNeeded) {
  std::string csv = FormatCsv(Awkward());
  EXPECT_EQ(csv,
            "day,name,value,count,flag\n"
            "2024-03-01,plain,0.1,0,true\n"
            "1970-01-01,\"with, comma\",-2.5e-300,,false\n"
            "1969-12-31,\"say \"\"hi\"\"\",1e+21,-9223372036854775808,\n"
            ",\"two\nlines\r\nthree\",,9223372036854775807,false\n"
            "2024-10-04,\"\",1.7976931348623157e+308,7,true\n");
}

TEST(CsvWriterTest, WriteThenReadGivesAnIdenticalTable) {
  Table t = Awkward();
  for (bool crlf : {false, true}) {
    CsvWriteOptions w;
    w.crlf = crlf;
    Result<Table> back = ParseCsv(FormatCsv(t, w), SchemaOf(t));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(back->Equals(t)) << back->ToString();
  }
}

TEST(CsvWriterTest, UnicodeAndNullsSurviveARoundTrip) {
  Schema schema({{"name", DataType::kString}});
  std::vector<Column> cols;
  cols.push_back(Column::FromStrings(
      {"Thiruvananthapuram", "", "ಬೆಂಗಳೂರು", "São Paulo, \"BR\"", "x"}, {1, 0, 1, 1, 1}));
  Table t = Table::Make(schema, std::move(cols)).value();
  Result<Table> back = ParseCsv(FormatCsv(t), SchemaOf(t));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(t));
}

TEST(CsvWriterTest, FloatsRoundTripBitForBit) {
  std::mt19937_64 rng(7);
  std::vector<double> values;
  for (int i = 0; i < 20000; ++i) {
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof(d));
    if (std::isnan(d)) continue;
    values.push_back(d);
    values.push_back(
        std::ldexp(static_cast<double>(rng() % 100000), -(static_cast<int>(rng() % 20))));
  }
  Schema schema({{"x", DataType::kFloat64}});
  std::vector<Column> cols;
  cols.push_back(Column::FromFloat64(values));
  Table t = Table::Make(schema, std::move(cols)).value();
  Result<Table> back = ParseCsv(FormatCsv(t), SchemaOf(t));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(t));
}

TEST(CsvWriterTest, StreamedSourceYieldsTheSameBytesInSmallBatches) {
  Table t = Awkward();
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(t.Append(Awkward()).ok());
  CsvWriteOptions w;
  w.batch_bytes = 50;
  CsvTableSource source(t, w);
  std::string streamed;
  char buf[7];
  while (true) {
    Result<size_t> n = source.Read(buf, sizeof(buf));
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    streamed.append(buf, *n);
  }
  EXPECT_EQ(streamed, FormatCsv(t));
}

TEST(CsvWriterTest, EmptyTableWritesJustTheHeader) {
  Table t(Schema({{"a", DataType::kInt64}, {"b c", DataType::kString}}));
  EXPECT_EQ(FormatCsv(t), "a,b c\n");
  CsvWriteOptions w;
  w.header = false;
  EXPECT_EQ(FormatCsv(t, w), "");
}

class CsvFileTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CsvFileTest, FileRoundTripWithCompressionBySuffix) {
  // Each instance gets its own directory: ctest runs the suffixes in parallel.
  testing::TempDir dir("csv-file");
  std::filesystem::path path = dir.path() / (std::string("table.csv") + GetParam());
  Table t = Awkward();
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(t.Append(Awkward()).ok());
  ASSERT_TRUE(WriteCsvFile(t, path).ok());
  Result<Table> back = ReadCsvFile(path, SchemaOf(t));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(t));
}

INSTANTIATE_TEST_SUITE_P(Suffixes, CsvFileTest, ::testing::Values("", ".gz", ".zst"));

TEST(CsvFileTest, MissingFileIsNotFoundNamingThePath) {
  Result<Table> t = ReadCsvFile("/nonexistent/dir/x.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
  EXPECT_NE(t.status().message().find("/nonexistent/dir/x.csv"), std::string::npos);
}

}  // namespace
}  // namespace ch
