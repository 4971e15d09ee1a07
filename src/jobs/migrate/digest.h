// Content checksums for deciding "unchanged" and verifying copies: the MD5 of
// the bytes and the ETag S3 gives a multipart upload of them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/md5.h"
#include "storage/object_store.h"

namespace ch::migrate {

struct Digest {
  std::string md5;             // lower-case hex of the whole content
  std::string multipart_etag;  // "hex-N" as S3 computes it, when multipart applies
  uint64_t size = 0;
};

// Feeds bytes in order; computes the whole MD5 and, when `size` is above
// `threshold`, the multipart ETag for parts of `part_size`.
class DigestBuilder {
 public:
  DigestBuilder(uint64_t size, uint64_t part_size, uint64_t threshold);
  void Update(std::string_view bytes);
  Digest Finish();

 private:
  Md5 whole_;
  bool parts_;
  uint64_t part_size_;
  uint64_t in_part_ = 0;
  uint64_t count_ = 0;
  uint64_t size_ = 0;
  std::unique_ptr<Md5> part_;
  std::string part_digests_;  // raw 16-byte MD5s of the finished parts
};

// Hashes an open file of `size` bytes from its current offset; `path` names it in errors.
Result<Digest> HashOpenFile(int fd, uint64_t size, uint64_t part_size, uint64_t threshold,
                            const std::string& path);

// Streams an object through a DigestBuilder.
Result<Digest> HashObject(ObjectStore& store, const ObjectRef& ref, uint64_t size,
                          uint64_t part_size, uint64_t threshold);

// Whether an ETag is a plain MD5 (32 hex digits), as for single-part uploads.
bool IsPlainMd5(std::string_view etag);

enum class Verdict { kEqual, kDifferent, kUnknown };

// What an object's ETag says about whether it holds `digest`'s bytes: a plain
// MD5 decides; a multipart ETag decides only when it equals the predicted one.
Verdict JudgeEtag(std::string_view etag, const Digest& digest);

}  // namespace ch::migrate
