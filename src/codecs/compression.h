// Streaming gzip and zstd compression, chosen by a key's suffix.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch {

enum class Compression { kNone, kGzip, kZstd };

// "none", "gzip", "zstd".
std::string_view CompressionName(Compression compression);

// By the suffix of a key or file name: ".gz" is gzip, ".zst" / ".zstd" is
// zstd, anything else none.
Compression CompressionFromPath(std::string_view key);

// Receives output bytes in order; a non-ok Status stops the codec.
using ChunkCallback = std::function<Status(std::string_view bytes)>;

// A streaming decoder. Feed compressed bytes in any pieces with Update, then
// call Finish once. Invalid or truncated input is Corruption ("gzip: ...").
// Concatenated gzip members / zstd frames decode as one stream.
// Not thread-safe; use one per stream.
class Decompressor {
 public:
  virtual ~Decompressor() = default;
  // NotSupported is never returned for the three Compression values; kNone copies.
  static std::unique_ptr<Decompressor> Make(Compression compression);
  virtual Status Update(std::string_view input, const ChunkCallback& output) = 0;
  // Corruption if the input stopped inside a member/frame (or was empty).
  virtual Status Finish() = 0;
};

// A streaming encoder: Update with plain bytes, then Finish once to flush the trailer.
class Compressor {
 public:
  virtual ~Compressor() = default;
  // `level` 0 means the codec's default (gzip 6, zstd 3).
  static std::unique_ptr<Compressor> Make(Compression compression, int level = 0);
  virtual Status Update(std::string_view input, const ChunkCallback& output) = 0;
  virtual Status Finish(const ChunkCallback& output) = 0;
};

// One-shot helpers over the streaming codecs.
Result<std::string> CompressBytes(std::string_view input, Compression compression, int level = 0);
Result<std::string> DecompressBytes(std::string_view input, Compression compression);

// A ByteSink that decompresses what it is given and writes the plain bytes to
// `inner` (borrowed; must outlive this). Call Close() after the last Write:
// it reports a truncated stream. The decoder's own errors are prefixed with
// `context` (e.g. "read raw/x.csv.gz"); errors from `inner` pass unchanged.
class DecompressingSink : public ByteSink {
 public:
  DecompressingSink(ByteSink& inner, Compression compression, std::string context = {});
  Status Write(std::string_view bytes) override;
  Status Close();

 private:
  Status Wrap(Status status) const;

  ByteSink& inner_;
  std::unique_ptr<Decompressor> decompressor_;
  std::string context_;
  bool inner_failed_ = false;
};

// A ByteSource yielding the compressed form of everything `inner` (borrowed;
// must outlive this) yields. Memory is bounded by one input block.
class CompressingSource : public ByteSource {
 public:
  CompressingSource(ByteSource& inner, Compression compression, int level = 0);
  Result<size_t> Read(char* buf, size_t n) override;

 private:
  Status Refill();

  ByteSource& inner_;
  std::unique_ptr<Compressor> compressor_;
  std::string input_;
  std::string output_;
  size_t output_pos_ = 0;
  bool inner_done_ = false;
  bool finished_ = false;
};

}  // namespace ch
