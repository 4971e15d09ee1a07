// Migrate from a directory tree (and from a store) into in-process stores:
// planning, skipping by content, deletes, filters, verification and the report.
#include "jobs/migrate/migrate.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "jobs/migrate/cursors.h"
#include "jobs/migrate/digest.h"
#include "storage/local_store.h"
#include "storage/memory_store.h"
#include "support/temp_dir.h"

namespace ch::migrate {
namespace {

namespace fs = std::filesystem;

using ch::testing::WriteFile;

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* b : {"raw-b", "processed-b", "models-b"})
      ASSERT_TRUE(dest_.CreateBucket(b).ok());
    WriteFile(src_.path() / "data/raw/climate_data.csv", "date,x\n2024-01-01,1\n");
    WriteFile(src_.path() / "data/raw/empty.csv", "");
    WriteFile(src_.path() / "data/raw/with space & +plus%.csv", "a,b\n");
    WriteFile(src_.path() / "data/raw/ünïcødé/データ.csv", "u\n");
    WriteFile(src_.path() / "data/processed/features_20240101.csv", std::string(5000, 'f'));
    WriteFile(src_.path() / "models/risk.json", "{\"v\":1}");
    WriteFile(src_.path() / "unmapped/ignored.txt", "no");
    options_.mappings = DefaultDirectoryMappings("raw-b", "processed-b", "models-b");
    options_.concurrency = 4;
  }

  MigrateReport Run() {
    Source source;
    source.directory = src_.path();
    Result<MigrateReport> report = Migrate(source, dest_, options_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : MigrateReport{};
  }

  std::string Get(const std::string& bucket, const std::string& key) {
    Result<std::string> bytes = dest_.Get(ObjectRef{bucket, key, ""});
    EXPECT_TRUE(bytes.ok()) << bucket << "/" << key << ": " << bytes.status().ToString();
    return bytes.ok() ? *bytes : "";
  }

  ch::testing::TempDir src_{"migrate-src"};
  MemoryStore dest_;
  MigrateOptions options_;
};

TEST_F(MigrateTest, CopiesTheDataMdLayoutIntoTheThreeBuckets) {
  MigrateReport r = Run();
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.copied.files, 6u);
  EXPECT_EQ(r.skipped.files, 0u);
  EXPECT_EQ(Get("raw-b", "raw/climate_data.csv"), "date,x\n2024-01-01,1\n");
  EXPECT_EQ(Get("raw-b", "raw/empty.csv"), "");
  EXPECT_EQ(Get("raw-b", "raw/with space & +plus%.csv"), "a,b\n");
  EXPECT_EQ(Get("raw-b", "raw/ünïcødé/データ.csv"), "u\n");
  EXPECT_EQ(Get("processed-b", "processed/features_20240101.csv"), std::string(5000, 'f'));
  EXPECT_EQ(Get("models-b", "models/risk.json"), "{\"v\":1}");
  ObjectInfo head = dest_.Head(ObjectRef{"raw-b", "raw/climate_data.csv", ""}).value();
  EXPECT_EQ(head.metadata.at(kMd5MetadataKey), Md5Hex("date,x\n2024-01-01,1\n"));
  EXPECT_EQ(head.content_type, "text/csv");
}

TEST_F(MigrateTest, ReRunCopiesNothingAndAChangedFileIsCopiedAgain) {
  Run();
  MigrateReport again = Run();
  EXPECT_EQ(again.copied.files, 0u);
  EXPECT_EQ(again.skipped.files, 6u);
  // Same size, new content, old mtime: detected by content, not by time.
  fs::path changed = src_.path() / "data/raw/climate_data.csv";
  struct stat before {};
  ::stat(changed.c_str(), &before);
  WriteFile(changed, "date,x\n2024-01-01,2\n");
  struct utimbuf times {
    before.st_atime, before.st_mtime
  };
  ::utime(changed.c_str(), &times);
  MigrateReport third = Run();
  EXPECT_EQ(third.copied.files, 1u);
  EXPECT_EQ(third.skipped.files, 5u);
  EXPECT_EQ(Get("raw-b", "raw/climate_data.csv"), "date,x\n2024-01-01,2\n");
}

TEST_F(MigrateTest, WithADigestCacheAReRunReadsOnlyChangedFilesYetSeesEveryChange) {
  ch::testing::TempDir cache_dir("migrate-cache");
  options_.digest_cache = cache_dir.path() / "digests.sqlite3";
  // Files changed within the last two seconds are never remembered (a change
  // in the same timestamp tick could hide); let the tree settle first.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  MigrateReport first = Run();
  EXPECT_EQ(first.copied.files, 6u);
  EXPECT_EQ(first.hashed.files, 0u);  // nothing at the destination to compare with

  MigrateReport second = Run();
  EXPECT_EQ(second.skipped.files, 6u);
  EXPECT_EQ(second.hashed.files, 0u) << "every digest should come from the cache";

  // New bytes, same size, and the old modification time to the nanosecond:
  // the status-change time still moves, so the file is read and copied.
  fs::path changed = src_.path() / "data/raw/climate_data.csv";
  struct stat before {};
  ASSERT_EQ(::stat(changed.c_str(), &before), 0);
  WriteFile(changed, "date,x\n2024-01-01,2\n");
  const timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, changed.c_str(), times, 0), 0);
  MigrateReport third = Run();
  EXPECT_EQ(third.hashed.files, 1u);
  EXPECT_EQ(third.copied.files, 1u);
  EXPECT_EQ(third.skipped.files, 5u);
  EXPECT_EQ(Get("raw-b", "raw/climate_data.csv"), "date,x\n2024-01-01,2\n");

  options_.mode = Mode::kVerify;  // verification never trusts the cache
  MigrateReport verified = Run();
  EXPECT_TRUE(verified.ok());
  EXPECT_EQ(verified.skipped.files, 6u);
  EXPECT_EQ(verified.hashed.files, 6u);
}

TEST_F(MigrateTest, AnUnusableDigestCacheOnlyCostsHashing) {
  ch::testing::TempDir cache_dir("migrate-cache");
  options_.digest_cache = cache_dir.path() / "digests.sqlite3";
  WriteFile(options_.digest_cache, std::string(4096, 'x'));
  EXPECT_EQ(Run().copied.files, 6u);
  MigrateReport again = Run();
  EXPECT_EQ(again.skipped.files, 6u);
  EXPECT_EQ(again.hashed.files, 6u);
}

TEST_F(MigrateTest, DryRunCountsWithoutWriting) {
  options_.mode = Mode::kDryRun;
  MigrateReport r = Run();
  EXPECT_EQ(r.copied.files, 6u);
  EXPECT_EQ(r.copied.bytes, 20u + 0 + 4 + 2 + 5000 + 7);
  EXPECT_FALSE(dest_.Exists(ObjectRef{"raw-b", "raw/climate_data.csv", ""}).value());
}

TEST_F(MigrateTest, DeleteRemovesOnlyExtrasUnderMappedPrefixesAndIsOffByDefault) {
  ASSERT_TRUE(dest_.Put(ObjectRef{"raw-b", "raw/stale.csv", ""}, "old").ok());
  ASSERT_TRUE(dest_.Put(ObjectRef{"raw-b", "elsewhere/keep.csv", ""}, "keep").ok());
  Run();
  EXPECT_TRUE(dest_.Exists(ObjectRef{"raw-b", "raw/stale.csv", ""}).value());
  options_.delete_extra = true;
  options_.mode = Mode::kDryRun;
  MigrateReport plan = Run();
  EXPECT_EQ(plan.deleted.files, 1u);
  EXPECT_EQ(plan.deleted.bytes, 3u);
  EXPECT_TRUE(dest_.Exists(ObjectRef{"raw-b", "raw/stale.csv", ""}).value());
  options_.mode = Mode::kCopy;
  MigrateReport r = Run();
  EXPECT_EQ(r.deleted.files, 1u);
  EXPECT_FALSE(dest_.Exists(ObjectRef{"raw-b", "raw/stale.csv", ""}).value());
  EXPECT_TRUE(dest_.Exists(ObjectRef{"raw-b", "elsewhere/keep.csv", ""}).value());
}

TEST_F(MigrateTest, IncludeAndExcludeFilterBySourcePath) {
  options_.include = {"data/**"};
  options_.exclude = {"**/empty.csv"};
  MigrateReport r = Run();
  EXPECT_EQ(r.copied.files, 4u);
  EXPECT_FALSE(dest_.Exists(ObjectRef{"models-b", "models/risk.json", ""}).value());
  EXPECT_FALSE(dest_.Exists(ObjectRef{"raw-b", "raw/empty.csv", ""}).value());
}

TEST_F(MigrateTest, VerifyReportsTamperedAndMissingObjectsWithReasons) {
  Run();
  options_.mode = Mode::kVerify;
  MigrateReport clean = Run();
  EXPECT_TRUE(clean.ok());
  EXPECT_EQ(clean.skipped.files, 6u);
  ASSERT_TRUE(
      dest_.Put(ObjectRef{"raw-b", "raw/climate_data.csv", ""}, "date,x\n2024-01-01,9\n").ok());
  ASSERT_TRUE(dest_.Delete(ObjectRef{"models-b", "models/risk.json", ""}).ok());
  MigrateReport bad = Run();
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.failed, 2u);
  EXPECT_EQ(bad.copied.files, 0u);
  nlohmann::json doc = nlohmann::json::parse(ReportToJson(bad));
  EXPECT_EQ(doc["mode"], "verify");
  EXPECT_EQ(doc["failed"], 2);
  std::string all = doc["failures"].dump();
  EXPECT_NE(all.find("checksum"), std::string::npos) << all;
  EXPECT_NE(all.find("missing at the destination"), std::string::npos) << all;
  EXPECT_NE(all.find("data/raw/climate_data.csv"), std::string::npos) << all;
}

TEST_F(MigrateTest, UnreadableSourceFileIsReportedNotFatal) {
  fs::path locked = src_.path() / "data/raw/locked.csv";
  WriteFile(locked, "secret");
  ::chmod(locked.c_str(), 0);
  if (::access(locked.c_str(), R_OK) == 0) GTEST_SKIP() << "running as root: permissions ignored";
  MigrateReport r = Run();
  EXPECT_EQ(r.failed, 1u);
  EXPECT_EQ(r.copied.files, 6u);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].source, "data/raw/locked.csv");
}

TEST_F(MigrateTest, SourceDirectoryIsNeverModified) {
  auto snapshot = [&] {
    std::string s;
    for (const auto& e : fs::recursive_directory_iterator(src_.path())) {
      s += e.path().string() + "|" + (e.is_regular_file() ? std::to_string(e.file_size()) : "d");
      s += "|" + std::to_string(fs::last_write_time(e.path()).time_since_epoch().count()) + "\n";
    }
    return s;
  };
  std::string before = snapshot();
  options_.delete_extra = true;
  Run();
  Run();
  EXPECT_EQ(snapshot(), before);
}

TEST_F(MigrateTest, MissingSourceDirectoryIsNotFound) {
  Source source;
  source.directory = src_.path() / "nope";
  Result<MigrateReport> r = Migrate(source, dest_, options_);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST_F(MigrateTest, StoreToStoreCopiesServerSideAndSkipsOnReRun) {
  Run();
  options_.mappings = {Mapping{"raw-b", "raw/", "processed-b", "copy-of-raw/"}};
  Source source;
  source.store = &dest_;
  MigrateReport r = Migrate(source, dest_, options_).value();
  EXPECT_EQ(r.copied.files, 4u);
  EXPECT_EQ(Get("processed-b", "copy-of-raw/ünïcødé/データ.csv"), "u\n");
  MigrateReport again = Migrate(source, dest_, options_).value();
  EXPECT_EQ(again.copied.files, 0u);
  EXPECT_EQ(again.skipped.files, 4u);
}

TEST_F(MigrateTest, StoreToOtherStoreCopiesLargeObjectsThroughATempFile) {
  MemoryStore other("other");
  ASSERT_TRUE(other.CreateBucket("src-b").ok());
  std::string big(9 << 20, 'z');
  big[12345] = 'q';
  ASSERT_TRUE(other.Put(ObjectRef{"src-b", "big.bin", ""}, big).ok());
  ASSERT_TRUE(other.Put(ObjectRef{"src-b", "small.bin", ""}, "s").ok());
  options_.mappings = {Mapping{"src-b", "", "models-b", "in/"}};
  Source source;
  source.store = &other;
  MigrateReport r = Migrate(source, dest_, options_).value();
  EXPECT_TRUE(r.ok()) << ReportToJson(r);
  EXPECT_EQ(r.copied.files, 2u);
  EXPECT_EQ(Get("models-b", "in/big.bin"), big);
}

TEST(MigrateMappingTest, ParsesDirectoryAndStoreMappingsAndRejectsBadOnes) {
  Mapping m = ParseMapping("data/raw=raw/raw/", false).value();
  EXPECT_EQ(m.from_prefix, "data/raw/");
  EXPECT_EQ(m.to_bucket, "raw");
  EXPECT_EQ(m.to_prefix, "raw/");
  Mapping s = ParseMapping("src/a/=dst/b/", true).value();
  EXPECT_EQ(s.from_bucket, "src");
  EXPECT_EQ(s.from_prefix, "a/");
  EXPECT_EQ(ParseMapping("no-equals", false).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseMapping("../up=raw/x", false).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseMapping("x=/nobucket", false).status().code(), StatusCode::kInvalidArgument);
}

TEST(DirectoryCursorTest, YieldsFilesInKeyByteOrder) {
  ch::testing::TempDir dir("migrate-walk");
  for (const char* name : {"a.txt", "a/b", "a-c", "b", "a/a/z", "A", "é"}) {
    WriteFile(dir.path() / name, name);
  }
  std::unique_ptr<EntryCursor> cursor = WalkDirectory(dir.path().string());
  std::vector<std::string> keys;
  while (auto e = cursor->Next().value()) keys.push_back(e->rel);
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(keys, sorted);
  EXPECT_EQ(keys.size(), 7u);
  EXPECT_EQ(keys, (std::vector<std::string>{"A", "a-c", "a.txt", "a/a/z", "a/b", "b", "é"}));
}

TEST(DigestTest, MultipartEtagFollowsS3sRule) {
  std::string data(11, 'x');
  DigestBuilder b(data.size(), 5, 6);
  b.Update(data.substr(0, 3));
  b.Update(data.substr(3));
  Digest d = b.Finish();
  EXPECT_EQ(d.md5, Md5Hex(data));
  std::string parts;
  for (std::string part : {data.substr(0, 5), data.substr(5, 5), data.substr(10)}) {
    Md5 m;
    m.Update(part);
    parts += m.FinishRaw();
  }
  EXPECT_EQ(d.multipart_etag, Md5Hex(parts) + "-3");
  EXPECT_EQ(JudgeEtag(d.multipart_etag, d), Verdict::kEqual);
  EXPECT_EQ(JudgeEtag(Md5Hex(data), d), Verdict::kEqual);
  EXPECT_EQ(JudgeEtag(Md5Hex("other"), d), Verdict::kDifferent);
  EXPECT_EQ(JudgeEtag("abc-2", d), Verdict::kUnknown);
}

}  // namespace
}  // namespace ch::migrate
