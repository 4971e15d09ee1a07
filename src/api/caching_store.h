// CachingStore: keeps hot objects (whole or ranged reads) in memory and
// revalidates them by ETag with a Head once a short TTL has passed.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "obs/metrics.h"
#include "storage/forwarding_store.h"

namespace ch::api {

struct ObjectCacheOptions {
  // Within the TTL a cached read is answered from memory; after it, one Head
  // checks the ETag and the bytes are kept when it is unchanged.
  std::chrono::milliseconds ttl{2000};
  size_t max_object_bytes = 8 << 20;   // larger reads pass through uncached
  size_t max_total_bytes = 256 << 20;  // least recently used entries go first
};

// Caches Get and GetStream calls (whole or ranged; an if_match is checked
// against the cached ETag);
// every other call passes through. Writes and deletes made through this store
// drop the entries of their key at once; changes made by other writers show
// after at most one TTL. Borrows `target` and `registry` (may be null); both
// must outlive it. Thread-safe.
//
// Counts ch_api_cache_requests_total{cache="object",result="hit"|"revalidated"|"miss"}.
class CachingStore : public ForwardingStore {
 public:
  CachingStore(ObjectStore& target, ObjectCacheOptions options, obs::MetricsRegistry* registry);

  Result<std::string> Get(const ObjectRef& ref, const GetOptions& options = {}) override;
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options = {}) override;

  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                         const PutOptions& options = {}) override;
  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options = {}) override;
  Result<ObjectInfo> PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                             const PutOptions& options = {}) override;
  Status Delete(const ObjectRef& ref) override;
  Result<std::vector<KeyError>> DeleteMany(std::string_view bucket,
                                           const std::vector<std::string>& keys) override;
  Result<ObjectInfo> Copy(const ObjectRef& from, const ObjectRef& to,
                          const PutOptions& options = {}) override;

  // Bytes held now.
  size_t CachedBytes() const;

 private:
  struct Entry {
    std::string bytes;
    ObjectInfo info;  // of the whole object (size is the object's, not the range's)
    std::chrono::steady_clock::time_point checked;
    uint64_t last_used = 0;
  };
  // Reads through the cache; fills `info` with the object's info.
  Result<std::string> CachedRead(const ObjectRef& ref, const GetOptions& options, ObjectInfo* info);
  void Store(const std::string& id, Entry entry);
  void Invalidate(std::string_view bucket, std::string_view key);
  void Count(const char* result);

  ObjectCacheOptions options_;
  obs::MetricsRegistry* registry_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  size_t total_bytes_ = 0;
  uint64_t clock_ = 0;
};

}  // namespace ch::api
