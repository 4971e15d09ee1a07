// POSIX file helpers used by LocalStore; every errno goes through StatusFromErrno.
#include "storage/posix_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <future>
#include <system_error>
#include <utility>

#include "core/os_error.h"

namespace ch::posix {
namespace {

std::string Ctx(std::string_view context, std::string_view what, const std::string& path) {
  std::string out(context);
  out += ": ";
  out += what;
  out += " ";
  out += path;
  return out;
}

int64_t MtimeNs(const struct stat& st) { return TimespecNs(st.st_mtim); }

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = other.Release();
  }
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status UniqueFd::Close(std::string_view context) {
  int fd = Release();
  if (fd >= 0 && ::close(fd) != 0) return StatusFromErrno(errno, std::string(context) + ": close");
  return Status::Ok();
}

Result<UniqueFd> Open(const std::string& path, int flags, mode_t mode, std::string_view context) {
  for (;;) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != EINTR) return StatusFromErrno(errno, Ctx(context, "open", path));
  }
}

Result<FileIdentity> Identify(int fd, std::string_view context) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return StatusFromErrno(errno, std::string(context) + ": fstat");
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(std::string(context) + ": not a regular file");
  }
  return FileIdentity{static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
                      MtimeNs(st)};
}

Result<std::optional<PathStat>> StatPath(const std::string& path, std::string_view context) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<PathStat>();
    return StatusFromErrno(errno, Ctx(context, "stat", path));
  }
  PathStat out;
  out.is_file = S_ISREG(st.st_mode);
  out.is_dir = S_ISDIR(st.st_mode);
  out.id = FileIdentity{static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
                        MtimeNs(st)};
  return std::optional<PathStat>(out);
}

Status WriteAll(int fd, std::string_view bytes, std::string_view context) {
  while (!bytes.empty()) {
    ssize_t put = ::write(fd, bytes.data(), bytes.size());
    if (put < 0) {
      if (errno == EINTR) continue;
      return StatusFromErrno(errno, std::string(context) + ": write");
    }
    bytes.remove_prefix(static_cast<size_t>(put));
  }
  return Status::Ok();
}

Status PwriteAll(int fd, std::string_view bytes, uint64_t at, std::string_view context) {
  while (!bytes.empty()) {
    ssize_t put = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(at));
    if (put < 0) {
      if (errno == EINTR) continue;
      return StatusFromErrno(errno, std::string(context) + ": write");
    }
    bytes.remove_prefix(static_cast<size_t>(put));
    at += static_cast<uint64_t>(put);
  }
  return Status::Ok();
}

void WritebackStarter::Wrote(int fd, uint64_t bytes) {
  written_ += bytes;
  if (written_ - started_ < kWritebackBytes) return;
  ::sync_file_range(fd, static_cast<off_t>(started_), static_cast<off_t>(written_ - started_),
                    SYNC_FILE_RANGE_WRITE);
  started_ = written_;
}

SequentialFileWriter::SequentialFileWriter(int fd, std::string context, bool write_behind)
    : fd_(fd), context_(std::move(context)), write_behind_(write_behind) {}

SequentialFileWriter::~SequentialFileWriter() {
  if (behind_write_.valid()) behind_write_.wait();  // the helper still reads behind_
  std::free(buffer_);
  std::free(behind_);
}

bool SequentialFileWriter::SetDirect(bool on) {
  int flags = ::fcntl(fd_, F_GETFL);
  if (flags < 0) return false;
  flags = on ? (flags | O_DIRECT) : (flags & ~O_DIRECT);
  return ::fcntl(fd_, F_SETFL, flags) == 0;
}

Status SequentialFileWriter::EnsureBuffer(char** buffer) {
  if (*buffer != nullptr) return Status::Ok();
  *buffer = static_cast<char*>(std::aligned_alloc(size_t{2} << 20, kBufferBytes));
  if (*buffer == nullptr) return Status::Internal(context_ + ": out of memory for a buffer");
  AdviseHugePages(*buffer, kBufferBytes);
  return Status::Ok();
}

Status SequentialFileWriter::Write(std::string_view bytes) {
  if (!tried_direct_) {
    // Small files stay plain buffered writes: no staging, no big buffer.
    if (offset_ + bytes.size() < kDirectFrom) return WriteOut(bytes);
    tried_direct_ = true;
    // Up to a block boundary buffered, direct from there on.
    size_t to_boundary = (kAlignment - offset_ % kAlignment) % kAlignment;
    size_t n = std::min(to_boundary, bytes.size());
    RETURN_IF_ERROR(WriteOut(bytes.substr(0, n)));
    bytes.remove_prefix(n);
    direct_ = SetDirect(true);
  }
  if (!direct_) {
    // After a fallback from direct I/O: what the helper has and what was
    // staged go first, so the bytes stay in order.
    RETURN_IF_ERROR(AwaitBehind());
    RETURN_IF_ERROR(WriteBuffered());
    return WriteOut(bytes);
  }
  if (!write_behind_ && used_ == 0 && reinterpret_cast<uintptr_t>(bytes.data()) % kAlignment == 0) {
    // Page-aligned input (see PartBuffers) goes to the disk as it is.
    size_t whole = bytes.size() - bytes.size() % kAlignment;
    if (whole > 0) RETURN_IF_ERROR(WriteOut(bytes.substr(0, whole)));
    bytes.remove_prefix(whole);
  }
  while (!bytes.empty()) {
    RETURN_IF_ERROR(EnsureBuffer(&buffer_));
    size_t take = std::min(bytes.size(), kBufferBytes - used_);
    std::memcpy(buffer_ + used_, bytes.data(), take);
    used_ += take;
    bytes.remove_prefix(take);
    if (used_ == kBufferBytes) RETURN_IF_ERROR(write_behind_ ? StartBehind() : WriteBuffered());
  }
  return Status::Ok();
}

Status SequentialFileWriter::StartBehind() {
  RETURN_IF_ERROR(AwaitBehind());
  std::swap(buffer_, behind_);
  behind_size_ = used_;
  behind_at_ = offset_;
  offset_ += used_;
  used_ = 0;
  try {
    behind_write_ = std::async(std::launch::async, [this] {
      return PwriteAll(fd_, {behind_, behind_size_}, behind_at_, context_);
    });
  } catch (const std::system_error&) {
    // No thread to be had: write it here, as without write-behind.
    std::promise<Status> done;
    done.set_value(PwriteAll(fd_, {behind_, behind_size_}, behind_at_, context_));
    behind_write_ = done.get_future();
  }
  return Status::Ok();
}

Status SequentialFileWriter::AwaitBehind() {
  if (!behind_write_.valid()) return Status::Ok();
  Status st = behind_write_.get();
  if (!st.ok() && direct_) {
    // As in WriteOut: the same bytes again, buffered.
    direct_ = false;
    if (SetDirect(false)) st = PwriteAll(fd_, {behind_, behind_size_}, behind_at_, context_);
  }
  RETURN_IF_ERROR(st);
  if (!direct_) writeback_.Wrote(fd_, behind_size_);
  return Status::Ok();
}

Status SequentialFileWriter::WriteBuffered() {
  if (used_ == 0) return Status::Ok();
  RETURN_IF_ERROR(WriteOut({buffer_, used_}));
  used_ = 0;
  return Status::Ok();
}

Status SequentialFileWriter::WriteOut(std::string_view bytes) {
  Status st = PwriteAll(fd_, bytes, offset_, context_);
  if (!st.ok() && direct_) {
    // A filesystem that takes the flag but not these writes: the same bytes
    // again at the same offset, buffered.
    direct_ = false;
    if (SetDirect(false)) st = PwriteAll(fd_, bytes, offset_, context_);
  }
  RETURN_IF_ERROR(st);
  offset_ += bytes.size();
  if (!direct_) writeback_.Wrote(fd_, bytes.size());
  return Status::Ok();
}

Status SequentialFileWriter::Finish() {
  RETURN_IF_ERROR(AwaitBehind());
  if (used_ == 0) return Status::Ok();
  size_t aligned = direct_ ? used_ - used_ % kAlignment : 0;
  if (aligned > 0) RETURN_IF_ERROR(WriteOut({buffer_, aligned}));
  // The last partial block cannot go direct: O_DIRECT needs whole blocks.
  if (direct_ && SetDirect(false)) direct_ = false;
  if (direct_) return Status::Internal(context_ + ": cannot leave direct I/O for the last bytes");
  RETURN_IF_ERROR(WriteOut({buffer_ + aligned, used_ - aligned}));
  used_ = 0;
  return Status::Ok();
}

Result<size_t> PreadFull(int fd, char* buf, size_t n, uint64_t offset, std::string_view context) {
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(fd, buf + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return StatusFromErrno(errno, std::string(context) + ": read");
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

Result<MappedRange> MappedRange::Map(int fd, uint64_t offset, uint64_t length,
                                     std::string_view context) {
  MappedRange out;
  if (length == 0) return out;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return StatusFromErrno(errno, std::string(context) + ": fstat");
  // Bytes past the end of the file would fault when touched: refuse them here.
  if (static_cast<uint64_t>(st.st_size) < offset + length) {
    return Status::Corruption(std::string(context) + ": the file is shorter than its object");
  }
  const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t start = offset - offset % page;
  const auto mapped = static_cast<size_t>(offset - start + length);
  void* base = ::mmap(nullptr, mapped, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(start));
  if (base == MAP_FAILED) return StatusFromErrno(errno, std::string(context) + ": mmap");
  // The caller reads front to back: read ahead generously.
  ::madvise(base, mapped, MADV_SEQUENTIAL);
  out.base_ = base;
  out.mapped_ = mapped;
  out.data_ = static_cast<const char*>(base) + (offset - start);
  out.length_ = static_cast<size_t>(length);
  return out;
}

MappedRange::~MappedRange() {
  if (base_ != nullptr) ::munmap(base_, mapped_);
}

MappedRange::MappedRange(MappedRange&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      mapped_(std::exchange(other.mapped_, 0)),
      data_(std::exchange(other.data_, nullptr)),
      length_(std::exchange(other.length_, 0)),
      released_(std::exchange(other.released_, 0)) {}

MappedRange& MappedRange::operator=(MappedRange&& other) noexcept {
  if (this != &other) {
    if (base_ != nullptr) ::munmap(base_, mapped_);
    base_ = std::exchange(other.base_, nullptr);
    mapped_ = std::exchange(other.mapped_, 0);
    data_ = std::exchange(other.data_, nullptr);
    length_ = std::exchange(other.length_, 0);
    released_ = std::exchange(other.released_, 0);
  }
  return *this;
}

void MappedRange::Release(uint64_t upto) {
  if (base_ == nullptr) return;
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t end =
      std::min(static_cast<size_t>(data_ - static_cast<const char*>(base_) + upto), mapped_);
  const size_t whole = end - end % page;
  if (whole <= released_) return;
  // Advice only: the data stays in the page cache, the mapping just lets go of it.
  ::madvise(static_cast<char*>(base_) + released_, whole - released_, MADV_DONTNEED);
  released_ = whole;
}

void MappedRange::Populate(uint64_t from, uint64_t n) const {
#ifdef MADV_POPULATE_READ
  if (base_ == nullptr || from >= length_) return;
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  char* base = static_cast<char*>(base_);  // page-aligned, so offsets from it round to pages
  const auto lead = static_cast<size_t>(data_ - base);
  const size_t begin = (lead + from) / page * page;
  const size_t end = lead + static_cast<size_t>(n < length_ - from ? from + n : length_);
  // Advice: a kernel without it, or a file truncated meanwhile, leaves the faults to the reads.
  ::madvise(base + begin, end - begin, MADV_POPULATE_READ);
#else
  (void)from;
  (void)n;
#endif
}

void AdviseHugePages(char* data, size_t n) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kPage = 4096;
  const uintptr_t address = reinterpret_cast<uintptr_t>(data);
  const size_t head = (kPage - address % kPage) % kPage;  // bytes before the first whole page
  const size_t tail = (address + n) % kPage;              // bytes after the last whole page
  // Advice only: a kernel without transparent huge pages just says no.
  if (n > head + tail) ::madvise(data + head, n - head - tail, MADV_HUGEPAGE);
#else
  (void)data;
  (void)n;
#endif
}

Status FsyncDir(const std::string& dir, std::string_view context) {
  ASSIGN_OR_RETURN(UniqueFd fd, Open(dir, O_RDONLY | O_DIRECTORY, 0, context));
  if (::fsync(fd.get()) != 0) return StatusFromErrno(errno, Ctx(context, "fsync", dir));
  return Status::Ok();
}

Result<std::optional<std::string>> ReadSmallFile(const std::string& path,
                                                 std::string_view context) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    return StatusFromErrno(errno, Ctx(context, "open", path));
  }
  UniqueFd owned(fd);
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t got = ::read(fd, buf, sizeof(buf));
    if (got < 0) {
      if (errno == EINTR) continue;
      return StatusFromErrno(errno, Ctx(context, "read", path));
    }
    if (got == 0) break;
    out.append(buf, static_cast<size_t>(got));
  }
  return std::optional<std::string>(std::move(out));
}

Status ReplaceFile(const std::string& path, const std::string& tmp_path, std::string_view bytes,
                   bool durable, std::string_view context) {
  Status st = [&]() -> Status {
    ASSIGN_OR_RETURN(UniqueFd fd, Open(tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0644, context));
    RETURN_IF_ERROR(WriteAll(fd.get(), bytes, Ctx(context, "write", tmp_path)));
    if (durable && ::fsync(fd.get()) != 0) {
      return StatusFromErrno(errno, Ctx(context, "fsync", tmp_path));
    }
    RETURN_IF_ERROR(fd.Close(Ctx(context, "write", tmp_path)));
    if (::rename(tmp_path.c_str(), path.c_str()) != 0) {
      return StatusFromErrno(errno, Ctx(context, "rename to", path));
    }
    return Status::Ok();
  }();
  if (!st.ok()) ::unlink(tmp_path.c_str());
  return st;
}

Status MakeDirs(const std::string& base, std::string_view rel, bool remove_files,
                std::string_view context) {
  std::string path = base;
  size_t start = 0;
  while (start < rel.size()) {
    size_t slash = rel.find('/', start);
    if (slash == std::string_view::npos) slash = rel.size();
    path += '/';
    path.append(rel.substr(start, slash - start));
    start = slash + 1;
    if (::mkdir(path.c_str(), 0755) == 0) continue;
    if (errno != EEXIST) return StatusFromErrno(errno, Ctx(context, "mkdir", path));
    ASSIGN_OR_RETURN(std::optional<PathStat> st, StatPath(path, context));
    if (st && st->is_dir) continue;
    if (remove_files && st && ::unlink(path.c_str()) == 0 && ::mkdir(path.c_str(), 0755) == 0) {
      continue;
    }
    return Status::AlreadyExists(std::string(context) + ": '" + std::string(rel.substr(0, slash)) +
                                 "' is an object, so it cannot also hold keys below it");
  }
  return Status::Ok();
}

void RemoveEmptyParents(const std::string& base, std::string_view rel) {
  for (size_t slash = rel.rfind('/'); slash != std::string_view::npos && slash > 0;
       slash = rel.rfind('/', slash - 1)) {
    std::string dir = base + "/" + std::string(rel.substr(0, slash));
    if (::rmdir(dir.c_str()) != 0) return;  // ENOTEMPTY: another key lives here
  }
}

Result<FileLock> FileLock::Acquire(const std::string& path, bool exclusive,
                                   std::string_view context) {
  ASSIGN_OR_RETURN(UniqueFd fd, Open(path, O_RDWR | O_CREAT, 0644, context));
  for (;;) {
    if (::flock(fd.get(), exclusive ? LOCK_EX : LOCK_SH) == 0) return FileLock(std::move(fd));
    if (errno != EINTR) return StatusFromErrno(errno, Ctx(context, "lock", path));
  }
}

}  // namespace ch::posix
