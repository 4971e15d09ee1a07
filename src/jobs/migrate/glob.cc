// Glob matching by backtracking over `*` and `**`, without allocation.
#include "jobs/migrate/glob.h"

#include <string>

namespace ch::migrate {
namespace {

// Matches one bracket set at pattern[p] ('[' already seen at p) against c.
// Returns the index after ']' and whether c matched; npos if unterminated.
size_t MatchSet(std::string_view pattern, size_t p, char c, bool& matched) {
  size_t i = p + 1;
  bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  bool hit = false;
  bool first = true;
  for (; i < pattern.size() && (pattern[i] != ']' || first); ++i, first = false) {
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      auto lo = static_cast<unsigned char>(pattern[i]);
      auto hi = static_cast<unsigned char>(pattern[i + 2]);
      auto uc = static_cast<unsigned char>(c);
      if (uc >= lo && uc <= hi) hit = true;
      i += 2;
    } else if (pattern[i] == c) {
      hit = true;
    }
  }
  if (i >= pattern.size()) return std::string_view::npos;
  matched = (hit != negate) && c != '/';
  return i + 1;
}

bool Match(std::string_view pattern, std::string_view path) {
  size_t p = 0, s = 0;
  while (p < pattern.size()) {
    char pc = pattern[p];
    if (pc == '*') {
      bool deep = p + 1 < pattern.size() && pattern[p + 1] == '*';
      size_t rest = p + (deep ? 2 : 1);
      // "**/" also matches zero directories.
      if (deep && rest < pattern.size() && pattern[rest] == '/' &&
          Match(pattern.substr(rest + 1), path.substr(s))) {
        return true;
      }
      for (size_t k = s;; ++k) {
        if (Match(pattern.substr(rest), path.substr(k))) return true;
        if (k >= path.size() || (!deep && path[k] == '/')) return false;
      }
    }
    if (s >= path.size()) return false;
    if (pc == '?') {
      if (path[s] == '/') return false;
      ++p, ++s;
    } else if (pc == '[') {
      bool matched = false;
      size_t next = MatchSet(pattern, p, path[s], matched);
      if (next == std::string_view::npos) {  // a lone '[' is literal
        if (path[s] != '[') return false;
        ++p, ++s;
      } else {
        if (!matched) return false;
        p = next, ++s;
      }
    } else {
      if (path[s] != pc) return false;
      ++p, ++s;
    }
  }
  return s == path.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  if (!pattern.empty() && pattern.back() == '/') {
    return Match(std::string(pattern) + "**", path);
  }
  return Match(pattern, path);
}

bool PathFilter::Accepts(std::string_view path) const {
  bool included = include_.empty();
  for (const std::string& pattern : include_) {
    if (GlobMatch(pattern, path)) {
      included = true;
      break;
    }
  }
  if (!included) return false;
  for (const std::string& pattern : exclude_) {
    if (GlobMatch(pattern, path)) return false;
  }
  return true;
}

}  // namespace ch::migrate
