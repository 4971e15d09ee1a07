// Where LocalStore keeps things on disk and which keys it can hold.
//
// Layout of one bucket:
//   <root>/<bucket>/<key>                      the object, a plain file
//   <root>/<bucket>/.climahealth/lock          flock'ed around every commit
//   <root>/<bucket>/.climahealth/tmp/          temp files of writes in flight
//   <root>/<bucket>/.climahealth/meta/<key>    sidecar: ETag, content type, metadata
//   <root>/<bucket>/.climahealth/versions/<k>/@<version>[.json]   prior versions
//   <root>/<bucket>/.climahealth/versioning    "Enabled" or "Suspended"
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ch::local {

// The hidden directory of each bucket; keys under it are refused.
inline constexpr std::string_view kReservedDir = ".climahealth";

// ValidateKey plus what a directory tree needs: no '.', '..' or empty
// segments, no leading or trailing '/', no backslash, segments of at most 255
// bytes, nothing under the reserved directory. InvalidArgument naming the key.
Status ValidateLocalKey(std::string_view key);

// Paths of one bucket's files. Pure string building; no I/O.
class BucketPaths {
 public:
  BucketPaths(const std::string& root, std::string_view bucket);

  const std::string& dir() const { return dir_; }
  const std::string& reserved() const { return reserved_; }
  std::string Object(std::string_view key) const { return dir_ + "/" + std::string(key); }
  std::string MetaRoot() const { return reserved_ + "/meta"; }
  std::string Meta(std::string_view key) const { return MetaRoot() + "/" + std::string(key); }
  std::string TmpDir() const { return reserved_ + "/tmp"; }
  std::string Lock() const { return reserved_ + "/lock"; }
  std::string Versioning() const { return reserved_ + "/versioning"; }
  std::string HistoryRoot() const { return reserved_ + "/versions"; }
  // The directory holding `key`'s prior versions (see EncodeHistoryKey).
  std::string History(std::string_view key) const;
  // A fresh, unique temp file name in TmpDir(): "<pid>-<counter>-<random>".
  std::string NewTempPath() const;

 private:
  std::string dir_;
  std::string reserved_;
};

// The history tree mirrors keys, but a directory there holds both a key's
// versions ("@<id>") and the directories of longer keys, so segments starting
// with '@' or '%' get a '%' in front to keep the two apart.
std::string EncodeHistoryKey(std::string_view key);
std::string DecodeHistorySegment(std::string_view segment);

// A new version id: 16 hex digits of nanoseconds since the epoch, then 8
// random hex digits, so ids of one key sort by creation time.
std::string NewVersionId();

}  // namespace ch::local
