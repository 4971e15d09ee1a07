// A dry run over a generated tree of 1,000,000 small files stays under
// 200 MiB of peak RSS: the tree is walked and compared as a stream.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "support/child.h"
#include "support/temp_dir.h"

namespace ch::testing {
namespace {

namespace fs = std::filesystem;

// 1000 directories of 1000 files; every other file holds one byte.
void MakeTree(const fs::path& root, int dirs, int per_dir) {
  for (int d = 0; d < dirs; ++d) {
    fs::path dir = root / ("d" + std::to_string(1000 + d));
    fs::create_directories(dir);
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(dfd, 0);
    for (int f = 0; f < per_dir; ++f) {
      std::string name = "f" + std::to_string(f) + ".csv";
      int fd = ::openat(dfd, name.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ASSERT_GE(fd, 0);
      if (f % 2 == 1) {
        ASSERT_EQ(::write(fd, "x", 1), 1);
      }
      ::close(fd);
    }
    ::close(dfd);
  }
}

// Marked slow: skipped when CH_SKIP_SLOW_TESTS is set.
TEST(MigrateScaleTest, SlowDryRunOverAMillionFilesStaysUnder200MiB) {
  if (std::getenv("CH_SKIP_SLOW_TESTS") != nullptr) GTEST_SKIP() << "CH_SKIP_SLOW_TESTS is set";
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "peak RSS is a property of the normal build; AddressSanitizer's shadow "
                  "memory and quarantine would dominate it";
#endif
  TempDir dir("migrate-scale");
  auto t0 = std::chrono::steady_clock::now();
  MakeTree(dir.path() / "src/data/raw", 1000, 1000);
  auto t1 = std::chrono::steady_clock::now();
  ChildResult r =
      RunChild({ClimahealthBinary(), "--store", "local", "--root", (dir.path() / "store").string(),
                "migrate", (dir.path() / "src").string(), "--dry-run", "--no-progress"},
               {{"XDG_CACHE_HOME", (dir.path() / "cache").string()}}, dir.path());
  auto t2 = std::chrono::steady_clock::now();
  std::printf("created 1,000,000 files in %.1f s; dry run %.1f s, CPU %.1f s, peak RSS %.1f MiB\n",
              std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t2 - t1).count(), r.cpu_seconds,
              static_cast<double>(r.max_rss_kib) / 1024.0);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("would copy 1000000 files (488.3 KiB)"), std::string::npos) << r.out;
  EXPECT_LT(r.max_rss_kib, 200 * 1024);
}

}  // namespace
}  // namespace ch::testing
