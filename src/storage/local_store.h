// LocalStore: the embedded ObjectStore, one directory per bucket, one plain
// file per object, every write atomic.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/local_layout.h"
#include "storage/local_meta.h"
#include "storage/object_store.h"
#include "storage/posix_file.h"

namespace ch {

struct LocalStoreOptions {
  std::filesystem::path root;  // holds one directory per bucket
  bool create_root = true;     // create `root` (and parents) when missing; else NotFound
  // fsync every written file and the directories renamed into, so an
  // acknowledged write survives power loss. Atomicity holds either way.
  bool durable = true;
};

// Bucket "b" is the directory <root>/b and key "raw/x.csv" the plain file
// <root>/b/raw/x.csv, so the tree can be browsed and later copied to S3 with
// its keys. ETags, content types, user metadata and prior versions live under
// <root>/b/.climahealth/ (see storage/local_layout.h), which List never shows.
//
// Writes go to a temp file under .climahealth/tmp, are fsynced and renamed
// into place, so readers and crashes see the old object or the new, never a
// mix; a failed write removes its temp file. The check of a conditional put
// and the renames happen under an flock on the bucket's lock file, so they are
// atomic across threads and processes (a conditional put that is already
// doomed fails before any byte is copied). Reads take no lock unless they
// raced a writer. An interrupted write of a dead process leaves a temp file
// that the next Make removes; processes sharing a root must therefore share
// a PID namespace (one host, or containers with a shared PID namespace).
//
// Keys follow ValidateKey and ValidateLocalKey (no '.', '..' or empty segments,
// no leading/trailing '/', no backslash, nothing under ".climahealth/"). S3
// can hold both "a" and "a/b"; a directory tree cannot, so the second is
// AlreadyExists naming the first. Files placed in the tree by other tools
// are objects too (ETag computed on demand, default content type).
//
// Thread-safe; several processes may share one root.
class LocalStore final : public ObjectStore {
 public:
  // Opens (or creates) the root and removes temp files left behind by dead
  // processes. NotFound when the root is missing and !create_root;
  // InvalidArgument when it is empty or not a directory.
  static Result<std::unique_ptr<LocalStore>> Make(const LocalStoreOptions& options);

  std::string Describe() const override;
  StoreCapabilities Capabilities() const override;

  // Bucket names follow ValidateBucketName.
  Status CreateBucket(std::string_view bucket) override;
  Result<bool> BucketExists(std::string_view bucket) override;

  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                         const PutOptions& options = {}) override;
  // Streams through a 1 MiB buffer; memory does not grow with the object.
  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options = {}) override;
  // Reads straight into a string sized from fstat (one allocation, backed by
  // huge pages when large).
  Result<std::string> Get(const ObjectRef& ref, const GetOptions& options = {}) override;
  // Hands `sink` chunks of at most 1 MiB.
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options = {}) override;
  Result<ObjectInfo> Head(const ObjectRef& ref) override;
  // Walks the tree in key order, one directory in memory at a time, skipping
  // directories before the continuation token or folded into a common prefix.
  Result<ListPage> List(std::string_view bucket, const ListOptions& options) override;
  // Removes empty parent directories too. With versioning on, keeps the
  // object as a prior version and adds a delete marker; with ref.version_id
  // set, removes that version for good (the newest remaining becomes current).
  Status Delete(const ObjectRef& ref) override;
  // Deletes under one lock and syncs each folder once.
  Result<std::vector<KeyError>> DeleteMany(std::string_view bucket,
                                           const std::vector<std::string>& keys) override;
  // Copies in the kernel (copy_file_range); the ETag is the source's.
  Result<ObjectInfo> Copy(const ObjectRef& from, const ObjectRef& to,
                          const PutOptions& options = {}) override;
  // Sizes from stat alone: no sidecar is read.
  Result<Usage> Size(std::string_view bucket, std::string_view prefix = {}) override;

  // Versioning, as in S3: once enabled, every put makes a new version and a
  // delete adds a marker; disabling suspends it (new writes are the "null"
  // version) and keeps the versions already made.
  Result<bool> GetVersioning(std::string_view bucket) override;
  Status SetVersioning(std::string_view bucket, bool enabled) override;
  // Holds one key's versions in memory at a time (plus one directory per level).
  Result<VersionPage> ListVersions(std::string_view bucket, const ListOptions& options) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  class TempObject;  // a temp file being written; see local_store_write.cc
  struct Current;    // what a key holds now; see local_store_internal.h
  struct Opened {    // an object opened for reading
    posix::UniqueFd fd;
    ObjectInfo info;
  };
  struct VersionItem {  // one version and its place among its key's versions
    int64_t order = 0;
    ObjectVersion version;
  };
  struct PrivateTag {};

 public:
  LocalStore(PrivateTag, std::filesystem::path root, bool durable);

 private:
  // Buckets and the reserved directory (local_store.cc).
  Result<local::BucketPaths> Bucket(std::string_view bucket, std::string_view context);
  Result<local::BucketPaths> BucketForKey(const ObjectRef& ref, std::string_view context);
  Status EnsureReserved(const local::BucketPaths& paths, std::string_view context);
  void RemoveStaleTemps(const std::string& tmp_dir);

  // Reading (local_store.cc). Reads take no lock unless a writer raced them.
  Result<Opened> Open(const local::BucketPaths& paths, const ObjectRef& ref,
                      std::string_view context);
  Result<Opened> OpenCurrent(const local::BucketPaths& paths, std::string_view key,
                             std::string_view context);
  Result<std::optional<local::MetaEntry>> EntryFor(const local::BucketPaths& paths,
                                                   std::string_view key,
                                                   const posix::FileIdentity& id,
                                                   std::string_view context);
  Result<local::MetaEntry> ComputeEntry(int fd, const posix::FileIdentity& id,
                                        std::string_view context);
  Status CheckIfMatch(const ObjectInfo& info, const GetOptions& options, std::string_view context);

  // Writing (local_store_write.cc). *Locked functions need the bucket lock.
  Result<local::BucketPaths> BeginWrite(const ObjectRef& ref, const PutOptions& options,
                                        std::string_view context);
  Result<ObjectInfo> FinishPut(const local::BucketPaths& paths, const ObjectRef& ref,
                               TempObject& temp, const PutOptions& options,
                               std::string_view context);
  Result<ObjectInfo> Commit(const local::BucketPaths& paths, const ObjectRef& ref, TempObject& temp,
                            local::MetaEntry entry, const PutOptions& options,
                            std::string_view context);
  Status StageSidecar(const std::string& path, const Current& current,
                      const local::MetaEntry& entry, std::string_view context);
  Status ReplaceLocked(const local::BucketPaths& paths, std::string_view key,
                       const Current& current, bool versioned, std::string_view context);
  Status MakeKeyDirs(const local::BucketPaths& paths, std::string_view key,
                     std::string_view context);
  Result<Current> LoadCurrent(const local::BucketPaths& paths, std::string_view key,
                              std::string_view context);
  Status CheckConditions(const local::BucketPaths& paths, std::string_view key, Current& current,
                         const PutOptions& options, std::string_view context);
  Status RenameInto(const std::string& from, const std::string& to, bool derived,
                    std::string_view context);
  Status RemoveCurrent(const local::BucketPaths& paths, std::string_view key,
                       std::string_view context);
  // fsyncs `folder` ("" for the top) in the object and sidecar trees.
  Status SyncFolder(const local::BucketPaths& paths, std::string_view folder,
                    std::string_view context);

  // Versions (local_store_versions.cc).
  Result<bool> VersioningEnabled(const local::BucketPaths& paths, std::string_view context);
  Status ArchiveCurrent(const local::BucketPaths& paths, std::string_view key,
                        const Current& current, std::string_view context);
  void CleanHistory(const local::BucketPaths& paths, std::string_view key);
  Status RemoveVersionFiles(const local::BucketPaths& paths, std::string_view key,
                            std::string_view version_id, std::string_view context);
  Status DropNullVersion(const local::BucketPaths& paths, std::string_view key,
                         std::string_view context);
  Status AddDeleteMarker(const local::BucketPaths& paths, std::string_view key,
                         std::string version_id, std::string_view context);
  Result<std::vector<local::MetaEntry>> History(const local::BucketPaths& paths,
                                                std::string_view key, std::string_view context);
  Result<Opened> OpenVersion(const local::BucketPaths& paths, const ObjectRef& ref,
                             std::string_view context);
  Status DeleteLocked(const local::BucketPaths& paths, std::string_view key,
                      std::string_view context);
  Status DeleteVersionLocked(const local::BucketPaths& paths, const ObjectRef& ref,
                             std::string_view context);
  Status PromoteNewest(const local::BucketPaths& paths, std::string_view key,
                       std::string_view context);
  Result<std::vector<VersionItem>> VersionsOf(const local::BucketPaths& paths,
                                              const std::string& key, std::string_view context);

  std::filesystem::path root_;
  std::string root_str_;
  bool durable_;
};

}  // namespace ch
