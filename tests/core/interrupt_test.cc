// The interrupt flag: set by a real signal through the installed handler,
// read by transfers, cutting interruptible sleeps short, and hidden from a
// thread while it cleans up.
#include "core/interrupt.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace ch {
namespace {

class InterruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClearInterruptForTest();
    // The handlers stay for the process: keep the test runner's own afterwards.
    ::sigaction(SIGINT, nullptr, &old_int_);
    ::sigaction(SIGTERM, nullptr, &old_term_);
  }
  void TearDown() override {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    ClearInterruptForTest();
  }
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

TEST_F(InterruptTest, FirstSignalOnlyRaisesTheFlagAndNamesTheSignal) {
  InstallInterruptHandlers();
  EXPECT_FALSE(Interrupted());
  ASSERT_EQ(::raise(SIGTERM), 0);  // the process lives on: the handler only records it
  EXPECT_TRUE(Interrupted());
  EXPECT_EQ(InterruptSignal(), SIGTERM);
  Status st = InterruptedStatus("put raw/x.csv");
  EXPECT_TRUE(st.IsCancelled());
  EXPECT_FALSE(st.IsRetryable());
  EXPECT_EQ(st.ToString(), "Cancelled: put raw/x.csv: interrupted (SIGTERM)");
}

TEST_F(InterruptTest, SecondSignalEndsTheProcessAtOnceWith128PlusItsNumber) {
  EXPECT_EXIT(
      {
        InstallInterruptHandlers();
        ::raise(SIGINT);
        ::raise(SIGINT);
        std::this_thread::sleep_for(std::chrono::seconds(5));  // never reached
        std::exit(0);
      },
      ::testing::ExitedWithCode(128 + SIGINT), "interrupted again; quitting now");
}

TEST_F(InterruptTest, TheFirstSignalIsKept) {
  RequestInterrupt(SIGINT);
  RequestInterrupt(SIGTERM);
  EXPECT_EQ(InterruptSignal(), SIGINT);
}

TEST_F(InterruptTest, SleepRunsItsCourseWithoutAnInterrupt) {
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(SleepUnlessInterrupted(std::chrono::milliseconds(120)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(120));
}

TEST_F(InterruptTest, SleepEndsSoonAfterAnInterrupt) {
  std::thread interrupter([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    RequestInterrupt(SIGINT);
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(SleepUnlessInterrupted(std::chrono::seconds(30)));
  interrupter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(InterruptTest, ACleanupScopeHidesTheInterruptFromItsOwnThreadOnly) {
  RequestInterrupt(SIGINT);
  {
    CleanupScope cleanup;
    EXPECT_FALSE(Interrupted());
    {
      CleanupScope nested;
      EXPECT_FALSE(Interrupted());
    }
    EXPECT_FALSE(Interrupted());  // the outer scope still holds
    bool other_thread_sees_it = false;
    std::thread([&] { other_thread_sees_it = Interrupted(); }).join();
    EXPECT_TRUE(other_thread_sees_it);
    EXPECT_EQ(InterruptSignal(), SIGINT);  // the flag itself is kept
  }
  EXPECT_TRUE(Interrupted());
}

}  // namespace
}  // namespace ch
