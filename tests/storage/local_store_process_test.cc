// LocalStore across real processes: SIGKILL in the middle of writes, and many
// writer processes racing on one key (tests/storage/local_put_child.cc).
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "storage/local_store.h"
#include "storage/md5.h"
#include "support/temp_dir.h"

extern char** environ;

namespace ch {
namespace {

namespace fs = std::filesystem;
constexpr char kProcessBucket[] = "models-bucket";

// A running local_put_child with a pipe to its stdin and one from its stdout.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<char*> argv;
    std::string path = CH_LOCAL_PUT_CHILD;
    argv.push_back(path.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = ::fdopen(out[0], "r");
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    CloseStdin();
    if (stdout_ != nullptr) std::fclose(stdout_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  void CloseStdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }
  // The next line the child printed, without '\n'; empty at end of output.
  std::string ReadLine() {
    char buf[256];
    if (stdout_ == nullptr || std::fgets(buf, sizeof(buf), stdout_) == nullptr) return "";
    std::string line = buf;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }
  void Kill() { ::kill(pid_, SIGKILL); }
  // The raw wait status.
  int Wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  FILE* stdout_ = nullptr;
  bool reaped_ = false;
};

class LocalStoreProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalStoreOptions options;
    options.root = root();
    Result<std::unique_ptr<LocalStore>> store = LocalStore::Make(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->CreateBucket(kProcessBucket).ok());
  }
  std::string root() const { return (dir_.path() / "store").string(); }
  ObjectRef Ref(const std::string& key) const { return ObjectRef{kProcessBucket, key, ""}; }
  size_t TempFiles() const {
    fs::path tmp = dir_.path() / "store" / kProcessBucket / ".climahealth" / "tmp";
    return static_cast<size_t>(std::distance(fs::directory_iterator(tmp), {}));
  }
  std::vector<std::string> Keys() {
    std::vector<std::string> keys;
    EXPECT_TRUE(ForEachObject(*store_, kProcessBucket, "", [&](const ObjectInfo& info) {
                  keys.push_back(info.key);
                  return Status::Ok();
                }).ok());
    return keys;
  }
  // The object is one writer's whole value and its sidecar belongs to it.
  void ExpectOneWholeFill(const std::string& key) {
    Result<std::string> bytes = store_->Get(Ref(key));
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    ASSERT_FALSE(bytes->empty());
    char fill = (*bytes)[0];
    EXPECT_EQ(std::count(bytes->begin(), bytes->end(), fill),
              static_cast<std::ptrdiff_t>(bytes->size()))
        << "torn object";
    Result<ObjectInfo> head = store_->Head(Ref(key));
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->etag, Md5Hex(*bytes));
    EXPECT_EQ(head->content_type, std::string("text/x-fill-") + fill);
  }

  testing::TempDir dir_{"local-proc"};
  std::unique_ptr<LocalStore> store_;
};

TEST_F(LocalStoreProcessTest, KillDuringPutLeavesOldObjectIntact) {
  const std::string old_bytes = std::string(1 << 20, 'O');
  PutOptions options;
  options.content_type = "text/old";
  ASSERT_TRUE(store_->Put(Ref("models/risk.json"), old_bytes, options).ok());
  // 64 MiB in 1 MiB chunks, 20 ms apart: the put is still streaming when killed.
  Child child({"slow-put", root(), kProcessBucket, "models/risk.json", std::to_string(64 << 20),
               std::to_string(1 << 20), "20000"});
  ASSERT_TRUE(child.started());
  uint64_t written = 0;
  while (written < (8u << 20)) {
    std::string line = child.ReadLine();
    ASSERT_FALSE(line.empty()) << "child ended before the kill";
    written = std::stoull(line.substr(line.find(' ') + 1));
  }
  child.Kill();
  int status = child.Wait();
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  EXPECT_EQ(store_->Get(Ref("models/risk.json")).value_or(""), old_bytes);
  Result<ObjectInfo> head = store_->Head(Ref("models/risk.json"));
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->content_type, "text/old");
  EXPECT_EQ(head->etag, Md5Hex(old_bytes));
  EXPECT_THAT(Keys(), ::testing::ElementsAre("models/risk.json"));
  EXPECT_EQ(TempFiles(), 1u) << "the killed put's temp file should be the only leftover";
  LocalStoreOptions reopen;
  reopen.root = root();
  ASSERT_TRUE(LocalStore::Make(reopen).ok());
  EXPECT_EQ(TempFiles(), 0u) << "reopening removes temp files of dead writers";
}

TEST_F(LocalStoreProcessTest, KillAtRandomMomentsNeverTearsObjectOrMetadata) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 25; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Child child({"overwrite", root(), kProcessBucket, "state.bin", std::to_string(256 << 10), "0"});
    ASSERT_TRUE(child.started());
    int puts = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < puts; ++i) ASSERT_FALSE(child.ReadLine().empty());
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 4000));
    child.Kill();
    child.Wait();
    ExpectOneWholeFill("state.bin");
  }
  EXPECT_THAT(Keys(), ::testing::ElementsAre("state.bin"));
}

TEST_F(LocalStoreProcessTest, HundredProcessesRacingIfNoneMatchHaveOneWinner) {
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::string key = "locks/round-" + std::to_string(round);
    std::vector<std::unique_ptr<Child>> children;
    for (int i = 0; i < 100; ++i) {
      children.push_back(std::make_unique<Child>(std::vector<std::string>{
          "create", root(), kProcessBucket, key, "process " + std::to_string(i)}));
      ASSERT_TRUE(children.back()->started());
    }
    for (auto& c : children) c->CloseStdin();  // everyone starts at once
    int winners = 0, losers = 0;
    std::string winner;
    for (size_t i = 0; i < children.size(); ++i) {
      int status = children[i]->Wait();
      ASSERT_TRUE(WIFEXITED(status)) << "child " << i << " died";
      if (WEXITSTATUS(status) == 0) {
        ++winners;
        winner = "process " + std::to_string(i);
      }
      if (WEXITSTATUS(status) == 3) ++losers;
    }
    EXPECT_EQ(winners, 1);
    EXPECT_EQ(losers, 99);
    EXPECT_EQ(store_->Get(Ref(key)).value_or(""), winner);
  }
  EXPECT_EQ(TempFiles(), 0u);
}

TEST_F(LocalStoreProcessTest, ReaderNeverSeesAMixWhileProcessesOverwrite) {
  ASSERT_TRUE(
      store_->Put(Ref("shared.bin"), std::string(128 << 10, 'a'), PutOptions{"text/x-fill-a"})
          .ok());
  std::vector<std::unique_ptr<Child>> writers;
  for (int i = 0; i < 16; ++i) {
    writers.push_back(std::make_unique<Child>(std::vector<std::string>{
        "overwrite", root(), kProcessBucket, "shared.bin", std::to_string(128 << 10), "8"}));
  }
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, torn{0};
  std::thread reader([&] {
    while (!done) {
      Result<std::string> got = store_->Get(Ref("shared.bin"));
      if (!got.ok()) {
        ++torn;
        continue;
      }
      ++reads;
      if (got->size() != (128u << 10) ||
          std::count(got->begin(), got->end(), (*got)[0]) != (128 << 10)) {
        ++torn;
      }
    }
  });
  for (auto& w : writers) {
    int status = w->Wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  ExpectOneWholeFill("shared.bin");
  EXPECT_EQ(TempFiles(), 0u);
}

}  // namespace
}  // namespace ch
