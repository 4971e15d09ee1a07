// DurableBatch: syncfs per file system, renames, syncfs again.
#include "storage/durable_batch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <set>

#include "core/os_error.h"

namespace ch {
namespace {

// syncfs once per file system holding one of `dirs`.
Status SyncFileSystems(const std::set<std::filesystem::path>& dirs) {
  std::set<dev_t> synced;
  for (const std::filesystem::path& dir : dirs) {
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return StatusFromErrno(errno, "open " + dir.string() + " to sync it");
    struct stat st {};
    Status status;
    if (::fstat(fd, &st) != 0) {
      status = StatusFromErrno(errno, "stat " + dir.string());
    } else if (synced.insert(st.st_dev).second && ::syncfs(fd) != 0) {
      status = StatusFromErrno(errno, "sync the file system of " + dir.string());
    }
    ::close(fd);
    RETURN_IF_ERROR(status);
  }
  return Status::Ok();
}

}  // namespace

DurableBatch::~DurableBatch() {
  for (const Pending& p : pending_) ::unlink(p.tmp.c_str());
}

void DurableBatch::Add(std::filesystem::path tmp, std::filesystem::path path, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.push_back(Pending{std::move(tmp), std::move(path)});
  pending_bytes_ += bytes;
}

bool DurableBatch::Full() {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.size() >= limits_.files || pending_bytes_ >= limits_.bytes;
}

DurableBatch::Committed DurableBatch::Commit() {
  std::vector<Pending> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(pending_);
    pending_bytes_ = 0;
  }
  Committed done;
  done.files = batch.size();
  if (batch.empty()) return done;
  std::set<std::filesystem::path> dirs;
  for (const Pending& p : batch) dirs.insert(p.tmp.parent_path());
  if (Status synced = SyncFileSystems(dirs); !synced.ok()) {
    for (const Pending& p : batch) ::unlink(p.tmp.c_str());
    done.failed = batch.size();
    done.status = synced.WithContext(std::to_string(batch.size()) +
                                     " downloaded files not made durable (removed)");
    return done;
  }
  for (const Pending& p : batch) {
    if (::rename(p.tmp.c_str(), p.path.c_str()) == 0) continue;
    Status failed = StatusFromErrno(errno, "rename " + p.tmp.string() + " to " + p.path.string());
    ::unlink(p.tmp.c_str());
    ++done.failed;
    if (done.status.ok()) done.status = failed;
  }
  // The renames themselves: one more sync rather than an fsync per directory.
  if (Status synced = SyncFileSystems(dirs); !synced.ok() && done.status.ok()) {
    done.status = synced;
  }
  return done;
}

}  // namespace ch
