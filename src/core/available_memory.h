// How much memory this process may still use: the kernel's MemAvailable,
// lowered to what the process's cgroup (a container's limit) has left.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ch {

// Bytes available now, or std::nullopt where none of the sources is readable.
std::optional<uint64_t> AvailableMemoryBytes();

// The parts, for tests. MemAvailable from /proc/meminfo's text.
std::optional<uint64_t> ParseMemAvailable(std::string_view meminfo);
// What a cgroup has left from its limit and usage files ("max" or a huge v1
// value: no limit, std::nullopt).
std::optional<uint64_t> CgroupRemaining(std::string_view limit, std::string_view usage);
// The process's cgroup path from /proc/self/cgroup: for `controller` ""
// the cgroup v2 line ("0::/path"), else the v1 line naming that controller
// ("4:memory:/path").
std::optional<std::string_view> CgroupPath(std::string_view self_cgroup,
                                           std::string_view controller);

}  // namespace ch
