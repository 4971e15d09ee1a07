// MD5 and multipart-ETag computation over files and objects.
#include "jobs/migrate/digest.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/os_error.h"

namespace ch::migrate {

DigestBuilder::DigestBuilder(uint64_t size, uint64_t part_size, uint64_t threshold)
    : parts_(size > threshold && part_size > 0), part_size_(part_size) {
  if (parts_) part_ = std::make_unique<Md5>();
}

void DigestBuilder::Update(std::string_view bytes) {
  whole_.Update(bytes);
  size_ += bytes.size();
  while (parts_ && !bytes.empty()) {
    uint64_t take = std::min<uint64_t>(bytes.size(), part_size_ - in_part_);
    part_->Update(bytes.substr(0, take));
    in_part_ += take;
    bytes.remove_prefix(take);
    if (in_part_ == part_size_) {
      part_digests_ += part_->FinishRaw();
      ++count_;
      part_ = std::make_unique<Md5>();
      in_part_ = 0;
    }
  }
}

Digest DigestBuilder::Finish() {
  Digest digest;
  digest.md5 = whole_.FinishHex();
  digest.size = size_;
  if (parts_) {
    if (in_part_ > 0) {
      part_digests_ += part_->FinishRaw();
      ++count_;
    }
    digest.multipart_etag = Md5Hex(part_digests_) + "-" + std::to_string(count_);
  }
  return digest;
}

Result<Digest> HashOpenFile(int fd, uint64_t size, uint64_t part_size, uint64_t threshold,
                            const std::string& path) {
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  DigestBuilder builder(size, part_size, threshold);
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t got = ::read(fd, buf.data(), buf.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return StatusFromErrno(errno, "read " + path);
    if (got == 0) break;
    builder.Update(std::string_view(buf.data(), static_cast<size_t>(got)));
  }
  return builder.Finish();
}

namespace {

class DigestSink final : public ByteSink {
 public:
  explicit DigestSink(DigestBuilder& builder) : builder_(builder) {}
  Status Write(std::string_view bytes) override {
    builder_.Update(bytes);
    return Status::Ok();
  }

 private:
  DigestBuilder& builder_;
};

}  // namespace

Result<Digest> HashObject(ObjectStore& store, const ObjectRef& ref, uint64_t size,
                          uint64_t part_size, uint64_t threshold) {
  DigestBuilder builder(size, part_size, threshold);
  DigestSink sink(builder);
  RETURN_IF_ERROR(store.GetStream(ref, sink).status());
  return builder.Finish();
}

bool IsPlainMd5(std::string_view etag) {
  if (etag.size() != 32) return false;
  for (char c : etag) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

Verdict JudgeEtag(std::string_view etag, const Digest& digest) {
  if (IsPlainMd5(etag)) return etag == digest.md5 ? Verdict::kEqual : Verdict::kDifferent;
  if (!digest.multipart_etag.empty() && etag == digest.multipart_etag) return Verdict::kEqual;
  return Verdict::kUnknown;
}

}  // namespace ch::migrate
