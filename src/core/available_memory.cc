// AvailableMemoryBytes from /proc/meminfo and the cgroup v2 or v1 files.
#include "core/available_memory.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace ch {
namespace {

// cgroup v1 reports "no limit" as a page-rounded LONG_MAX; anything this big
// is no limit.
constexpr uint64_t kNoLimit = uint64_t{1} << 60;

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<uint64_t> ParseUnsigned(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr == s.data()) return std::nullopt;
  return v;
}

std::optional<uint64_t> Min(std::optional<uint64_t> a, std::optional<uint64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

}  // namespace

std::optional<uint64_t> ParseMemAvailable(std::string_view meminfo) {
  constexpr std::string_view kKey = "MemAvailable:";
  const size_t at = meminfo.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  std::optional<uint64_t> kib = ParseUnsigned(meminfo.substr(at + kKey.size()));
  if (!kib) return std::nullopt;
  return *kib * 1024;
}

std::optional<uint64_t> CgroupRemaining(std::string_view limit, std::string_view usage) {
  std::optional<uint64_t> max = ParseUnsigned(limit);
  if (!max || *max >= kNoLimit) return std::nullopt;  // "max" does not parse: no limit
  const uint64_t used = ParseUnsigned(usage).value_or(0);
  return used >= *max ? 0 : *max - used;
}

std::optional<std::string_view> CgroupPath(std::string_view self_cgroup,
                                           std::string_view controller) {
  size_t start = 0;
  while (start < self_cgroup.size()) {
    size_t end = self_cgroup.find('\n', start);
    if (end == std::string_view::npos) end = self_cgroup.size();
    const std::string_view line = self_cgroup.substr(start, end - start);
    start = end + 1;
    const size_t first = line.find(':');
    const size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const std::string_view hierarchy = line.substr(0, first);
    std::string_view list = line.substr(first + 1, second - first - 1);
    if (controller.empty()) {
      if (hierarchy == "0" && list.empty()) return line.substr(second + 1);
      continue;
    }
    while (!list.empty()) {  // "cpu,memory": one of the comma-separated names
      const size_t comma = std::min(list.find(','), list.size());
      if (list.substr(0, comma) == controller) return line.substr(second + 1);
      list.remove_prefix(std::min(comma + 1, list.size()));
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> AvailableMemoryBytes() {
  std::optional<uint64_t> available;
  if (std::optional<std::string> meminfo = ReadFile("/proc/meminfo")) {
    available = ParseMemAvailable(*meminfo);
  }
  // The first limit found: cgroup v2 (mounted alone or beside v1), then v1.
  std::optional<std::string> self = ReadFile("/proc/self/cgroup");
  struct Place {
    std::string_view controller;
    std::string_view mount;
    std::string_view limit;
    std::string_view usage;
  };
  constexpr Place kPlaces[] = {
      {"", "/sys/fs/cgroup", "memory.max", "memory.current"},
      {"", "/sys/fs/cgroup/unified", "memory.max", "memory.current"},
      {"memory", "/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"}};
  for (const Place& place : kPlaces) {
    const std::optional<std::string_view> path =
        self ? CgroupPath(*self, place.controller) : std::nullopt;
    if (!path) continue;
    const std::string dir = std::string(place.mount) + std::string(*path);
    const std::optional<std::string> limit = ReadFile(dir + "/" + std::string(place.limit));
    if (!limit) continue;
    const std::optional<std::string> usage = ReadFile(dir + "/" + std::string(place.usage));
    return Min(available, CgroupRemaining(*limit, usage.value_or("")));
  }
  return available;
}

}  // namespace ch
