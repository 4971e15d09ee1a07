#include "core/bounded_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>

namespace ch {
namespace {

TEST(BoundedWorkersTest, WorksEveryPushedItemExactlyOnceBeforeFinishReturns) {
  std::mutex mu;
  std::multiset<int> seen;
  std::atomic<int> sum{0};
  {
    BoundedWorkers<int> workers(4, 3, [&](int& item) {
      sum += item;
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(item);
    });
    for (int i = 1; i <= 1000; ++i) workers.Push(i);
    workers.Finish();
    EXPECT_EQ(sum.load(), 500500);
  }
  ASSERT_EQ(seen.size(), 1000u);
  for (int i = 1; i <= 1000; ++i) EXPECT_EQ(seen.count(i), 1u) << i;
}

TEST(BoundedWorkersTest, ProducerWaitsWhileCapacityItemsAreQueued) {
  // Two workers held at a gate: they take two items, the queue holds three,
  // so the producer can have pushed at most five until the gate opens.
  std::atomic<bool> open{false};
  std::atomic<int> pushed{0};
  std::atomic<int> started{0};
  BoundedWorkers<int> workers(2, 3, [&](int&) {
    ++started;
    while (!open) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  std::thread producer([&] {
    for (int i = 0; i < 20; ++i) {
      workers.Push(i);
      ++pushed;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(started.load(), 2);
  EXPECT_EQ(pushed.load(), 5);
  open = true;
  producer.join();
  workers.Finish();
  EXPECT_EQ(started.load(), 20);
}

TEST(BoundedWorkersTest, NoItemsAndZeroThreadsOrCapacityStillFinish) {
  int worked = 0;
  BoundedWorkers<int> workers(0, 0, [&](int&) { ++worked; });
  workers.Push(7);
  workers.Finish();
  workers.Finish();  // a second Finish is harmless
  EXPECT_EQ(worked, 1);
}

}  // namespace
}  // namespace ch
