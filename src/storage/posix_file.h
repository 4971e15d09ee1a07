// Small POSIX file helpers for LocalStore: owned descriptors, full reads and
// writes, directory fsync, advisory locks and atomic small-file replacement.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <future>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ch::posix {

// Owns one file descriptor and closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset();
  // Closes now and reports the close error (which Reset swallows).
  Status Close(std::string_view context);

 private:
  int fd_ = -1;
};

// What identifies one file's contents: rename and link keep all three.
struct FileIdentity {
  uint64_t ino = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

// lstat-like facts about a path.
struct PathStat {
  bool is_file = false;
  bool is_dir = false;
  FileIdentity id;
};

// A stat(2) time as nanoseconds since the epoch.
inline int64_t TimespecNs(const timespec& t) {
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// open(2) with O_CLOEXEC, retried on EINTR. Errors name `context` and the path.
Result<UniqueFd> Open(const std::string& path, int flags, mode_t mode, std::string_view context);
// fstat → identity (regular files only; InvalidArgument otherwise).
Result<FileIdentity> Identify(int fd, std::string_view context);
// lstat; std::nullopt when the path (or a parent) does not exist.
Result<std::optional<PathStat>> StatPath(const std::string& path, std::string_view context);

// Writes all of `bytes`, retrying short writes and EINTR.
Status WriteAll(int fd, std::string_view bytes, std::string_view context);
// Writes all of `bytes` at offset `at`, retrying short writes and EINTR.
Status PwriteAll(int fd, std::string_view bytes, uint64_t at, std::string_view context);

// Starts the disk writeback of every few MiB of a file as it is written, so
// the fsync before its rename waits for the last few MiB rather than the
// whole file (for 1 GiB that fsync alone took 1.6 s). Only a hint: write
// errors surface at the fsync.
class WritebackStarter {
 public:
  // Call after `bytes` more were written to `fd`.
  void Wrote(int fd, uint64_t bytes);

 private:
  static constexpr uint64_t kWritebackBytes = uint64_t{8} << 20;
  uint64_t written_ = 0;
  uint64_t started_ = 0;
};

// Writes a new file front to back; from 8 MiB on, with O_DIRECT where
// the filesystem allows it: the bytes then go to the disk without a copy into
// the page cache, which was most of a large download's CPU (the cache's fresh
// pages are costly to fill, most of all in a VM). Page-aligned input (see
// PartBuffers) is written as it is; other input is staged in one reused,
// aligned buffer, and the last partial block goes buffered. Where O_DIRECT is
// refused the writes stay buffered, their writeback started as they land.
//
// A direct write returns only when the disk has the bytes. With
// `write_behind`, all input is staged and each full buffer is written by a
// helper thread while the caller fills the next one, so a writer that also
// computes (an MD5) overlaps the two instead of waiting on the disk.
// The file must be empty and written by nothing else meanwhile. Not thread-safe.
class SequentialFileWriter {
 public:
  SequentialFileWriter(int fd, std::string context, bool write_behind = false);
  ~SequentialFileWriter();
  SequentialFileWriter(const SequentialFileWriter&) = delete;
  SequentialFileWriter& operator=(const SequentialFileWriter&) = delete;

  Status Write(std::string_view bytes);
  // Writes what is still buffered. Call once, after the last Write and
  // before the fsync that makes the file durable.
  Status Finish();

  static constexpr uint64_t kDirectFrom = uint64_t{8} << 20;  // bytes before direct I/O
  static constexpr size_t kBufferBytes = size_t{8} << 20;
  static constexpr size_t kAlignment = 4096;  // covers every common logical block size

 private:
  Status WriteOut(std::string_view bytes);
  Status WriteBuffered();  // writes out the buffer's bytes (whole blocks when direct)
  Status StartBehind();    // hands the full buffer to the helper thread
  Status AwaitBehind();    // the helper's last write, redone buffered if direct I/O failed
  bool SetDirect(bool on);
  Status EnsureBuffer(char** buffer);

  int fd_;
  std::string context_;
  bool write_behind_;
  char* buffer_ = nullptr;
  size_t used_ = 0;
  uint64_t offset_ = 0;  // bytes written out (or handed to the helper) so far
  bool tried_direct_ = false;
  bool direct_ = false;
  WritebackStarter writeback_;
  // Write-behind: the buffer being written, its extent, and the write.
  char* behind_ = nullptr;
  size_t behind_size_ = 0;
  uint64_t behind_at_ = 0;
  std::future<Status> behind_write_;
};

// Reads up to `n` bytes at `offset`, stopping early only at end of file.
Result<size_t> PreadFull(int fd, char* buf, size_t n, uint64_t offset, std::string_view context);
// A read-only shared mapping of [offset, offset + length) of a regular file,
// unmapped on destruction. Move-only. Streaming a large object through views
// of the page cache saves read(2)'s copy of every byte. The store replaces
// objects by rename and never truncates one in place, so a mapped file does
// not shrink under the reader (an outside truncation would raise SIGBUS, as
// for any program that maps files).
class MappedRange {
 public:
  static Result<MappedRange> Map(int fd, uint64_t offset, uint64_t length,
                                 std::string_view context);
  MappedRange() = default;
  ~MappedRange();
  MappedRange(MappedRange&& other) noexcept;
  MappedRange& operator=(MappedRange&& other) noexcept;
  MappedRange(const MappedRange&) = delete;
  MappedRange& operator=(const MappedRange&) = delete;

  std::string_view bytes() const { return {data_, length_}; }
  // Drops the page mappings of bytes [0, upto) (the page cache keeps the
  // data), so a long sequential read holds only its window in memory.
  void Release(uint64_t upto);
  // Maps in bytes [from, from + n) in one call, as the reader is about to
  // touch them all: a page fault per 64 KiB costs more, most of all in a VM.
  // Advice only: where unsupported the faults happen as before.
  void Populate(uint64_t from, uint64_t n) const;

 private:
  void* base_ = nullptr;  // page-aligned start of the mapping
  size_t mapped_ = 0;     // bytes mapped from base_
  const char* data_ = nullptr;
  size_t length_ = 0;
  size_t released_ = 0;  // bytes of the mapping (from base_) already dropped
};

// Asks the kernel to back [data, data + n) with huge pages before it is first
// touched; a large read buffer then costs a few hundred page faults instead of
// one per 4 KiB. Only the whole pages inside the range are advised. No-op
// where unsupported.
void AdviseHugePages(char* data, size_t n);

// fsync of the directory itself, so a rename or unlink in it is durable.
Status FsyncDir(const std::string& dir, std::string_view context);

// Whole small file, or std::nullopt when it does not exist.
Result<std::optional<std::string>> ReadSmallFile(const std::string& path, std::string_view context);
// Replaces `path` with `bytes` atomically: writes `tmp_path`, fsyncs it when
// `durable`, renames it over `path`. The temp file is removed on failure.
Status ReplaceFile(const std::string& path, const std::string& tmp_path, std::string_view bytes,
                   bool durable, std::string_view context);

// Creates every directory from `base` (which must exist) down to
// `base + "/" + rel`. A regular file in the way is AlreadyExists naming it,
// unless `remove_files` (then it is deleted: for derived trees whose stale
// files may be replaced).
Status MakeDirs(const std::string& base, std::string_view rel, bool remove_files,
                std::string_view context);
// Removes the now-empty directories of `rel`'s parents, deepest first, up to
// (not including) `base`. Stops at the first one still holding entries.
void RemoveEmptyParents(const std::string& base, std::string_view rel);

// An flock(2) held on a lock file; released on destruction. flock locks
// belong to the open file description, so threads of one process exclude each
// other too, and a killed process releases its locks.
class FileLock {
 public:
  static Result<FileLock> Acquire(const std::string& path, bool exclusive,
                                  std::string_view context);

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace ch::posix
