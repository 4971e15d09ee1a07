// MD5s of several spans of one open file, hashed side by side.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/md5_lanes.h"

namespace ch {

// A byte range of a file.
struct FileSpan {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// The MD5 of each span of the open file `fd`, in order: the Content-MD5s of a
// multipart upload's parts before any part is read to be sent. Spans are read
// with pread a slice at a time, up to Md5Lanes::kMaxMessages of them side by
// side, so memory stays at a few MiB however long they are and the file
// offset is untouched. IOError naming `context` when the file ends inside a
// span or cannot be read.
Result<std::vector<Md5Digest>> Md5OfFileSpans(int fd, std::span<const FileSpan> spans,
                                              std::string_view context);

}  // namespace ch
