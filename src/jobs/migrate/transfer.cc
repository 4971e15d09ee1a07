// Compare, copy and verify one object; throttling of the bytes sent.
#include "jobs/migrate/transfer.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>

#include "core/interrupt.h"
#include "core/os_error.h"
#include "obs/log.h"

namespace ch::migrate {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kSmallObject = 8ull << 20;  // read whole into memory up to this

std::string GuessContentType(std::string_view key) {
  auto ends = [&](std::string_view s) { return key.ends_with(s); };
  if (ends(".csv")) return "text/csv";
  if (ends(".json")) return "application/json";
  if (ends(".gz")) return "application/gzip";
  if (ends(".zst")) return "application/zstd";
  if (ends(".ubj")) return "application/ubjson";
  return "";
}

bool Retryable(const Status& s) {
  switch (s.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kCorruption:
    case StatusCode::kIOError:
    case StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

// A file as a ByteSource, throttled, reporting bytes as they are read.
class FileSource final : public ByteSource {
 public:
  FileSource(int fd, uint64_t size, Throttle& throttle, std::function<void(uint64_t)> progress)
      : fd_(fd), size_(size), throttle_(throttle), progress_(std::move(progress)) {}
  ~FileSource() override { ::close(fd_); }

  Result<size_t> Read(char* buf, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, buf, n);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return StatusFromErrno(errno, "read source file");
      if (!throttle_.Acquire(static_cast<uint64_t>(got))) return InterruptedStatus("read source");
      progress_(static_cast<uint64_t>(got));
      return static_cast<size_t>(got);
    }
  }
  std::optional<uint64_t> Size() const override { return size_; }

 private:
  int fd_;
  uint64_t size_;
  Throttle& throttle_;
  std::function<void(uint64_t)> progress_;
};

Digest DigestOf(std::string_view bytes, uint64_t part_size, uint64_t threshold) {
  DigestBuilder builder(bytes.size(), part_size, threshold);
  builder.Update(bytes);
  return builder.Finish();
}

}  // namespace

bool Throttle::Acquire(uint64_t bytes) {
  if (rate_ == 0 || bytes == 0) return true;
  Clock::time_point now = Clock::now();
  Clock::time_point wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    constexpr auto kBurst = std::chrono::milliseconds(100);
    if (next_ < now - kBurst) next_ = now - kBurst;
    next_ += std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(static_cast<double>(bytes) / static_cast<double>(rate_)));
    wake = next_;
  }
  if (wake <= now) return true;
  return SleepUnlessInterrupted(std::chrono::ceil<std::chrono::milliseconds>(wake - now));
}

std::string Transferer::SourceName(const Task& task) const {
  const Mapping& m = *task.mapping;
  if (source_.store != nullptr) return m.from_bucket + "/" + m.from_prefix + task.source.rel;
  return m.from_prefix + task.source.rel;
}

std::string Transferer::AbsoluteRoot(const std::filesystem::path& directory) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(directory, ec);
  return ec ? directory.string() : absolute.string();
}

std::string Transferer::SourcePath(const Task& task) const {
  return source_root_ + "/" + task.mapping->from_prefix + task.source.rel;
}

ObjectRef Transferer::DestRef(const Task& task) const {
  return ObjectRef{task.mapping->to_bucket, task.mapping->to_prefix + task.source.rel, ""};
}

void Transferer::AddProgress(uint64_t bytes) {
  if (options_.progress != nullptr) options_.progress->done_bytes += bytes;
}

Outcome Transferer::Process(const Task& task) {
  const bool verify = options_.mode == Mode::kVerify;
  if (task.destination && task.destination->size == task.source.size) {
    Result<Verdict> verdict = Compare(task);
    if (!verdict.ok()) {
      if (verdict.status().IsCancelled()) return Outcome{Outcome::kCut, ""};
      return Outcome{Outcome::kFailed, verdict.status().ToString()};
    }
    if (*verdict == Verdict::kEqual) return Outcome{Outcome::kSkipped, ""};
    if (verify) return Outcome{Outcome::kFailed, "content differs from the source (checksum)"};
    if (options_.progress != nullptr) {
      ++options_.progress->planned_files;
      options_.progress->planned_bytes += task.source.size;
    }
  } else if (verify) {
    if (!task.destination) return Outcome{Outcome::kFailed, "missing at the destination"};
    return Outcome{Outcome::kFailed, "size differs: source " + std::to_string(task.source.size) +
                                         " bytes, destination " +
                                         std::to_string(task.destination->size)};
  }
  if (options_.mode == Mode::kDryRun) return Outcome{Outcome::kCopied, ""};
  Status last;
  for (int attempt = 0; attempt < std::max(1, options_.attempts); ++attempt) {
    last = CopyOnce(task);
    if (last.ok()) return Outcome{Outcome::kCopied, ""};
    if (!Retryable(last)) break;
  }
  if (last.IsCancelled()) return Outcome{Outcome::kCut, ""};
  return Outcome{Outcome::kFailed, last.ToString()};
}

Result<Verdict> Transferer::Compare(const Task& task) {
  const Entry& dest = *task.destination;
  if (source_.store != nullptr && !task.source.etag.empty() && task.source.etag == dest.etag) {
    return Verdict::kEqual;
  }
  ASSIGN_OR_RETURN(Digest digest, SourceDigest(task));
  Verdict verdict = JudgeEtag(dest.etag, digest);
  if (verdict != Verdict::kUnknown) return verdict;
  ObjectRef to = DestRef(task);
  ASSIGN_OR_RETURN(ObjectInfo head, dest_.Head(to));
  auto recorded = head.metadata.find(kMd5MetadataKey);
  if (recorded != head.metadata.end()) {
    return recorded->second == digest.md5 ? Verdict::kEqual : Verdict::kDifferent;
  }
  if (options_.mode != Mode::kVerify) return Verdict::kDifferent;  // unknowable: copy again
  ASSIGN_OR_RETURN(Digest back, HashObject(dest_, to, dest.size, options_.part_size,
                                           options_.multipart_threshold));
  return back.md5 == digest.md5 ? Verdict::kEqual : Verdict::kDifferent;
}

void Transferer::CacheTrouble(const Status& status) {
  // Once it fails it is left alone: a cache locked by another process would
  // otherwise cost a lock timeout per file.
  if (cache_failed_.exchange(true)) return;
  obs::LogWarn("migrate: the digest cache failed; the rest of the run hashes every file",
               {{"error", status.ToString()}});
}

void Transferer::Remember(const std::string& path, const std::optional<FileStamp>& stamp,
                          const Digest& digest) {
  if (cache_ == nullptr || cache_failed_ || !stamp) return;
  Status s = cache_->Remember(path, *stamp, Layout(), digest);
  if (!s.ok()) CacheTrouble(s);
}

Result<Digest> Transferer::FileDigest(const std::string& path) {
  if (cache_ != nullptr && !cache_failed_) {
    ASSIGN_OR_RETURN(FileStamp stamp, StampOf(path));
    Result<std::optional<Digest>> hit = cache_->Find(path, stamp, Layout());
    if (!hit.ok()) CacheTrouble(hit.status());
    if (hit.ok() && *hit) return std::move(**hit);
  }
  ASSIGN_OR_RETURN(StampedDigest hashed, HashFileStamped(path, Layout()));
  ++hashed_files_;
  hashed_bytes_ += hashed.digest.size;
  Remember(path, hashed.stamp, hashed.digest);
  return std::move(hashed.digest);
}

Result<Digest> Transferer::SourceDigest(const Task& task) {
  if (source_.store == nullptr) return FileDigest(SourcePath(task));
  const Mapping& m = *task.mapping;
  ObjectRef from{m.from_bucket, m.from_prefix + task.source.rel, ""};
  if (IsPlainMd5(task.source.etag)) return Digest{task.source.etag, "", task.source.size};
  ASSIGN_OR_RETURN(ObjectInfo head, source_.store->Head(from));
  auto recorded = head.metadata.find(kMd5MetadataKey);
  if (recorded != head.metadata.end()) return Digest{recorded->second, "", head.size};
  return HashObject(*source_.store, from, head.size, options_.part_size,
                    options_.multipart_threshold);
}

Status Transferer::CopyOnce(const Task& task) {
  ObjectRef to = DestRef(task);
  if (source_.store == nullptr) return UploadFile(SourcePath(task), to, task.source.size);
  const Mapping& m = *task.mapping;
  return CopyFromStore(task, ObjectRef{m.from_bucket, m.from_prefix + task.source.rel, ""}, to);
}

Status Transferer::UploadFile(const std::string& path, const ObjectRef& to, uint64_t size) {
  PutOptions put;
  put.content_type = GuessContentType(to.key);
  if (size <= std::min(kSmallObject, options_.multipart_threshold)) {
    ASSIGN_OR_RETURN(StampedBytes file, ReadFileStamped(path));
    const std::string& bytes = file.bytes;
    Digest digest = DigestOf(bytes, options_.part_size, options_.multipart_threshold);
    Remember(path, file.stamp, digest);
    put.metadata[kMd5MetadataKey] = digest.md5;
    put.content_md5 = digest.md5;
    if (!throttle_.Acquire(bytes.size())) return InterruptedStatus("put " + to.ToString());
    ASSIGN_OR_RETURN(ObjectInfo info, dest_.Put(to, bytes, put));
    AddProgress(bytes.size());
    return VerifyCopy(info, digest, to);
  }
  ASSIGN_OR_RETURN(Digest digest, FileDigest(path));
  put.metadata[kMd5MetadataKey] = digest.md5;
  if (!throttle_.Limited()) {
    // The store reads the file itself: an S3 store sends parts straight from
    // it, with no part buffers. A file changed since its digest fails VerifyCopy.
    put.progress = [this](uint64_t n) { AddProgress(n); };
    ASSIGN_OR_RETURN(ObjectInfo info, dest_.PutFile(to, path, put));
    return VerifyCopy(info, digest, to);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return StatusFromErrno(errno, "read " + path);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  FileSource source(fd, digest.size, throttle_, [this](uint64_t n) { AddProgress(n); });
  ASSIGN_OR_RETURN(ObjectInfo info, dest_.PutStream(to, source, put));
  return VerifyCopy(info, digest, to);
}

Status Transferer::CopyFromStore(const Task& task, const ObjectRef& from, const ObjectRef& to) {
  if (source_.store == &dest_) {  // same store: server-side copy
    ASSIGN_OR_RETURN(ObjectInfo info, dest_.Copy(from, to));
    AddProgress(info.size);
    if (!task.source.etag.empty() && info.etag == task.source.etag) return Status::Ok();
    ASSIGN_OR_RETURN(Digest digest, SourceDigest(task));
    return VerifyCopy(info, digest, to);
  }
  if (task.source.size <= kSmallObject) {
    ASSIGN_OR_RETURN(std::string bytes, source_.store->Get(from));
    Digest digest = DigestOf(bytes, options_.part_size, options_.multipart_threshold);
    if (IsPlainMd5(task.source.etag) && task.source.etag != digest.md5) {
      return Status::Corruption("read " + from.ToString() + ": bytes do not match its ETag");
    }
    PutOptions put;
    put.content_type = GuessContentType(to.key);
    put.metadata[kMd5MetadataKey] = digest.md5;
    put.content_md5 = digest.md5;
    if (!throttle_.Acquire(bytes.size())) return InterruptedStatus("put " + to.ToString());
    ASSIGN_OR_RETURN(ObjectInfo info, dest_.Put(to, bytes, put));
    AddProgress(bytes.size());
    return VerifyCopy(info, digest, to);
  }
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path tmp =
      std::filesystem::temp_directory_path() /
      ("climahealth-migrate-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  Status s = source_.store->GetFile(from, tmp).status();
  if (s.ok()) s = UploadFile(tmp.string(), to, task.source.size);
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  return s;
}

Status Transferer::VerifyCopy(const ObjectInfo& written, const Digest& digest,
                              const ObjectRef& to) {
  std::string context = "verify " + to.ToString();
  if (written.size != digest.size) {
    return Status::Corruption(context + ": destination has " + std::to_string(written.size) +
                              " bytes, the source " + std::to_string(digest.size));
  }
  Verdict verdict = JudgeEtag(written.etag, digest);
  if (verdict == Verdict::kEqual) return Status::Ok();
  if (verdict == Verdict::kDifferent) {
    return Status::Corruption(context + ": ETag " + written.etag + " differs from the source MD5 " +
                              digest.md5);
  }
  ASSIGN_OR_RETURN(Digest back, HashObject(dest_, to, written.size, options_.part_size,
                                           options_.multipart_threshold));
  if (back.md5 == digest.md5) return Status::Ok();
  return Status::Corruption(context + ": read back MD5 " + back.md5 + " differs from the source " +
                            digest.md5);
}

}  // namespace ch::migrate
