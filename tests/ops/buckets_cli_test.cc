// The real `climahealth` binary: `buckets init|check` on the local store, and
// the global --log-format json and --metrics-file flags.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

using ch::testing::ReadFile;

class BucketsCliTest : public ::testing::Test {
 protected:
  // Runs climahealth with a clean environment on this test's local store.
  CliRun Climahealth(const std::string& args) {
    const std::filesystem::path out = dir_.path() / "stdout";
    const std::filesystem::path err = dir_.path() / "stderr";
    const std::string cmd = "env -i PATH=/usr/bin:/bin '" + std::string(CH_CLIMAHEALTH) +
                            "' --store local --root '" + (dir_.path() / "store").string() + "' " +
                            args + " >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(cmd.c_str());
    CliRun run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = ReadFile(out);
    run.err = ReadFile(err);
    return run;
  }

  static std::vector<nlohmann::json> JsonLines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      EXPECT_TRUE(nlohmann::json::accept(line)) << "not a JSON line: " << line;
      if (nlohmann::json::accept(line)) lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
  }

  ch::testing::TempDir dir_{"ops-cli"};
};

TEST_F(BucketsCliTest, InitAppliesWhatTheLocalStoreSupportsAndSecondRunSaysNothingChanged) {
  CliRun first = Climahealth("buckets init");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("models-bucket"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("versioning"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("not supported"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("1 changed"), std::string::npos) << first.out;
  CliRun second = Climahealth("buckets init");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("nothing to change"), std::string::npos) << second.out;
}

TEST_F(BucketsCliTest, CheckExitsWithNotFoundWhileModelVersioningIsMissingAndZeroAfterInit) {
  CliRun before = Climahealth("buckets check");
  EXPECT_EQ(before.exit_code, 3) << before.out << before.err;
  EXPECT_NE(before.out.find("missing"), std::string::npos) << before.out;
  EXPECT_NE(before.err.find("models-bucket: versioning"), std::string::npos) << before.err;
  ASSERT_EQ(Climahealth("buckets init").exit_code, 0);
  CliRun after = Climahealth("buckets check");
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_NE(after.out.find("0 missing, 0 different"), std::string::npos) << after.out;
}

TEST_F(BucketsCliTest, BadPolicyOptionIsAUsageErrorNamingTheFlag) {
  CliRun run = Climahealth("buckets init --archive-days 0");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--archive-days"), std::string::npos) << run.err;
}

TEST_F(BucketsCliTest, JsonLogFormatWritesOnlyJsonLinesWithCommandAndFields) {
  CliRun run = Climahealth("--log-format json buckets init");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<nlohmann::json> lines = JsonLines(run.err);
  ASSERT_FALSE(lines.empty());
  bool applied = false;
  for (const nlohmann::json& line : lines) {
    EXPECT_EQ(line["command"], "buckets init");
    EXPECT_TRUE(line.contains("time") && line.contains("level") && line.contains("msg"));
    if (line["msg"] == "bucket setting applied") {
      applied = true;
      EXPECT_EQ(line["bucket"], "models-bucket");
      EXPECT_EQ(line["setting"], "versioning");
    }
  }
  EXPECT_TRUE(applied) << run.err;
  EXPECT_EQ(lines.back()["msg"], "command finished");
  EXPECT_EQ(lines.back()["exit_code"], 0);
  EXPECT_TRUE(lines.back()["duration_ms"].is_number());
}

TEST_F(BucketsCliTest, JsonLogFormatReportsErrorsAsJson) {
  CliRun run = Climahealth("--log-format json store cat s3://raw/no/such.csv");
  EXPECT_EQ(run.exit_code, 3);
  const std::vector<nlohmann::json> lines = JsonLines(run.err);
  ASSERT_GE(lines.size(), 2u) << run.err;
  EXPECT_EQ(lines[0]["level"], "error");
  EXPECT_NE(lines[0]["msg"].get<std::string>().find("NotFound"), std::string::npos);
  EXPECT_EQ(lines[0]["command"], "store cat");
  EXPECT_EQ(lines.back()["exit_code"], 3);
}

TEST_F(BucketsCliTest, MetricsFileHoldsCommandAndStorageSeriesEvenWhenTheCommandFails) {
  const std::filesystem::path metrics = dir_.path() / "check.prom";
  CliRun run = Climahealth("--metrics-file '" + metrics.string() + "' buckets check");
  EXPECT_EQ(run.exit_code, 3);
  const std::string text = ReadFile(metrics);
  EXPECT_NE(text.find("ch_command_exit_code{command=\"buckets check\"} 3"), std::string::npos)
      << text;
  EXPECT_NE(text.find("ch_command_duration_seconds{command=\"buckets check\"}"), std::string::npos);
  EXPECT_NE(text.find("ch_storage_operations_total"), std::string::npos) << text;
  EXPECT_EQ(text.find("ch_command_last_success_timestamp_seconds"), std::string::npos);
  ASSERT_EQ(Climahealth("buckets init").exit_code, 0);
  CliRun ok = Climahealth("--metrics-file '" + metrics.string() + "' buckets check");
  EXPECT_EQ(ok.exit_code, 0);
  const std::string after = ReadFile(metrics);
  EXPECT_NE(after.find("ch_command_exit_code{command=\"buckets check\"} 0"), std::string::npos);
  EXPECT_NE(after.find("ch_command_last_success_timestamp_seconds{command=\"buckets check\"}"),
            std::string::npos);
  // Written atomically: no temporary file is left beside it.
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos);
  }
}

TEST_F(BucketsCliTest, UnwritableMetricsFileFailsASuccessfulCommand) {
  CliRun run = Climahealth("--metrics-file '" + (dir_.path() / "no/such/dir/m.prom").string() +
                           "' buckets init");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("metrics"), std::string::npos) << run.err;
}

}  // namespace
