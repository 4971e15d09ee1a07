// S3Store: the ObjectStore on Amazon S3 or any S3-compatible server.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_client.h"
#include "storage/md5.h"
#include "storage/object_store.h"
#include "storage/s3/credentials.h"
#include "storage/s3/url.h"
#include "storage/s3/xml.h"

namespace ch {
class PartBuffers;
}  // namespace ch

namespace ch::s3 {
namespace internal {
class PartReader;
}  // namespace internal

struct S3StoreOptions {
  std::string endpoint;  // empty: AWS; e.g. "http://127.0.0.1:7480"
  std::string region = "us-east-1";
  bool path_style = false;  // true for most self-hosted servers
  bool verify_tls = true;
  int max_attempts = 5;  // retries apply to Unavailable only
  uint64_t part_size = 16ull << 20;
  uint64_t multipart_threshold = 64ull << 20;
  int concurrency = 8;                // parallel parts per transfer
  std::chrono::seconds timeout{300};  // per-operation deadline, retries included
  std::chrono::seconds stall_timeout{30};
  std::chrono::milliseconds base_backoff{100};
  // What the server supports (S3 and Ceph RGW: all; s3rver: none).
  bool conditional_put = true;
  bool versioning = true;
  bool suffix_ranges = true;
  bool multipart_abort = true;
  bool ordered_listing = true;  // s3rver: neither byte order nor max_keys with a delimiter
  bool lifecycle = true;
  bool bucket_encryption = true;
  bool public_access_block = true;
  // Server-side encryption: "" (none), "AES256" (SSE-S3) or "aws:kms" (SSE-KMS).
  std::string sse;
  std::string sse_kms_key_id;  // with "aws:kms"; empty: the account's default key
};

// Thread-safe. Each operation retries Unavailable failures (5xx, SlowDown, resets,
// timeouts, stalls) with exponential backoff and full jitter until max_attempts or
// the deadline, and never retries anything else.
class S3Store final : public ObjectStore {
 public:
  // InvalidArgument on bad options (endpoint, part size < 5 MiB, concurrency < 1).
  static Result<std::unique_ptr<S3Store>> Make(S3StoreOptions options,
                                               std::shared_ptr<CredentialsProvider> credentials);

  std::string Describe() const override;
  StoreCapabilities Capabilities() const override;
  Status CreateBucket(std::string_view bucket) override;
  Result<bool> BucketExists(std::string_view bucket) override;
  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                         const PutOptions& options = {}) override;
  // Objects of unknown size or above multipart_threshold go up in parallel parts;
  // any failure aborts the multipart upload so no parts are left behind.
  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options = {}) override;
  // A file above multipart_threshold goes up in parallel parts read from the
  // file as they are sent (no part buffers), after their MD5s were hashed
  // sixteen at a time; the upload fails if the file ends early.
  Result<ObjectInfo> PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                             const PutOptions& options = {}) override;
  // Large whole-object reads are fetched as parallel ranges, each with If-Match on the
  // first answer's ETag, so a concurrent overwrite fails cleanly (PreconditionFailed).
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options = {}) override;
  Result<ObjectInfo> Head(const ObjectRef& ref) override;
  Result<ListPage> List(std::string_view bucket, const ListOptions& options) override;
  Status Delete(const ObjectRef& ref) override;
  // DeleteObjects in batches of 1000; per-key failures are returned.
  Result<std::vector<KeyError>> DeleteMany(std::string_view bucket,
                                           const std::vector<std::string>& keys) override;
  Result<ObjectInfo> Copy(const ObjectRef& from, const ObjectRef& to,
                          const PutOptions& options = {}) override;
  Result<bool> GetVersioning(std::string_view bucket) override;
  Status SetVersioning(std::string_view bucket, bool enabled) override;
  Result<VersionPage> ListVersions(std::string_view bucket, const ListOptions& options) override;

  // Presign("GET", ref, expires).
  Result<std::string> PresignGet(const ObjectRef& ref, std::chrono::seconds expires) override;
  // Bucket configuration (s3_bucket_config.cc). Features switched off in the options,
  // or answered NotImplemented by the server, are NotSupported.
  Result<std::vector<LifecycleRule>> GetLifecycle(std::string_view bucket) override;
  Status PutLifecycle(std::string_view bucket, const std::vector<LifecycleRule>& rules) override;
  Result<std::optional<BucketEncryption>> GetBucketEncryption(std::string_view bucket) override;
  Status PutBucketEncryption(std::string_view bucket, const BucketEncryption& encryption) override;
  Result<std::optional<PublicAccessBlock>> GetPublicAccessBlock(std::string_view bucket) override;
  Status PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& block) override;

  // A presigned URL for GET or PUT of `ref`, valid for `expires` (1 s .. 7 days).
  Result<std::string> Presign(std::string_view method, const ObjectRef& ref,
                              std::chrono::seconds expires);

  // Removes an empty bucket; a missing bucket succeeds. Not on ObjectStore: only
  // tests and tools that made the bucket remove it.
  Status DeleteBucket(std::string_view bucket);

  // Multipart uploads still open under `prefix` (their keys); for tests and cleanup.
  Result<std::vector<std::string>> ListOpenUploads(std::string_view bucket,
                                                   std::string_view prefix);
  // Aborts the multipart uploads open under `prefix` that were started before
  // `started_before` (left by a killed process); returns their keys.
  Result<std::vector<std::string>> AbortOpenUploads(std::string_view bucket,
                                                    std::string_view prefix,
                                                    TimePoint started_before);

 private:
  struct Call;  // one signed request, see s3_store.cc
  S3Store(S3StoreOptions options, Endpoint endpoint, std::shared_ptr<CredentialsProvider> creds,
          std::unique_ptr<net::HttpClient> http);

  // Sends `call` with retries; 2xx answers are returned, others mapped to Status.
  Result<net::HttpResponse> Execute(const Call& call, std::string_view context);
  // Head; `interruptible` false when the object was just written and its
  // answer must not be cut by an interrupt.
  Result<ObjectInfo> HeadObject(const ObjectRef& ref, bool interruptible);
  Result<net::HttpResponse> SendOnce(const Call& call,
                                     std::chrono::steady_clock::time_point deadline);
  std::chrono::milliseconds Backoff(int attempt);

  Result<ObjectInfo> PutSingle(const ObjectRef& ref, std::string_view bytes,
                               const PutOptions& options);
  Result<ObjectInfo> PutMultipart(const ObjectRef& ref, internal::PartReader& parts,
                                  const PutOptions& options);
  // Sends a bucket sub-resource request (`?lifecycle`, …) with a signed XML body.
  Result<net::HttpResponse> BucketConfig(std::string method, std::string_view bucket,
                                         std::string_view subresource, std::string_view body,
                                         std::string_view context);
  // NotSupported "<context>: <feature> is not supported by this server (<store>)".
  Status Unsupported(std::string_view context, std::string_view feature) const;
  // `st` with a note that SSE was requested, when SSE is on and the server refused.
  Status WithSseHint(const Status& st) const;
  // Streams a caller-given range, resuming after a cut where the last byte left off.
  Result<ObjectInfo> GetRange(const ObjectRef& ref, ByteSink& sink, const GetOptions& options);
  // Whether a whole-object `body` matches the answer's plain-MD5 ETag (true when the
  // ETag is no MD5 of the bytes: multipart, SSE-KMS).
  bool ChecksumMatches(const net::HttpResponse& resp, std::string_view body,
                       const std::string& etag) const;
  // Whether the answer's ETag is the MD5 of the object's bytes (not multipart,
  // not SSE-KMS), so a whole body can be checked against it.
  bool EtagIsMd5(const net::HttpResponse& resp, const std::string& etag) const;
  // Fetches [from, total) as parallel ranges with If-Match `etag`, writing in
  // order; each part also feeds `md5` unless it is null (the ETag is no MD5).
  Status GetRest(const ObjectRef& ref, ByteSink& sink, const GetOptions& options,
                 const std::string& etag, uint64_t from, uint64_t total, Md5* md5);
  // Fetches [from, total) as parallel ranges with If-Match `etag`, each
  // written to its offset in `sink` as it arrives through a buffer of `staging`.
  Status GetRestAt(const ObjectRef& ref, PositionalSink& sink, const GetOptions& options,
                   const std::string& etag, uint64_t from, uint64_t total, PartBuffers& staging);

  S3StoreOptions options_;
  Endpoint endpoint_;
  std::shared_ptr<CredentialsProvider> credentials_;
  std::unique_ptr<net::HttpClient> http_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
};

}  // namespace ch::s3
