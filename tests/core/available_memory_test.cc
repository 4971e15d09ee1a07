#include "core/available_memory.h"

#include <gtest/gtest.h>

namespace ch {
namespace {

TEST(AvailableMemoryTest, MemAvailableIsReadInKibibytes) {
  constexpr std::string_view kMeminfo =
      "MemTotal:       24576000 kB\n"
      "MemFree:         1000000 kB\n"
      "MemAvailable:   20000000 kB\n"
      "Buffers:           12345 kB\n";
  EXPECT_EQ(ParseMemAvailable(kMeminfo), uint64_t{20000000} * 1024);
  EXPECT_EQ(ParseMemAvailable("MemTotal: 1 kB\n"), std::nullopt);
}

TEST(AvailableMemoryTest, CgroupLimitLeavesWhatUsageDoesNotTake) {
  EXPECT_EQ(CgroupRemaining("1073741824\n", "73741824\n"), uint64_t{1000000000});
  EXPECT_EQ(CgroupRemaining("1000\n", "5000\n"), uint64_t{0});
  EXPECT_EQ(CgroupRemaining("max\n", "5000\n"), std::nullopt);
  // cgroup v1's "unlimited".
  EXPECT_EQ(CgroupRemaining("9223372036854771712\n", "5000\n"), std::nullopt);
}

TEST(AvailableMemoryTest, CgroupPathIsFoundForV2AndForAV1Controller) {
  constexpr std::string_view kHybrid =
      "9:name=systemd:/\n4:cpu,memory:/jobs/42\n1:cpuacct:/\n0::/system.slice/job.scope\n";
  EXPECT_EQ(CgroupPath(kHybrid, ""), "/system.slice/job.scope");
  EXPECT_EQ(CgroupPath(kHybrid, "memory"), "/jobs/42");
  EXPECT_EQ(CgroupPath(kHybrid, "pids"), std::nullopt);
  EXPECT_EQ(CgroupPath("12:memory:/docker/abc\n", ""), std::nullopt);
  EXPECT_EQ(CgroupPath("garbage", "memory"), std::nullopt);
}

TEST(AvailableMemoryTest, ThisMachineReportsSomeMemory) {
  const std::optional<uint64_t> bytes = AvailableMemoryBytes();
  ASSERT_TRUE(bytes.has_value());
  EXPECT_GT(*bytes, uint64_t{16} << 20);
}

}  // namespace
}  // namespace ch
