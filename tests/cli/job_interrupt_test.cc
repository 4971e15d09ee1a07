// `climahealth batch`, `generate` and `train` stopped by SIGINT, as by a
// user's first Ctrl-C: each exits 130 within moments, says it was
// interrupted, and leaves what the store held as it was (batch and generate:
// no new object and no temp file either).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_runner.h"
#include "support/child.h"
#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using ch::testing::Child;
using ch::testing::ChildResult;
using ch::testing::CliResult;
using ch::testing::RunCli;
using Clock = std::chrono::steady_clock;

// How long an interrupted job may take to clean up and exit.
constexpr std::chrono::seconds kPrompt{10};

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

// Every file below `dir`: path → bytes.
std::map<std::string, std::string> FilesBelow(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) {
      files[fs::relative(e.path(), dir).generic_string()] = ch::testing::ReadFile(e.path());
    }
  }
  return files;
}

class JobInterruptTest : public ::testing::Test {
 protected:
  CliResult Run(const std::string& args) { return RunCli(dir_.path(), args); }

  // Starts `climahealth ARGS` on the test's local store, as RunCli would.
  std::unique_ptr<Child> Start(const std::string& args) {
    const std::string command =
        "exec env -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_S3 -u CLIMAHEALTH_CONFIG "
        "CLIMAHEALTH_STORE=local CLIMAHEALTH_STORAGE_ROOT=" +
        ch::testing::ShellQuote((dir_.path() / "store").string()) + " " + CH_CLI_BINARY + " " +
        args;
    return std::make_unique<Child>(std::vector<std::string>{"/bin/sh", "-c", command},
                                   std::map<std::string, std::string>{}, dir_.path());
  }

  // Runs `climahealth ARGS`, sends SIGINT once `delay` has passed and its
  // stderr holds `cue`, and checks that it stopped as an interrupted
  // command must: promptly, with exit code 130 and the reason on stderr.
  void ExpectStopsOnSigint(const std::string& args, const std::string& cue,
                           std::chrono::milliseconds delay = {}) {
    auto child = Start(args);
    std::this_thread::sleep_for(delay);
    EXPECT_TRUE(WaitFor([&] { return child->ErrSoFar().find(cue) != std::string::npos; },
                        std::chrono::seconds(120)))
        << "never printed '" << cue << "': " << child->ErrSoFar();
    const auto sent = Clock::now();
    ::kill(child->pid(), SIGINT);
    ChildResult r = child->Wait();
    EXPECT_LT(Clock::now() - sent, kPrompt);
    EXPECT_EQ(r.exit_code, 128 + SIGINT) << r.err;
    EXPECT_NE(r.err.find("interrupted (SIGINT)"), std::string::npos) << r.err;
  }

  ch::testing::TempDir dir_{"job-interrupt"};
};

TEST_F(JobInterruptTest, BatchStopsOnSigintAndLeavesTheStoreAsItWas) {
  ASSERT_EQ(Run("generate --years 10 --districts-per-state 10 --seed 3").exit_code, 0);
  const auto before = FilesBelow(dir_.path() / "store");
  // "scan" is printed as the inputs start to be read: seconds of work remain.
  ExpectStopsOnSigint("batch", "scan");
  EXPECT_EQ(FilesBelow(dir_.path() / "store"), before);
}

TEST_F(JobInterruptTest, GenerateStopsOnSigintAndLeavesThePreviousDataSet) {
  ASSERT_EQ(Run("generate --years 1 --districts-per-state 1 --seed 1").exit_code, 0);
  const auto before = FilesBelow(dir_.path() / "store");
  // Seconds of output still to write when the interrupt comes.
  ExpectStopsOnSigint("generate --years 50 --districts-per-state 10 --seed 2", "",
                      std::chrono::milliseconds(500));
  EXPECT_EQ(FilesBelow(dir_.path() / "store"), before);
}

TEST_F(JobInterruptTest, TrainStopsOnSigintAndKeepsTheCurrentModels) {
  ASSERT_EQ(Run("generate --years 3 --districts-per-state 0 --seed 7").exit_code, 0);
  ASSERT_EQ(Run("batch --quiet").exit_code, 0);
  ASSERT_EQ(Run("train --disease dengue --rounds 8 --folds 1 --fold-days 30 --quiet").exit_code, 0);
  const auto before = FilesBelow(dir_.path() / "store");
  ExpectStopsOnSigint("train", "] train: ");  // as the first disease's training starts
  // Every object that was there is unchanged, the current-version pointers
  // included; a version saved before the interrupt stays unreferenced.
  const auto after = FilesBelow(dir_.path() / "store");
  for (const auto& [path, bytes] : before) {
    auto it = after.find(path);
    ASSERT_NE(it, after.end()) << path;
    EXPECT_EQ(it->second, bytes) << path;
  }
}

}  // namespace
