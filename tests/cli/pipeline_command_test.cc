// The main job as a user runs it: generate, batch, train, predict, forecast
// and alerts, each as its own climahealth process on one local store. Catches
// what library tests cannot: exit codes and a clean process exit.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "cli/cli_runner.h"
#include "support/temp_dir.h"

namespace {

using ch::testing::CliResult;
using ch::testing::RunCli;

class PipelineCommandTest : public ::testing::Test {
 protected:
  CliResult Run(const std::string& args) { return RunCli(dir_.path(), args); }
  ch::testing::TempDir dir_{"pipeline"};
};

TEST_F(PipelineCommandTest, EveryStageExitsZeroAndTheOutputsAreListed) {
  const char* stages[] = {
      "generate --years 2 --districts-per-state 0 --seed 7",
      "batch --quiet",
      "train --disease dengue --rounds 8 --folds 1 --fold-days 30 --quiet",
      "predict --disease dengue",
      "forecast --disease dengue",
      "alerts --disease dengue",
  };
  for (const char* stage : stages) {
    CliResult r = Run(stage);
    ASSERT_EQ(r.exit_code, 0) << "climahealth " << stage << "\nstdout:\n"
                              << r.out << "\nstderr:\n"
                              << r.err;
  }
  CliResult ls = Run("store ls -r s3://processed/");
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  for (const char* key : {"processed/manifest.json", "/risk.json", "/cases.json", "alerts/"}) {
    EXPECT_NE(ls.out.find(key), std::string::npos) << key << " missing from\n" << ls.out;
  }
  // A second predict reuses what is there and still exits cleanly.
  CliResult again = Run("predict --disease dengue --json");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.front(), '{') << again.out;
}

TEST_F(PipelineCommandTest, PredictBeforeTrainSaysWhatToRun) {
  ASSERT_EQ(Run("generate --years 1 --districts-per-state 0 --seed 7").exit_code, 0);
  ASSERT_EQ(Run("batch --quiet").exit_code, 0);
  CliResult r = Run("predict");
  EXPECT_EQ(r.exit_code, 3) << r.err;  // not found
  EXPECT_NE(r.err.find("climahealth train"), std::string::npos) << r.err;
}

// libcurl and its two dozen libraries are opened only by code that speaks
// HTTP, so a command on the local store starts without them.
TEST_F(PipelineCommandTest, LocalStoreCommandsDoNotLoadLibcurl) {
  ASSERT_EQ(Run("generate --years 1 --districts-per-state 0 --seed 7").exit_code, 0);
  ASSERT_EQ(::setenv("LD_DEBUG", "files", 1), 0);  // the loader names each library it opens
  CliResult r = Run("store ls s3://raw/raw/");
  ::unsetenv("LD_DEBUG");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("libxgboost"), std::string::npos) << "no loader trace:\n" << r.err;
  EXPECT_EQ(r.err.find("libcurl"), std::string::npos) << r.err;
}

}  // namespace
