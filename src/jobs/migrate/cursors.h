// Pull cursors that yield a directory tree's files or a store's objects in
// ascending key order, holding one directory or one listing page at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch::migrate {

// One entry of a source or destination walk. `rel` is the key below the
// walked prefix, with '/' separators.
struct Entry {
  std::string rel;
  uint64_t size = 0;
  std::string etag;  // store entries only
};

class EntryCursor {
 public:
  virtual ~EntryCursor() = default;
  // The next entry, or std::nullopt at the end.
  virtual Result<std::optional<Entry>> Next() = 0;
};

// Regular files (and symlinks to them) below `root`, sorted as their
// relative paths compare bytewise. A missing root yields nothing.
std::unique_ptr<EntryCursor> WalkDirectory(std::string root);

// Objects of `bucket` under `prefix`, page by page.
std::unique_ptr<EntryCursor> WalkStore(ObjectStore& store, std::string bucket, std::string prefix);

}  // namespace ch::migrate
