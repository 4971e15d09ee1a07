#include "storage/durable_batch.h"

#include <gtest/gtest.h>

#include <thread>

#include "storage/memory_store.h"
#include "support/temp_dir.h"

namespace ch {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

size_t FilesIn(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

TEST(DurableBatchTest, FilesAppearWholeOnlyAtCommitAndNoTempIsLeft) {
  TempDir dir("batch");
  DurableBatch batch;
  for (int i = 0; i < 3; ++i) {
    const fs::path tmp = dir.path() / ("f" + std::to_string(i) + ".part-x");
    WriteFile(tmp, "content " + std::to_string(i));
    batch.Add(tmp, dir.path() / ("f" + std::to_string(i)), 9);
  }
  EXPECT_FALSE(fs::exists(dir.path() / "f0"));
  EXPECT_FALSE(batch.Full());
  DurableBatch::Committed done = batch.Commit();
  EXPECT_TRUE(done.status.ok()) << done.status.ToString();
  EXPECT_EQ(done.files, 3u);
  EXPECT_EQ(done.failed, 0u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ReadFile(dir.path() / ("f" + std::to_string(i))), "content " + std::to_string(i));
  }
  EXPECT_EQ(FilesIn(dir.path()), 3u);
  EXPECT_EQ(batch.Commit().files, 0u);  // nothing left to commit
}

TEST(DurableBatchTest, FullOnceTheFileOrByteLimitIsReached) {
  TempDir dir("batch");
  DurableBatch by_files(DurableBatch::Limits{2, 1 << 20});
  by_files.Add(dir.path() / "a.tmp", dir.path() / "a", 1);
  EXPECT_FALSE(by_files.Full());
  by_files.Add(dir.path() / "b.tmp", dir.path() / "b", 1);
  EXPECT_TRUE(by_files.Full());
  DurableBatch by_bytes(DurableBatch::Limits{100, 10});
  by_bytes.Add(dir.path() / "c.tmp", dir.path() / "c", 10);
  EXPECT_TRUE(by_bytes.Full());
}

TEST(DurableBatchTest, AFailedRenameIsCountedNamedAndItsTempRemovedWhileTheRestArrive) {
  TempDir dir("batch");
  DurableBatch batch;
  WriteFile(dir.path() / "ok.tmp", "ok");
  WriteFile(dir.path() / "blocked.tmp", "blocked");
  WriteFile(dir.path() / "blocked" / "inside", "a non-empty directory is in the way");
  batch.Add(dir.path() / "blocked.tmp", dir.path() / "blocked", 7);
  batch.Add(dir.path() / "ok.tmp", dir.path() / "ok", 2);
  DurableBatch::Committed done = batch.Commit();
  EXPECT_EQ(done.files, 2u);
  EXPECT_EQ(done.failed, 1u);
  ASSERT_FALSE(done.status.ok());
  EXPECT_NE(done.status.message().find("blocked.tmp"), std::string::npos) << done.status.ToString();
  EXPECT_EQ(ReadFile(dir.path() / "ok"), "ok");
  EXPECT_FALSE(fs::exists(dir.path() / "blocked.tmp"));
}

TEST(DurableBatchTest, WhatWasNeverCommittedIsRemovedAndNeverAppears) {
  TempDir dir("batch");
  {
    DurableBatch batch;
    WriteFile(dir.path() / "x.tmp", "x");
    batch.Add(dir.path() / "x.tmp", dir.path() / "x", 1);
  }
  EXPECT_EQ(FilesIn(dir.path()), 0u);
}

TEST(DurableBatchTest, ManyThreadsAddingAndCommittingWhenFullLoseNoFile) {
  TempDir dir("batch");
  DurableBatch batch(DurableBatch::Limits{16, 1 << 20});
  std::atomic<size_t> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
        WriteFile(dir.path() / "sub" / (name + ".tmp"), name);
        batch.Add(dir.path() / "sub" / (name + ".tmp"), dir.path() / "sub" / name, name.size());
        if (batch.Full()) failed += batch.Commit().failed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  failed += batch.Commit().failed;
  EXPECT_EQ(failed.load(), 0u);
  EXPECT_EQ(FilesIn(dir.path()), 300u);
  EXPECT_EQ(ReadFile(dir.path() / "sub" / "t5-49"), "t5-49");
}

TEST(DurableBatchTest, GetFileWithABatchLeavesTheFileToItsCommit) {
  TempDir dir("batch");
  MemoryStore store;
  ASSERT_TRUE(store.CreateBucket("bucket").ok());
  ASSERT_TRUE(store.Put({"bucket", "k", ""}, "payload").ok());
  DurableBatch batch;
  GetOptions options;
  options.durable_batch = &batch;
  Result<ObjectInfo> info = store.GetFile({"bucket", "k", ""}, dir.path() / "k", options);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_FALSE(fs::exists(dir.path() / "k"));
  EXPECT_EQ(FilesIn(dir.path()), 1u);  // the temp, whole
  ASSERT_TRUE(batch.Commit().status.ok());
  EXPECT_EQ(ReadFile(dir.path() / "k"), "payload");
  EXPECT_EQ(FilesIn(dir.path()), 1u);
}

}  // namespace
}  // namespace ch
