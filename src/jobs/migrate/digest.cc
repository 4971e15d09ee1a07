// MD5 and multipart-ETag computation over files and objects.
#include "jobs/migrate/digest.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <span>
#include <vector>

#include "core/os_error.h"
#include "storage/md5_lanes.h"
#include "storage/posix_file.h"

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

namespace {

// A file above the multipart threshold: its whole MD5 is one chain of dependent
// steps, but the part MD5s behind the multipart ETag are independent, so up to
// sixteen parts at a time go through Md5Lanes (a slice of each per step) instead
// of being a second chain beside the first. All but the first part of each wave
// are read again for the whole MD5 (from the page cache, far cheaper than the MD5). Empty when
// the file is not `size` bytes long any more.
Result<std::optional<Digest>> HashPartsInLanes(int fd, uint64_t base, uint64_t size,
                                               uint64_t part_size, const std::string& path) {
  constexpr size_t kSlice = 256 << 10;  // a multiple of the 64-byte MD5 block
  constexpr size_t kWave = Md5Lanes::kMaxMessages;
  std::vector<char> buffer(kWave * kSlice);
  const std::string context = "read " + path;
  // Reads `n` bytes at `offset` into `into`; false when the file has become shorter.
  auto read_exactly = [&](char* into, size_t n, uint64_t offset) -> Result<bool> {
    ASSIGN_OR_RETURN(size_t got, posix::PreadFull(fd, into, n, base + offset, context));
    return got == n;
  };
  Md5 whole;
  std::string part_digests;
  const uint64_t parts = (size + part_size - 1) / part_size;
  for (uint64_t first = 0; first < parts; first += kWave) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kWave, parts - first));
    uint64_t start[kWave];
    uint64_t length[kWave];
    for (size_t k = 0; k < n; ++k) {
      start[k] = (first + k) * part_size;
      length[k] = std::min(part_size, size - start[k]);
    }
    // Many places at once defeat the kernel's readahead of one sequential stream.
    ::posix_fadvise(fd, static_cast<off_t>(base + start[0]),
                    static_cast<off_t>(start[n - 1] + length[n - 1] - start[0]),
                    POSIX_FADV_WILLNEED);
    Md5Lanes lanes(n);
    for (uint64_t at = 0; at < length[0]; at += kSlice) {  // the first part is the longest
      std::string_view pieces[kWave];
      for (size_t k = 0; k < n; ++k) {
        if (at >= length[k]) continue;
        size_t want = static_cast<size_t>(std::min<uint64_t>(kSlice, length[k] - at));
        char* into = buffer.data() + k * kSlice;
        ASSIGN_OR_RETURN(bool whole_slice, read_exactly(into, want, start[k] + at));
        if (!whole_slice) return std::optional<Digest>();
        pieces[k] = std::string_view(into, want);
      }
      lanes.Update(std::span<const std::string_view>(pieces, n));
      whole.Update(pieces[0]);
    }
    for (size_t k = 0; k < n; ++k) {
      Md5Digest part = lanes.Finish(k);
      part_digests.append(reinterpret_cast<const char*>(part.data()), part.size());
    }
    for (size_t k = 1; k < n; ++k) {
      for (uint64_t at = 0; at < length[k]; at += kSlice) {
        size_t want = static_cast<size_t>(std::min<uint64_t>(kSlice, length[k] - at));
        ASSIGN_OR_RETURN(bool whole_slice, read_exactly(buffer.data(), want, start[k] + at));
        if (!whole_slice) return std::optional<Digest>();
        whole.Update(std::string_view(buffer.data(), want));
      }
    }
  }
  char past_end;
  ASSIGN_OR_RETURN(bool grew, read_exactly(&past_end, 1, size));
  if (grew) return std::optional<Digest>();
  return std::optional<Digest>(
      Digest{whole.FinishHex(), Md5Hex(part_digests) + "-" + std::to_string(parts), size});
}

}  // namespace

Result<Digest> HashOpenFile(int fd, uint64_t size, uint64_t part_size, uint64_t threshold,
                            const std::string& path) {
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (size > threshold && part_size > 0) {
    off_t base = ::lseek(fd, 0, SEEK_CUR);
    if (base < 0) return StatusFromErrno(errno, "read " + path);
    ASSIGN_OR_RETURN(std::optional<Digest> digest,
                     HashPartsInLanes(fd, static_cast<uint64_t>(base), size, part_size, path));
    if (digest) {
      if (::lseek(fd, static_cast<off_t>(size), SEEK_CUR) < 0) {
        return StatusFromErrno(errno, "read " + path);
      }
      return std::move(*digest);
    }
    // The file changed size while it was read: hash what it holds now, to its end,
    // so the caller sees the size differ.
    if (::lseek(fd, base, SEEK_SET) < 0) return StatusFromErrno(errno, "read " + path);
  }
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
