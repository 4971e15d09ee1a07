// `climahealth store cp` interrupted by SIGINT/SIGTERM mid-transfer, against
// the real RGW (CH_S3_ENDPOINT) through a fault proxy that holds one transfer
// stalled: the command stops within moments, exits 128 + the signal, aborts
// its multipart upload and leaves no temp file; whole files stay.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <functional>
#include <thread>

#include "cli/rgw_cli_fixture.h"
#include "support/fault_proxy.h"
#include "support/pattern_bytes.h"

namespace ch::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Long enough that only the interrupt can end a stalled transfer in time.
constexpr std::chrono::seconds kStall{60};
// How long an interrupted command may take to clean up and exit.
constexpr std::chrono::seconds kPrompt{10};

// "http://127.0.0.1:17480" → 17480.
int PortOf(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds limit) {
  auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string SmallBytes(int i) {
  return PatternBytes(static_cast<size_t>(1000 + i), static_cast<unsigned>(i));
}

// Every regular file below `dir`, relative.
std::vector<std::string> FilesBelow(const fs::path& dir) {
  std::vector<std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), dir).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class StoreInterruptTest : public RgwCliTest {
 protected:
  StoreInterruptTest() : RgwCliTest("interrupt") {}

  // The child talks to the RGW through the proxy; the checks go straight to it.
  void SetUp() override {
    RgwCliTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto proxy = FaultProxy::Start({"127.0.0.1", PortOf(endpoint_)});
    ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
    proxy_ = std::move(proxy).value();
    WriteRgwConfig(config_, proxy_->Endpoint());
  }

  std::unique_ptr<Child> Start(std::vector<std::string> args) {
    args.insert(args.begin(), ClimahealthBinary());
    return std::make_unique<Child>(args, ChildEnv(), dir_.path());
  }
  // Waits for the proxy to hold a transfer, then signals the child and waits
  // for it; `took` is how long it needed to stop.
  ChildResult InterruptOnceStalled(Child& child, int signal, Clock::duration& took) {
    EXPECT_TRUE(WaitFor([&] { return proxy_->FaultsInjected() >= 1; }, std::chrono::seconds(60)))
        << "no transfer reached the stalling proxy";
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the rest settles
    auto start = Clock::now();
    ::kill(child.pid(), signal);
    ChildResult r = child.Wait();
    took = Clock::now() - start;
    return r;
  }

  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(StoreInterruptTest, InterruptedUploadAbortsItsMultipartUploadAndExits130) {
  const fs::path file = dir_.path() / "big.bin";
  WriteFile(file, PatternBytes(40 << 20, 7));  // eight 5 MiB parts
  proxy_->AddRule(FaultRule{"PUT", "partNumber=3", FaultKind::kStall, true, -1, 0, kStall});
  std::unique_ptr<Child> child = Start({"store", "cp", file.string(), Uri("big.bin")});
  Clock::duration took{};
  ChildResult r = InterruptOnceStalled(*child, SIGINT, took);
  EXPECT_EQ(r.exit_code, 128 + SIGINT) << r.err;
  EXPECT_LT(took, kPrompt);
  EXPECT_NE(r.err.find("interrupted (SIGINT)"), std::string::npos) << r.err;
  EXPECT_TRUE(store_->ListOpenUploads(kCliBucket, prefix_).value().empty())
      << "the interrupted upload must be aborted, not left for the bucket to bill";
  EXPECT_TRUE(store_->Head(Ref("big.bin")).status().IsNotFound());
}

TEST_F(StoreInterruptTest, InterruptedDownloadRemovesItsTempFileAndExits143OnSigterm) {
  const std::string bytes = PatternBytes(40 << 20, 8);
  ASSERT_TRUE(store_->Put(Ref("big.bin"), bytes).ok());
  proxy_->AddRule(FaultRule{"GET", "big.bin", FaultKind::kStall, false, -1, 0, kStall});
  const fs::path out = dir_.path() / "out";
  fs::create_directories(out);
  std::unique_ptr<Child> child = Start({"store", "cp", Uri("big.bin"), (out / "big.bin").string()});
  ASSERT_TRUE(WaitFor([&] { return !FilesBelow(out).empty(); }, std::chrono::seconds(60)))
      << "the download should have a temp file while it runs";
  Clock::duration took{};
  ChildResult r = InterruptOnceStalled(*child, SIGTERM, took);
  EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r.err;
  EXPECT_LT(took, kPrompt);
  EXPECT_NE(r.err.find("interrupted (SIGTERM)"), std::string::npos) << r.err;
  EXPECT_TRUE(FilesBelow(out).empty()) << "left behind: " << FilesBelow(out).front();
}

TEST_F(StoreInterruptTest, InterruptedRecursiveDownloadKeepsTheWholeFilesAndNoTemps) {
  std::vector<std::string> small;
  for (int i = 0; i < 10; ++i) {
    small.push_back("a" + std::to_string(i) + ".bin");
    ASSERT_TRUE(store_->Put(Ref("tree/" + small.back()), SmallBytes(i)).ok());
  }
  ASSERT_TRUE(store_->Put(Ref("tree/z-big.bin"), PatternBytes(12 << 20, 9)).ok());
  proxy_->AddRule(FaultRule{"GET", "z-big", FaultKind::kStall, false, -1, 0, kStall});
  const fs::path out = dir_.path() / "tree";
  std::unique_ptr<Child> child =
      Start({"store", "cp", "-r", "-j", "2", Uri("tree/"), out.string()});
  Clock::duration took{};
  ChildResult r = InterruptOnceStalled(*child, SIGINT, took);
  EXPECT_EQ(r.exit_code, 128 + SIGINT) << r.err;
  EXPECT_LT(took, kPrompt);
  EXPECT_NE(r.err.find("downloads done"), std::string::npos) << r.err;
  EXPECT_EQ(FilesBelow(out), small) << "the whole files stay; the cut one leaves no temp";
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(ReadFile(out / small[static_cast<size_t>(i)]), SmallBytes(i));
  }
}

}  // namespace
}  // namespace ch::testing
