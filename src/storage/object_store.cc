// Default implementations shared by every ObjectStore backend.
#include "storage/object_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <mutex>
#include <random>

#include "core/os_error.h"
#include "storage/durable_batch.h"
#include "storage/posix_file.h"

namespace ch {
namespace {

// Reads a local file in order; owns the descriptor.
class FileSource final : public ByteSource {
 public:
  FileSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<size_t> Read(char* buf, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return StatusFromErrno(errno, "read");
    }
  }
  std::optional<uint64_t> Size() const override { return size_; }

 private:
  int fd_;
  uint64_t size_;
};

class StringSink final : public ByteSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  Status Write(std::string_view bytes) override {
    out_.append(bytes);
    return Status::Ok();
  }

 private:
  std::string& out_;
};

// Writes a download to its file: in order through SequentialFileWriter, or
// at offsets, whole aligned blocks with direct I/O through a second
// descriptor (a file's O_DIRECT flag is shared by all writers of one
// descriptor) and anything else buffered. Either way where possible.
class FdSink final : public PositionalSink {
 public:
  FdSink(int fd, std::string path, std::string context)
      : fd_(fd), path_(std::move(path)), context_(context), writer_(fd, std::move(context)) {}
  Status Write(std::string_view bytes) override { return writer_.Write(bytes); }
  Status WriteAt(uint64_t offset, std::string_view bytes) override {
    constexpr size_t kBlock = posix::SequentialFileWriter::kAlignment;
    const bool aligned = offset % kBlock == 0 && bytes.size() % kBlock == 0 &&
                         reinterpret_cast<uintptr_t>(bytes.data()) % kBlock == 0;
    if (aligned && DirectFd() >= 0 && posix::PwriteAll(DirectFd(), bytes, offset, context_).ok()) {
      return Status::Ok();
    }
    // Unaligned, or a filesystem that refuses these direct writes: buffered.
    return posix::PwriteAll(fd_, bytes, offset, context_);
  }
  Status Finish() { return writer_.Finish(); }

 private:
  int DirectFd() {
    std::call_once(direct_opened_, [this] {
      Result<posix::UniqueFd> fd = posix::Open(path_, O_WRONLY | O_DIRECT, 0, context_);
      if (fd.ok()) direct_ = std::move(fd).value();  // else stay buffered (tmpfs has no O_DIRECT)
    });
    return direct_.get();
  }

  int fd_;
  std::string path_;
  std::string context_;
  posix::SequentialFileWriter writer_;
  std::once_flag direct_opened_;
  posix::UniqueFd direct_;
};

std::string TempSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return ".part-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000000);
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

std::string ObjectRef::ToString() const {
  std::string out = bucket + "/" + key;
  if (!version_id.empty()) out += "?versionId=" + version_id;
  return out;
}

Result<ObjectInfo> ObjectStore::PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                                        const PutOptions& options) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return StatusFromErrno(errno, "put " + ref.ToString() + ": open " + path.string());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return StatusFromErrno(err, "put " + ref.ToString() + ": stat " + path.string());
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument("put " + ref.ToString() + ": " + path.string() +
                                   " is not a regular file");
  }
  FileSource source(fd, static_cast<uint64_t>(st.st_size));
  return PutStream(ref, source, options);
}

Result<std::string> ObjectStore::Get(const ObjectRef& ref, const GetOptions& options) {
  std::string out;
  StringSink sink(out);
  ASSIGN_OR_RETURN(ObjectInfo info, GetStream(ref, sink, options));
  (void)info;
  return out;
}

Result<ObjectInfo> ObjectStore::GetFile(const ObjectRef& ref, const std::filesystem::path& path,
                                        const GetOptions& options) {
  std::filesystem::path tmp = path;
  tmp += TempSuffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return StatusFromErrno(errno, "get " + ref.ToString() + ": create " + tmp.string());
  FdSink sink(fd, tmp.string(), "get " + ref.ToString() + ": " + tmp.string());
  Result<ObjectInfo> info = GetStream(ref, sink, options);
  if (info.ok()) {
    if (Status finished = sink.Finish(); !finished.ok()) info = finished;
  }
  DurableBatch* batch = options.durable_batch;
  Status closed = Status::Ok();
  if (info.ok() && batch == nullptr && ::fsync(fd) != 0) {
    closed = StatusFromErrno(errno, "fsync " + tmp.string());
  }
  if (::close(fd) != 0 && closed.ok()) closed = StatusFromErrno(errno, "close " + tmp.string());
  if (info.ok() && closed.ok() && batch == nullptr && ::rename(tmp.c_str(), path.c_str()) != 0) {
    closed = StatusFromErrno(errno, "rename " + tmp.string() + " to " + path.string());
  }
  if (!info.ok() || !closed.ok()) {
    ::unlink(tmp.c_str());
    if (!info.ok()) return info.status();
    return closed.WithContext("get " + ref.ToString());
  }
  if (batch != nullptr) batch->Add(std::move(tmp), path, info->size);
  return info;
}

Result<bool> ObjectStore::Exists(const ObjectRef& ref) {
  Result<ObjectInfo> info = Head(ref);
  if (info.ok()) return true;
  if (info.status().IsNotFound()) return false;
  return info.status();
}

Result<std::vector<KeyError>> ObjectStore::DeleteMany(std::string_view bucket,
                                                      const std::vector<std::string>& keys) {
  std::vector<KeyError> failed;
  for (const std::string& key : keys) {
    Status st = Delete(ObjectRef{std::string(bucket), key, {}});
    if (!st.ok()) failed.push_back(KeyError{key, st});
  }
  return failed;
}

Result<Usage> ObjectStore::Size(std::string_view bucket, std::string_view prefix) {
  Usage usage;
  RETURN_IF_ERROR(ForEachObject(*this, bucket, prefix, [&](const ObjectInfo& info) {
    ++usage.objects;
    usage.bytes += info.size;
    if (info.last_modified > usage.newest) usage.newest = info.last_modified;
    return Status::Ok();
  }));
  return usage;
}

Result<bool> ObjectStore::GetVersioning(std::string_view bucket) {
  return Status::NotSupported("get versioning of " + std::string(bucket) + ": " + Describe() +
                              " keeps no versions");
}

Status ObjectStore::SetVersioning(std::string_view bucket, bool /*enabled*/) {
  return Status::NotSupported("set versioning of " + std::string(bucket) + ": " + Describe() +
                              " keeps no versions");
}

Result<VersionPage> ObjectStore::ListVersions(std::string_view bucket,
                                              const ListOptions& /*options*/) {
  return Status::NotSupported("list versions in " + std::string(bucket) + ": " + Describe() +
                              " keeps no versions");
}

Result<std::string> ObjectStore::PresignGet(const ObjectRef& ref,
                                            std::chrono::seconds /*expires*/) {
  return Status::NotSupported("presign " + ref.ToString() +
                              ": presigned URLs are not supported by " + Describe());
}

Result<std::vector<LifecycleRule>> ObjectStore::GetLifecycle(std::string_view bucket) {
  return Status::NotSupported("get lifecycle of " + std::string(bucket) +
                              ": lifecycle rules are not supported by " + Describe());
}

Status ObjectStore::PutLifecycle(std::string_view bucket,
                                 const std::vector<LifecycleRule>& /*rules*/) {
  return Status::NotSupported("put lifecycle of " + std::string(bucket) +
                              ": lifecycle rules are not supported by " + Describe());
}

Result<std::optional<BucketEncryption>> ObjectStore::GetBucketEncryption(std::string_view bucket) {
  return Status::NotSupported("get encryption of " + std::string(bucket) +
                              ": bucket encryption is not supported by " + Describe());
}

Status ObjectStore::PutBucketEncryption(std::string_view bucket,
                                        const BucketEncryption& /*encryption*/) {
  return Status::NotSupported("put encryption of " + std::string(bucket) +
                              ": bucket encryption is not supported by " + Describe());
}

Result<std::optional<PublicAccessBlock>> ObjectStore::GetPublicAccessBlock(
    std::string_view bucket) {
  return Status::NotSupported("get public access block of " + std::string(bucket) +
                              ": public access blocks are not supported by " + Describe());
}

Status ObjectStore::PutPublicAccessBlock(std::string_view bucket,
                                         const PublicAccessBlock& /*block*/) {
  return Status::NotSupported("put public access block of " + std::string(bucket) +
                              ": public access blocks are not supported by " + Describe());
}

Status ForEachObject(ObjectStore& store, std::string_view bucket, std::string_view prefix,
                     const std::function<Status(const ObjectInfo&)>& visit) {
  ListOptions options;
  options.prefix = std::string(prefix);
  for (;;) {
    ASSIGN_OR_RETURN(ListPage page, store.List(bucket, options));
    for (const ObjectInfo& info : page.objects) RETURN_IF_ERROR(visit(info));
    if (page.next_token.empty()) return Status::Ok();
    options.continuation_token = std::move(page.next_token);
  }
}

Status ValidateKey(std::string_view key) {
  auto bad = [&](std::string_view why) {
    std::string shown(key.substr(0, 80));
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    return Status::InvalidArgument("invalid key '" + shown + (key.size() > 80 ? "…" : "") +
                                   "': " + std::string(why));
  };
  if (key.empty()) return bad("key is empty");
  if (key.size() > 1024) return bad("key is longer than 1024 bytes");
  if (key.find('\0') != std::string_view::npos) return bad("key contains a NUL byte");
  if (!IsValidUtf8(key)) return bad("key is not valid UTF-8");
  return Status::Ok();
}

Status ValidateBucketName(std::string_view bucket) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("invalid bucket name '" + std::string(bucket) +
                                   "': " + std::string(why));
  };
  if (bucket.size() < 3 || bucket.size() > 63) return bad("must be 3 to 63 characters");
  for (char c : bucket) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return bad("only lower-case letters, digits, '.' and '-' are allowed");
  }
  if (bucket.front() == '.' || bucket.front() == '-' || bucket.back() == '.' ||
      bucket.back() == '-') {
    return bad("must begin and end with a letter or digit");
  }
  if (bucket.find("..") != std::string_view::npos) return bad("must not contain '..'");
  return Status::Ok();
}

}  // namespace ch
