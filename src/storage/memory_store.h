// MemoryStore: the ObjectStore contract held in memory, for fast tests of
// services and jobs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/object_store.h"

namespace ch {

// Buckets and objects in a map behind one mutex; object bytes are shared
// immutable strings, so a Get copies them outside the lock. Versioning and
// conditional puts behave as in LocalStore and S3 (see ObjectStore). Keys
// follow ValidateKey only: "a" and "a/b" may coexist, as in S3.
//
// Thread-safe. Nothing persists beyond the store's lifetime.
class MemoryStore final : public ObjectStore {
 public:
  // `name` appears in Describe() ("memory:<name>").
  explicit MemoryStore(std::string name = "default");

  std::string Describe() const override;
  StoreCapabilities Capabilities() const override;
  Status CreateBucket(std::string_view bucket) override;
  Result<bool> BucketExists(std::string_view bucket) override;
  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                         const PutOptions& options = {}) override;
  // Buffers the whole stream (the object lives in memory anyway).
  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options = {}) override;
  Result<std::string> Get(const ObjectRef& ref, const GetOptions& options = {}) override;
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options = {}) override;
  Result<ObjectInfo> Head(const ObjectRef& ref) override;
  Result<ListPage> List(std::string_view bucket, const ListOptions& options) override;
  Status Delete(const ObjectRef& ref) override;
  Result<ObjectInfo> Copy(const ObjectRef& from, const ObjectRef& to,
                          const PutOptions& options = {}) override;
  Result<bool> GetVersioning(std::string_view bucket) override;
  Status SetVersioning(std::string_view bucket, bool enabled) override;
  Result<VersionPage> ListVersions(std::string_view bucket, const ListOptions& options) override;

 private:
  struct Version {
    std::shared_ptr<const std::string> bytes;  // null for a delete marker
    ObjectInfo info;
    uint64_t seq = 0;  // creation order within the store
    bool delete_marker() const { return bytes == nullptr; }
  };
  struct Bucket {
    bool versioning = false;
    std::map<std::string, std::vector<Version>> keys;  // versions oldest first
  };
  struct Found {  // one version's bytes and info, copied out of the lock
    std::shared_ptr<const std::string> bytes;
    ObjectInfo info;
  };

  Result<Bucket*> FindBucket(std::string_view bucket, std::string_view context);
  Result<Found> Find(const ObjectRef& ref, std::string_view context);
  Result<ObjectInfo> Store(const ObjectRef& ref, std::shared_ptr<const std::string> bytes,
                           std::string etag, ObjectInfo base, const PutOptions& options,
                           std::string_view context);
  std::string NextVersionId();

  std::string name_;
  std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  uint64_t seq_ = 0;
};

}  // namespace ch
