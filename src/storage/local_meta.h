// LocalStore's metadata sidecars: what S3 keeps beside an object's bytes.
//
// A sidecar lists up to two entries, each bound to the file contents it
// describes by FileIdentity (inode, size, mtime). A write publishes the
// sidecar {old, new} first and renames the object second, so whichever
// object a reader (or a crash) sees, the sidecar has its entry: the two
// renames need not be atomic together.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/object_store.h"
#include "storage/posix_file.h"

namespace ch::local {

inline constexpr std::string_view kDefaultContentType = "application/octet-stream";

struct MetaEntry {
  posix::FileIdentity id;  // zero for delete markers
  std::string etag;
  std::string content_type;
  Metadata metadata;
  std::string version_id;  // empty: the "null" version of an unversioned write
  int64_t created_ns = 0;  // orders the versions of one key
  bool delete_marker = false;
};

std::string SerializeMeta(const std::vector<MetaEntry>& entries);
// Corruption naming `context` when the text is not a sidecar.
Result<std::vector<MetaEntry>> ParseMeta(std::string_view text, std::string_view context);

// The entry describing the file with identity `id`, or nullptr.
const MetaEntry* FindEntry(const std::vector<MetaEntry>& entries, const posix::FileIdentity& id);

// Content type defaulted and metadata names lower-cased, as S3 stores them.
std::string NormalizeContentType(std::string_view content_type);
Metadata NormalizeMetadata(const Metadata& metadata);

// Nanoseconds since the epoch, now.
int64_t NowNs();
TimePoint FromNs(int64_t ns);

// Builds the ObjectInfo of `key` from its entry and file identity.
ObjectInfo InfoFrom(std::string_view key, const MetaEntry& entry);

}  // namespace ch::local
