// LocalStore versioning: prior versions and delete markers under
// .climahealth/versions, following S3's rules for enabled and suspended buckets.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "core/os_error.h"
#include "storage/local_store.h"
#include "storage/local_store_internal.h"
#include "storage/local_walk.h"

namespace ch {

using local::BucketPaths;
using local::MetaEntry;

namespace {

constexpr std::string_view kNullVersion = "null";

// "@<id>" names a version's bytes in its key's history directory; its
// sidecar is the same name plus ".json".
std::string VersionFile(std::string_view version_id) {
  return "@" + std::string(version_id.empty() ? kNullVersion : version_id);
}

std::string ShownVersion(std::string_view version_id) {
  return std::string(version_id.empty() ? kNullVersion : version_id);
}

Status CheckVersionId(std::string_view id, std::string_view context) {
  bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
  if (ok) return Status::Ok();
  return Status::InvalidArgument(std::string(context) + ": malformed version id '" +
                                 std::string(id) + "'");
}

// Where a version listing resumes: after `version` of `key`, whose place
// among the key's versions is (order, version).
struct VersionMark {
  std::string key;
  int64_t order = 0;
  std::string version;
};

std::string EncodeMark(const VersionMark& mark) {
  return store::EncodeToken(mark.key + '\0' + std::to_string(mark.order) + '\0' + mark.version);
}

Result<std::optional<VersionMark>> DecodeMark(std::string_view token, std::string_view context) {
  if (token.empty()) return std::optional<VersionMark>();
  ASSIGN_OR_RETURN(std::string text, store::DecodeToken(token, context));
  size_t a = text.find('\0');
  size_t b = a == std::string::npos ? a : text.find('\0', a + 1);
  if (b == std::string::npos) {
    return Status::InvalidArgument(std::string(context) + ": malformed continuation token");
  }
  VersionMark mark{text.substr(0, a), std::strtoll(text.c_str() + a + 1, nullptr, 10),
                   text.substr(b + 1)};
  return std::optional<VersionMark>(std::move(mark));
}

}  // namespace

Result<bool> LocalStore::VersioningEnabled(const BucketPaths& paths, std::string_view context) {
  ASSIGN_OR_RETURN(std::optional<std::string> text,
                   posix::ReadSmallFile(paths.Versioning(), context));
  return text.has_value() && *text == "Enabled";
}

Result<bool> LocalStore::GetVersioning(std::string_view bucket) {
  std::string context = "get versioning of " + std::string(bucket);
  ASSIGN_OR_RETURN(BucketPaths paths, Bucket(bucket, context));
  return VersioningEnabled(paths, context);
}

Status LocalStore::SetVersioning(std::string_view bucket, bool enabled) {
  std::string context = "set versioning of " + std::string(bucket);
  ASSIGN_OR_RETURN(BucketPaths paths, Bucket(bucket, context));
  RETURN_IF_ERROR(EnsureReserved(paths, context));
  ASSIGN_OR_RETURN(posix::FileLock lock, posix::FileLock::Acquire(paths.Lock(), true, context));
  return posix::ReplaceFile(paths.Versioning(), paths.NewTempPath(),
                            enabled ? "Enabled" : "Suspended", durable_, context);
}

Status LocalStore::ArchiveCurrent(const BucketPaths& paths, std::string_view key,
                                  const Current& current, std::string_view context) {
  MetaEntry entry;
  if (current.entry) {
    entry = *current.entry;
  } else {
    ASSIGN_OR_RETURN(posix::UniqueFd fd, posix::Open(paths.Object(key), O_RDONLY, 0, context));
    ASSIGN_OR_RETURN(entry, ComputeEntry(fd.get(), current.id, context));
  }
  std::string dir = paths.History(key);
  RETURN_IF_ERROR(
      posix::MakeDirs(paths.HistoryRoot(), local::EncodeHistoryKey(key), false, context));
  std::string data = dir + "/" + VersionFile(entry.version_id);
  ::unlink(data.c_str());
  // A hard link: objects are never modified in place, so sharing the inode
  // with the current file is safe, and the sidecar identity still matches.
  if (::link(paths.Object(key).c_str(), data.c_str()) != 0) {
    return StatusFromErrno(errno, std::string(context) + ": keep prior version as " + data);
  }
  return posix::ReplaceFile(data + ".json", paths.NewTempPath(), local::SerializeMeta({entry}),
                            durable_, context);
}

void LocalStore::CleanHistory(const BucketPaths& paths, std::string_view key) {
  if (::rmdir(paths.History(key).c_str()) == 0) {
    posix::RemoveEmptyParents(paths.HistoryRoot(), local::EncodeHistoryKey(key));
  }
}

Status LocalStore::RemoveVersionFiles(const BucketPaths& paths, std::string_view key,
                                      std::string_view version_id, std::string_view context) {
  std::string base = paths.History(key) + "/" + VersionFile(version_id);
  // The sidecar goes first: a version is listed only while its sidecar exists.
  for (const std::string& path : {base + ".json", base}) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
      return StatusFromErrno(errno, std::string(context) + ": unlink " + path);
    }
  }
  CleanHistory(paths, key);
  return Status::Ok();
}

Status LocalStore::DropNullVersion(const BucketPaths& paths, std::string_view key,
                                   std::string_view context) {
  return RemoveVersionFiles(paths, key, "", context);
}

Status LocalStore::AddDeleteMarker(const BucketPaths& paths, std::string_view key,
                                   std::string version_id, std::string_view context) {
  RETURN_IF_ERROR(
      posix::MakeDirs(paths.HistoryRoot(), local::EncodeHistoryKey(key), false, context));
  MetaEntry marker;
  marker.version_id = std::move(version_id);
  marker.created_ns = local::NowNs();
  marker.delete_marker = true;
  std::string path = paths.History(key) + "/" + VersionFile(marker.version_id) + ".json";
  return posix::ReplaceFile(path, paths.NewTempPath(), local::SerializeMeta({marker}), durable_,
                            context);
}

Result<std::vector<MetaEntry>> LocalStore::History(const BucketPaths& paths, std::string_view key,
                                                   std::string_view context) {
  std::vector<MetaEntry> out;
  std::string dir_path = paths.History(key);
  DIR* dir = ::opendir(dir_path.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR) return out;
    return StatusFromErrno(errno, std::string(context) + ": open " + dir_path);
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name.size() > 6 && name.front() == '@' && name.substr(name.size() - 5) == ".json") {
      names.emplace_back(name);
    }
  }
  ::closedir(dir);
  for (const std::string& name : names) {
    std::string path = dir_path;
    path += '/';
    path += name;
    ASSIGN_OR_RETURN(std::optional<std::string> text, posix::ReadSmallFile(path, context));
    if (!text) continue;
    ASSIGN_OR_RETURN(std::vector<MetaEntry> entries, local::ParseMeta(*text, path));
    for (MetaEntry& e : entries) out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const MetaEntry& a, const MetaEntry& b) {
    return a.created_ns != b.created_ns ? a.created_ns > b.created_ns : a.version_id > b.version_id;
  });
  return out;
}

Result<LocalStore::Opened> LocalStore::OpenVersion(const BucketPaths& paths, const ObjectRef& ref,
                                                   std::string_view context) {
  RETURN_IF_ERROR(CheckVersionId(ref.version_id, context));
  Result<Opened> current = OpenCurrent(paths, ref.key, context);
  if (current.ok() && ShownVersion(current->info.version_id) == ref.version_id) return current;
  if (!current.ok() && !current.status().IsNotFound()) return current.status();
  std::string base = paths.History(ref.key) + "/" + VersionFile(ref.version_id);
  ASSIGN_OR_RETURN(std::optional<std::string> text, posix::ReadSmallFile(base + ".json", context));
  if (!text) return Status::NotFound(std::string(context) + ": no such version");
  ASSIGN_OR_RETURN(std::vector<MetaEntry> entries, local::ParseMeta(*text, base + ".json"));
  if (entries.empty()) return Status::NotFound(std::string(context) + ": no such version");
  if (entries[0].delete_marker) {
    return Status::NotFound(std::string(context) + ": that version is a delete marker");
  }
  int fd = ::open(base.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Status::NotFound(std::string(context) + ": no such version");
  ObjectInfo info = local::InfoFrom(ref.key, entries[0]);
  info.version_id = ref.version_id;
  return Opened{posix::UniqueFd(fd), std::move(info)};
}

Status LocalStore::DeleteLocked(const BucketPaths& paths, std::string_view key,
                                std::string_view context) {
  ASSIGN_OR_RETURN(Current current, LoadCurrent(paths, key, context));
  ASSIGN_OR_RETURN(bool versioned, VersioningEnabled(paths, context));
  if (versioned) {
    if (current.exists) {
      RETURN_IF_ERROR(ArchiveCurrent(paths, key, current, context));
      RETURN_IF_ERROR(RemoveCurrent(paths, key, context));
    }
    return AddDeleteMarker(paths, key, local::NewVersionId(), context);
  }
  if (current.exists) {
    if (current.VersionId() != kNullVersion) {
      RETURN_IF_ERROR(ArchiveCurrent(paths, key, current, context));
    }
    RETURN_IF_ERROR(RemoveCurrent(paths, key, context));
  }
  // Suspended versioning: the null version goes, and a null delete marker
  // hides the versions that remain.
  RETURN_IF_ERROR(DropNullVersion(paths, key, context));
  ASSIGN_OR_RETURN(std::vector<MetaEntry> history, History(paths, key, context));
  if (!history.empty()) return AddDeleteMarker(paths, key, "", context);
  return Status::Ok();
}

Status LocalStore::DeleteVersionLocked(const BucketPaths& paths, const ObjectRef& ref,
                                       std::string_view context) {
  RETURN_IF_ERROR(CheckVersionId(ref.version_id, context));
  ASSIGN_OR_RETURN(Current current, LoadCurrent(paths, ref.key, context));
  if (current.exists && current.VersionId() == ref.version_id) {
    RETURN_IF_ERROR(RemoveCurrent(paths, ref.key, context));
    return PromoteNewest(paths, ref.key, context);
  }
  std::string id = ref.version_id == kNullVersion ? "" : ref.version_id;
  RETURN_IF_ERROR(RemoveVersionFiles(paths, ref.key, id, context));
  if (!current.exists) return PromoteNewest(paths, ref.key, context);
  return Status::Ok();
}

// After a version is removed for good and the key holds no object, the
// newest remaining version (unless it is a delete marker) becomes current.
Status LocalStore::PromoteNewest(const BucketPaths& paths, std::string_view key,
                                 std::string_view context) {
  ASSIGN_OR_RETURN(std::vector<MetaEntry> history, History(paths, key, context));
  if (history.empty() || history[0].delete_marker) return Status::Ok();
  ASSIGN_OR_RETURN(Current current, LoadCurrent(paths, key, context));
  // Longer keys took the name meanwhile: the version stays in the history.
  if (current.exists || current.is_dir) return Status::Ok();
  if (!MakeKeyDirs(paths, key, context).ok()) return Status::Ok();
  const MetaEntry& newest = history[0];
  std::string sidecar = paths.NewTempPath();
  RETURN_IF_ERROR(StageSidecar(sidecar, current, newest, context));
  RETURN_IF_ERROR(RenameInto(sidecar, paths.Meta(key), true, context));
  std::string base = paths.History(key) + "/" + VersionFile(newest.version_id);
  RETURN_IF_ERROR(RenameInto(base, paths.Object(key), false, context));
  ::unlink((base + ".json").c_str());
  CleanHistory(paths, key);
  return Status::Ok();
}

Result<std::vector<LocalStore::VersionItem>> LocalStore::VersionsOf(const BucketPaths& paths,
                                                                    const std::string& key,
                                                                    std::string_view context) {
  std::vector<VersionItem> out;
  Result<Opened> current = OpenCurrent(paths, key, context);
  if (!current.ok() && !current.status().IsNotFound()) return current.status();
  if (current.ok()) {
    ObjectVersion v{std::move(current->info), true, false};
    v.info.version_id = ShownVersion(v.info.version_id);
    out.push_back(VersionItem{INT64_MAX, std::move(v)});  // the current is always newest
  }
  ASSIGN_OR_RETURN(std::vector<MetaEntry> history, History(paths, key, context));
  for (const MetaEntry& e : history) {
    ObjectVersion v{local::InfoFrom(key, e), false, e.delete_marker};
    v.info.version_id = ShownVersion(e.version_id);
    if (e.delete_marker) v.info.content_type.clear();
    out.push_back(VersionItem{e.created_ns, std::move(v)});
  }
  if (!current.ok() && !out.empty()) out[0].version.is_latest = true;
  return out;
}

Result<VersionPage> LocalStore::ListVersions(std::string_view bucket, const ListOptions& options) {
  std::string context = "list versions in " + std::string(bucket) + "/" + options.prefix;
  RETURN_IF_ERROR(store::CheckMaxKeys(options.max_keys, context));
  ASSIGN_OR_RETURN(BucketPaths paths, Bucket(bucket, context));
  ASSIGN_OR_RETURN(std::optional<VersionMark> resume,
                   DecodeMark(options.continuation_token, context));
  std::string from = resume ? resume->key : "";
  using Mode = local::KeyWalker::Mode;
  local::KeyWalker objects({paths.dir(), Mode::kObjects, options.prefix, from, true});
  local::KeyWalker history({paths.HistoryRoot(), Mode::kHistory, options.prefix, from, true});
  ASSIGN_OR_RETURN(std::optional<std::string> a, objects.Next());
  ASSIGN_OR_RETURN(std::optional<std::string> b, history.Next());
  VersionPage page;
  VersionMark last;
  while (a || b) {
    std::string key = !b || (a && *a <= *b) ? *a : *b;
    ASSIGN_OR_RETURN(std::vector<VersionItem> versions, VersionsOf(paths, key, context));
    for (VersionItem& item : versions) {
      const std::string& id = item.version.info.version_id;
      bool seen =
          resume && key == resume->key &&
          (item.order > resume->order || (item.order == resume->order && id >= resume->version));
      if (seen) continue;
      if (page.versions.size() == static_cast<size_t>(options.max_keys)) {
        page.next_token = EncodeMark(last);
        return page;
      }
      last = VersionMark{key, item.order, id};
      page.versions.push_back(std::move(item.version));
    }
    if (a && *a == key) {
      ASSIGN_OR_RETURN(a, objects.Next());
    }
    if (b && *b == key) {
      ASSIGN_OR_RETURN(b, history.Next());
    }
  }
  return page;
}

}  // namespace ch
