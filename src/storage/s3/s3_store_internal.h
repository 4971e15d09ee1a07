// Pieces shared by s3_store.cc and s3_transfer.cc (not part of the public API).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/file_md5.h"
#include "storage/md5_lanes.h"
#include "storage/part_buffers.h"
#include "storage/s3/s3_store.h"

namespace ch::s3 {

// One S3 request before signing. `before_attempt` may adjust it before each try
// (a resumed download asks for the remaining range).
struct S3Store::Call {
  std::string method;
  std::string bucket;
  std::string key;
  KeyValues query;
  KeyValues headers;
  std::string_view body;
  // The body read from an open file instead, on each attempt (fd -1: none).
  // Sent with UNSIGNED-PAYLOAD; a Content-MD5 header guards its bytes.
  int body_fd = -1;
  FileSpan body_span;
  bool sign_body = false;  // SHA-256 of `body` in the signature, else UNSIGNED-PAYLOAD
  std::function<Status(std::string_view)> on_body;
  std::function<void(const net::HttpResponse&)> on_response_start;
  std::function<void(Call&, int attempt)> before_attempt;
  // Checks a complete 2xx answer (e.g. its body against a checksum); a retryable
  // error retries the request like a 5xx would.
  std::function<Status(const net::HttpResponse&)> validate;
  // False for clean-up (AbortMultipartUpload): it must go out after an interrupt.
  bool interruptible = true;
};

namespace internal {

// Base64 of the MD5 of `bytes` (the Content-MD5 header).
std::string Base64Md5(std::string_view bytes);
// The Content-MD5 header of `bytes`: from `known_hex` (PutOptions::content_md5)
// when given, else hashed here. InvalidArgument naming `context` when
// `known_hex` is not 32 hex digits.
Result<std::string> ContentMd5(std::string_view bytes, std::string_view known_hex,
                               std::string_view context);
// Base64 of a 16-byte digest, as Content-MD5 carries it.
std::string Base64Digest(std::span<const unsigned char, 16> digest);
// Size, ETag, dates, content type, metadata and version of an answer's headers.
ObjectInfo InfoFromHeaders(const std::string& key, const net::HttpResponse& resp);
// Content type, user metadata, conditions and server-side encryption headers.
KeyValues PutHeaders(const PutOptions& options, const S3StoreOptions& store);
Metadata LowerKeys(const Metadata& metadata);
// "bytes 0-9/100" → 0, 9, 100; false if `value` is not such a header.
bool ParseContentRange(const std::string& value, uint64_t& first, uint64_t& last, uint64_t& total);
// `s` without surrounding double quotes.
std::string Unquote(std::string s);
// Whether an ETag is a plain MD5 hex (single-part upload, no SSE-KMS).
bool IsPlainMd5(const std::string& etag);

// Downloads written at offsets pass through buffers of this size (whole
// blocks, so a file writes them with direct I/O). 2 MiB writes keep direct
// I/O efficient; larger buffers only cost fresh pages, which the kernel zeroes
// first (8 MiB ones were a fifth of a 1 GiB download's CPU on a VM).
inline constexpr size_t kStagingBytes = size_t{2} << 20;
// Writes `bytes` to `sink` at `offset` through one aligned staging buffer.
Status WriteStaged(PositionalSink& sink, uint64_t offset, std::string_view bytes);

// One part of a multipart upload: its bytes and the buffer holding them when
// they were read from a stream (none for views of memory), or else a span of
// an open file (fd) that is read as it is sent; and its MD5 once hashed.
struct UploadPart {
  std::unique_ptr<PartBuffer> buffer;
  std::string_view bytes;
  int fd = -1;
  FileSpan span;
  Md5Digest md5{};

  uint64_t size() const { return fd >= 0 ? span.length : bytes.size(); }
};

// Where the parts of a multipart upload come from, in order. Next() and
// NextWave() are called from one thread; Recycle() from any.
class PartReader {
 public:
  explicit PartReader(uint64_t part_size) : part_size_(part_size) {}
  virtual ~PartReader() = default;
  // The next part, at most `part_size` bytes; shorter only at the end, and
  // empty once the input is done.
  virtual Result<UploadPart> Next() = 0;
  // Up to `n` next parts with their MD5s; fewer at the end, none after it.
  // These read them with Next() and hash them side by side (Md5Many).
  virtual Result<std::vector<UploadPart>> NextWave(size_t n);
  // A part is done with (uploaded or abandoned).
  virtual void Recycle(UploadPart part) { (void)part; }
  // Whether a part holds memory until it is recycled: then a wave is only
  // taken when as many uploads as it has parts are done, to bound memory.
  virtual bool HoldsMemory() const { return true; }

 protected:
  uint64_t part_size_;

 private:
  bool done_ = false;  // a part shorter than part_size_ was taken
  uint64_t taken_ = 0;
};

// Parts read from a stream into reused buffers, after `pending` (read ahead).
class StreamPartReader final : public PartReader {
 public:
  StreamPartReader(ByteSource& source, std::string pending, uint64_t part_size)
      : PartReader(part_size),
        source_(source),
        pending_(std::move(pending)),
        buffers_(static_cast<size_t>(part_size)) {}
  Result<UploadPart> Next() override;
  void Recycle(UploadPart part) override { buffers_.Give(std::move(part.buffer)); }

 private:
  ByteSource& source_;
  std::string pending_;
  size_t pending_at_ = 0;
  PartBuffers buffers_;
};

// Parts that are views of bytes already in memory: no copy at all.
class ViewPartReader final : public PartReader {
 public:
  ViewPartReader(std::string_view bytes, uint64_t part_size)
      : PartReader(part_size), bytes_(bytes) {}
  Result<UploadPart> Next() override;

 private:
  std::string_view bytes_;
  uint64_t at_ = 0;
};

// Parts that are spans of an open file of `size` bytes, hashed sixteen at a
// time by reading slices of each (Md5OfFileSpans) and read again as they are
// sent: no part is ever held in memory, and the second read of each byte costs
// less than filling and zeroing a buffer for it. A file that ends early fails
// the upload; one that grows is sent as it was at `size` bytes.
class FilePartReader final : public PartReader {
 public:
  FilePartReader(int fd, uint64_t size, uint64_t part_size, std::string context)
      : PartReader(part_size), fd_(fd), size_(size), context_(std::move(context)) {}
  Result<UploadPart> Next() override;
  Result<std::vector<UploadPart>> NextWave(size_t n) override;
  bool HoldsMemory() const override { return false; }

 private:
  int fd_;
  uint64_t size_;
  uint64_t at_ = 0;
  std::string context_;
};

}  // namespace internal
}  // namespace ch::s3
