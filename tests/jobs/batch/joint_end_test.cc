// JointEnd: members pass only together, and one failure releases everyone
// with that failure.
#include "jobs/batch/joint_end.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace ch::batch {
namespace {

TEST(JointEndTest, EveryMemberPassesOnceTheLastArrives) {
  JointEnd end(3);
  std::atomic<int> passed = 0;
  std::vector<std::jthread> early;
  for (int i = 0; i < 2; ++i) {
    early.emplace_back([&] {
      EXPECT_TRUE(end.Arrive().ok());
      ++passed;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(passed.load(), 0);  // still waiting for the third
  EXPECT_TRUE(end.Arrive().ok());
  early.clear();
  EXPECT_EQ(passed.load(), 2);
  EXPECT_TRUE(end.failure().ok());
}

TEST(JointEndTest, AFailureReleasesTheWaitingWithItsReason) {
  JointEnd end(3);
  std::vector<Status> seen(2);
  {
    std::vector<std::jthread> waiting;
    for (int i = 0; i < 2; ++i) waiting.emplace_back([&, i] { seen[i] = end.Arrive(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    end.Fail(Status::IOError("disk full"));
    end.Fail(Status::Internal("an echo of it"));  // the first failure stays the reason
  }
  for (const Status& s : seen) EXPECT_EQ(s.message(), "disk full");
  EXPECT_EQ(end.failure().message(), "disk full");
}

TEST(JointEndTest, AMemberArrivingAfterAFailureDoesNotWait) {
  JointEnd end(2);
  end.Fail(Status::Cancelled("batch: interrupted (SIGINT)"));
  EXPECT_TRUE(end.Arrive().IsCancelled());
}

}  // namespace
}  // namespace ch::batch
