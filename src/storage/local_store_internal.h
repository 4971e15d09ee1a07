// Definitions shared by LocalStore's source files; not part of its API.
#pragma once

#include <cstddef>
#include <optional>

#include "storage/local_meta.h"
#include "storage/local_store.h"
#include "storage/posix_file.h"
#include "storage/store_common.h"

namespace ch {
namespace local {

// Buffer size of streamed reads, writes and copies.
inline constexpr size_t kCopyChunk = size_t{1} << 20;

}  // namespace local

// What a key holds now, as seen under the bucket lock.
struct LocalStore::Current {
  bool exists = false;  // a regular file holds the key
  bool is_dir = false;  // a directory holds longer keys ("key/...")
  posix::FileIdentity id;
  std::optional<local::MetaEntry> entry;  // its sidecar entry, when it has one

  // The version id S3 would show: the entry's, or "null".
  std::string VersionId() const {
    return entry && !entry->version_id.empty() ? entry->version_id : "null";
  }
};

}  // namespace ch
