// Migrate through a fault-injecting proxy in front of the real RGW: corrupted,
// reset and failed transfers end with every object correct or reported.
#include <gtest/gtest.h>

#include <fstream>

#include "jobs/migrate/migrate.h"
#include "support/fault_proxy.h"
#include "support/pattern_bytes.h"
#include "support/rgw_env.h"
#include "support/temp_dir.h"

namespace ch::migrate {
namespace {

namespace fs = std::filesystem;
using ch::testing::FaultKind;
using ch::testing::FaultRule;
using ch::testing::PatternBytes;

constexpr char kBucket[] = "climahealth-raw";

// "http://127.0.0.1:17480" → port 17480.
int PortOf(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

TEST(MigrateFaultTest, CorruptedResetAndFailedTransfersEndCorrectOrReported) {
  std::string endpoint = ch::testing::RgwEndpoint();
  if (endpoint.empty()) GTEST_SKIP() << "CH_S3_ENDPOINT is not set (no Ceph RGW)";
  auto direct = ch::testing::MakeRgwStore(endpoint);
  ASSERT_NE(direct, nullptr);
  if (!direct->BucketExists(kBucket).value_or(false)) GTEST_SKIP() << "no RGW at " << endpoint;
  auto proxy = ch::testing::FaultProxy::Start({"127.0.0.1", PortOf(endpoint)});
  ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
  auto faulty = ch::testing::MakeRgwStore((*proxy)->Endpoint());

  ch::testing::TempDir dir("migrate-fault");
  std::map<std::string, std::string> files;
  for (int i = 0; i < 30; ++i) files["f" + std::to_string(i) + ".bin"] = PatternBytes(20000 + i, i);
  files["multi.bin"] = PatternBytes(12 << 20, 99);
  for (const auto& [rel, bytes] : files) {
    fs::create_directories(dir.path() / "data/raw");
    std::ofstream(dir.path() / "data/raw" / rel, std::ios::binary) << bytes;
  }
  (*proxy)->AddRule(FaultRule{"PUT", "f1", FaultKind::kCorruptByte, true, 2, {}});
  (*proxy)->AddRule(FaultRule{"PUT", "f2", FaultKind::kResetMidBody, true, 1, {}});
  (*proxy)->AddRule(FaultRule{"PUT", "partNumber=2", FaultKind::kCorruptByte, true, 1, {}});
  (*proxy)->AddRule(FaultRule{"PUT", "f3", FaultKind::kStatus500, false, 2, {}});
  (*proxy)->AddRule(FaultRule{"HEAD", "", FaultKind::kSlowDown503, false, 2, {}});
  // f29 always fails: it must be reported, not lost.
  (*proxy)->AddRule(FaultRule{"PUT", "f29", FaultKind::kStatus500, false, -1, {}});

  std::string prefix = ch::testing::RandomPrefix("fault");
  MigrateOptions options;
  options.mappings = {Mapping{"", "data/raw/", kBucket, prefix}};
  options.concurrency = 4;
  options.part_size = 5 << 20;
  options.multipart_threshold = 6 << 20;
  Source source;
  source.directory = dir.path();
  Result<MigrateReport> report = Migrate(source, *faulty, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_GE((*proxy)->FaultsInjected(), 6);
  ASSERT_EQ(report->failed, 1u) << ReportToJson(*report);
  EXPECT_EQ(report->failures[0].source, "data/raw/f29.bin");
  EXPECT_EQ(report->copied.files, files.size() - 1);
  for (const auto& [rel, bytes] : files) {
    Result<std::string> got = direct->Get(ObjectRef{kBucket, prefix + rel, ""});
    if (rel == "f29.bin") {
      EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
      continue;
    }
    ASSERT_TRUE(got.ok()) << rel << ": " << got.status().ToString();
    EXPECT_TRUE(*got == bytes) << rel;
  }
  EXPECT_TRUE(direct->ListOpenUploads(kBucket, prefix).value().empty());

  // Verification through a proxy that corrupts downloads still tells the truth.
  (*proxy)->ClearRules();
  options.mode = Mode::kVerify;
  MigrateReport verify = Migrate(source, *direct, options).value();
  EXPECT_EQ(verify.failed, 1u);
  EXPECT_EQ(verify.skipped.files, files.size() - 1);
}

}  // namespace
}  // namespace ch::migrate
