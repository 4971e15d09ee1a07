// Tests of the streaming gzip/zstd codecs and their sink/source adapters.
#include "codecs/compression.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace ch {
namespace {

std::string Text(size_t n) {
  std::mt19937 rng(3);
  std::string s;
  while (s.size() < n) s += "2024-01-01,KA," + std::to_string(rng() % 1000) + "\n";
  return s;
}

class CodecTest : public ::testing::TestWithParam<Compression> {};

TEST_P(CodecTest, RoundTripsWhenFedInOddPieces) {
  std::string plain = Text(3 << 20);
  Result<std::string> packed = CompressBytes(plain, GetParam());
  ASSERT_TRUE(packed.ok());
  EXPECT_LT(packed->size(), plain.size() / 3);
  std::unique_ptr<Decompressor> d = Decompressor::Make(GetParam());
  std::string out;
  for (size_t off = 0; off < packed->size(); off += 997) {
    ASSERT_TRUE(d->Update(std::string_view(*packed).substr(off, 997), [&](std::string_view b) {
                   out.append(b);
                   return Status::Ok();
                 }).ok());
  }
  ASSERT_TRUE(d->Finish().ok());
  EXPECT_EQ(out, plain);
}

TEST_P(CodecTest, CorruptDataIsCorruption) {
  std::string packed = CompressBytes(Text(100000), GetParam()).value();
  for (size_t i = 20; i < packed.size(); i += packed.size() / 7) packed[i] ^= 0x5A;
  Result<std::string> out = DecompressBytes(packed, GetParam());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(out.status().message().substr(0, 4), std::string(CompressionName(GetParam())));
}

TEST_P(CodecTest, TruncatedStreamIsCorruption) {
  std::string packed = CompressBytes(Text(100000), GetParam()).value();
  Result<std::string> out = DecompressBytes(packed.substr(0, packed.size() / 2), GetParam());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kCorruption);
  EXPECT_NE(out.status().message().find("truncated"), std::string::npos);
  EXPECT_EQ(DecompressBytes("", GetParam()).status().code(), StatusCode::kCorruption);
}

TEST_P(CodecTest, ConcatenatedStreamsDecodeAsOne) {
  std::string a = CompressBytes("first\n", GetParam()).value();
  std::string b = CompressBytes("second\n", GetParam()).value();
  Result<std::string> out = DecompressBytes(a + b, GetParam());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "first\nsecond\n");
}

TEST_P(CodecTest, CompressingSourceAndDecompressingSinkRoundTrip) {
  std::string plain = Text(2 << 20);
  struct StringSource : ByteSource {
    std::string_view data;
    Result<size_t> Read(char* buf, size_t n) override {
      size_t take = std::min(n, data.size());
      std::memcpy(buf, data.data(), take);
      data.remove_prefix(take);
      return take;
    }
  } source;
  source.data = plain;
  CompressingSource packer(source, GetParam());
  struct StringSink : ByteSink {
    std::string out;
    Status Write(std::string_view b) override {
      out.append(b);
      return Status::Ok();
    }
  } sink;
  DecompressingSink unpacker(sink, GetParam(), "read x");
  char buf[4096];
  while (true) {
    Result<size_t> n = packer.Read(buf, sizeof(buf));
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    ASSERT_TRUE(unpacker.Write(std::string_view(buf, *n)).ok());
  }
  ASSERT_TRUE(unpacker.Close().ok());
  EXPECT_EQ(sink.out, plain);
}

INSTANTIATE_TEST_SUITE_P(Codecs, CodecTest,
                         ::testing::Values(Compression::kGzip, Compression::kZstd),
                         [](const auto& info) { return std::string(CompressionName(info.param)); });

TEST(CompressionTest, ChosenByKeySuffix) {
  EXPECT_EQ(CompressionFromPath("raw/climate_data.csv.gz"), Compression::kGzip);
  EXPECT_EQ(CompressionFromPath("raw/climate_data.csv.zst"), Compression::kZstd);
  EXPECT_EQ(CompressionFromPath("x.zstd"), Compression::kZstd);
  EXPECT_EQ(CompressionFromPath("raw/climate_data.csv"), Compression::kNone);
  EXPECT_EQ(CompressionFromPath("raw/gz"), Compression::kNone);
}

TEST(CompressionTest, SinkNamesTheObjectInDecoderErrorsOnly) {
  struct FailingSink : ByteSink {
    Status Write(std::string_view) override { return Status::IOError("disk full"); }
  } failing;
  DecompressingSink sink(failing, Compression::kGzip, "read raw/x.csv.gz");
  Status corrupt = sink.Write("not gzip at all");
  EXPECT_EQ(corrupt.code(), StatusCode::kCorruption);
  EXPECT_EQ(corrupt.message().substr(0, 24), "read raw/x.csv.gz: gzip:");
  DecompressingSink sink2(failing, Compression::kGzip, "read raw/x.csv.gz");
  Status inner = sink2.Write(CompressBytes("abc", Compression::kGzip).value());
  EXPECT_EQ(inner.ToString(), "IOError: disk full");
}

}  // namespace
}  // namespace ch
