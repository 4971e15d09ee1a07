// Md5OfFileSpans: each span's digest equals OpenSSL's MD5 of those bytes, for
// spans of every shape and more spans than one wave; a file ending inside a
// span is an error naming the file and the spot.
#include "storage/file_md5.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "storage/md5.h"
#include "support/temp_dir.h"

namespace ch {
namespace {

std::string SpanTestBytes(size_t n) {
  std::mt19937_64 rng(n);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

std::string HexOfDigest(const Md5Digest& digest) {
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

class FileMd5Test : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = SpanTestBytes((3 << 20) + 4321);
    ch::testing::WriteFile(dir_.path() / "f.bin", data_);
    fd_ = ::open((dir_.path() / "f.bin").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd_, 0);
  }
  void TearDown() override {
    if (fd_ >= 0) ::close(fd_);
  }

  ch::testing::TempDir dir_{"file-md5"};
  std::string data_;
  int fd_ = -1;
};

TEST_F(FileMd5Test, EverySpanHashesToTheMd5OfItsBytesAcrossWaves) {
  // Empty, sub-block, block-crossing, longer than a 128 KiB slice, overlapping,
  // out of order, the file's very end; 21 spans, so a wave of 16 and one of 5.
  std::vector<FileSpan> spans = {{0, 0},
                                 {5, 1},
                                 {0, 64},
                                 {63, 65},
                                 {1000, 200000},
                                 {0, 128 << 10},
                                 {1, 128 << 10},
                                 {2 << 20, 1 << 20},
                                 {data_.size() - 10, 10},
                                 {777, 0},
                                 {4096, 300001}};
  for (uint64_t i = 0; spans.size() < 21; ++i) {
    spans.push_back({i * 150001, 100000 + i * 12345});
  }
  Result<std::vector<Md5Digest>> got = Md5OfFileSpans(fd_, spans, "read f.bin");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    std::string_view bytes = std::string_view(data_).substr(spans[i].offset, spans[i].length);
    EXPECT_EQ(HexOfDigest((*got)[i]), Md5Hex(bytes))
        << "span " << i << ": " << spans[i].offset << "+" << spans[i].length;
  }
  EXPECT_EQ(::lseek(fd_, 0, SEEK_CUR), 0) << "the file offset moved";
}

TEST_F(FileMd5Test, NoSpansGiveNoDigests) {
  Result<std::vector<Md5Digest>> got = Md5OfFileSpans(fd_, {}, "read f.bin");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
}

TEST_F(FileMd5Test, ASpanPastTheEndOfTheFileIsAnErrorNamingWhereTheFileEnds) {
  std::vector<FileSpan> spans = {{0, 1000}, {data_.size() - 100, 200}};
  Result<std::vector<Md5Digest>> got = Md5OfFileSpans(fd_, spans, "read f.bin");
  ASSERT_EQ(got.status().code(), StatusCode::kIOError) << got.status().ToString();
  EXPECT_NE(got.status().message().find("read f.bin: the file ends at byte " +
                                        std::to_string(data_.size())),
            std::string::npos)
      << got.status().ToString();
}

}  // namespace
}  // namespace ch
