#include "core/fork_join.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <thread>
#include <vector>

namespace ch {
namespace {

TEST(ForkJoinTest, EveryIndexRunsOnceInEveryBatch) {
  ForkJoin pool(3);
  EXPECT_EQ(pool.threads(), 3);
  // Many short batches back to back: a worker that wakes late for one batch
  // must not run an index of the next with the old task.
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{64}}) {
    for (int batch = 0; batch < 2000; ++batch) {
      std::vector<std::atomic<int>> runs(n);
      pool.Run(n, [&](size_t i) { runs[i].fetch_add(1); });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(runs[i].load(), 1) << "n " << n << " index " << i;
    }
  }
}

TEST(ForkJoinTest, TasksRunConcurrentlyOnThePoolsThreads) {
  ForkJoin pool(2);
  // Each task waits until both have started, which only a second thread allows.
  std::atomic<int> started{0};
  std::atomic<bool> met{true};
  std::vector<std::thread::id> ran_on(2);
  pool.Run(2, [&](size_t i) {
    ran_on[i] = std::this_thread::get_id();
    started.fetch_add(1);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (started.load() < 2) {
      if (std::chrono::steady_clock::now() > deadline) {
        met = false;
        return;
      }
      std::this_thread::yield();
    }
  });
  EXPECT_TRUE(met.load());
  EXPECT_NE(ran_on[0], ran_on[1]);
}

size_t ThreadsOfThisProcess() {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/task"),
                                           std::filesystem::directory_iterator()));
}

TEST(ForkJoinTest, ThreadsStartWithTheFirstBatchOfTwoOrMore) {
  const size_t before = ThreadsOfThisProcess();
  ForkJoin pool(4);
  pool.Run(1, [](size_t) {});
  pool.Run(0, [](size_t) {});
  EXPECT_EQ(ThreadsOfThisProcess(), before);
  std::vector<std::atomic<int>> runs(2);
  pool.Run(2, [&](size_t i) { runs[i].fetch_add(1); });
  EXPECT_EQ(runs[0].load() + runs[1].load(), 2);
  EXPECT_EQ(ThreadsOfThisProcess(), before + 3);
}

TEST(ForkJoinTest, OneThreadRunsEverythingOnTheCaller) {
  ForkJoin pool(1);
  EXPECT_EQ(pool.threads(), 1);
  std::vector<std::thread::id> ran_on(5);
  pool.Run(5, [&](size_t i) { ran_on[i] = std::this_thread::get_id(); });
  for (const std::thread::id& id : ran_on) EXPECT_EQ(id, std::this_thread::get_id());
}

}  // namespace
}  // namespace ch
