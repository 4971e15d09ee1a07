// CachingStore: TTL + ETag revalidation over any ObjectStore.
#include "api/caching_store.h"

namespace ch::api {
namespace {

// "bucket\0key\0range": the identity of one cached read.
std::string EntryId(const ObjectRef& ref, const GetOptions& options) {
  std::string id = ref.bucket + '\0' + ref.key + '\0';
  if (options.range) {
    const ByteRange& r = *options.range;
    if (r.suffix_length) {
      id += "-" + std::to_string(*r.suffix_length);
    } else {
      id += std::to_string(r.first) + "-" + (r.last ? std::to_string(*r.last) : "");
    }
  }
  return id;
}

bool Cacheable(const ObjectRef& ref, const GetOptions& options) {
  return ref.version_id.empty() && !options.progress;
}

}  // namespace

CachingStore::CachingStore(ObjectStore& target, ObjectCacheOptions options,
                           obs::MetricsRegistry* registry)
    : ForwardingStore(target), options_(options), registry_(registry) {}

void CachingStore::Count(const char* result) {
  if (registry_ == nullptr) return;
  registry_
      ->GetCounter("ch_api_cache_requests_total", "Reads answered by the API's caches, by result.",
                   {{"cache", "object"}, {"result", result}})
      .Increment();
}

Result<std::string> CachingStore::CachedRead(const ObjectRef& ref, const GetOptions& options,
                                             ObjectInfo* info) {
  std::string id = EntryId(ref, options);
  auto now = std::chrono::steady_clock::now();
  std::optional<Entry> stale;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(id);
    if (it != entries_.end()) {
      it->second.last_used = ++clock_;
      bool pinned_elsewhere = options.if_match && *options.if_match != it->second.info.etag;
      if (!pinned_elsewhere && now - it->second.checked < options_.ttl) {
        Count("hit");
        *info = it->second.info;
        return it->second.bytes;
      }
      stale = it->second;
    }
  }
  ASSIGN_OR_RETURN(ObjectInfo head, target().Head(ref));
  if (options.if_match && *options.if_match != head.etag) {
    return target().Get(ref, options);  // the store words the PreconditionFailed
  }
  if (stale && stale->info.etag == head.etag) {
    Count("revalidated");
    stale->checked = now;
    *info = stale->info;
    std::string bytes = stale->bytes;
    Store(id, std::move(*stale));
    return bytes;
  }
  Count("miss");
  GetOptions pinned = options;
  pinned.if_match = head.etag;  // the bytes must belong to the ETag we remember
  Result<std::string> bytes = target().Get(ref, pinned);
  if (!bytes.ok() && bytes.status().code() == StatusCode::kPreconditionFailed) {
    return target().Get(ref, options);  // changed meanwhile: answer, do not cache
  }
  if (!bytes.ok()) return bytes.status();
  *info = head;
  if (bytes->size() <= options_.max_object_bytes) Store(id, Entry{*bytes, head, now, 0});
  return bytes;
}

void CachingStore::Store(const std::string& id, Entry entry) {
  std::lock_guard<std::mutex> lock(mu_);
  entry.last_used = ++clock_;
  auto [it, inserted] = entries_.try_emplace(id);
  if (!inserted) total_bytes_ -= it->second.bytes.size();
  total_bytes_ += entry.bytes.size();
  it->second = std::move(entry);
  while (total_bytes_ > options_.max_total_bytes && !entries_.empty()) {
    auto oldest = entries_.begin();
    for (auto e = entries_.begin(); e != entries_.end(); ++e) {
      if (e->second.last_used < oldest->second.last_used) oldest = e;
    }
    total_bytes_ -= oldest->second.bytes.size();
    entries_.erase(oldest);
  }
}

void CachingStore::Invalidate(std::string_view bucket, std::string_view key) {
  std::string prefix = std::string(bucket) + '\0' + std::string(key) + '\0';
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
    total_bytes_ -= it->second.bytes.size();
    it = entries_.erase(it);
  }
}

size_t CachingStore::CachedBytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_bytes_;
}

Result<std::string> CachingStore::Get(const ObjectRef& ref, const GetOptions& options) {
  if (!Cacheable(ref, options)) return ForwardingStore::Get(ref, options);
  ObjectInfo info;
  return CachedRead(ref, options, &info);
}

Result<ObjectInfo> CachingStore::GetStream(const ObjectRef& ref, ByteSink& sink,
                                           const GetOptions& options) {
  if (!Cacheable(ref, options)) return ForwardingStore::GetStream(ref, sink, options);
  ObjectInfo info;
  ASSIGN_OR_RETURN(std::string bytes, CachedRead(ref, options, &info));
  RETURN_IF_ERROR(sink.Write(bytes));
  return info;
}

Result<ObjectInfo> CachingStore::Put(const ObjectRef& ref, std::string_view bytes,
                                     const PutOptions& options) {
  auto result = ForwardingStore::Put(ref, bytes, options);
  Invalidate(ref.bucket, ref.key);
  return result;
}

Result<ObjectInfo> CachingStore::PutStream(const ObjectRef& ref, ByteSource& source,
                                           const PutOptions& options) {
  auto result = ForwardingStore::PutStream(ref, source, options);
  Invalidate(ref.bucket, ref.key);
  return result;
}

Result<ObjectInfo> CachingStore::PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                                         const PutOptions& options) {
  auto result = ForwardingStore::PutFile(ref, path, options);
  Invalidate(ref.bucket, ref.key);
  return result;
}

Status CachingStore::Delete(const ObjectRef& ref) {
  auto result = ForwardingStore::Delete(ref);
  Invalidate(ref.bucket, ref.key);
  return result;
}

Result<std::vector<KeyError>> CachingStore::DeleteMany(std::string_view bucket,
                                                       const std::vector<std::string>& keys) {
  auto result = ForwardingStore::DeleteMany(bucket, keys);
  for (const std::string& key : keys) Invalidate(bucket, key);
  return result;
}

Result<ObjectInfo> CachingStore::Copy(const ObjectRef& from, const ObjectRef& to,
                                      const PutOptions& options) {
  auto result = ForwardingStore::Copy(from, to, options);
  Invalidate(to.bucket, to.key);
  return result;
}

}  // namespace ch::api
