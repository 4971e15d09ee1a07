#include "cli/progress.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace ch::cli {
namespace {

TEST(ProgressTest, HumanBytesUsesBinaryUnits) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(1023), "1023 B");
  EXPECT_EQ(HumanBytes(1536), "1.5 KiB");
  EXPECT_EQ(HumanBytes(5ull << 20), "5.0 MiB");
  EXPECT_EQ(HumanBytes(3ull << 30), "3.0 GiB");
}

TEST(ProgressTest, BarCountsFromManyThreadsWithoutATerminal) {
  ProgressBar bar("test", 1000);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 250; ++k) bar.Add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bar.done(), 1000u);
  bar.Finish();
  bar.Finish();  // a second Finish is harmless
  EXPECT_EQ(bar.done(), 1000u);
}

}  // namespace
}  // namespace ch::cli
