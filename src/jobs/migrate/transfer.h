// One object's work: compare it with its destination, copy it, verify the copy.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "jobs/migrate/cursors.h"
#include "jobs/migrate/digest.h"
#include "jobs/migrate/digest_cache.h"
#include "jobs/migrate/migrate.h"

namespace ch::migrate {

// Shares a bandwidth budget among threads: Acquire(n) sleeps until n more
// bytes fit in the rate. A rate of 0 never sleeps.
class Throttle {
 public:
  explicit Throttle(uint64_t bytes_per_second) : rate_(bytes_per_second) {}
  // Waits until `bytes` more keep to the rate; false if an interrupt cut the wait.
  [[nodiscard]] bool Acquire(uint64_t bytes);
  bool Limited() const { return rate_ > 0; }

 private:
  uint64_t rate_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point next_{};
};

// A source entry with the destination entry of the same key, if any.
struct Task {
  const Mapping* mapping = nullptr;
  Entry source;
  std::optional<Entry> destination;
};

struct Outcome {
  // kCut: stopped by an interrupt, nothing left behind (neither copied nor failed).
  enum Kind { kCopied, kSkipped, kFailed, kCut } kind = kSkipped;
  std::string reason;  // for kFailed
};

// Thread-safe: Process may run on many threads at once.
class Transferer {
 public:
  // `cache` (borrowed, may be null) remembers directory sources' digests.
  Transferer(const Source& source, ObjectStore& destination, const MigrateOptions& options,
             Throttle& throttle, DigestCache* cache)
      : source_(source),
        source_root_(AbsoluteRoot(source.directory)),
        dest_(destination),
        options_(options),
        throttle_(throttle),
        cache_(cache) {}

  // Decides, and in copy mode does, what `task` needs.
  Outcome Process(const Task& task);

  // Source files read to compute a digest for comparison (digest cache misses).
  Tally Hashed() const { return {hashed_files_.load(), hashed_bytes_.load()}; }

  // Names for reports: the source path or bucket/key, and the destination bucket/key.
  std::string SourceName(const Task& task) const;
  ObjectRef DestRef(const Task& task) const;

 private:
  Result<Verdict> Compare(const Task& task);
  Result<Digest> SourceDigest(const Task& task);
  // A source file's digest, from the cache when the file is as it was hashed.
  Result<Digest> FileDigest(const std::string& path);
  void Remember(const std::string& path, const std::optional<FileStamp>& stamp,
                const Digest& digest);
  void CacheTrouble(const Status& status);  // warns once; the run goes on without the cache
  static std::string AbsoluteRoot(const std::filesystem::path& directory);
  DigestLayout Layout() const { return {options_.part_size, options_.multipart_threshold}; }
  Status CopyOnce(const Task& task);
  Status UploadFile(const std::string& path, const ObjectRef& to, uint64_t size);
  Status CopyFromStore(const Task& task, const ObjectRef& from, const ObjectRef& to);
  Status VerifyCopy(const ObjectInfo& written, const Digest& digest, const ObjectRef& to);
  std::string SourcePath(const Task& task) const;
  void AddProgress(uint64_t bytes);

  const Source& source_;
  std::string source_root_;  // absolute, so cache entries do not depend on the working directory
  ObjectStore& dest_;
  const MigrateOptions& options_;
  Throttle& throttle_;
  DigestCache* cache_;
  std::atomic<bool> cache_failed_{false};
  std::atomic<uint64_t> hashed_files_{0};
  std::atomic<uint64_t> hashed_bytes_{0};
};

}  // namespace ch::migrate
