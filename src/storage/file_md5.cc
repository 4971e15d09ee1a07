// Md5OfFileSpans: pread slices of up to sixteen spans into Md5Lanes.
#include "storage/file_md5.h"

#include <fcntl.h>

#include <algorithm>
#include <string>

#include "storage/posix_file.h"

namespace ch {

Result<std::vector<Md5Digest>> Md5OfFileSpans(int fd, std::span<const FileSpan> spans,
                                              std::string_view context) {
  // Whole 64-byte blocks, so only a span's last slice ends inside one; small
  // enough that a wave's slices stay in the cache between read and hash.
  constexpr size_t kSlice = 128 << 10;
  constexpr size_t kWave = Md5Lanes::kMaxMessages;
  std::vector<Md5Digest> digests;
  digests.reserve(spans.size());
  std::vector<char> buffer(std::min(spans.size(), kWave) * kSlice);
  for (size_t first = 0; first < spans.size(); first += kWave) {
    std::span<const FileSpan> wave = spans.subspan(first, std::min(kWave, spans.size() - first));
    uint64_t longest = 0;
    for (const FileSpan& span : wave) {
      longest = std::max(longest, span.length);
      if (span.length == 0) continue;  // a length of 0 would advise the rest of the file
      // Many places at once defeat the kernel's readahead of one sequential stream.
      ::posix_fadvise(fd, static_cast<off_t>(span.offset), static_cast<off_t>(span.length),
                      POSIX_FADV_WILLNEED);
    }
    Md5Lanes lanes(wave.size());
    for (uint64_t at = 0; at < longest; at += kSlice) {
      std::string_view pieces[kWave];
      for (size_t k = 0; k < wave.size(); ++k) {
        if (at >= wave[k].length) continue;
        size_t want = static_cast<size_t>(std::min<uint64_t>(kSlice, wave[k].length - at));
        char* into = buffer.data() + k * kSlice;
        ASSIGN_OR_RETURN(size_t got,
                         posix::PreadFull(fd, into, want, wave[k].offset + at, context));
        if (got < want) {
          return Status::IOError(std::string(context) + ": the file ends at byte " +
                                 std::to_string(wave[k].offset + at + got) + ", inside bytes " +
                                 std::to_string(wave[k].offset) + "-" +
                                 std::to_string(wave[k].offset + wave[k].length - 1) +
                                 " (did it change while being read?)");
        }
        pieces[k] = std::string_view(into, want);
      }
      lanes.Update(std::span<const std::string_view>(pieces, wave.size()));
    }
    for (size_t k = 0; k < wave.size(); ++k) digests.push_back(lanes.Finish(k));
  }
  return digests;
}

}  // namespace ch
