// Shard parsing, location assignment and partial-document keys.
#include "jobs/predict/shard.h"

#include <fmt/format.h>

#include <charconv>

namespace ch::jobs {
namespace {

bool ParseInt(std::string_view text, int* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

Result<Shard> ParseShard(std::string_view text) {
  size_t slash = text.find('/');
  Shard s;
  if (slash == std::string_view::npos || !ParseInt(text.substr(0, slash), &s.index) ||
      !ParseInt(text.substr(slash + 1), &s.count) || s.count < 1 || s.index < 0 ||
      s.index >= s.count) {
    return Status::InvalidArgument(fmt::format(
        "--shard '{}': expected i/n with 0 <= i < n (e.g. 0/4 is the first of four)", text));
  }
  return s;
}

bool InShard(std::string_view location_code, const Shard& shard) {
  if (shard.count <= 1) return true;
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : location_code) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<int>(h % static_cast<uint64_t>(shard.count)) == shard.index;
}

std::string ShardDocumentKey(std::string_view final_key, const Shard& shard) {
  std::string_view stem = final_key;
  if (stem.ends_with(".json")) stem.remove_suffix(5);
  return fmt::format("{}.shard-{:04d}-of-{:04d}.json", stem, shard.index, shard.count);
}

}  // namespace ch::jobs
