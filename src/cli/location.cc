// Parsing of awscli-style object references.
#include "cli/location.h"

#include <algorithm>

namespace ch::cli {

Result<Location> ParseLocation(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("an empty path or s3:// URI was given");
  Location loc;
  constexpr std::string_view kScheme = "s3://";
  if (text.substr(0, kScheme.size()) != kScheme) {
    loc.path = std::filesystem::path(std::string(text));
    return loc;
  }
  std::string_view rest = text.substr(kScheme.size());
  size_t slash = rest.find('/');
  loc.is_object = true;
  loc.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) loc.key = std::string(rest.substr(slash + 1));
  if (loc.bucket.empty()) {
    return Status::InvalidArgument("'" + std::string(text) + "' names no bucket (s3://bucket/key)");
  }
  return loc;
}

Result<std::filesystem::path> LocalPathForKey(const std::filesystem::path& dir,
                                              std::string_view prefix, std::string_view key) {
  auto refuse = [&](std::string_view why) {
    return Status::InvalidArgument("key '" + std::string(key) + "' " + std::string(why) +
                                   "; not written under " + dir.string());
  };
  if (!key.starts_with(prefix)) {
    return refuse("is not under the prefix '" + std::string(prefix) + "'");
  }
  std::string_view rest = key.substr(prefix.size());
  if (rest.empty()) return refuse("is the prefix itself, with no name below it");
  if (rest.front() == '/') return refuse("would name an absolute path");
  if (rest.find('\0') != std::string_view::npos) return refuse("holds a NUL byte");
  for (size_t start = 0; start <= rest.size();) {
    size_t end = std::min(rest.find('/', start), rest.size());
    std::string_view part = rest.substr(start, end - start);
    if (part == ".." || part == ".") return refuse("has a '" + std::string(part) + "' component");
    if (part.empty() && end != rest.size()) return refuse("has an empty path component ('//')");
    start = end + 1;
  }
  return dir / std::string(rest);
}

}  // namespace ch::cli
