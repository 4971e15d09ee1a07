// A persistent record of source files' digests (SQLite), so that a re-run
// compares content without reading every file again.
//
// Why this still compares by content: an entry is used only while the file
// has the identity and change stamps it had when its bytes were hashed
// (device, inode, size, modification and status-change times to the
// nanosecond) and for the same multipart layout. Any write to a file moves
// its status-change time (ctime), which no user tool can set back, so a hit
// means "the bytes that were hashed". `migrate --verify` never consults it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.h"
#include "jobs/migrate/digest.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ch::migrate {

// What identifies one state of a file's bytes.
struct FileStamp {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;

  bool operator==(const FileStamp&) const = default;
};

// The stamp of an open file, or of the file at a path.
Result<FileStamp> StampOf(int fd);
Result<FileStamp> StampOf(const std::string& path);

// The multipart layout a digest was computed for.
struct DigestLayout {
  uint64_t part_size = 0;
  uint64_t threshold = 0;
};

// Thread-safe. Writes are batched into transactions; Flush (and the
// destructor) commits them. Several processes may share one file: SQLite
// locks it, and a writer waits up to a few seconds for another.
class DigestCache {
 public:
  // Opens or creates the cache at `file` (and its directory). A file that is
  // not a cache of this version is recreated; one that cannot be opened is
  // an IOError naming it.
  static Result<std::unique_ptr<DigestCache>> Open(const std::filesystem::path& file);
  ~DigestCache();
  DigestCache(const DigestCache&) = delete;
  DigestCache& operator=(const DigestCache&) = delete;

  // The digest recorded for `path` in exactly this state and layout.
  Result<std::optional<Digest>> Find(const std::string& path, const FileStamp& stamp,
                                     const DigestLayout& layout);

  // Records `digest` as the content of `path` in state `stamp`.
  Status Remember(const std::string& path, const FileStamp& stamp, const DigestLayout& layout,
                  const Digest& digest);

  // Commits what Remember recorded.
  Status Flush();

  // The default location: $XDG_CACHE_HOME/climahealth/migrate-digests.sqlite3,
  // else ~/.cache/climahealth/...; empty when neither variable is set.
  static std::filesystem::path DefaultFile();

 private:
  explicit DigestCache(std::filesystem::path file) : file_(std::move(file)) {}
  Status Exec(const char* sql);
  Status Error(std::string_view what) const;
  Status CommitLocked();

  std::filesystem::path file_;
  std::mutex mu_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* find_ = nullptr;
  sqlite3_stmt* remember_ = nullptr;
  int pending_ = 0;  // rows written in the open transaction
};

// A source file's digest or bytes with the stamp it had throughout the read.
// `stamp` is empty when the file changed while it was read, or so shortly
// before that a change in the same timestamp tick cannot be ruled out: such
// a result is right for this run but must not be remembered.
struct StampedDigest {
  Digest digest;
  std::optional<FileStamp> stamp;
};
struct StampedBytes {
  std::string bytes;
  std::optional<FileStamp> stamp;
};
Result<StampedDigest> HashFileStamped(const std::string& path, const DigestLayout& layout);
Result<StampedBytes> ReadFileStamped(const std::string& path);

}  // namespace ch::migrate
