// Glob patterns used by migrate's --include/--exclude.
#include "jobs/migrate/glob.h"

#include <gtest/gtest.h>

namespace ch::migrate {
namespace {

TEST(GlobMatchTest, StarStaysWithinOneSegment) {
  EXPECT_TRUE(GlobMatch("data/raw/*.csv", "data/raw/climate_data.csv"));
  EXPECT_FALSE(GlobMatch("data/raw/*.csv", "data/raw/2024/climate.csv"));
  EXPECT_FALSE(GlobMatch("*.csv", "data/x.csv"));
  EXPECT_TRUE(GlobMatch("*", "anything"));
}

TEST(GlobMatchTest, DoubleStarSpansSegmentsIncludingNone) {
  EXPECT_TRUE(GlobMatch("**/*.json", "a/b/c.json"));
  EXPECT_TRUE(GlobMatch("**/*.json", "c.json"));
  EXPECT_TRUE(GlobMatch("data/**", "data/raw/x"));
  EXPECT_FALSE(GlobMatch("data/**/x", "other/raw/x"));
}

TEST(GlobMatchTest, QuestionMarkAndSets) {
  EXPECT_TRUE(GlobMatch("file?.txt", "file1.txt"));
  EXPECT_FALSE(GlobMatch("file?.txt", "file/.txt"));
  EXPECT_TRUE(GlobMatch("f[0-9].txt", "f7.txt"));
  EXPECT_FALSE(GlobMatch("f[!0-9].txt", "f7.txt"));
  EXPECT_TRUE(GlobMatch("f[!0-9].txt", "fa.txt"));
  EXPECT_TRUE(GlobMatch("a[b", "a[b"));  // an unterminated set is literal
}

TEST(GlobMatchTest, TrailingSlashMeansEverythingBelow) {
  EXPECT_TRUE(GlobMatch("models/", "models/risk.json"));
  EXPECT_TRUE(GlobMatch("models/", "models/old/risk.json"));
  EXPECT_FALSE(GlobMatch("models/", "models"));
}

TEST(PathFilterTest, IncludesRestrictAndExcludesWin) {
  PathFilter none({}, {});
  EXPECT_TRUE(none.Accepts("x"));
  PathFilter f({"data/**"}, {"**/*.tmp"});
  EXPECT_TRUE(f.Accepts("data/raw/a.csv"));
  EXPECT_FALSE(f.Accepts("models/a.json"));
  EXPECT_FALSE(f.Accepts("data/raw/a.tmp"));
}

}  // namespace
}  // namespace ch::migrate
