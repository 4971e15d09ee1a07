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

TEST(LocationTest, KeyBelowThePrefixMapsUnderTheDirectory) {
  Result<std::filesystem::path> path = LocalPathForKey("/tmp/down", "up/", "up/x/1.csv");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, "/tmp/down/x/1.csv");
  EXPECT_EQ(*LocalPathForKey("/tmp/down", "", "a b/\xc3\xa9.csv"), "/tmp/down/a b/\xc3\xa9.csv");
  EXPECT_EQ(*LocalPathForKey("d", "up/", "up/sub/"), "d/sub/");  // a folder marker
  EXPECT_EQ(*LocalPathForKey("d", "up/", "up/..x/y..z"), "d/..x/y..z");
}

TEST(LocationTest, KeyThatWouldLeaveTheDirectoryIsRefusedNamingIt) {
  for (const char* key : {"up/../../etc/passwd", "up/..", "up/a/../../b", "up//etc/passwd",
                          "up/./a", "up/a//b", "up/", "other/a"}) {
    Result<std::filesystem::path> path = LocalPathForKey("/tmp/down", "up/", key);
    ASSERT_FALSE(path.ok()) << key << " -> " << path->string();
    EXPECT_EQ(path.status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_NE(path.status().message().find(std::string("'") + key + "'"), std::string::npos)
        << path.status().ToString();
    EXPECT_NE(path.status().message().find("/tmp/down"), std::string::npos);
  }
  EXPECT_FALSE(LocalPathForKey("d", "", std::string_view("a\0b", 3)).ok());
}

}  // namespace
}  // namespace ch::cli
