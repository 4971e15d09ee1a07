// Sharding of the prediction jobs: which locations shard i of n computes, and
// where a shard's partial document lives until `--merge` joins them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ch::jobs {

// Shard `index` of `count` (0 <= index < count). {0, 1} is the whole job.
struct Shard {
  int index = 0;
  int count = 1;
  bool whole() const { return count == 1; }
};

// Parses "i/n" (0 <= i < n, n >= 1). InvalidArgument naming the text otherwise.
Result<Shard> ParseShard(std::string_view text);

// Whether `location_code` belongs to `shard`: FNV-1a 64 of the code modulo the
// count, so the split is deterministic, needs no shared location list, and
// every location is in exactly one shard.
bool InShard(std::string_view location_code, const Shard& shard);

// The key of a shard's partial document beside the final one:
// "<kind>/<YYYY-MM-DD>/<name>.json" -> "<kind>/<YYYY-MM-DD>/<name>.shard-0003-of-0008.json".
std::string ShardDocumentKey(std::string_view final_key, const Shard& shard);

}  // namespace ch::jobs
