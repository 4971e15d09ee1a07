// KeyWalker: yields the keys stored in a directory tree in ascending byte
// order (the order S3 lists them in), one directory in memory at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace ch::local {

class KeyWalker {
 public:
  enum class Mode {
    // Regular files are keys; the bucket's reserved directory is skipped.
    kObjects,
    // The history tree: every directory may be a key (holding '@' version
    // files) and also hold longer keys; names are decoded from the history
    // encoding. Files are not keys here.
    kHistory,
  };

  struct Options {
    std::string root;  // the tree's top directory
    Mode mode = Mode::kObjects;
    std::string prefix;      // only keys starting with this
    std::string bound;       // only keys after this (empty: from the start)
    bool inclusive = false;  // also the key equal to `bound`
  };

  explicit KeyWalker(Options options);

  // The next key, or std::nullopt at the end. Entries vanishing while the walk
  // runs are skipped, not errors. Symlinks and special files are ignored.
  Result<std::optional<std::string>> Next();

  // From now on only keys strictly after `bound`; whole directories below it
  // are skipped without being read (used to fold common prefixes).
  void RaiseBound(std::string bound);

 private:
  struct Item {
    std::string name;      // decoded key segment
    std::string fs_name;   // the name on disk
    std::string sort;      // name, plus '/' for a subtree: orders like the keys
    bool subtree = false;  // a directory to descend (else a key)
  };
  struct Level {
    std::string key_prefix;  // "" or ending in '/'
    std::string path;        // directory on disk
    std::vector<Item> items;
    size_t pos = 0;
  };

  Status Start();
  // Reads one directory into a new level, keeping only items that can matter.
  Status Push(std::string key_prefix, std::string path);
  bool SubtreeWanted(const std::string& dir_prefix) const;
  bool KeyWanted(const std::string& key) const;

  Options options_;
  bool started_ = false;
  std::vector<Level> stack_;
};

}  // namespace ch::local
