// Glob patterns for include/exclude filters on slash-separated paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ch::migrate {

// Whether `path` matches `pattern`: `*` matches any run of characters except
// '/', `**` any run including '/', `?` one character except '/', `[abc]` /
// `[a-z]` / `[!a]` one character of a set; anything else matches itself.
// A pattern ending in '/' matches everything below that directory.
bool GlobMatch(std::string_view pattern, std::string_view path);

// Include/exclude decision: with includes, `path` must match one; it must
// match no exclude.
class PathFilter {
 public:
  PathFilter(std::vector<std::string> include, std::vector<std::string> exclude)
      : include_(std::move(include)), exclude_(std::move(exclude)) {}
  bool Accepts(std::string_view path) const;

 private:
  std::vector<std::string> include_;
  std::vector<std::string> exclude_;
};

}  // namespace ch::migrate
