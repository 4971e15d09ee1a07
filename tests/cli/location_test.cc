#include "cli/location.h"

#include <gtest/gtest.h>

namespace ch::cli {
namespace {

TEST(LocationTest, S3UriSplitsIntoBucketAndKey) {
  Result<Location> loc = ParseLocation("s3://raw/raw/climate_data.csv");
  ASSERT_TRUE(loc.ok());
  EXPECT_TRUE(loc->is_object);
  EXPECT_EQ(loc->bucket, "raw");
  EXPECT_EQ(loc->key, "raw/climate_data.csv");
}

TEST(LocationTest, BucketOnlyUriHasEmptyKey) {
  Result<Location> loc = ParseLocation("s3://climahealth-models");
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->bucket, "climahealth-models");
  EXPECT_EQ(loc->key, "");
  EXPECT_EQ(ParseLocation("s3://b/")->key, "");
}

TEST(LocationTest, AnythingElseIsALocalPath) {
  Result<Location> loc = ParseLocation("data/raw/x.csv");
  ASSERT_TRUE(loc.ok());
  EXPECT_FALSE(loc->is_object);
  EXPECT_EQ(loc->path, "data/raw/x.csv");
  EXPECT_TRUE(ParseLocation("-")->IsStdio());
}

TEST(LocationTest, UriWithoutBucketIsRejected) {
  Result<Location> loc = ParseLocation("s3:///key");
  ASSERT_FALSE(loc.ok());
  EXPECT_EQ(loc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(loc.status().message().find("s3:///key"), std::string::npos);
  EXPECT_FALSE(ParseLocation("").ok());
}

}  // namespace
}  // namespace ch::cli
