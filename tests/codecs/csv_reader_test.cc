// Tests of CSV reading: quoting, line ends, BOM, header by name, inference, streaming.
#include "codecs/csv_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace ch {
namespace {

CsvReadOptions Climate() {
  CsvReadOptions o;
  o.schema = Schema({{"date", DataType::kDate},
                     {"location_code", DataType::kString},
                     {"rainfall_mm", DataType::kFloat64},
                     {"cases", DataType::kInt64, /*required=*/false}});
  return o;
}

TEST(CsvReaderTest, FindsColumnsByHeaderNameInAnyOrder) {
  Result<Table> t =
      ParseCsv("rainfall_mm,cases,location_code,date\n1.5,3,KA,2024-01-02\n", Climate());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->schema().ToString(),
            "date:date?, location_code:string?, rainfall_mm:float64?, cases:int64?");
  EXPECT_EQ(t->column(0).ValueToString(0), "2024-01-02");
  EXPECT_EQ(t->column(1).String(0), "KA");
  EXPECT_EQ(t->column(2).Float64(0), 1.5);
  EXPECT_EQ(t->column(3).Int64(0), 3);
}

TEST(CsvReaderTest, OptionalColumnMissingFromTheHeaderIsAllNull) {
  Result<Table> t =
      ParseCsv("date,location_code,rainfall_mm\n2024-01-02,KA,1\n2024-01-03,MH,2\n", Climate());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->column(3).null_count(), 2);
}

TEST(CsvReaderTest, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
  std::string csv =
      "location_code,name\n"
      "KA,\"Bengaluru, Urban\"\n"
      "MH,\"say \"\"hi\"\"\"\n"
      "DL,\"two\nlines\"\n"
      "TN,\"\"\n"
      "KL,\n";
  Result<Table> t = ParseCsv(csv);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const Column& name = t->column(1);
  EXPECT_EQ(name.String(0), "Bengaluru, Urban");
  EXPECT_EQ(name.String(1), "say \"hi\"");
  EXPECT_EQ(name.String(2), "two\nlines");
  EXPECT_FALSE(name.IsNull(3));  // "" is an empty string
  EXPECT_EQ(name.String(3), "");
  EXPECT_TRUE(name.IsNull(4));  // nothing at all is null
}

TEST(CsvReaderTest, CrlfAndBomAreHandled) {
  Result<Table> t = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->schema().field(0).name, "a");
  ASSERT_EQ(t->num_rows(), 2);
  EXPECT_EQ(t->column(1).String(0), "x\r\ny");
  EXPECT_EQ(t->column(1).String(1), "z");
}

TEST(CsvReaderTest, LastRowWithoutLineEndIsRead) {
  Result<Table> t = ParseCsv("a,b\n1,2\n3,4");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->num_rows(), 2);
  EXPECT_EQ(t->column(1).Int64(1), 4);
}

TEST(CsvReaderTest, BlankLinesAreSkippedButAreNullsInAOneColumnFile) {
  Result<Table> t = ParseCsv("a,b\n1,2\n\n3,4\n\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_rows(), 2);
  Result<Table> one = ParseCsv("a\n1\n\n3\n");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->num_rows(), 3);
  EXPECT_TRUE(one->column(0).IsNull(1));
}

TEST(CsvReaderTest, ExtraColumnsAreKeptWithInferredTypes) {
  std::string csv =
      "date,location_code,rainfall_mm,flag,count,ratio,when,note,empty\n"
      "2024-01-01,KA,1,true,7,0.5,2024-02-03,x,\n"
      "2024-01-02,MH,2,FALSE,-3,2,2024-02-04,12,\n"
      "2024-01-03,DL,3,,,,,,\n";
  Result<Table> t = ParseCsv(csv, Climate());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->schema().ToString(),
            "date:date?, location_code:string?, rainfall_mm:float64?, cases:int64?, flag:bool?, "
            "count:int64?, ratio:float64?, when:date?, note:string?, empty:string?");
  EXPECT_EQ(t->column(4).Bool(1), false);
  EXPECT_EQ(t->column(5).Int64(1), -3);
  EXPECT_EQ(t->column(6).Float64(1), 2.0);
  EXPECT_EQ(t->column(8).String(1), "12");
  EXPECT_TRUE(t->column(5).IsNull(2));
}

TEST(CsvReaderTest, ExtraColumnsCanBeKeptAsStringsOrDropped) {
  CsvReadOptions o = Climate();
  o.extra_columns = ExtraColumns::kString;
  std::string csv = "date,location_code,rainfall_mm,count\n2024-01-01,KA,1,7\n";
  Result<Table> s = ParseCsv(csv, o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->column(4).type(), DataType::kString);
  o.extra_columns = ExtraColumns::kDrop;
  Result<Table> d = ParseCsv(csv, o);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->num_columns(), 4);
}

TEST(CsvReaderTest, NumbersAcceptSignsExponentsAndSurroundingBlanks) {
  CsvReadOptions o;
  o.schema = Schema({{"x", DataType::kFloat64}, {"n", DataType::kInt64}, {"b", DataType::kBool}});
  Result<Table> t = ParseCsv("x,n,b\n+1.5, 42 ,1\n-2e3,-7,False\n 0.1,+3,TRUE\n1e400x,0,0\n", o);
  ASSERT_FALSE(t.ok());
  Result<Table> ok = ParseCsv("x,n,b\n+1.5, 42 ,1\n-2e3,-7,False\n 0.1,+3,TRUE\n", o);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->column(0).Float64(0), 1.5);
  EXPECT_EQ(ok->column(0).Float64(1), -2000.0);
  EXPECT_EQ(ok->column(0).Float64(2), 0.1);
  EXPECT_EQ(ok->column(1).Int64(0), 42);
  EXPECT_EQ(ok->column(2).Bool(1), false);
}

TEST(CsvReaderTest, FloatsAreCorrectlyRounded) {
  CsvReadOptions o;
  o.schema = Schema({{"x", DataType::kFloat64}});
  const char* texts[] = {"0.1",
                         "123456789012345",
                         "1234567890123456789",
                         "0.30000000000000004",
                         "2.2250738585072014e-308",
                         "9007199254740993",
                         "-0.0",
                         "1.7976931348623157e308"};
  std::string csv = "x\n";
  for (const char* s : texts) csv += std::string(s) + "\n";
  Result<Table> t = ParseCsv(csv, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  for (size_t i = 0; i < std::size(texts); ++i) {
    EXPECT_EQ(t->column(0).Float64(static_cast<int64_t>(i)), std::strtod(texts[i], nullptr))
        << texts[i];
  }
  EXPECT_TRUE(std::signbit(t->column(0).Float64(6)));
}

TEST(CsvReaderTest, HeaderOnlyGivesAnEmptyTableWithTheSchema) {
  Result<Table> t = ParseCsv("date,location_code,rainfall_mm\n", Climate());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_rows(), 0);
  EXPECT_EQ(t->num_columns(), 4);
}

// The same input cut at every position, fed in two pieces, and fed a byte at
// a time, must give the same table as parsing it whole.
std::string Tricky() {
  return "\xEF\xBB\xBF"
         "date,location_code,rainfall_mm,name\r\n"
         "2024-01-01,KA,1.5,\"Bengaluru, \"\"Urban\"\"\"\r\n"
         "2024-01-02,MH,,\"multi\r\nline\nname\"\r\n"
         "2024-01-03,\"DL\",2.25,\"\"\n"
         "\n"
         "2024-01-04,TN,3,Chennai\r\n"
         "2024-01-05,KL,-4.5,\"ends, here\"";
}

Table ParseInPieces(const std::string& text, const CsvReadOptions& o, size_t piece) {
  Table all;
  CsvStreamParser parser(o, [&](Table& chunk) { return all.Append(chunk); });
  for (size_t off = 0; off < text.size(); off += piece) {
    Status s = parser.Feed(std::string_view(text).substr(off, piece));
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  Status s = parser.Finish();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return all;
}

TEST(CsvStreamTest, EverySplitPositionGivesTheSameTable) {
  CsvReadOptions o = Climate();
  o.extra_columns = ExtraColumns::kString;
  const std::string text = Tricky();
  Result<Table> whole = ParseCsv(text, o);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  ASSERT_EQ(whole->num_rows(), 5);
  EXPECT_EQ(whole->column(4).String(1), "multi\r\nline\nname");
  for (size_t block : {size_t{8} << 20, size_t{7}, size_t{64}}) {
    o.block_size = block;
    for (size_t cut = 0; cut <= text.size(); ++cut) {
      Table got;
      CsvStreamParser parser(o, [&](Table& chunk) { return got.Append(chunk); });
      ASSERT_TRUE(parser.Feed(std::string_view(text).substr(0, cut)).ok());
      ASSERT_TRUE(parser.Feed(std::string_view(text).substr(cut)).ok());
      ASSERT_TRUE(parser.Finish().ok());
      ASSERT_TRUE(got.Equals(*whole)) << "block " << block << " cut " << cut << "\n"
                                      << got.ToString();
    }
    EXPECT_TRUE(ParseInPieces(text, o, 1).Equals(*whole)) << "block " << block;
  }
}

TEST(CsvStreamTest, ParallelParseOfManyBlocksMatchesOneThread) {
  std::string text = "date,location_code,rainfall_mm,name\n";
  for (int i = 0; i < 20000; ++i) {
    text += "2024-01-" + std::to_string(10 + i % 19) + ",L" + std::to_string(i % 37) + "," +
            std::to_string(i * 0.25) + "," +
            (i % 7 == 0 ? "\"with, comma\nand newline\"" : "plain") + (i % 11 == 0 ? "\r\n" : "\n");
  }
  CsvReadOptions one = Climate();
  one.num_threads = 1;
  Result<Table> expected = ParseCsv(text, one);
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  ASSERT_EQ(expected->num_rows(), 20000);
  CsvReadOptions many = Climate();
  many.num_threads = 4;
  many.block_size = 64 << 10;
  CsvReport report;
  Result<Table> got = ParseCsv(text, many, &report);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->Equals(*expected));
  EXPECT_EQ(report.rows, 20000);
  EXPECT_EQ(report.lines, 1 + 20000 + 20000 / 7 + 1);
  EXPECT_TRUE(ParseInPieces(text, many, 4093).Equals(*expected));
}

// Strings are parsed into dictionaries; a column whose values turn out to be
// mostly distinct (here: after 40,000 rows of five names) turns plain on the
// way, in the chunks and in the table, and the table is still one thread's.
TEST(CsvStreamTest, StringColumnsStayDictionariesOnlyWhileTheirValuesAreFew) {
  std::string text = "date,location_code,rainfall_mm,name\n";
  const int rows = 140000;
  for (int i = 0; i < rows; ++i) {
    text += "2024-01-" + std::to_string(10 + i % 19) + ",L" + std::to_string(i % 37) + "," +
            std::to_string(i % 100) + "," +
            (i < 40000 ? "n" + std::to_string(i % 5) : "id-" + std::to_string(i)) + "\n";
  }
  CsvReadOptions one = Climate();
  one.num_threads = 1;
  CsvReadOptions two = Climate();
  two.num_threads = 2;
  two.block_size = 64 << 10;
  for (const CsvReadOptions& options : {one, two}) {
    Result<Table> got = ParseCsv(text, options);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->num_rows(), rows);
    EXPECT_TRUE(got->column(1).dictionary_encoded());
    EXPECT_FALSE(got->column(4).dictionary_encoded());
    EXPECT_EQ(got->column(1).String(38), "L1");
    EXPECT_EQ(got->column(4).String(39999), "n4");
    EXPECT_EQ(got->column(4).String(rows - 1), "id-" + std::to_string(rows - 1));
    Table plain = *got;
    for (int c : {1, 4}) plain.mutable_column(c).DecodeDictionary();
    EXPECT_TRUE(plain.Equals(*got));
  }
  Result<Table> a = ParseCsv(text, one);
  Result<Table> b = ParseCsv(text, two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->Equals(*b));
  // Only the first rows: every string column stays a dictionary.
  Result<Table> few = ParseCsv(text.substr(0, text.rfind('\n', text.find("id-")) + 1), two);
  ASSERT_TRUE(few.ok()) << few.status().ToString();
  EXPECT_EQ(few->num_rows(), 40000);
  EXPECT_TRUE(few->column(4).dictionary_encoded());
}

// Floats are parsed into decimal-encoded columns, bit for bit the values
// strtod gives. A block with more places raises the table's scale; a value
// that is no short decimal (here in the last rows, quoted, so it takes the
// general path) turns the column plain, in the chunks and in the table.
TEST(CsvStreamTest, FloatColumnsStayDecimalOnlyWhileTheirValuesAreShortDecimals) {
  CsvReadOptions options;
  options.schema = Schema({{"temp_c", DataType::kFloat64},
                           {"rainfall_mm", DataType::kFloat64},
                           {"pm25", DataType::kFloat64}});
  std::string text = "temp_c,rainfall_mm,pm25\n";
  std::vector<std::string> rainfall;
  const int rows = 60000;
  for (int i = 0; i < rows; ++i) {
    std::string temp = std::to_string(1 + i % 45) + "." + std::to_string(i % 10);
    std::string rain = std::to_string(i % 300);
    if (i > 40000) rain += "." + std::to_string(10 + i % 90);  // two places, late
    std::string pm25 = i % 13 == 0 ? "" : std::to_string(i % 500);
    if (i == rows - 2) pm25 = "\"123456.5\"";
    text += (i % 7 == 0 ? "-" : "") + temp + "," + rain + "," + pm25 + "\n";
    rainfall.push_back(rain);
  }
  CsvReadOptions one = options;
  one.num_threads = 1;
  CsvReadOptions two = options;
  two.num_threads = 2;
  two.block_size = 64 << 10;
  for (const CsvReadOptions& o : {one, two}) {
    Result<Table> got = ParseCsv(text, o);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->num_rows(), rows);
    EXPECT_TRUE(got->column(0).decimal_encoded());
    EXPECT_EQ(got->column(0).decimal_scale(), 1);
    EXPECT_TRUE(got->column(1).decimal_encoded());
    EXPECT_EQ(got->column(1).decimal_scale(), 2);
    EXPECT_FALSE(got->column(2).decimal_encoded());
    for (int i = 0; i < rows; i += 997) {
      double want = std::strtod(rainfall[static_cast<size_t>(i)].c_str(), nullptr);
      double have = got->column(1).Float64(i);
      EXPECT_EQ(std::memcmp(&want, &have, sizeof want), 0) << i << ": " << have;
    }
    EXPECT_EQ(got->column(0).ValueToString(7), "-8.7");
    EXPECT_EQ(got->column(2).ValueToString(rows - 2), "123456.5");
    EXPECT_TRUE(got->column(2).IsNull(0));
    Table plain = *got;
    for (int c : {0, 1}) plain.mutable_column(c).DecodeDecimal();
    EXPECT_TRUE(plain.Equals(*got));
  }
  Result<Table> a = ParseCsv(text, one);
  Result<Table> b = ParseCsv(text, two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->Equals(*b));
  EXPECT_TRUE(ParseInPieces(text, two, 4093).Equals(*a));
}

// A block is split for the threads at the first line end past its middle.
// Until a quote has been seen, the quotes before that point are not counted,
// so the split can land inside a quoted field that spans lines; the parse
// must notice and still give one thread's table. The quoted row is moved
// across the middle of a single block, one row at a time.
TEST(CsvStreamTest, ASplitInsideTheFirstQuotedFieldStillParsesLikeOneThread) {
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += "line " + std::to_string(i) + "\n";
  const std::string quoted = "\"" + lines + "\"";
  auto row = [](int i) {
    return "2024-01-" + std::to_string(10 + i % 19) + ",L" + std::to_string(i % 37) + "," +
           std::to_string(i * 0.25) + ",plain\n";
  };
  const int rows = 40000;  // about 1.3 MB: one block, parsed by two threads
  // The row at the middle byte of the plain rows.
  size_t plain_bytes = 0;
  for (int i = 0; i < rows; ++i) plain_bytes += row(i).size();
  int middle = 0;
  for (size_t at = 0; at < plain_bytes / 2; ++middle) at += row(middle).size();
  CsvReadOptions one = Climate();
  one.num_threads = 1;
  CsvReadOptions two = Climate();
  two.num_threads = 2;
  int cuts_inside = 0;
  for (int at = middle - 60; at <= middle + 20; at += 4) {
    std::string text = "date,location_code,rainfall_mm,name\n";
    for (int i = 0; i < rows; ++i) {
      text += i == at ? "2024-02-01,LQ,1.5," + quoted + "\n" : row(i);
    }
    ASSERT_GE(text.size(), size_t{1} << 20);
    const size_t body = text.find('\n') + 1;
    const size_t cut = body + (text.size() - body) / 2;
    const size_t open = text.find('"');
    if (open < cut && cut < text.find('"', open + 1)) ++cuts_inside;
    Result<Table> expected = ParseCsv(text, one);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    ASSERT_EQ(expected->num_rows(), rows);
    ASSERT_EQ(expected->column(4).String(at), lines);
    CsvReport report;
    Result<Table> got = ParseCsv(text, two, &report);
    ASSERT_TRUE(got.ok()) << "quoted row " << at << ": " << got.status().ToString();
    EXPECT_TRUE(got->Equals(*expected)) << "quoted row " << at;
    EXPECT_EQ(report.lines, 1 + rows + 200) << "quoted row " << at;
  }
  EXPECT_GE(cuts_inside, 5);  // the case under test did arise
}

TEST(CsvStreamTest, ChunksArriveInOrderAndCanBeKept) {
  std::string text = "n\n";
  for (int i = 0; i < 5000; ++i) text += std::to_string(i) + "\n";
  CsvReadOptions o;
  o.block_size = 1000;
  std::vector<Table> kept;
  CsvStreamParser parser(o, [&](Table& chunk) {
    kept.push_back(std::move(chunk));
    return Status::Ok();
  });
  ASSERT_TRUE(parser.Feed(text).ok());
  ASSERT_TRUE(parser.Finish().ok());
  EXPECT_GT(kept.size(), 10u);
  int64_t next = 0;
  for (const Table& t : kept) {
    for (int64_t r = 0; r < t.num_rows(); ++r) ASSERT_EQ(t.column(0).Int64(r), next++);
  }
  EXPECT_EQ(next, 5000);
}

TEST(CsvStreamTest, AHandlerErrorStopsParsing) {
  CsvStreamParser parser({}, [](Table&) { return Status::IOError("disk full"); });
  ASSERT_TRUE(parser.Feed("a\n1\n").ok());
  Status s = parser.Finish();
  EXPECT_EQ(s.code(), StatusCode::kIOError);
  EXPECT_EQ(parser.Feed("2\n").code(), StatusCode::kIOError);
}

TEST(CsvReaderTest, OtherDelimitersWork) {
  CsvReadOptions o;
  o.delimiter = ';';
  Result<Table> t = ParseCsv("a;b\n1,5;\"x;y\"\n", o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->column(0).String(0), "1,5");
  EXPECT_EQ(t->column(1).String(0), "x;y");
  o.delimiter = '\t';
  Result<Table> tsv = ParseCsv("a\tb\n1\t2\n", o);
  ASSERT_TRUE(tsv.ok());
  EXPECT_EQ(tsv->column(1).Int64(0), 2);
}

TEST(CsvReaderTest, DroppedColumnsAreNotValidated) {
  CsvReadOptions o;
  o.schema = Schema({{"a", DataType::kInt64}});
  o.extra_columns = ExtraColumns::kDrop;
  Result<Table> t = ParseCsv("a,junk\n1,\xFF\xFE\n2,ok\n", o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->num_rows(), 2);
  EXPECT_EQ(t->num_columns(), 1);
}

TEST(CsvReaderTest, QuotedStringsParseTheSameInParallel) {
  std::string text = "id,name,place\n";
  for (int i = 0; i < 30000; ++i) {
    text += std::to_string(i) + ",\"Name " + std::to_string(i) + ", ಊರು\"," +
            (i % 10 == 0 ? "\"say \"\"x\"\"\"" : "\"\"") + "\n";
  }
  CsvReadOptions one;
  one.num_threads = 1;
  Result<Table> expected = ParseCsv(text, one);
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  EXPECT_EQ(expected->column(1).String(29999), "Name 29999, ಊರು");
  EXPECT_EQ(expected->column(2).String(10), "say \"x\"");
  EXPECT_FALSE(expected->column(2).IsNull(11));
  CsvReadOptions many;
  many.num_threads = 3;
  many.block_size = 100 << 10;
  Result<Table> got = ParseCsv(text, many);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->Equals(*expected));
}

TEST(CsvReaderTest, ReportCountsRowsAndLines) {
  CsvReport report;
  Result<Table> t = ParseCsv("a,b\n1,\"x\ny\"\n\n2,z", {}, &report);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(report.rows, 2);
  EXPECT_EQ(report.rows_rejected, 0);
  EXPECT_EQ(report.lines, 5);
  EXPECT_EQ(report.Summary(), "2 rows, 0 rejected");
}

}  // namespace
}  // namespace ch
