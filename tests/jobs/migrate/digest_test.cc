// File digests: the MD5 and the multipart ETag of a file hashed in lanes equal
// those of the bytes fed in order, for every layout of parts.
#include "jobs/migrate/digest.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <random>
#include <string>

#include "support/temp_dir.h"

namespace ch::migrate {
namespace {

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

// HashOpenFile over a file holding `prefix` then `content`, the descriptor at
// the start of `content`, claiming `claimed` bytes.
Result<Digest> HashFileAfter(const std::string& prefix, const std::string& content,
                             uint64_t claimed, uint64_t part_size, uint64_t threshold) {
  ch::testing::TempDir dir("digest");
  std::filesystem::path path = dir.path() / "file.bin";
  ch::testing::WriteFile(path, prefix + content);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("open " + path.string());
  if (::lseek(fd, static_cast<off_t>(prefix.size()), SEEK_SET) < 0) {
    ::close(fd);
    return Status::IOError("seek " + path.string());
  }
  Result<Digest> digest = HashOpenFile(fd, claimed, part_size, threshold, path.string());
  ::close(fd);
  return digest;
}

Digest InOrder(const std::string& content, uint64_t part_size, uint64_t threshold) {
  DigestBuilder builder(content.size(), part_size, threshold);
  builder.Update(content);
  return builder.Finish();
}

TEST(DigestTest, FilesInLanesMatchTheDigestOfTheirBytesInOrderForEveryPartLayout) {
  // Part sizes on and off the 64-byte block and the 256 KiB slice; files of
  // one part, of exactly eight, of eight and a byte, of seventeen with a short last.
  for (uint64_t part : {uint64_t{1000}, uint64_t{4096}, uint64_t{300000}, uint64_t{1} << 20}) {
    for (uint64_t size : {part + 1, 8 * part, 8 * part + 1, 16 * part + part / 3, 3 * part - 1}) {
      std::string content = RandomBytes(size, size * 31 + part);
      Result<Digest> got = HashFileAfter("", content, size, part, part);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      Digest want = InOrder(content, part, part);
      EXPECT_EQ(got->md5, want.md5) << size << " bytes in parts of " << part;
      EXPECT_EQ(got->multipart_etag, want.multipart_etag) << size << " bytes in parts of " << part;
      EXPECT_EQ(got->size, size);
      EXPECT_EQ(got->md5, Md5Hex(content));
    }
  }
}

TEST(DigestTest, AFileHashedFromAnOffsetCoversOnlyTheBytesFromThere) {
  std::string content = RandomBytes(9 * 5000 + 17, 1);
  Result<Digest> got = HashFileAfter("a prefix not to hash", content, content.size(), 5000, 5000);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  Digest want = InOrder(content, 5000, 5000);
  EXPECT_EQ(got->md5, want.md5);
  EXPECT_EQ(got->multipart_etag, want.multipart_etag);
}

TEST(DigestTest, AFileLongerOrShorterThanClaimedIsHashedToItsEndSoTheSizeDiffers) {
  std::string content = RandomBytes(20 * 4096 + 5, 2);
  for (uint64_t claimed : {content.size() - 3000, content.size() + 3000}) {
    Result<Digest> got = HashFileAfter("", content, claimed, 4096, 4096);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->size, content.size()) << "claimed " << claimed;
    EXPECT_EQ(got->md5, Md5Hex(content)) << "claimed " << claimed;
  }
}

TEST(DigestTest, FilesAtOrBelowTheThresholdHaveNoMultipartEtag) {
  std::string content = RandomBytes(10000, 3);
  Result<Digest> got = HashFileAfter("", content, content.size(), 1000, content.size());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->md5, Md5Hex(content));
  EXPECT_TRUE(got->multipart_etag.empty());
}

}  // namespace
}  // namespace ch::migrate
