// MemoryStore: maps of version lists behind one mutex.
#include "storage/memory_store.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "storage/md5.h"
#include "storage/store_common.h"

namespace ch {
namespace {

constexpr char kNull[] = "null";
constexpr size_t kStreamChunk = size_t{1} << 20;

Metadata Lowered(const Metadata& metadata) {
  Metadata out;
  for (const auto& [name, value] : metadata) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[lower] = value;
  }
  return out;
}

std::string Shown(const std::string& version_id) { return version_id.empty() ? kNull : version_id; }

}  // namespace

MemoryStore::MemoryStore(std::string name) : name_(std::move(name)) {}

std::string MemoryStore::Describe() const { return "memory:" + name_; }

StoreCapabilities MemoryStore::Capabilities() const {
  StoreCapabilities caps;
  caps.versioning = true;
  caps.conditional_put = true;
  caps.suffix_ranges = true;
  caps.presign = false;
  return caps;
}

Status MemoryStore::CreateBucket(std::string_view bucket) {
  RETURN_IF_ERROR(ValidateBucketName(bucket).WithContext("create bucket " + std::string(bucket)));
  std::lock_guard<std::mutex> lock(mu_);
  buckets_.try_emplace(std::string(bucket));
  return Status::Ok();
}

Result<bool> MemoryStore::BucketExists(std::string_view bucket) {
  RETURN_IF_ERROR(ValidateBucketName(bucket).WithContext("bucket exists " + std::string(bucket)));
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.find(bucket) != buckets_.end();
}

// Needs mu_ held.
Result<MemoryStore::Bucket*> MemoryStore::FindBucket(std::string_view bucket,
                                                     std::string_view context) {
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) {
    return Status::NotFound(std::string(context) + ": no such bucket '" + std::string(bucket) +
                            "' in " + Describe());
  }
  return &it->second;
}

std::string MemoryStore::NextVersionId() {
  char id[24];
  std::snprintf(id, sizeof(id), "m%016llx", static_cast<unsigned long long>(++seq_));
  return id;
}

Result<ObjectInfo> MemoryStore::Put(const ObjectRef& ref, std::string_view bytes,
                                    const PutOptions& options) {
  std::string context = "put " + ref.ToString();
  RETURN_IF_ERROR(ValidateKey(ref.key).WithContext(context));
  auto shared = std::make_shared<const std::string>(bytes);
  if (options.progress && !bytes.empty()) options.progress(bytes.size());
  ObjectInfo base;
  base.content_type = options.content_type;
  base.metadata = Lowered(options.metadata);
  return Store(ref, std::move(shared), Md5Hex(bytes), std::move(base), options, context);
}

Result<ObjectInfo> MemoryStore::PutStream(const ObjectRef& ref, ByteSource& source,
                                          const PutOptions& options) {
  std::string bytes;
  std::string buf(kStreamChunk, '\0');
  for (;;) {
    Result<size_t> got = source.Read(buf.data(), buf.size());
    if (!got.ok()) return got.status().WithContext("put " + ref.ToString() + ": read source");
    if (*got == 0) break;
    bytes.append(buf.data(), *got);
  }
  return Put(ref, bytes, options);
}

Result<ObjectInfo> MemoryStore::Store(const ObjectRef& ref,
                                      std::shared_ptr<const std::string> bytes, std::string etag,
                                      ObjectInfo base, const PutOptions& options,
                                      std::string_view context) {
  if (!ref.version_id.empty()) {
    return Status::InvalidArgument(std::string(context) + ": a write cannot name a version");
  }
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Bucket * bucket, FindBucket(ref.bucket, context));
  std::vector<Version>& versions = bucket->keys[ref.key];
  const Version* current =
      versions.empty() || versions.back().delete_marker() ? nullptr : &versions.back();
  if (options.if_none_match_any && current != nullptr) {
    return Status::PreconditionFailed(std::string(context) +
                                      ": the key already holds an object (if-none-match *)");
  }
  if (options.if_match) {
    std::string want = store::UnquoteEtag(*options.if_match);
    if (current == nullptr) {
      return Status::PreconditionFailed(std::string(context) + ": no object to match ETag " + want);
    }
    if (want != "*" && want != current->info.etag) {
      return Status::PreconditionFailed(std::string(context) + ": ETag is " + current->info.etag +
                                        ", not " + want);
    }
  }
  Version v;
  v.info = std::move(base);
  v.info.key = ref.key;
  v.info.size = bytes->size();
  v.info.etag = std::move(etag);
  v.info.last_modified = std::chrono::system_clock::now();
  if (v.info.content_type.empty()) v.info.content_type = "application/octet-stream";
  v.info.version_id = bucket->versioning ? NextVersionId() : "";
  v.bytes = std::move(bytes);
  v.seq = ++seq_;
  if (!bucket->versioning) {
    std::erase_if(versions, [](const Version& old) { return old.info.version_id.empty(); });
  }
  versions.push_back(v);
  return v.info;
}

Result<MemoryStore::Found> MemoryStore::Find(const ObjectRef& ref, std::string_view context) {
  RETURN_IF_ERROR(ValidateKey(ref.key).WithContext(context));
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Bucket * bucket, FindBucket(ref.bucket, context));
  auto it = bucket->keys.find(ref.key);
  if (it == bucket->keys.end() || it->second.empty()) {
    return Status::NotFound(std::string(context) + ": no such key");
  }
  const std::vector<Version>& versions = it->second;
  if (ref.version_id.empty()) {
    if (versions.back().delete_marker()) {
      return Status::NotFound(std::string(context) + ": no such key");
    }
    return Found{versions.back().bytes, versions.back().info};
  }
  std::string want = ref.version_id == kNull ? "" : ref.version_id;
  for (const Version& v : versions) {
    if (v.info.version_id != want) continue;
    if (v.delete_marker()) {
      return Status::NotFound(std::string(context) + ": that version is a delete marker");
    }
    Found found{v.bytes, v.info};
    found.info.version_id = ref.version_id;
    return found;
  }
  return Status::NotFound(std::string(context) + ": no such version");
}

Result<std::string> MemoryStore::Get(const ObjectRef& ref, const GetOptions& options) {
  std::string context = "get " + ref.ToString();
  ASSIGN_OR_RETURN(Found found, Find(ref, context));
  if (options.if_match && store::UnquoteEtag(*options.if_match) != found.info.etag) {
    return Status::PreconditionFailed(context + ": ETag is " + found.info.etag + ", not " +
                                      store::UnquoteEtag(*options.if_match));
  }
  ASSIGN_OR_RETURN(store::Span span, store::ResolveRange(found.info.size, options.range, context));
  if (options.progress && span.length > 0) options.progress(span.length);
  return found.bytes->substr(span.offset, span.length);
}

Result<ObjectInfo> MemoryStore::GetStream(const ObjectRef& ref, ByteSink& sink,
                                          const GetOptions& options) {
  std::string context = "get " + ref.ToString();
  ASSIGN_OR_RETURN(Found found, Find(ref, context));
  if (options.if_match && store::UnquoteEtag(*options.if_match) != found.info.etag) {
    return Status::PreconditionFailed(context + ": ETag is " + found.info.etag + ", not " +
                                      store::UnquoteEtag(*options.if_match));
  }
  ASSIGN_OR_RETURN(store::Span span, store::ResolveRange(found.info.size, options.range, context));
  std::string_view bytes(*found.bytes);
  bytes = bytes.substr(span.offset, span.length);
  for (size_t at = 0; at < bytes.size(); at += kStreamChunk) {
    std::string_view chunk = bytes.substr(at, kStreamChunk);
    RETURN_IF_ERROR(sink.Write(chunk));
    if (options.progress) options.progress(chunk.size());
  }
  return found.info;
}

Result<ObjectInfo> MemoryStore::Head(const ObjectRef& ref) {
  ASSIGN_OR_RETURN(Found found, Find(ref, "head " + ref.ToString()));
  return found.info;
}

Result<ListPage> MemoryStore::List(std::string_view bucket_name, const ListOptions& options) {
  std::string context = "list " + std::string(bucket_name) + "/" + options.prefix;
  RETURN_IF_ERROR(store::CheckMaxKeys(options.max_keys, context));
  ASSIGN_OR_RETURN(std::string after, store::DecodeToken(options.continuation_token, context));
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Bucket * bucket, FindBucket(bucket_name, context));
  ListPage page;
  std::string last;
  int count = 0;
  auto it = after < options.prefix ? bucket->keys.lower_bound(options.prefix)
                                   : bucket->keys.upper_bound(after);
  for (; it != bucket->keys.end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, options.prefix.size(), options.prefix) != 0) break;
    if (it->second.empty() || it->second.back().delete_marker()) continue;
    std::string common;
    if (!options.delimiter.empty()) {
      size_t at = key.find(options.delimiter, options.prefix.size());
      if (at != std::string::npos) common = key.substr(0, at + options.delimiter.size());
    }
    if (count == options.max_keys) {
      page.next_token = store::EncodeToken(last);
      break;
    }
    ++count;
    if (common.empty()) {
      last = key;
      page.objects.push_back(it->second.back().info);
      page.objects.back().metadata.clear();
      continue;
    }
    // 0xFF never occurs in UTF-8: the bound sorts after every key under `common`.
    last = common + '\xff';
    page.common_prefixes.push_back(std::move(common));
    it = bucket->keys.lower_bound(last);
    if (it == bucket->keys.end()) break;
    --it;  // the loop's ++it lands on the first key past the prefix
  }
  return page;
}

Status MemoryStore::Delete(const ObjectRef& ref) {
  std::string context = "delete " + ref.ToString();
  RETURN_IF_ERROR(ValidateKey(ref.key).WithContext(context));
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Bucket * bucket, FindBucket(ref.bucket, context));
  std::vector<Version>& versions = bucket->keys[ref.key];
  auto add_marker = [&](std::string version_id) {
    Version marker;
    marker.info.key = ref.key;
    marker.info.last_modified = std::chrono::system_clock::now();
    marker.info.version_id = std::move(version_id);
    marker.seq = ++seq_;
    versions.push_back(std::move(marker));
  };
  if (!ref.version_id.empty()) {
    std::string want = ref.version_id == kNull ? "" : ref.version_id;
    std::erase_if(versions, [&](const Version& v) { return v.info.version_id == want; });
  } else if (bucket->versioning) {
    add_marker(NextVersionId());
  } else {
    // Unversioned (or suspended): the null version goes; a null delete
    // marker hides whatever versions remain.
    std::erase_if(versions, [](const Version& v) { return v.info.version_id.empty(); });
    if (!versions.empty()) add_marker("");
  }
  if (versions.empty()) bucket->keys.erase(ref.key);
  return Status::Ok();
}

Result<ObjectInfo> MemoryStore::Copy(const ObjectRef& from, const ObjectRef& to,
                                     const PutOptions& options) {
  std::string context = "copy " + from.ToString() + " to " + to.ToString();
  ASSIGN_OR_RETURN(Found source, Find(from, context));
  RETURN_IF_ERROR(ValidateKey(to.key).WithContext(context));
  ObjectInfo base;
  base.content_type =
      options.content_type.empty() ? source.info.content_type : options.content_type;
  base.metadata = options.metadata.empty() ? source.info.metadata : Lowered(options.metadata);
  if (options.progress && source.info.size > 0) options.progress(source.info.size);
  return Store(to, source.bytes, source.info.etag, std::move(base), options, context);
}

Result<bool> MemoryStore::GetVersioning(std::string_view bucket) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Bucket * b, FindBucket(bucket, "get versioning of " + std::string(bucket)));
  return b->versioning;
}

Status MemoryStore::SetVersioning(std::string_view bucket, bool enabled) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Bucket * b, FindBucket(bucket, "set versioning of " + std::string(bucket)));
  b->versioning = enabled;
  return Status::Ok();
}

Result<VersionPage> MemoryStore::ListVersions(std::string_view bucket_name,
                                              const ListOptions& options) {
  std::string context = "list versions in " + std::string(bucket_name) + "/" + options.prefix;
  RETURN_IF_ERROR(store::CheckMaxKeys(options.max_keys, context));
  ASSIGN_OR_RETURN(std::string mark, store::DecodeToken(options.continuation_token, context));
  // The mark is "<key>\0<seq>": resume after that version of that key.
  size_t nul = mark.find('\0');
  std::string mark_key = mark.substr(0, nul);
  uint64_t mark_seq =
      nul == std::string::npos ? 0 : std::strtoull(mark.c_str() + nul + 1, nullptr, 10);
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(Bucket * bucket, FindBucket(bucket_name, context));
  VersionPage page;
  std::string last_key;
  uint64_t last_seq = 0;
  for (auto it = bucket->keys.lower_bound(std::max(mark_key, options.prefix));
       it != bucket->keys.end(); ++it) {
    if (it->first.compare(0, options.prefix.size(), options.prefix) != 0) break;
    const std::vector<Version>& versions = it->second;
    for (auto v = versions.rbegin(); v != versions.rend(); ++v) {
      if (!mark.empty() && it->first == mark_key && v->seq >= mark_seq) continue;
      if (page.versions.size() == static_cast<size_t>(options.max_keys)) {
        page.next_token = store::EncodeToken(last_key + '\0' + std::to_string(last_seq));
        return page;
      }
      last_key = it->first;
      last_seq = v->seq;
      ObjectVersion out{v->info, v == versions.rbegin(), v->delete_marker()};
      out.info.version_id = Shown(v->info.version_id);
      page.versions.push_back(std::move(out));
    }
  }
  return page;
}

}  // namespace ch
