// LocalStore writes: temp file, fsync, then sidecar and object renamed into
// place under the bucket lock; Put, PutStream, Copy and Delete.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>
#include <set>

#include "core/os_error.h"
#include "storage/local_store.h"
#include "storage/local_store_internal.h"
#include "storage/md5.h"
#include "storage/part_buffers.h"

namespace ch {

using local::BucketPaths;
using local::MetaEntry;

namespace {

// Writes larger than this report progress between chunks.
constexpr size_t kWriteChunk = size_t{8} << 20;

std::string_view ParentOf(std::string_view key) {
  size_t slash = key.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : key.substr(0, slash);
}

// A staged file that is removed unless Release()d (after its rename).
class StagedFile {
 public:
  explicit StagedFile(std::string path) : path_(std::move(path)) {}
  ~StagedFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  StagedFile(StagedFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  StagedFile& operator=(StagedFile&&) = delete;
  const std::string& path() const { return path_; }
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

}  // namespace

// A new object's bytes on their way to a temp file in the bucket's tmp
// directory; the file is removed unless the commit renamed it.
class LocalStore::TempObject {
 public:
  TempObject(std::string path, posix::UniqueFd fd, std::string context, bool durable)
      : path_(std::move(path)),
        fd_(std::move(fd)),
        context_(std::move(context)),
        durable_(durable) {}
  ~TempObject() {
    if (!committed_) ::unlink(path_.c_str());
  }
  TempObject(const TempObject&) = delete;
  TempObject& operator=(const TempObject&) = delete;

  // `durable`: the object will be fsynced, so its writeback starts early.
  static Result<std::unique_ptr<TempObject>> Create(const BucketPaths& paths,
                                                    std::string_view context, bool durable) {
    std::string path = paths.NewTempPath();
    ASSIGN_OR_RETURN(posix::UniqueFd fd,
                     posix::Open(path, O_WRONLY | O_CREAT | O_EXCL, 0644, context));
    return std::make_unique<TempObject>(std::move(path), std::move(fd), std::string(context),
                                        durable);
  }

  Status Append(std::string_view bytes) {
    md5_.Update(bytes);
    if (!durable_) return posix::WriteAll(fd_.get(), bytes, context_ + ": write " + path_);
    // A durable object goes to the disk anyway: past its first megabytes it
    // skips the page cache (whose copy was most of a large write's CPU).
    if (!writer_) writer_.emplace(fd_.get(), context_ + ": " + path_, /*write_behind=*/true);
    return writer_->Write(bytes);
  }

  // Copies `size` bytes of `fd` in the kernel where it can. No MD5: the
  // caller knows the source's ETag.
  Status CopyFrom(int fd, uint64_t size, const ProgressCallback& progress) {
    loff_t in = 0;
    while (static_cast<uint64_t>(in) < size) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(kWriteChunk, size - in));
      ssize_t got = ::copy_file_range(fd, &in, fd_.get(), nullptr, want, 0);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 &&
          (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
        return CopyByReading(fd, static_cast<uint64_t>(in), size, progress);
      }
      if (got < 0) return StatusFromErrno(errno, context_ + ": copy into " + path_);
      if (got == 0) return Status::Corruption(context_ + ": the source shrank while copied");
      if (progress) progress(static_cast<uint64_t>(got));
    }
    return Status::Ok();
  }

  // fsync (when durable), then the identity the commit binds the sidecar to.
  Result<posix::FileIdentity> Finish(bool durable) {
    if (writer_) RETURN_IF_ERROR(writer_->Finish());
    if (durable && ::fsync(fd_.get()) != 0) {
      return StatusFromErrno(errno, context_ + ": fsync " + path_);
    }
    ASSIGN_OR_RETURN(posix::FileIdentity id, posix::Identify(fd_.get(), context_));
    RETURN_IF_ERROR(fd_.Close(context_ + ": " + path_));
    return id;
  }

  std::string Etag() { return md5_.FinishHex(); }
  const std::string& path() const { return path_; }
  void MarkCommitted() { committed_ = true; }

 private:
  Status CopyByReading(int fd, uint64_t from, uint64_t size, const ProgressCallback& progress) {
    std::string buf(local::kCopyChunk, '\0');
    for (uint64_t at = from; at < size;) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), size - at));
      ASSIGN_OR_RETURN(size_t got, posix::PreadFull(fd, buf.data(), want, at, context_));
      if (got == 0) return Status::Corruption(context_ + ": the source shrank while copied");
      RETURN_IF_ERROR(posix::WriteAll(fd_.get(), std::string_view(buf.data(), got), context_));
      at += got;
      if (progress) progress(got);
    }
    return Status::Ok();
  }

  std::string path_;
  posix::UniqueFd fd_;
  std::string context_;
  Md5 md5_;
  bool durable_;
  std::optional<posix::SequentialFileWriter> writer_;  // durable writes, from the first Append
  bool committed_ = false;
};

Result<ObjectInfo> LocalStore::Put(const ObjectRef& ref, std::string_view bytes,
                                   const PutOptions& options) {
  std::string context = "put " + ref.ToString();
  ASSIGN_OR_RETURN(BucketPaths paths, BeginWrite(ref, options, context));
  ASSIGN_OR_RETURN(std::unique_ptr<TempObject> temp, TempObject::Create(paths, context, durable_));
  for (size_t at = 0; at < bytes.size(); at += kWriteChunk) {
    std::string_view chunk = bytes.substr(at, kWriteChunk);
    RETURN_IF_ERROR(temp->Append(chunk));
    if (options.progress) options.progress(chunk.size());
  }
  return FinishPut(paths, ref, *temp, options, context);
}

Result<ObjectInfo> LocalStore::PutStream(const ObjectRef& ref, ByteSource& source,
                                         const PutOptions& options) {
  std::string context = "put " + ref.ToString();
  ASSIGN_OR_RETURN(BucketPaths paths, BeginWrite(ref, options, context));
  ASSIGN_OR_RETURN(std::unique_ptr<TempObject> temp, TempObject::Create(paths, context, durable_));
  // Whole, page-aligned chunks: direct writes take them without a copy.
  PartBuffer buf(local::kCopyChunk);
  for (bool done = false; !done;) {
    buf.Clear();
    while (buf.size() < buf.capacity()) {
      Result<size_t> got = source.Read(buf.spare(), buf.capacity() - buf.size());
      if (!got.ok()) return got.status().WithContext(context + ": read source");
      if (*got == 0) {
        done = true;
        break;
      }
      buf.Added(*got);
    }
    if (buf.size() == 0) break;
    RETURN_IF_ERROR(temp->Append(buf.view()));
    if (options.progress) options.progress(buf.size());
  }
  return FinishPut(paths, ref, *temp, options, context);
}

Result<BucketPaths> LocalStore::BeginWrite(const ObjectRef& ref, const PutOptions& options,
                                           std::string_view context) {
  if (!ref.version_id.empty()) {
    return Status::InvalidArgument(std::string(context) + ": a write cannot name a version");
  }
  ASSIGN_OR_RETURN(BucketPaths paths, BucketForKey(ref, context));
  RETURN_IF_ERROR(EnsureReserved(paths, context));
  if (options.if_none_match_any || options.if_match) {
    // Fail a doomed conditional write before copying any bytes; the check
    // that counts is repeated under the lock.
    ASSIGN_OR_RETURN(Current current, LoadCurrent(paths, ref.key, context));
    RETURN_IF_ERROR(CheckConditions(paths, ref.key, current, options, context));
  }
  return paths;
}

Result<ObjectInfo> LocalStore::FinishPut(const BucketPaths& paths, const ObjectRef& ref,
                                         TempObject& temp, const PutOptions& options,
                                         std::string_view context) {
  MetaEntry entry;
  ASSIGN_OR_RETURN(entry.id, temp.Finish(durable_));
  entry.etag = temp.Etag();
  entry.content_type = local::NormalizeContentType(options.content_type);
  entry.metadata = local::NormalizeMetadata(options.metadata);
  return Commit(paths, ref, temp, std::move(entry), options, context);
}

Result<ObjectInfo> LocalStore::Copy(const ObjectRef& from, const ObjectRef& to,
                                    const PutOptions& options) {
  std::string context = "copy " + from.ToString() + " to " + to.ToString();
  ASSIGN_OR_RETURN(BucketPaths source_paths, BucketForKey(from, context));
  ASSIGN_OR_RETURN(BucketPaths paths, BeginWrite(to, options, context));
  ASSIGN_OR_RETURN(Opened source, Open(source_paths, from, context));
  ASSIGN_OR_RETURN(std::unique_ptr<TempObject> temp, TempObject::Create(paths, context, durable_));
  RETURN_IF_ERROR(temp->CopyFrom(source.fd.get(), source.info.size, options.progress));
  MetaEntry entry;
  ASSIGN_OR_RETURN(entry.id, temp->Finish(durable_));
  entry.etag = source.info.etag;
  entry.content_type =
      options.content_type.empty() ? source.info.content_type : options.content_type;
  entry.metadata =
      options.metadata.empty() ? source.info.metadata : local::NormalizeMetadata(options.metadata);
  return Commit(paths, to, *temp, std::move(entry), options, context);
}

Result<ObjectInfo> LocalStore::Commit(const BucketPaths& paths, const ObjectRef& ref,
                                      TempObject& temp, MetaEntry entry, const PutOptions& options,
                                      std::string_view context) {
  // Stage the sidecar before taking the lock, guessing what the key holds
  // now; the guess is checked (and the sidecar restaged) under the lock.
  ASSIGN_OR_RETURN(Current guess, LoadCurrent(paths, ref.key, context));
  ASSIGN_OR_RETURN(bool versioned, VersioningEnabled(paths, context));
  entry.version_id = versioned ? local::NewVersionId() : "";
  entry.created_ns = local::NowNs();
  std::string sidecar = paths.NewTempPath();
  RETURN_IF_ERROR(StageSidecar(sidecar, guess, entry, context));
  StagedFile staged(sidecar);
  {
    ASSIGN_OR_RETURN(posix::FileLock lock, posix::FileLock::Acquire(paths.Lock(), true, context));
    ASSIGN_OR_RETURN(Current current, LoadCurrent(paths, ref.key, context));
    RETURN_IF_ERROR(CheckConditions(paths, ref.key, current, options, context));
    ASSIGN_OR_RETURN(bool now_versioned, VersioningEnabled(paths, context));
    if (now_versioned != versioned) entry.version_id = now_versioned ? local::NewVersionId() : "";
    if (now_versioned != versioned || current.exists != guess.exists || current.id != guess.id ||
        current.entry.has_value() != guess.entry.has_value()) {
      ::unlink(sidecar.c_str());
      RETURN_IF_ERROR(StageSidecar(sidecar, current, entry, context));
    }
    RETURN_IF_ERROR(ReplaceLocked(paths, ref.key, current, now_versioned, context));
    RETURN_IF_ERROR(RenameInto(sidecar, paths.Meta(ref.key), true, context));
    staged.Release();
    RETURN_IF_ERROR(RenameInto(temp.path(), paths.Object(ref.key), false, context));
    temp.MarkCommitted();
  }
  if (durable_) RETURN_IF_ERROR(SyncFolder(paths, ParentOf(ref.key), context));
  return local::InfoFrom(ref.key, entry);
}

Status LocalStore::StageSidecar(const std::string& path, const Current& current,
                                const MetaEntry& entry, std::string_view context) {
  std::vector<MetaEntry> entries;
  if (current.exists && current.entry) entries.push_back(*current.entry);
  entries.push_back(entry);
  std::string text = local::SerializeMeta(entries);
  ASSIGN_OR_RETURN(posix::UniqueFd fd,
                   posix::Open(path, O_WRONLY | O_CREAT | O_EXCL, 0644, context));
  Status st = posix::WriteAll(fd.get(), text, std::string(context) + ": write " + path);
  if (st.ok() && durable_ && ::fsync(fd.get()) != 0) {
    st = StatusFromErrno(errno, std::string(context) + ": fsync " + path);
  }
  if (st.ok()) st = fd.Close(std::string(context) + ": " + path);
  if (!st.ok()) ::unlink(path.c_str());
  return st;
}

// Makes room for the new object: the key's directories, and the old object
// kept as a version where versioning asks for it.
Status LocalStore::ReplaceLocked(const BucketPaths& paths, std::string_view key,
                                 const Current& current, bool versioned, std::string_view context) {
  if (current.is_dir && ::rmdir(paths.Object(key).c_str()) != 0) {
    if (errno == ENOTEMPTY || errno == EEXIST) {
      return Status::AlreadyExists(std::string(context) + ": '" + std::string(key) +
                                   "' holds other keys ('" + std::string(key) +
                                   "/…'), so it cannot also be an object");
    }
    return StatusFromErrno(errno, std::string(context) + ": rmdir " + paths.Object(key));
  }
  RETURN_IF_ERROR(MakeKeyDirs(paths, key, context));
  if (current.exists && (versioned || current.VersionId() != "null")) {
    RETURN_IF_ERROR(ArchiveCurrent(paths, key, current, context));
  }
  // A new "null" version replaces the old one, as in S3.
  if (!versioned) RETURN_IF_ERROR(DropNullVersion(paths, key, context));
  return Status::Ok();
}

Status LocalStore::MakeKeyDirs(const BucketPaths& paths, std::string_view key,
                               std::string_view context) {
  RETURN_IF_ERROR(posix::MakeDirs(paths.dir(), ParentOf(key), false, context));
  // Sidecars are derived data: a stale file in the way is removed.
  return posix::MakeDirs(paths.MetaRoot(), ParentOf(key), true, context);
}

Result<LocalStore::Current> LocalStore::LoadCurrent(const BucketPaths& paths, std::string_view key,
                                                    std::string_view context) {
  Current current;
  ASSIGN_OR_RETURN(auto st, posix::StatPath(paths.Object(key), context));
  if (!st) return current;
  current.is_dir = st->is_dir;
  if (!st->is_file) return current;
  current.exists = true;
  current.id = st->id;
  ASSIGN_OR_RETURN(current.entry, EntryFor(paths, key, current.id, context));
  return current;
}

Status LocalStore::CheckConditions(const BucketPaths& paths, std::string_view key, Current& current,
                                   const PutOptions& options, std::string_view context) {
  if (options.if_none_match_any && current.exists) {
    return Status::PreconditionFailed(std::string(context) +
                                      ": the key already holds an object (if-none-match *)");
  }
  if (!options.if_match) return Status::Ok();
  std::string want = store::UnquoteEtag(*options.if_match);
  if (!current.exists) {
    return Status::PreconditionFailed(std::string(context) + ": no object to match ETag " + want);
  }
  if (!current.entry) {
    ASSIGN_OR_RETURN(posix::UniqueFd fd, posix::Open(paths.Object(key), O_RDONLY, 0, context));
    ASSIGN_OR_RETURN(current.entry, ComputeEntry(fd.get(), current.id, context));
  }
  if (want == "*" || want == current.entry->etag) return Status::Ok();
  return Status::PreconditionFailed(std::string(context) + ": ETag is " + current.entry->etag +
                                    ", not " + want);
}

Status LocalStore::RenameInto(const std::string& from, const std::string& to, bool derived,
                              std::string_view context) {
  if (::rename(from.c_str(), to.c_str()) == 0) return Status::Ok();
  int err = errno;
  // A sidecar path may be a directory of stale sidecars (the object tree,
  // checked under the lock, has no keys below it); clear it and retry.
  if (derived && (err == EISDIR || err == ENOTEMPTY || err == EEXIST)) {
    std::error_code ec;
    std::filesystem::remove_all(to, ec);
    if (::rename(from.c_str(), to.c_str()) == 0) return Status::Ok();
    err = errno;
  }
  return StatusFromErrno(err, std::string(context) + ": rename into " + to);
}

Status LocalStore::RemoveCurrent(const BucketPaths& paths, std::string_view key,
                                 std::string_view context) {
  for (const std::string& path : {paths.Object(key), paths.Meta(key)}) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
      return StatusFromErrno(errno, std::string(context) + ": unlink " + path);
    }
  }
  posix::RemoveEmptyParents(paths.dir(), key);
  posix::RemoveEmptyParents(paths.MetaRoot(), key);
  return Status::Ok();
}

Status LocalStore::SyncFolder(const BucketPaths& paths, std::string_view parent,
                              std::string_view context) {
  for (const std::string& base : {paths.dir(), paths.MetaRoot()}) {
    std::string dir = parent.empty() ? base : base + "/" + std::string(parent);
    Status st = posix::FsyncDir(dir, context);
    // A concurrent delete may have removed an emptied parent: nothing to sync.
    if (!st.ok() && !st.IsNotFound()) return st;
  }
  return Status::Ok();
}

Status LocalStore::Delete(const ObjectRef& ref) {
  std::string context = "delete " + ref.ToString();
  ASSIGN_OR_RETURN(BucketPaths paths, BucketForKey(ref, context));
  RETURN_IF_ERROR(EnsureReserved(paths, context));
  {
    ASSIGN_OR_RETURN(posix::FileLock lock, posix::FileLock::Acquire(paths.Lock(), true, context));
    if (ref.version_id.empty()) {
      RETURN_IF_ERROR(DeleteLocked(paths, ref.key, context));
    } else {
      RETURN_IF_ERROR(DeleteVersionLocked(paths, ref, context));
    }
  }
  if (durable_) RETURN_IF_ERROR(SyncFolder(paths, ParentOf(ref.key), context));
  return Status::Ok();
}

Result<std::vector<KeyError>> LocalStore::DeleteMany(std::string_view bucket,
                                                     const std::vector<std::string>& keys) {
  std::string context = "delete many in " + std::string(bucket);
  ASSIGN_OR_RETURN(BucketPaths paths, Bucket(bucket, context));
  RETURN_IF_ERROR(EnsureReserved(paths, context));
  std::vector<KeyError> failed;
  std::set<std::string> synced;  // one fsync per folder, after the lock is released
  {
    ASSIGN_OR_RETURN(posix::FileLock lock, posix::FileLock::Acquire(paths.Lock(), true, context));
    for (const std::string& key : keys) {
      std::string key_context = "delete " + std::string(bucket) + "/" + key;
      Status st = local::ValidateLocalKey(key).WithContext(key_context);
      if (st.ok()) st = DeleteLocked(paths, key, key_context);
      if (!st.ok()) {
        failed.push_back(KeyError{key, std::move(st)});
      } else if (durable_) {
        synced.insert(std::string(ParentOf(key)));
      }
    }
  }
  for (const std::string& folder : synced) RETURN_IF_ERROR(SyncFolder(paths, folder, context));
  return failed;
}

}  // namespace ch
