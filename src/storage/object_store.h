// ObjectStore: the one seam between the platform and where its bytes live.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ch {

// Names one object: a real bucket name (already resolved from a logical name
// such as "raw") and a key. An empty version_id means the current version.
struct ObjectRef {
  std::string bucket;
  std::string key;
  std::string version_id;

  // "bucket/key" (with "?versionId=…" when set), for messages.
  std::string ToString() const;
};

using Metadata = std::map<std::string, std::string>;
using TimePoint = std::chrono::system_clock::time_point;

// What a store knows about one object (or one version of it).
struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;  // without quotes; MD5 hex for single-part uploads
  TimePoint last_modified{};
  std::string content_type;
  Metadata metadata;       // user metadata (x-amz-meta-*), lower-case names
  std::string version_id;  // empty where the backend keeps no versions
};

// An inclusive byte range, as in HTTP "bytes=first-last". `last` empty reads
// to the end. A suffix range (the last N bytes) sets suffix_length instead.
struct ByteRange {
  uint64_t first = 0;
  std::optional<uint64_t> last;
  std::optional<uint64_t> suffix_length;
};

// Called with the number of bytes just transferred, possibly from several
// threads at once; must be cheap. Used for progress bars.
using ProgressCallback = std::function<void(uint64_t bytes)>;

struct PutOptions {
  std::string content_type;  // empty: "application/octet-stream"
  Metadata metadata;         // user metadata; names are lower-cased
  // Conditional writes: fail with PreconditionFailed (nothing written) when
  // the condition does not hold at the moment of the write.
  bool if_none_match_any = false;       // only if no object has the key
  std::optional<std::string> if_match;  // only if the current ETag equals this
  ProgressCallback progress;            // optional; backends call it as bytes are sent
  // The hex MD5 of the bytes, when the caller has hashed them already: S3 sends
  // it as the Content-MD5 of a single-part upload (the server still checks it;
  // anything but 32 hex digits is InvalidArgument) instead of hashing the bytes
  // again. Other backends compute their own.
  std::string content_md5;
};

class DurableBatch;

struct GetOptions {
  std::optional<ByteRange> range;
  std::optional<std::string> if_match;  // PreconditionFailed if the ETag differs
  ProgressCallback progress;            // optional; backends call it as bytes arrive
  // GetFile only: instead of an fsync and a rename per file, leave the
  // finished temp file to this batch, whose Commit makes it durable and
  // renames it into place (storage/durable_batch.h). Null: per file.
  DurableBatch* durable_batch = nullptr;
};

struct ListOptions {
  std::string prefix;
  std::string delimiter;  // e.g. "/": keys below it fold into common prefixes
  int max_keys = 1000;    // page size, 1..1000
  // From the previous page's next_token. A token resumes after the last key
  // of that page, so it stays valid when listed keys are deleted meanwhile.
  std::string continuation_token;
};

// One page of a listing, keys in ascending byte order.
struct ListPage {
  std::vector<ObjectInfo> objects;  // metadata/content_type are not filled by List
  std::vector<std::string> common_prefixes;
  std::string next_token;  // empty on the last page
};

// One entry of a version listing: a version or a delete marker.
struct ObjectVersion {
  ObjectInfo info;
  bool is_latest = false;
  bool is_delete_marker = false;
};

struct VersionPage {
  std::vector<ObjectVersion> versions;  // by key, newest version first
  std::string next_token;               // empty on the last page
};

// Objects and bytes under a prefix.
struct Usage {
  uint64_t objects = 0;
  uint64_t bytes = 0;
  TimePoint newest{};  // last_modified of the newest object; epoch if none
};

struct KeyError {
  std::string key;
  Status status;
};

// One bucket lifecycle rule: expire objects under `prefix` after
// `expiration_days`, and/or move them to `transition_storage_class` (e.g.
// "GLACIER") after `transition_days`. 0 days means no such action.
struct LifecycleRule {
  std::string id;
  std::string prefix;
  bool enabled = true;
  int expiration_days = 0;
  int transition_days = 0;
  std::string transition_storage_class;
  // Versioned buckets: non-current versions are removed this many days after
  // they stop being current (0: kept).
  int noncurrent_expiration_days = 0;
  // Multipart uploads still open this many days after they began are aborted
  // and their parts freed (0: never).
  int abort_incomplete_multipart_days = 0;
};

// A bucket's default server-side encryption.
struct BucketEncryption {
  std::string algorithm;   // "AES256" (SSE-S3) or "aws:kms" (SSE-KMS)
  std::string kms_key_id;  // with "aws:kms"; empty: the account's default key
};

// A bucket's public-access block; all four on blocks every kind of public access.
struct PublicAccessBlock {
  bool block_public_acls = true;
  bool ignore_public_acls = true;
  bool block_public_policy = true;
  bool restrict_public_buckets = true;
};

// What a backend can do, so callers and contract tests ask rather than guess.
struct StoreCapabilities {
  bool versioning = false;
  bool conditional_put = false;
  bool suffix_ranges = true;
  bool presign = false;
  // Keys listed in byte order, and max_keys counting common prefixes (s3rver: no).
  bool ordered_listing = true;
};

// Sequential bytes to upload. Read returns 0 at the end.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to `n` bytes into `buf`; 0 means end of data.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
  // Total size when known in advance (lets S3 choose single-part vs multipart).
  virtual std::optional<uint64_t> Size() const { return std::nullopt; }
};

// Receives downloaded bytes in order. A non-ok Status stops the transfer.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(std::string_view bytes) = 0;
};

// A sink that also takes bytes at any offset, in any order (a file). A store
// may then write the parts of a large download side by side as they arrive,
// each through a small buffer, instead of holding every part in memory until
// the parts before it are written.
class PositionalSink : public ByteSink {
 public:
  // Bytes [offset, offset + bytes.size()) of the object. Thread-safe for
  // disjoint ranges; a range may be written again (a retried part).
  virtual Status WriteAt(uint64_t offset, std::string_view bytes) = 0;
};

// An ObjectStore holds blobs addressed by bucket and key.
//
// Contract, for every implementation:
// - Thread-safe: any method may be called from many threads at once.
// - Writes are atomic: readers see the old bytes or the new, never a mix, and
//   a failed or interrupted write leaves the previous object intact.
// - Keys are 1..1024 bytes of UTF-8 without NUL; anything else is
//   InvalidArgument and nothing is written.
// - Missing objects are NotFound (never an empty success), except Delete,
//   which succeeds on a missing key, and Exists, which answers false.
// - Messages name the operation and the object ("get raw/x.csv: …").
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // A short description for logs and `store du`, e.g. "local:/srv/store".
  virtual std::string Describe() const = 0;
  virtual StoreCapabilities Capabilities() const = 0;

  // Creates the bucket if missing; an existing bucket is success.
  virtual Status CreateBucket(std::string_view bucket) = 0;
  // Whether the bucket exists.
  virtual Result<bool> BucketExists(std::string_view bucket) = 0;

  // Creates or replaces the object with `bytes`.
  virtual Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                                 const PutOptions& options = {}) = 0;
  // Creates or replaces the object with everything `source` yields. Memory is
  // bounded by the backend's buffer/part size, not the object size.
  virtual Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                                       const PutOptions& options = {}) = 0;
  // Uploads a local file. NotFound if the file does not exist.
  virtual Result<ObjectInfo> PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                                     const PutOptions& options = {});

  // Returns the object's bytes (or the requested range).
  virtual Result<std::string> Get(const ObjectRef& ref, const GetOptions& options = {});
  // Streams the object's bytes (or range) into `sink` in order; returns the
  // object's info. On error, `sink` may have received a prefix of the bytes.
  virtual Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                                       const GetOptions& options = {}) = 0;
  // Downloads to `path` atomically: the file appears whole or not at all.
  virtual Result<ObjectInfo> GetFile(const ObjectRef& ref, const std::filesystem::path& path,
                                     const GetOptions& options = {});

  // Size, ETag, last-modified, content type and user metadata. NotFound if absent.
  virtual Result<ObjectInfo> Head(const ObjectRef& ref) = 0;
  // Whether the object exists (absence is not an error).
  virtual Result<bool> Exists(const ObjectRef& ref);

  // One page of keys in `bucket`. Use ForEachObject to walk all pages.
  virtual Result<ListPage> List(std::string_view bucket, const ListOptions& options) = 0;

  // Removes the object (the current version; with versioning a delete marker
  // is added). Deleting a missing key succeeds.
  virtual Status Delete(const ObjectRef& ref) = 0;
  // Removes many keys; returns the keys that could not be removed and why
  // (an empty vector when all succeeded). Missing keys count as removed.
  virtual Result<std::vector<KeyError>> DeleteMany(std::string_view bucket,
                                                   const std::vector<std::string>& keys);

  // Copies `from` to `to` (server-side where possible). Options apply to the
  // new object; empty content_type/metadata keep the source's.
  virtual Result<ObjectInfo> Copy(const ObjectRef& from, const ObjectRef& to,
                                  const PutOptions& options = {}) = 0;

  // Objects and bytes under `prefix` (the whole bucket when empty).
  virtual Result<Usage> Size(std::string_view bucket, std::string_view prefix = {});

  // Versioning. Backends without it answer NotSupported.
  virtual Result<bool> GetVersioning(std::string_view bucket);
  virtual Status SetVersioning(std::string_view bucket, bool enabled);
  // One page of versions under `options.prefix` (delimiter is ignored).
  virtual Result<VersionPage> ListVersions(std::string_view bucket, const ListOptions& options);

  // A URL that lets whoever holds it GET the object (the version when
  // ref.version_id is set) without credentials until `expires` (1 s .. 7 days)
  // has passed. NotSupported where the backend has no such URLs.
  virtual Result<std::string> PresignGet(const ObjectRef& ref, std::chrono::seconds expires);

  // Bucket configuration. Each answers NotSupported where the backend or the
  // server lacks the feature ("… not supported by <store>"), never a silent no-op.
  // Lifecycle rules of the bucket; empty when it has none.
  virtual Result<std::vector<LifecycleRule>> GetLifecycle(std::string_view bucket);
  // Replaces all lifecycle rules; an empty `rules` removes them.
  virtual Status PutLifecycle(std::string_view bucket, const std::vector<LifecycleRule>& rules);
  // Default encryption; nullopt when none is configured.
  virtual Result<std::optional<BucketEncryption>> GetBucketEncryption(std::string_view bucket);
  virtual Status PutBucketEncryption(std::string_view bucket, const BucketEncryption& encryption);
  // Public-access block; nullopt when none is configured.
  virtual Result<std::optional<PublicAccessBlock>> GetPublicAccessBlock(std::string_view bucket);
  virtual Status PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& block);
};

// Calls `visit` for every object under `prefix`, page by page, with memory
// bounded by one page. Stops early with the visitor's error.
Status ForEachObject(ObjectStore& store, std::string_view bucket, std::string_view prefix,
                     const std::function<Status(const ObjectInfo&)>& visit);

// Whether a key is acceptable to every backend: 1..1024 bytes of valid UTF-8,
// no NUL. InvalidArgument naming the key and the reason otherwise.
Status ValidateKey(std::string_view key);

// Whether a bucket name follows S3's rules (3..63 of a-z 0-9 . -).
Status ValidateBucketName(std::string_view bucket);

}  // namespace ch
