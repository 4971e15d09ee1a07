// Pieces shared by s3_store.cc and s3_transfer.cc (not part of the public API).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

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
  bool sign_body = false;  // SHA-256 of the body in the signature, else UNSIGNED-PAYLOAD
  std::function<Status(std::string_view)> on_body;
  std::function<void(const net::HttpResponse&)> on_response_start;
  std::function<void(Call&, int attempt)> before_attempt;
  // Checks a complete 2xx answer (e.g. its body against a checksum); a retryable
  // error retries the request like a 5xx would.
  std::function<Status(const net::HttpResponse&)> validate;
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
// blocks, so a file writes them with direct I/O).
inline constexpr size_t kStagingBytes = size_t{8} << 20;
// Writes `bytes` to `sink` at `offset` through one aligned staging buffer.
Status WriteStaged(PositionalSink& sink, uint64_t offset, std::string_view bytes);

// One part of a multipart upload: its bytes, and the buffer holding them when
// they were read from a stream (none for views of memory or of a mapped file).
struct UploadPart {
  std::unique_ptr<PartBuffer> buffer;
  std::string_view bytes;
};

// Where the parts of a multipart upload come from, in order. Next() is called
// from one thread; Recycle() from any.
class PartReader {
 public:
  virtual ~PartReader() = default;
  // The next part, at most `part_size` bytes; shorter only at the end, and
  // empty once the input is done.
  virtual Result<UploadPart> Next() = 0;
  // A part is done with (uploaded or abandoned).
  virtual void Recycle(UploadPart part) { (void)part; }
};

// Parts read from a stream into reused buffers, after `pending` (read ahead).
class StreamPartReader final : public PartReader {
 public:
  StreamPartReader(ByteSource& source, std::string pending, uint64_t part_size)
      : source_(source),
        pending_(std::move(pending)),
        part_size_(part_size),
        buffers_(static_cast<size_t>(part_size)) {}
  Result<UploadPart> Next() override;
  void Recycle(UploadPart part) override { buffers_.Give(std::move(part.buffer)); }

 private:
  ByteSource& source_;
  std::string pending_;
  size_t pending_at_ = 0;
  uint64_t part_size_;
  PartBuffers buffers_;
};

// Parts that are views of bytes already in memory: no copy at all.
class ViewPartReader final : public PartReader {
 public:
  ViewPartReader(std::string_view bytes, uint64_t part_size)
      : bytes_(bytes), part_size_(part_size) {}
  Result<UploadPart> Next() override;

 private:
  std::string_view bytes_;
  uint64_t at_ = 0;
  uint64_t part_size_;
};

}  // namespace internal
}  // namespace ch::s3
