// Parsing of awscli-style object references.
#include "cli/location.h"

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

}  // namespace ch::cli
