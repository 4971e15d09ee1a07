// The digest cache: what it remembers and when it answers (migrate's use of
// it is in migrate_test.cc).
#include "jobs/migrate/digest_cache.h"

#include <gtest/gtest.h>

#include <fstream>

#include "storage/md5.h"
#include "support/temp_dir.h"

namespace ch::migrate {
namespace {

namespace fs = std::filesystem;

using ch::testing::WriteFile;

const DigestLayout kLayout{16ull << 20, 64ull << 20};

TEST(DigestCacheTest, AnswersOnlyForTheSameStampAndLayoutAndSurvivesReopening) {
  ch::testing::TempDir dir("digest-cache");
  fs::path file = dir.path() / "nested/cache.sqlite3";
  FileStamp stamp{1, 2, 3, 4, 5};
  Digest digest{Md5Hex("abc"), "", 3};
  {
    auto cache = DigestCache::Open(file);
    ASSERT_TRUE(cache.ok()) << cache.status().ToString();
    ASSERT_TRUE((*cache)->Remember("/data/a.csv", stamp, kLayout, digest).ok());
    auto hit = (*cache)->Find("/data/a.csv", stamp, kLayout);
    ASSERT_TRUE(hit.ok() && hit->has_value());
    EXPECT_EQ((*hit)->md5, digest.md5);
    ASSERT_TRUE((*cache)->Flush().ok());
  }
  auto cache = DigestCache::Open(file);
  ASSERT_TRUE(cache.ok()) << cache.status().ToString();
  auto again = (*cache)->Find("/data/a.csv", stamp, kLayout);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->md5, digest.md5);
  EXPECT_EQ((*again)->size, 3u);
  auto miss = [&](const std::string& path, FileStamp s, DigestLayout l) {
    auto found = (*cache)->Find(path, s, l);
    return found.ok() && !found->has_value();
  };
  FileStamp other_ctime = stamp;
  other_ctime.ctime_ns += 1;
  FileStamp other_inode = stamp;
  other_inode.inode += 1;
  EXPECT_TRUE(miss("/data/a.csv", other_ctime, kLayout));
  EXPECT_TRUE(miss("/data/a.csv", other_inode, kLayout));
  EXPECT_TRUE(miss("/data/a.csv", stamp, DigestLayout{8ull << 20, 64ull << 20}));
  EXPECT_TRUE(miss("/data/b.csv", stamp, kLayout));
}

TEST(DigestCacheTest, AFileThatIsNotACacheIsAnErrorNamingIt) {
  ch::testing::TempDir dir("digest-cache");
  fs::path file = dir.path() / "cache.sqlite3";
  WriteFile(file, std::string(4096, 'x'));
  auto cache = DigestCache::Open(file);
  ASSERT_FALSE(cache.ok());
  EXPECT_EQ(cache.status().code(), StatusCode::kIOError);
  EXPECT_NE(cache.status().message().find(file.string()), std::string::npos)
      << cache.status().ToString();
}

TEST(DigestCacheTest, AFileJustWrittenIsHashedButGetsNoStampToRemember) {
  ch::testing::TempDir dir("digest-cache");
  fs::path file = dir.path() / "fresh.csv";
  WriteFile(file, "date,x\n");
  auto hashed = HashFileStamped(file.string(), kLayout);
  ASSERT_TRUE(hashed.ok()) << hashed.status().ToString();
  EXPECT_EQ(hashed->digest.md5, Md5Hex("date,x\n"));
  EXPECT_FALSE(hashed->stamp.has_value()) << "changed within the settle time";
  EXPECT_EQ(HashFileStamped((dir.path() / "absent").string(), kLayout).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace ch::migrate
