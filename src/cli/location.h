// Command-line object references: "s3://bucket/key" or a local path (awscli style).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch::cli {

// A parsed command-line argument: an object (or prefix) in the store, or a
// path on the local file system. "-" is standard input/output.
struct Location {
  bool is_object = false;
  std::string bucket;  // as typed: a logical name (raw, processed, models) or a real bucket
  std::string key;     // may be empty (the whole bucket) or end in '/' (a prefix)
  std::filesystem::path path;

  bool IsStdio() const { return !is_object && path == "-"; }
};

// Parses `text`. "s3://" with no bucket, or an empty argument, is
// InvalidArgument naming the argument.
Result<Location> ParseLocation(std::string_view text);

// Where a recursive download writes the object `key`, listed under `prefix`:
// `dir` joined with the rest of the key. A key the server returns may say
// anything, so a rest that is absolute or has a ".." component (it would land
// outside `dir`), a "." or empty ("//") component (another key's file), or a
// NUL is InvalidArgument naming the key and `dir`; so is an empty rest.
Result<std::filesystem::path> LocalPathForKey(const std::filesystem::path& dir,
                                              std::string_view prefix, std::string_view key);

}  // namespace ch::cli
