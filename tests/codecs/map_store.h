// A test-only ObjectStore over a std::map, delivering GetStream bytes in small pieces.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>

#include "storage/md5.h"
#include "storage/object_store.h"

namespace ch::testing {

// Holds objects in memory. GetStream hands the sink `piece_size` bytes at a
// time, so readers are exercised across arbitrary chunk boundaries.
class MapStore : public ObjectStore {
 public:
  explicit MapStore(size_t piece_size = 4096) : piece_size_(piece_size) {}

  std::string Describe() const override { return "map"; }
  StoreCapabilities Capabilities() const override { return {}; }
  Status CreateBucket(std::string_view) override { return Status::Ok(); }
  Result<bool> BucketExists(std::string_view) override { return true; }

  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                         const PutOptions& options = {}) override {
    RETURN_IF_ERROR(ValidateKey(ref.key));
    std::lock_guard lock(mu_);
    ObjectInfo info;
    info.key = ref.key;
    info.size = bytes.size();
    info.etag = Md5Hex(bytes);
    info.content_type = options.content_type;
    info.metadata = options.metadata;
    objects_[Name(ref)] = {std::string(bytes), info};
    return info;
  }

  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options = {}) override {
    std::string all;
    char buf[1000];  // an odd size, to split whatever the source yields
    while (true) {
      ASSIGN_OR_RETURN(size_t n, source.Read(buf, sizeof(buf)));
      if (n == 0) break;
      all.append(buf, n);
    }
    ++puts_streamed_;
    return Put(ref, all, options);
  }

  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& = {}) override {
    std::string bytes;
    ObjectInfo info;
    {
      std::lock_guard lock(mu_);
      auto it = objects_.find(Name(ref));
      if (it == objects_.end())
        return Status::NotFound("get " + ref.ToString() + ": no such object");
      bytes = it->second.first;
      info = it->second.second;
    }
    for (size_t off = 0; off < bytes.size(); off += piece_size_) {
      Status s = sink.Write(std::string_view(bytes).substr(off, piece_size_));
      if (!s.ok()) return s.WithContext("get " + ref.ToString());
    }
    return info;
  }

  Result<ObjectInfo> Head(const ObjectRef& ref) override {
    std::lock_guard lock(mu_);
    auto it = objects_.find(Name(ref));
    if (it == objects_.end())
      return Status::NotFound("head " + ref.ToString() + ": no such object");
    return it->second.second;
  }

  Result<ListPage> List(std::string_view bucket, const ListOptions& options) override {
    std::lock_guard lock(mu_);
    ListPage page;
    std::string prefix = std::string(bucket) + "/" + options.prefix;
    for (const auto& [name, object] : objects_) {
      if (name.starts_with(prefix)) page.objects.push_back(object.second);
    }
    return page;
  }

  Status Delete(const ObjectRef& ref) override {
    std::lock_guard lock(mu_);
    objects_.erase(Name(ref));
    return Status::Ok();
  }

  Result<ObjectInfo> Copy(const ObjectRef& from, const ObjectRef& to,
                          const PutOptions& options = {}) override {
    ASSIGN_OR_RETURN(std::string bytes, Get(from));
    return Put(to, bytes, options);
  }

  int puts_streamed() const { return puts_streamed_; }

 private:
  static std::string Name(const ObjectRef& ref) { return ref.bucket + "/" + ref.key; }

  size_t piece_size_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, ObjectInfo>> objects_;
  int puts_streamed_ = 0;
};

}  // namespace ch::testing
