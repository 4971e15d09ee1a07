// Group commit for many new files: one syncfs instead of an fsync per file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <vector>

#include "core/status.h"

namespace ch {

// Makes many newly written files durable together. Each file is written
// whole to a temp name beside its final path and closed without an fsync,
// then Add()ed; Commit() syncs their file systems once (syncfs), renames every
// temp into place, and syncs again so the renames are durable too. A file
// thus appears whole or not at all, as with a per-file fsync, at a fraction
// of the cost: on a recursive download of small files the per-file fsync
// (each writing its inode's table block synchronously) was the largest share
// of the client's CPU. A crash before Commit leaves only temp files.
// Thread-safe; Commit may run on any thread, and several may run at once.
class DurableBatch {
 public:
  // When Full() turns true: the files or bytes waiting.
  struct Limits {
    size_t files = 512;
    uint64_t bytes = 256ull << 20;
  };
  struct Committed {
    size_t files = 0;   // files taken by this Commit
    size_t failed = 0;  // of those, not made durable (their temps are removed)
    Status status;      // the first failure, naming its file
  };

  DurableBatch() = default;
  explicit DurableBatch(Limits limits) : limits_(limits) {}
  // Whatever was never committed is removed (its temps unlinked): an
  // uncommitted file must not appear.
  ~DurableBatch();
  DurableBatch(const DurableBatch&) = delete;
  DurableBatch& operator=(const DurableBatch&) = delete;

  // Queues `tmp` (closed, whole) to be renamed to `path` by the next Commit.
  void Add(std::filesystem::path tmp, std::filesystem::path path, uint64_t bytes);
  // Whether enough waits that a caller should Commit now.
  bool Full();
  // Commits everything queued so far (see the class comment).
  Committed Commit();

 private:
  struct Pending {
    std::filesystem::path tmp;
    std::filesystem::path path;
  };

  Limits limits_;
  std::mutex mu_;
  std::vector<Pending> pending_;
  uint64_t pending_bytes_ = 0;
};

}  // namespace ch
