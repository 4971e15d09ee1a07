// Bad raw input: a clear error naming the file, and nothing written.
#include <gtest/gtest.h>

#include "batch_test_util.h"
#include "jobs/batch/row_scanner.h"

namespace ch::batch {
namespace {

using testing::kBuckets;

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::MakeStore();
    testing::Generate(*store_, 1, 0, 2, false);
  }
  // Runs the job; expects `code` with `words` in the message and an empty
  // processed bucket.
  void ExpectFailure(StatusCode code, const std::vector<std::string>& words) {
    Result<BatchSummary> s = RunBatch(*store_, kBuckets, BatchOptions{});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), code) << s.status().ToString();
    for (const std::string& w : words) {
      EXPECT_NE(s.status().message().find(w), std::string::npos)
          << "'" << w << "' not in " << s.status().ToString();
    }
    EXPECT_TRUE(testing::Objects(*store_, kBuckets.processed).empty());
  }
  void Replace(const std::string& key, const std::string& bytes) {
    ASSERT_TRUE(store_->Put({kBuckets.raw, key, ""}, bytes).ok());
  }
  std::unique_ptr<MemoryStore> store_;
};

TEST_F(BadInputTest, MissingRawFileIsNotFoundNamingIt) {
  ASSERT_TRUE(store_->Delete({kBuckets.raw, "raw/hospital_data.csv", ""}).ok());
  ExpectFailure(StatusCode::kNotFound, {"raw/hospital_data.csv"});
}

TEST_F(BadInputTest, MissingRequiredColumnNamesFileLineAndColumn) {
  Replace("raw/climate_data.csv",
          "date,location_code,temp_max_c,temp_min_c,temp_mean_c,humidity_pct,wind_speed_kmh,"
          "pm25_ugm3\n2015-01-01,KA,30,20,25,60,5,40\n");
  ExpectFailure(StatusCode::kInvalidArgument, {"raw/climate_data.csv", "line 1", "rainfall_mm"});
}

TEST_F(BadInputTest, FileThatIsNotCsvIsRejected) {
  Replace("raw/health_data.csv", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  ExpectFailure(StatusCode::kInvalidArgument, {"raw/health_data.csv", "missing required column"});
}

TEST_F(BadInputTest, UnterminatedQuoteIsRejectedWithItsLine) {
  Replace("raw/locations.csv",
          "location_code,name,latitude,longitude,population,elevation_m\nKA,\"Karnataka,1,2,3,4\n");
  ExpectFailure(StatusCode::kInvalidArgument, {"raw/locations.csv", "line 2", "unterminated"});
}

TEST_F(BadInputTest, EmptyFileIsRejected) {
  Replace("raw/climate_data.csv", "");
  ExpectFailure(StatusCode::kInvalidArgument, {"raw/climate_data.csv", "empty"});
}

TEST_F(BadInputTest, HeaderOnlyFilesHaveNoRowsToProcess) {
  for (const char* key : {"raw/climate_data.csv", "raw/health_data.csv", "raw/hospital_data.csv"}) {
    Replace(key, "date,location_code\n");
  }
  Result<BatchSummary> s = RunBatch(*store_, kBuckets, BatchOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(testing::Objects(*store_, kBuckets.processed).empty());
}

TEST(RowScannerTest, SplitsQuotedFieldsAndKeepsPhysicalLineNumbers) {
  std::vector<std::pair<int64_t, std::vector<std::string>>> rows;
  RowScanner scanner(
      "t.csv", [](const std::vector<std::string_view>&) { return Status::Ok(); },
      [&](const RawRow& row) {
        std::vector<std::string> f(row.fields.begin(), row.fields.end());
        if (!row.malformed.empty()) f.push_back("!" + std::string(row.malformed));
        rows.push_back({row.line, f});
        return Status::Ok();
      });
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b\r\n1,\"x,\"\"y\"\"\"\r\n\n2,\"multi\nline\"\n3,4\n5,b\"a\"d\n6,7";
  for (char c : text) ASSERT_TRUE(scanner.Write(std::string_view(&c, 1)).ok());
  ASSERT_TRUE(scanner.Finish().ok());
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].first, 2);
  EXPECT_EQ(rows[0].second, (std::vector<std::string>{"1", "x,\"y\""}));
  EXPECT_EQ(rows[1].first, 4);
  EXPECT_EQ(rows[1].second[1], "multi\nline");
  EXPECT_EQ(rows[2].first, 6);
  EXPECT_EQ(rows[3].first, 7);
  EXPECT_EQ(rows[3].second.back(), "!a quote inside an unquoted field");
  EXPECT_EQ(rows[4].first, 8);
  EXPECT_EQ(rows[4].second, (std::vector<std::string>{"6", "7"}));
}

}  // namespace
}  // namespace ch::batch
