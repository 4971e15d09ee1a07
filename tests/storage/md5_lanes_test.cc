// Md5Many and Md5Lanes: the same digests as OpenSSL's MD5 for every length and
// mix of lengths, every kernel; and the hex helpers beside them.
#include "storage/md5_lanes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "storage/md5.h"

namespace ch {
namespace {

std::string Hex(const Md5Digest& digest) {
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string RandomBytes(std::mt19937_64& rng, size_t n) {
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

// Each kernel up to the fastest this CPU has (those it lacks fall back to one it has).
constexpr Md5Kernel kKernels[] = {Md5Kernel::kGeneric, Md5Kernel::kAvx2, Md5Kernel::kAvx512};

// Every digest of `messages` from every kernel equals OpenSSL's.
void ExpectOpenSslDigests(const std::vector<std::string>& messages) {
  std::vector<std::string_view> views(messages.begin(), messages.end());
  for (Md5Kernel kernel : kKernels) {
    std::vector<Md5Digest> got = md5_internal::Md5Many(views, kernel);
    ASSERT_EQ(got.size(), messages.size());
    for (size_t i = 0; i < messages.size(); ++i) {
      EXPECT_EQ(Hex(got[i]), Md5Hex(messages[i]))
          << "message " << i << " of " << messages.size() << ", " << messages[i].size()
          << " bytes, kernel " << static_cast<int>(kernel);
    }
  }
}

TEST(Md5ManyTest, KnownDigestsOfRfc1321) {
  std::vector<std::string_view> messages = {"", "a", "abc", "message digest",
                                            "12345678901234567890123456789012345678901234567890"
                                            "123456789012345678901234567890"};
  std::vector<Md5Digest> got = Md5Many(messages);
  EXPECT_EQ(Hex(got[0]), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Hex(got[1]), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(Hex(got[2]), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Hex(got[3]), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(Hex(got[4]), "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5ManyTest, EveryLengthAroundTheBlockAndPaddingEdgesMatchesOpenSsl) {
  // Lengths 0..200 cover the tail that fits one padding block (< 56 bytes),
  // the one that needs two, and whole blocks; sixteen lanes at a time.
  std::mt19937_64 rng(1);
  std::vector<std::string> messages;
  for (size_t n = 0; n <= 200; ++n) messages.push_back(RandomBytes(rng, n));
  ExpectOpenSslDigests(messages);
}

TEST(Md5ManyTest, LanesOfVeryDifferentLengthsFinishApartAndMatchOpenSsl) {
  std::mt19937_64 rng(2);
  std::vector<std::string> messages;
  for (size_t n : {size_t{0}, size_t{64} * 5000, size_t{17}, size_t{64} * 1000 + 3, size_t{1},
                   size_t{64} * 5000 + 63, size_t{64}, size_t{300000}, size_t{55}, size_t{56},
                   size_t{1} << 20}) {
    messages.push_back(RandomBytes(rng, n));
  }
  ExpectOpenSslDigests(messages);  // eleven lanes of sixteen
}

TEST(Md5ManyTest, RandomGroupsMatchOpenSsl) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 40; ++round) {
    std::vector<std::string> messages(1 + rng() % 12);
    for (std::string& m : messages) m = RandomBytes(rng, rng() % 20000);
    ExpectOpenSslDigests(messages);
  }
}

TEST(Md5ManyTest, SixteenLanesAndGroupsBeyondThemMatchOpenSsl) {
  // 16 fill the widest lanes; 17 and 33 leave a group of one; 24 mixes 16 and 8.
  std::mt19937_64 rng(6);
  for (size_t count : {size_t{9}, size_t{16}, size_t{17}, size_t{24}, size_t{33}}) {
    std::vector<std::string> messages(count);
    for (std::string& m : messages) m = RandomBytes(rng, rng() % 40000);
    ExpectOpenSslDigests(messages);
  }
}

// Md5Lanes fed each message in pieces of `piece` bytes (a multiple of 64, the
// last piece of each shorter) gives OpenSSL's digests, with either kernel.
void ExpectPiecewiseDigests(const std::vector<std::string>& messages, size_t piece) {
  for (Md5Kernel kernel : kKernels) {
    Md5Lanes lanes(messages.size(), kernel);
    size_t longest = 0;
    for (const std::string& m : messages) longest = std::max(longest, m.size());
    for (size_t at = 0; at < longest; at += piece) {
      std::vector<std::string_view> pieces;
      for (const std::string& m : messages) {
        pieces.push_back(at < m.size() ? std::string_view(m).substr(at, piece) : "");
      }
      lanes.Update(pieces);
    }
    for (size_t i = 0; i < messages.size(); ++i) {
      EXPECT_EQ(Hex(lanes.Finish(i)), Md5Hex(messages[i]))
          << "message " << i << ", " << messages[i].size() << " bytes in pieces of " << piece
          << ", kernel " << static_cast<int>(kernel);
    }
  }
}

TEST(Md5LanesTest, MessagesFedInPiecesMatchOpenSsl) {
  std::mt19937_64 rng(4);
  std::vector<std::string> messages;
  for (size_t n : {size_t{64} * 40, size_t{64} * 40 - 1, size_t{0}, size_t{64} * 13 + 7, size_t{1},
                   size_t{64} * 39 + 55, size_t{64} * 40 + 63, size_t{64}}) {
    messages.push_back(RandomBytes(rng, n));
  }
  for (size_t piece : {size_t{64}, size_t{128}, size_t{64} * 7, size_t{64} * 100}) {
    ExpectPiecewiseDigests(messages, piece);
  }
}

TEST(Md5LanesTest, FewerMessagesThanLanesAndUnevenPiecesMatchOpenSsl) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> messages(1 + rng() % Md5Lanes::kMaxMessages);
    for (std::string& m : messages) m = RandomBytes(rng, rng() % 9000);
    ExpectPiecewiseDigests(messages, 64 * (1 + rng() % 30));
  }
}

TEST(HexTest, FromHexReadsWhatToHexWritesInEitherCaseAndRefusesTheRest) {
  std::string bytes("\x00\x01\x7f\x80\xab\xff", 6);
  EXPECT_EQ(FromHex(ToHex(bytes)), bytes);
  EXPECT_EQ(FromHex("ABcd"), std::string("\xab\xcd"));
  EXPECT_EQ(FromHex(""), std::string());
  EXPECT_EQ(FromHex("abc"), std::nullopt);  // half a byte
  EXPECT_EQ(FromHex("zz"), std::nullopt);
  EXPECT_EQ(FromHex("0g"), std::nullopt);
}

TEST(Md5ManyTest, NoMessagesGiveNoDigests) {
  EXPECT_TRUE(Md5Many({}).empty());
  std::string kernel = Md5ManyKernel();
  EXPECT_TRUE(kernel == "avx512" || kernel == "avx2" || kernel == "generic") << kernel;
}

}  // namespace
}  // namespace ch
