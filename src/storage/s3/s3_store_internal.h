// Pieces shared by s3_store.cc and s3_transfer.cc (not part of the public API).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

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

// A ByteSource over a string_view.
class StringViewSource final : public ByteSource {
 public:
  explicit StringViewSource(std::string_view bytes) : bytes_(bytes) {}
  Result<size_t> Read(char* buf, size_t n) override;
  std::optional<uint64_t> Size() const override { return bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t offset_ = 0;
};

}  // namespace internal
}  // namespace ch::s3
