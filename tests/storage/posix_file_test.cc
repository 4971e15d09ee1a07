// posix_file helpers with subtle contracts: SequentialFileWriter (direct I/O
// for large files, whole blocks only, buffered tail) and PartBuffers.
#include "storage/posix_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "storage/part_buffers.h"
#include "support/temp_dir.h"

namespace ch {
namespace {

namespace fs = std::filesystem;
using ch::testing::ReadFile;

std::string Pattern(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = rng();
    std::memcpy(out.data() + i, &v, std::min<size_t>(8, n - i));
  }
  return out;
}

// Writes `data` through a SequentialFileWriter in pieces of the given sizes
// (cycled), each piece copied into a page-aligned PartBuffer when `aligned`.
void WriteInPieces(const fs::path& path, const std::string& data, std::vector<size_t> pieces,
                   bool aligned, bool write_behind) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  {
    posix::SequentialFileWriter writer(fd, "test " + path.string(), write_behind);
    PartBuffers buffers(*std::max_element(pieces.begin(), pieces.end()));
    size_t at = 0;
    for (size_t i = 0; at < data.size(); ++i) {
      size_t n = std::min(pieces[i % pieces.size()], data.size() - at);
      std::string_view piece(data.data() + at, n);
      if (aligned) {
        std::unique_ptr<PartBuffer> buffer = buffers.Take();
        ASSERT_TRUE(buffer->Append(piece));
        ASSERT_TRUE(writer.Write(buffer->view()).ok());
        buffers.Give(std::move(buffer));
      } else {
        ASSERT_TRUE(writer.Write(piece).ok());
      }
      at += n;
    }
    Status finished = writer.Finish();
    ASSERT_TRUE(finished.ok()) << finished.ToString();
  }
  ASSERT_EQ(::fsync(fd), 0);
  ASSERT_EQ(::close(fd), 0);
}

TEST(SequentialFileWriterTest, FilesOfAnySizeAndPieceLayoutAreWrittenExactly) {
  testing::TempDir dir("writer");
  constexpr size_t kMiB = size_t{1} << 20;
  struct Case {
    size_t size;
    std::vector<size_t> pieces;
    bool aligned;
  };
  const std::vector<Case> cases = {
      {0, {4096}, false},
      {5, {1}, false},
      {3 * kMiB + 7, {16384}, false},                // below the direct threshold: buffered
      {8 * kMiB, {8 * kMiB}, true},                  // exactly one buffer
      {20 * kMiB + 4095, {16 * kMiB}, true},         // aligned parts, zero copy, odd tail
      {20 * kMiB + 1, {16384, 7, 1 << 20}, false},   // unaligned pieces of every size
      {17 * kMiB + 12345, {16 * kMiB, 4097}, true},  // aligned parts that leave the buffer in use
  };
  for (bool write_behind : {false, true}) {
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      std::string data = Pattern(c.size, i + 1);
      fs::path path = dir.path() / ("f" + std::to_string(i));
      WriteInPieces(path, data, c.pieces, c.aligned, write_behind);
      std::string back = ReadFile(path);
      ASSERT_EQ(back.size(), data.size()) << "case " << i << " write-behind " << write_behind;
      EXPECT_TRUE(back == data) << "case " << i << " write-behind " << write_behind;
    }
  }
}

// Many buffers in flight one after another: each is written by the helper
// while the next fills, and the file is exact.
TEST(SequentialFileWriterTest, WriteBehindKeepsTheOrderOverManyBuffers) {
  testing::TempDir dir("writer-behind");
  const std::string data = Pattern(7 * posix::SequentialFileWriter::kBufferBytes + 4099, 21);
  const fs::path path = dir.path() / "f";
  WriteInPieces(path, data, {1 << 20, 333, 3 << 20}, false, true);
  const std::string back = ReadFile(path);
  ASSERT_EQ(back.size(), data.size());
  EXPECT_TRUE(back == data);
}

TEST(SequentialFileWriterTest, WhereDirectIoIsRefusedTheWritesStayBuffered) {
  // /dev/null takes no O_DIRECT: the writer must go on without it.
  for (bool write_behind : {false, true}) {
    int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    posix::SequentialFileWriter writer(fd, "test /dev/null", write_behind);
    std::string data = Pattern(20 << 20, 9);
    EXPECT_TRUE(writer.Write(data).ok());
    EXPECT_TRUE(writer.Write(std::string_view(data).substr(0, 12345)).ok());
    EXPECT_TRUE(writer.Finish().ok());
    ::close(fd);
  }
}

TEST(SequentialFileWriterTest, AFailedWriteBehindIsReportedByTheNextCall) {
  // A read-only descriptor: the helper's pwrite fails (EBADF) and the
  // failure surfaces at a later Write or at Finish, never lost.
  testing::TempDir dir("writer-fail");
  const fs::path path = dir.path() / "f";
  { std::ofstream(path) << ""; }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  Status status;
  {
    posix::SequentialFileWriter writer(fd, "test read-only", true);
    const std::string data = Pattern(4 * posix::SequentialFileWriter::kBufferBytes, 3);
    status = writer.Write(data);
    if (status.ok()) status = writer.Finish();
  }
  ::close(fd);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("test read-only: write"), std::string::npos) << status.ToString();
}

TEST(MappedRangeTest, PopulateKeepsToTheRangeAndTheBytes) {
  ch::testing::TempDir dir;
  const fs::path path = dir.path() / "mapped";
  const std::string data = Pattern((3 << 20) + 123, 11);
  { std::ofstream(path, std::ios::binary) << data; }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const uint64_t offset = 5000;  // not page-aligned
  const uint64_t length = (2 << 20) + 7;
  Result<posix::MappedRange> map = posix::MappedRange::Map(fd, offset, length, "test");
  ::close(fd);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  // Ranges that start or run past the end are clamped or ignored, never faulted.
  map->Populate(0, 100);
  map->Populate(1 << 20, 4 << 20);
  map->Populate(length, 10);
  map->Populate(length + 4096, 1);
  map->Populate(100, UINT64_MAX);
  map->Release(1 << 20);
  map->Populate(0, length);  // the released part is mapped in again
  EXPECT_EQ(map->bytes(), std::string_view(data).substr(offset, length));
}

TEST(PartBuffersTest, BuffersArePageAlignedBoundedAndReused) {
  PartBuffers buffers(1 << 20);
  std::unique_ptr<PartBuffer> a = buffers.Take();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a->view().data()) % 4096, 0u);
  EXPECT_EQ(a->capacity(), size_t{1} << 20);
  EXPECT_TRUE(a->Append(std::string(1000, 'x')));
  EXPECT_FALSE(a->Append(std::string((1 << 20) - 999, 'y')));  // past capacity: nothing added
  EXPECT_EQ(a->size(), 1000u);
  std::memset(a->spare(), 'z', 24);
  a->Added(24);
  EXPECT_EQ(a->view(), std::string(1000, 'x') + std::string(24, 'z'));
  const char* first = a->view().data();
  buffers.Give(std::move(a));
  std::unique_ptr<PartBuffer> b = buffers.Take();
  EXPECT_EQ(b->view().data(), first);  // the same memory, emptied
  EXPECT_EQ(b->size(), 0u);
}

}  // namespace
}  // namespace ch
