// ForwardingStore: an ObjectStore that passes every call to another one, so a
// test subclass can override a single method to inject a failure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/object_store.h"

namespace ch {

// Forwards every method, including those with default implementations, to
// `target`, which it borrows: the target must outlive this store. Thread-safe
// as far as the target is. Example:
//
//   class FailingPuts : public ForwardingStore {
//    public:
//     using ForwardingStore::ForwardingStore;
//     Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view,
//                            const PutOptions& = {}) override {
//       return Status::Unavailable("put " + ref.ToString() + ": injected");
//     }
//   };
class ForwardingStore : public ObjectStore {
 public:
  explicit ForwardingStore(ObjectStore& target) : target_(target) {}

  std::string Describe() const override { return target_.Describe(); }
  StoreCapabilities Capabilities() const override { return target_.Capabilities(); }
  Status CreateBucket(std::string_view bucket) override { return target_.CreateBucket(bucket); }
  Result<bool> BucketExists(std::string_view bucket) override {
    return target_.BucketExists(bucket);
  }
  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                         const PutOptions& options = {}) override {
    return target_.Put(ref, bytes, options);
  }
  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options = {}) override {
    return target_.PutStream(ref, source, options);
  }
  Result<ObjectInfo> PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                             const PutOptions& options = {}) override {
    return target_.PutFile(ref, path, options);
  }
  Result<std::string> Get(const ObjectRef& ref, const GetOptions& options = {}) override {
    return target_.Get(ref, options);
  }
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options = {}) override {
    return target_.GetStream(ref, sink, options);
  }
  Result<ObjectInfo> GetFile(const ObjectRef& ref, const std::filesystem::path& path,
                             const GetOptions& options = {}) override {
    return target_.GetFile(ref, path, options);
  }
  Result<ObjectInfo> Head(const ObjectRef& ref) override { return target_.Head(ref); }
  Result<bool> Exists(const ObjectRef& ref) override { return target_.Exists(ref); }
  Result<ListPage> List(std::string_view bucket, const ListOptions& options) override {
    return target_.List(bucket, options);
  }
  Status Delete(const ObjectRef& ref) override { return target_.Delete(ref); }
  Result<std::vector<KeyError>> DeleteMany(std::string_view bucket,
                                           const std::vector<std::string>& keys) override {
    return target_.DeleteMany(bucket, keys);
  }
  Result<ObjectInfo> Copy(const ObjectRef& from, const ObjectRef& to,
                          const PutOptions& options = {}) override {
    return target_.Copy(from, to, options);
  }
  Result<Usage> Size(std::string_view bucket, std::string_view prefix = {}) override {
    return target_.Size(bucket, prefix);
  }
  Result<bool> GetVersioning(std::string_view bucket) override {
    return target_.GetVersioning(bucket);
  }
  Status SetVersioning(std::string_view bucket, bool enabled) override {
    return target_.SetVersioning(bucket, enabled);
  }
  Result<VersionPage> ListVersions(std::string_view bucket, const ListOptions& options) override {
    return target_.ListVersions(bucket, options);
  }
  Result<std::string> PresignGet(const ObjectRef& ref, std::chrono::seconds expires) override {
    return target_.PresignGet(ref, expires);
  }
  Result<std::vector<LifecycleRule>> GetLifecycle(std::string_view bucket) override {
    return target_.GetLifecycle(bucket);
  }
  Status PutLifecycle(std::string_view bucket, const std::vector<LifecycleRule>& rules) override {
    return target_.PutLifecycle(bucket, rules);
  }
  Result<std::optional<BucketEncryption>> GetBucketEncryption(std::string_view bucket) override {
    return target_.GetBucketEncryption(bucket);
  }
  Status PutBucketEncryption(std::string_view bucket, const BucketEncryption& encryption) override {
    return target_.PutBucketEncryption(bucket, encryption);
  }
  Result<std::optional<PublicAccessBlock>> GetPublicAccessBlock(std::string_view bucket) override {
    return target_.GetPublicAccessBlock(bucket);
  }
  Status PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& block) override {
    return target_.PutPublicAccessBlock(bucket, block);
  }

 protected:
  ObjectStore& target() { return target_; }

 private:
  ObjectStore& target_;
};

}  // namespace ch
