// `climahealth migrate` end to end against a real Ceph RGW (CH_S3_ENDPOINT):
// a generated tree, awscli byte-for-byte checks, incremental re-runs, kill -9
// and resume, names needing URL encoding, empty and 5 GiB sparse files.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "storage/md5.h"
#include "support/child.h"
#include "support/pattern_bytes.h"
#include "support/rgw_env.h"
#include "support/temp_dir.h"

namespace ch::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kBucket[] = "climahealth-raw";

using ch::testing::WriteFile;

class MigrateRgwTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = RgwEndpoint();
    if (endpoint_.empty()) GTEST_SKIP() << "CH_S3_ENDPOINT is not set (no Ceph RGW)";
    store_ = MakeRgwStore(endpoint_);
    ASSERT_NE(store_, nullptr);
    Result<bool> up = store_->BucketExists(kBucket);
    if (!up.ok() || !*up) GTEST_SKIP() << "no RGW at " << endpoint_;
    prefix_ = RandomPrefix("mig");
    config_ = (dir_.path() / "climahealth.toml").string();
    WriteRgwConfig(config_, endpoint_);
    src_ = dir_.path() / "src";
    fs::create_directories(src_);
  }

  // Runs migrate on src_ mapping data/raw/ to kBucket/<prefix>raw/.
  ChildResult Migrate(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {ClimahealthBinary(),
                                     "migrate",
                                     src_.string(),
                                     "--map",
                                     "data/raw/=" + std::string(kBucket) + "/" + prefix_ + "raw/",
                                     "--report",
                                     Report(),
                                     "--no-progress"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunChild(args, RgwChildEnv(config_, dir_.path().string()), dir_.path());
  }
  std::string Report() const { return (dir_.path() / "report.json").string(); }
  nlohmann::json ReadReport() const { return nlohmann::json::parse(ReadFile(Report())); }

  // Every file below src_/data/raw, as relative path → bytes.
  std::map<std::string, std::string> SourceFiles() const {
    std::map<std::string, std::string> files;
    fs::path root = src_ / "data/raw";
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = ReadFile(e.path());
    }
    return files;
  }

  ChildResult Aws(std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/aws", "--endpoint-url", endpoint_});
    return RunChild(args, RgwChildEnv(config_, dir_.path().string()), dir_.path());
  }

  std::vector<std::string> OpenUploads() {
    return store_->ListOpenUploads(kBucket, prefix_).value();
  }

  // Three multipart files and forty small ones below src_/data/raw (seeds
  // from `seed` on), as relative path → bytes.
  std::map<std::string, std::string> WriteMixedTree(unsigned seed) {
    std::map<std::string, std::string> files;
    files["a-big-1.bin"] = PatternBytes(7 << 20, seed);
    files["a-big-2.bin"] = PatternBytes(12 << 20, seed + 1);
    files["a-big-3.bin"] = PatternBytes(20 << 20, seed + 2);
    for (unsigned i = 0; i < 40; ++i)
      files["small/" + std::to_string(i) + ".bin"] = PatternBytes(100 << 10, seed + 10 + i);
    for (const auto& [rel, bytes] : files) WriteFile(src_ / "data/raw" / rel, bytes);
    return files;
  }

  // A throttled migrate of src_ as a child process, not waited for.
  std::unique_ptr<Child> StartThrottledMigrate() {
    return std::make_unique<Child>(
        std::vector<std::string>{ClimahealthBinary(), "migrate", src_.string(), "--map",
                                 "data/raw/=" + std::string(kBucket) + "/" + prefix_ + "raw/",
                                 "--no-progress", "--report", Report(), "--bwlimit", "6M", "-j",
                                 "2"},
        RgwChildEnv(config_, dir_.path().string()), dir_.path());
  }

  // Waits (40 s at most) until an object has arrived and a multipart upload is open.
  void WaitForAnUploadInFlight() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
    while (std::chrono::steady_clock::now() < deadline) {
      if (store_->Size(kBucket, prefix_).value().objects >= 1 && !OpenUploads().empty()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::string endpoint_;
  std::unique_ptr<s3::S3Store> store_;
  std::string prefix_;
  TempDir dir_{"migrate-rgw"};
  std::string config_;
  fs::path src_;
};

TEST_F(MigrateRgwTest, GeneratedTreeArrivesByteForByteAndReRunsAreIncremental) {
  ChildResult gen = RunChild({ClimahealthBinary(), "generate", "--years", "1",
                              "--districts-per-state", "1", "--out", (src_ / "data/raw").string()},
                             {}, dir_.path());
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  WriteFile(src_ / "data/raw/empty.csv", "");
  WriteFile(src_ / "data/raw/with space & plus+ 100%.csv", "x\n");
  WriteFile(src_ / "data/raw/ünïcødé/データ #?=.csv", "u\n");
  WriteFile(src_ / "data/raw/big/multipart.bin", PatternBytes(13 << 20, 1));
  std::map<std::string, std::string> files = SourceFiles();

  ChildResult first = Migrate();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  nlohmann::json r = ReadReport();
  EXPECT_EQ(r["copied"]["files"], files.size());
  EXPECT_EQ(r["failed"], 0);

  // awscli (Debian's, not ours) downloads everything; compare byte for byte.
  fs::path down = dir_.path() / "down";
  ChildResult aws = Aws({"s3", "cp", "--recursive", "--quiet",
                         "s3://" + std::string(kBucket) + "/" + prefix_ + "raw/", down.string()});
  ASSERT_EQ(aws.exit_code, 0) << aws.err;
  size_t compared = 0;
  for (const auto& [rel, bytes] : files) {
    EXPECT_EQ(ReadFile(down / rel), bytes) << rel;
    EXPECT_TRUE(fs::exists(down / rel)) << rel;
    ++compared;
  }
  EXPECT_EQ(compared, files.size());

  ChildResult again = Migrate();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ReadReport()["copied"]["files"], 0);
  EXPECT_EQ(ReadReport()["skipped"]["files"], files.size());

  std::string changed = files.begin()->second;  // same size, different bytes
  ASSERT_FALSE(changed.empty());
  changed[changed.size() / 2] ^= 1;
  WriteFile(src_ / "data/raw" / files.begin()->first, changed);
  ChildResult third = Migrate();
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(ReadReport()["copied"]["files"], 1);
  ObjectRef ref{kBucket, prefix_ + "raw/" + files.begin()->first, ""};
  EXPECT_EQ(store_->Get(ref).value(), changed);

  ChildResult verify = Migrate({"--verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(ReadReport()["skipped"]["files"], files.size());

  ASSERT_TRUE(store_
                  ->Put(ObjectRef{kBucket, prefix_ + "raw/big/multipart.bin", ""},
                        PatternBytes(13 << 20, 2))
                  .ok());
  ChildResult bad = Migrate({"--verify"});
  EXPECT_EQ(bad.exit_code, 7) << bad.out << bad.err;
  nlohmann::json report = ReadReport();
  EXPECT_EQ(report["failed"], 1);
  EXPECT_EQ(report["failures"][0]["source"], "data/raw/big/multipart.bin");
  EXPECT_NE(report["failures"][0]["reason"].get<std::string>().find("differs"), std::string::npos);
  EXPECT_EQ(ReadReport()["copied"]["files"], 0);
}

TEST_F(MigrateRgwTest, KilledMidwayThenReRunFinishesWithoutDuplicatesOrOrphanedUploads) {
  std::map<std::string, std::string> files = WriteMixedTree(11);
  std::unique_ptr<Child> child = StartThrottledMigrate();
  WaitForAnUploadInFlight();
  child->Kill();
  ASSERT_EQ(child->Wait().exit_code, -SIGKILL);
  const size_t present = store_->Size(kBucket, prefix_).value().objects;
  const std::vector<std::string> open = OpenUploads();
  EXPECT_GE(present, 1u);
  EXPECT_FALSE(open.empty()) << "the kill should have caught a multipart upload in flight";
  EXPECT_LT(present, files.size());

  ChildResult resumed = Migrate();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  nlohmann::json r = ReadReport();
  EXPECT_EQ(r["skipped"]["files"], present) << "objects that arrived whole are not sent again";
  EXPECT_EQ(r["copied"]["files"], files.size() - present);
  EXPECT_EQ(r["aborted_uploads"].size(), open.size());
  EXPECT_TRUE(OpenUploads().empty());
  for (const auto& [rel, bytes] : files) {
    Result<std::string> got = store_->Get(ObjectRef{kBucket, prefix_ + "raw/" + rel, ""});
    ASSERT_TRUE(got.ok()) << rel;
    EXPECT_TRUE(*got == bytes) << rel;
  }
}

TEST_F(MigrateRgwTest, InterruptedBySigintItAbortsItsUploadsExits130AndTheReRunFinishes) {
  std::map<std::string, std::string> files = WriteMixedTree(21);
  std::unique_ptr<Child> child = StartThrottledMigrate();
  WaitForAnUploadInFlight();
  ASSERT_FALSE(OpenUploads().empty()) << "the interrupt should catch a multipart upload in flight";
  auto start = std::chrono::steady_clock::now();
  ::kill(child->pid(), SIGINT);
  ChildResult stopped = child->Wait();
  // The bandwidth limit would hold it for seconds more; the interrupt cuts the wait.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(stopped.exit_code, 128 + SIGINT) << stopped.err;
  EXPECT_NE(stopped.err.find("run it again to finish"), std::string::npos) << stopped.err;
  EXPECT_TRUE(OpenUploads().empty()) << "an interrupted run aborts its own uploads";
  nlohmann::json r = ReadReport();
  EXPECT_TRUE(r["interrupted"].get<bool>());
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["failed"], 0) << "cut transfers are not failures";
  const size_t present = store_->Size(kBucket, prefix_).value().objects;
  // A single PUT cut after the server stored it arrived whole all the same.
  EXPECT_GE(present, r["copied"]["files"].get<size_t>());
  EXPECT_LE(present, r["copied"]["files"].get<size_t>() + r["cut_short"].get<size_t>());
  EXPECT_LT(present, files.size());

  ChildResult resumed = Migrate();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  nlohmann::json again = ReadReport();
  EXPECT_FALSE(again["interrupted"].get<bool>());
  EXPECT_EQ(again["skipped"]["files"], present);
  EXPECT_EQ(again["copied"]["files"], files.size() - present);
  EXPECT_TRUE(again["aborted_uploads"].empty()) << "nothing was left open to abort";
  for (const auto& [rel, bytes] : files) {
    Result<std::string> got = store_->Get(ObjectRef{kBucket, prefix_ + "raw/" + rel, ""});
    ASSERT_TRUE(got.ok()) << rel;
    EXPECT_TRUE(*got == bytes) << rel;
  }
}

TEST_F(MigrateRgwTest, DryRunPrintsThePlanAndWritesNothing) {
  WriteFile(src_ / "data/raw/a.csv", "abc");
  WriteFile(src_ / "data/raw/b.csv", "");
  ChildResult plan = Migrate({"--dry-run"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("would copy 2 files (3 B)"), std::string::npos) << plan.out;
  EXPECT_EQ(store_->Size(kBucket, prefix_).value().objects, 0u);
}

// Marked slow: skipped when CH_SKIP_SLOW_TESTS is set.
TEST_F(MigrateRgwTest, SlowSparse5GiBFileGoesUpMultipartAndIsThenSkipped) {
  if (std::getenv("CH_SKIP_SLOW_TESTS") != nullptr) GTEST_SKIP() << "CH_SKIP_SLOW_TESTS is set";
  WriteRgwConfig(config_, endpoint_, 64ull << 20, 64ull << 20);
  fs::path big = src_ / "data/raw/sparse-5g.bin";
  fs::create_directories(big.parent_path());
  int fd = ::open(big.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  constexpr off_t kSize = 5ll << 30;
  ASSERT_EQ(::ftruncate(fd, kSize), 0);
  for (off_t at : {off_t{0}, off_t{3} << 30, kSize - 5}) ASSERT_EQ(::pwrite(fd, "hello", 5, at), 5);
  ::close(fd);
  auto t0 = std::chrono::steady_clock::now();
  ChildResult up = Migrate({"-j", "2"});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("5 GiB sparse upload: %.1f s, client CPU %.1f s, peak RSS %ld MiB\n", secs,
              up.cpu_seconds, up.max_rss_kib / 1024);
  ASSERT_EQ(up.exit_code, 0) << up.err;
  ObjectRef ref{kBucket, prefix_ + "raw/sparse-5g.bin", ""};
  ObjectInfo head = store_->Head(ref).value();
  EXPECT_EQ(head.size, static_cast<uint64_t>(kSize));
  EXPECT_NE(head.etag.find("-80"), std::string::npos) << head.etag;  // 80 parts of 64 MiB
  EXPECT_EQ(
      store_->Get(ref, GetOptions{ByteRange{3ull << 30, (3ull << 30) + 4, {}}, {}, {}}).value(),
      "hello");
  ChildResult again = Migrate();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ReadReport()["skipped"]["files"], 1);
  EXPECT_EQ(ReadReport()["copied"]["files"], 0);
  EXPECT_TRUE(store_->Delete(ref).ok());  // the RGW keeps objects in RAM
}

}  // namespace
}  // namespace ch::testing
