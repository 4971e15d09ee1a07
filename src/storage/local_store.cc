// LocalStore: construction, buckets, reads and listings. Writes are in
// local_store_write.cc, versions in local_store_versions.cc.
#include "storage/local_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "core/os_error.h"
#include "storage/local_store_internal.h"
#include "storage/local_walk.h"
#include "storage/md5.h"

namespace ch {

using local::BucketPaths;
using local::MetaEntry;

namespace {

// Reads beyond this many bytes report progress between chunks.
constexpr size_t kReadChunk = 16u << 20;
// Reads at least this big get a huge-page buffer (see AdviseHugePages).
constexpr size_t kHugeBuffer = 8u << 20;
// Streamed reads at least this big go through a file mapping.
constexpr uint64_t kMapAtLeast = 8u << 20;

bool PidAlive(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH);
}

}  // namespace

LocalStore::LocalStore(PrivateTag, std::filesystem::path root, bool durable)
    : root_(std::move(root)), root_str_(root_.string()), durable_(durable) {}

Result<std::unique_ptr<LocalStore>> LocalStore::Make(const LocalStoreOptions& options) {
  if (options.root.empty()) {
    return Status::InvalidArgument("local store: root directory is empty");
  }
  std::error_code ec;
  std::filesystem::path root = std::filesystem::absolute(options.root, ec).lexically_normal();
  if (ec) return StatusFromErrno(ec.value(), "local store: resolve " + options.root.string());
  if (!root.has_filename() && root.has_parent_path()) root = root.parent_path();  // "/a/b/"
  ASSIGN_OR_RETURN(auto st, posix::StatPath(root.string(), "local store"));
  if (!st && options.create_root) {
    std::filesystem::create_directories(root, ec);
    if (ec) return StatusFromErrno(ec.value(), "local store: create root " + root.string());
    ASSIGN_OR_RETURN(st, posix::StatPath(root.string(), "local store"));
  }
  if (!st) return Status::NotFound("local store: root " + root.string() + " does not exist");
  if (!st->is_dir) {
    return Status::InvalidArgument("local store: root " + root.string() + " is not a directory");
  }
  auto store = std::make_unique<LocalStore>(PrivateTag{}, root, options.durable);
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    BucketPaths paths(store->root_str_, entry.path().filename().string());
    store->RemoveStaleTemps(paths.TmpDir());
  }
  return store;
}

void LocalStore::RemoveStaleTemps(const std::string& tmp_dir) {
  DIR* dir = ::opendir(tmp_dir.c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = ::readdir(dir)) {
    // Temp names start with the writer's pid; a live writer keeps its files.
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '-' || PidAlive(pid)) continue;
    ::unlinkat(::dirfd(dir), entry->d_name, 0);
  }
  ::closedir(dir);
}

std::string LocalStore::Describe() const { return "local:" + root_str_; }

StoreCapabilities LocalStore::Capabilities() const {
  StoreCapabilities caps;
  caps.versioning = true;
  caps.conditional_put = true;
  caps.suffix_ranges = true;
  caps.presign = false;
  return caps;
}

Status LocalStore::CreateBucket(std::string_view bucket) {
  std::string context = "create bucket " + std::string(bucket);
  RETURN_IF_ERROR(ValidateBucketName(bucket).WithContext(context));
  BucketPaths paths(root_str_, bucket);
  const bool created = ::mkdir(paths.dir().c_str(), 0755) == 0;
  if (!created && errno != EEXIST) {
    return StatusFromErrno(errno, context + ": mkdir " + paths.dir());
  }
  ASSIGN_OR_RETURN(auto st, posix::StatPath(paths.dir(), context));
  if (!st || !st->is_dir) {
    return Status::AlreadyExists(context + ": " + paths.dir() + " exists and is not a directory");
  }
  RETURN_IF_ERROR(EnsureReserved(paths, context));
  // Only a new bucket's entry needs syncing; every command ensures its buckets
  // at start, and a sync per existing bucket cost a cold start milliseconds.
  if (durable_ && created) RETURN_IF_ERROR(posix::FsyncDir(root_str_, context));
  return Status::Ok();
}

Result<bool> LocalStore::BucketExists(std::string_view bucket) {
  std::string context = "bucket exists " + std::string(bucket);
  RETURN_IF_ERROR(ValidateBucketName(bucket).WithContext(context));
  ASSIGN_OR_RETURN(auto st, posix::StatPath(BucketPaths(root_str_, bucket).dir(), context));
  return st.has_value() && st->is_dir;
}

Result<BucketPaths> LocalStore::Bucket(std::string_view bucket, std::string_view context) {
  RETURN_IF_ERROR(ValidateBucketName(bucket).WithContext(context));
  BucketPaths paths(root_str_, bucket);
  ASSIGN_OR_RETURN(auto st, posix::StatPath(paths.dir(), context));
  if (!st || !st->is_dir) {
    return Status::NotFound(std::string(context) + ": no such bucket '" + std::string(bucket) +
                            "' in " + Describe());
  }
  return paths;
}

Result<BucketPaths> LocalStore::BucketForKey(const ObjectRef& ref, std::string_view context) {
  RETURN_IF_ERROR(local::ValidateLocalKey(ref.key).WithContext(context));
  return Bucket(ref.bucket, context);
}

Status LocalStore::EnsureReserved(const BucketPaths& paths, std::string_view context) {
  for (const std::string& dir :
       {paths.reserved(), paths.TmpDir(), paths.MetaRoot(), paths.HistoryRoot()}) {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return StatusFromErrno(errno, std::string(context) + ": mkdir " + dir);
    }
  }
  return Status::Ok();
}

Result<std::optional<MetaEntry>> LocalStore::EntryFor(const BucketPaths& paths,
                                                      std::string_view key,
                                                      const posix::FileIdentity& id,
                                                      std::string_view context) {
  std::string path = paths.Meta(key);
  // A missing, unreadable or damaged sidecar only costs the cached ETag and
  // content type: the caller falls back to reading the object.
  Result<std::optional<std::string>> text = posix::ReadSmallFile(path, context);
  if (!text.ok() || !text->has_value()) return std::optional<MetaEntry>();
  Result<std::vector<MetaEntry>> entries = local::ParseMeta(**text, path);
  if (!entries.ok()) return std::optional<MetaEntry>();
  const MetaEntry* entry = local::FindEntry(*entries, id);
  if (entry == nullptr) return std::optional<MetaEntry>();
  return std::optional<MetaEntry>(*entry);
}

Result<MetaEntry> LocalStore::ComputeEntry(int fd, const posix::FileIdentity& id,
                                           std::string_view context) {
  Md5 md5;
  std::string buf(local::kCopyChunk, '\0');
  uint64_t offset = 0;
  for (;;) {
    ASSIGN_OR_RETURN(size_t got, posix::PreadFull(fd, buf.data(), buf.size(), offset, context));
    if (got == 0) break;
    md5.Update(std::string_view(buf.data(), got));
    offset += got;
  }
  MetaEntry entry;
  entry.id = id;
  entry.etag = md5.FinishHex();
  entry.content_type = std::string(local::kDefaultContentType);
  entry.created_ns = id.mtime_ns;
  return entry;
}

Result<LocalStore::Opened> LocalStore::OpenCurrent(const BucketPaths& paths, std::string_view key,
                                                   std::string_view context) {
  std::string path = paths.Object(key);
  posix::UniqueFd fd;
  posix::FileIdentity id;
  // The first look takes no lock. If a writer swapped the object between our
  // open and the sidecar read, look again under the shared lock, where the
  // pair is consistent.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::optional<posix::FileLock> lock;
    if (attempt == 1) {
      RETURN_IF_ERROR(EnsureReserved(paths, context));
      ASSIGN_OR_RETURN(lock, posix::FileLock::Acquire(paths.Lock(), false, context));
    }
    int raw = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (raw < 0) {
      if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) {
        return Status::NotFound(std::string(context) + ": no such key");
      }
      return StatusFromErrno(errno, std::string(context) + ": open " + path);
    }
    fd = posix::UniqueFd(raw);
    Result<posix::FileIdentity> got = posix::Identify(fd.get(), context);
    if (!got.ok()) return Status::NotFound(std::string(context) + ": no such key");
    id = *got;
    ASSIGN_OR_RETURN(std::optional<MetaEntry> entry, EntryFor(paths, key, id, context));
    if (entry) return Opened{std::move(fd), local::InfoFrom(key, *entry)};
  }
  // A file put there by another tool: no sidecar describes it.
  ASSIGN_OR_RETURN(MetaEntry entry, ComputeEntry(fd.get(), id, context));
  return Opened{std::move(fd), local::InfoFrom(key, entry)};
}

Result<LocalStore::Opened> LocalStore::Open(const BucketPaths& paths, const ObjectRef& ref,
                                            std::string_view context) {
  if (!ref.version_id.empty()) return OpenVersion(paths, ref, context);
  return OpenCurrent(paths, ref.key, context);
}

Status LocalStore::CheckIfMatch(const ObjectInfo& info, const GetOptions& options,
                                std::string_view context) {
  if (!options.if_match) return Status::Ok();
  std::string want = store::UnquoteEtag(*options.if_match);
  if (want == info.etag || want == "*") return Status::Ok();
  return Status::PreconditionFailed(std::string(context) + ": ETag is " + info.etag + ", not " +
                                    want);
}

Result<std::string> LocalStore::Get(const ObjectRef& ref, const GetOptions& options) {
  std::string context = "get " + ref.ToString();
  ASSIGN_OR_RETURN(BucketPaths paths, BucketForKey(ref, context));
  ASSIGN_OR_RETURN(Opened opened, Open(paths, ref, context));
  RETURN_IF_ERROR(CheckIfMatch(opened.info, options, context));
  ASSIGN_OR_RETURN(store::Span span, store::ResolveRange(opened.info.size, options.range, context));
  std::string out;
  if (span.length >= kHugeBuffer) {
    out.reserve(span.length);
    posix::AdviseHugePages(out.data(), span.length);
  }
  out.resize(span.length);
  uint64_t done = 0;
  while (done < span.length) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kReadChunk, span.length - done));
    ASSIGN_OR_RETURN(size_t got, posix::PreadFull(opened.fd.get(), out.data() + done, want,
                                                  span.offset + done, context));
    if (got < want) {
      return Status::Corruption(context + ": the file shrank while being read");
    }
    done += got;
    if (options.progress) options.progress(got);
  }
  return out;
}

Result<ObjectInfo> LocalStore::GetStream(const ObjectRef& ref, ByteSink& sink,
                                         const GetOptions& options) {
  std::string context = "get " + ref.ToString();
  ASSIGN_OR_RETURN(BucketPaths paths, BucketForKey(ref, context));
  ASSIGN_OR_RETURN(Opened opened, Open(paths, ref, context));
  RETURN_IF_ERROR(CheckIfMatch(opened.info, options, context));
  ASSIGN_OR_RETURN(store::Span span, store::ResolveRange(opened.info.size, options.range, context));
  if (span.length >= kMapAtLeast) {
    // Views of the page cache, window by window: no copy, and only a window resident.
    ASSIGN_OR_RETURN(posix::MappedRange map,
                     posix::MappedRange::Map(opened.fd.get(), span.offset, span.length, context));
    std::string_view bytes = map.bytes();
    for (uint64_t done = 0; done < span.length;) {
      size_t take = static_cast<size_t>(std::min<uint64_t>(kReadChunk, span.length - done));
      map.Populate(done, take);
      RETURN_IF_ERROR(sink.Write(bytes.substr(static_cast<size_t>(done), take)));
      done += take;
      map.Release(done);
      if (options.progress) options.progress(take);
    }
    return std::move(opened.info);
  }
  std::string buf(static_cast<size_t>(std::min<uint64_t>(local::kCopyChunk, span.length)), '\0');
  uint64_t done = 0;
  while (done < span.length) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), span.length - done));
    ASSIGN_OR_RETURN(size_t got, posix::PreadFull(opened.fd.get(), buf.data(), want,
                                                  span.offset + done, context));
    if (got < want) return Status::Corruption(context + ": the file shrank while being read");
    RETURN_IF_ERROR(sink.Write(std::string_view(buf.data(), got)));
    done += got;
    if (options.progress) options.progress(got);
  }
  return std::move(opened.info);
}

Result<ObjectInfo> LocalStore::Head(const ObjectRef& ref) {
  std::string context = "head " + ref.ToString();
  ASSIGN_OR_RETURN(BucketPaths paths, BucketForKey(ref, context));
  ASSIGN_OR_RETURN(Opened opened, Open(paths, ref, context));
  return std::move(opened.info);
}

Result<ListPage> LocalStore::List(std::string_view bucket, const ListOptions& options) {
  std::string context = "list " + std::string(bucket) + "/" + options.prefix;
  RETURN_IF_ERROR(store::CheckMaxKeys(options.max_keys, context));
  ASSIGN_OR_RETURN(BucketPaths paths, Bucket(bucket, context));
  ASSIGN_OR_RETURN(std::string bound, store::DecodeToken(options.continuation_token, context));
  local::KeyWalker walker(
      {paths.dir(), local::KeyWalker::Mode::kObjects, options.prefix, std::move(bound), false});
  ListPage page;
  std::string last;
  int count = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<std::string> key, walker.Next());
    if (!key) break;
    std::string common;
    if (!options.delimiter.empty()) {
      size_t at = key->find(options.delimiter, options.prefix.size());
      if (at != std::string::npos) common = key->substr(0, at + options.delimiter.size());
    }
    if (count == options.max_keys) {
      page.next_token = store::EncodeToken(last);
      break;
    }
    if (!common.empty()) {
      // 0xFF never occurs in UTF-8, so this sorts after every key under `common`.
      last = common + '\xff';
      walker.RaiseBound(last);
      page.common_prefixes.push_back(std::move(common));
    } else {
      Result<Opened> opened = OpenCurrent(paths, *key, context);
      if (!opened.ok() && opened.status().IsNotFound()) continue;  // deleted meanwhile
      if (!opened.ok()) return opened.status();
      last = *key;
      page.objects.push_back(std::move(opened->info));
    }
    ++count;
  }
  return page;
}

Result<Usage> LocalStore::Size(std::string_view bucket, std::string_view prefix) {
  std::string context = "size of " + std::string(bucket) + "/" + std::string(prefix);
  ASSIGN_OR_RETURN(BucketPaths paths, Bucket(bucket, context));
  local::KeyWalker walker(
      {paths.dir(), local::KeyWalker::Mode::kObjects, std::string(prefix), "", false});
  Usage usage;
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<std::string> key, walker.Next());
    if (!key) break;
    ASSIGN_OR_RETURN(auto st, posix::StatPath(paths.Object(*key), context));
    if (!st || !st->is_file) continue;
    ++usage.objects;
    usage.bytes += st->id.size;
    usage.newest = std::max(usage.newest, local::FromNs(st->id.mtime_ns));
  }
  return usage;
}

}  // namespace ch
