// A minimal ustar writer plus gzip, for exporting models.
#include "services/models/model_archive.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "codecs/compression.h"

namespace ch::services {
namespace {

constexpr size_t kBlock = 512;

void Octal(char* field, size_t width, uint64_t value) {
  // width - 1 digits then NUL, as ustar expects.
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                static_cast<unsigned long long>(value));
}

std::string Header(const ArchiveEntry& e) {
  char h[kBlock];
  std::memset(h, 0, sizeof h);
  std::copy_n(e.name.data(), e.name.size(), h);  // name[100], unterminated when full
  Octal(h + 100, 8, 0644);                       // mode
  Octal(h + 108, 8, 0);                          // uid
  Octal(h + 116, 8, 0);                          // gid
  Octal(h + 124, 12, e.bytes.size());            // size
  Octal(h + 136, 12, 0);                         // mtime
  h[156] = '0';                                  // typeflag: regular file
  std::memcpy(h + 257, "ustar", 6);              // magic "ustar\0"
  std::copy_n("00", 2, h + 263);                 // version
  std::memset(h + 148, ' ', 8);                  // checksum counted as spaces
  unsigned sum = 0;
  for (unsigned char c : std::string_view(h, kBlock)) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);  // six digits, NUL, then the space kept below
  h[155] = ' ';
  return std::string(h, kBlock);
}

}  // namespace

Result<std::string> MakeTarGz(const std::vector<ArchiveEntry>& entries) {
  std::string tar;
  for (const ArchiveEntry& e : entries) {
    if (e.name.empty() || e.name.size() > 100 || e.name.find("..") != std::string::npos ||
        e.name.front() == '/') {
      return Status::InvalidArgument("tar entry name '" + e.name + "' is not a plain file name");
    }
    tar += Header(e);
    tar += e.bytes;
    tar.append((kBlock - e.bytes.size() % kBlock) % kBlock, '\0');
  }
  tar.append(2 * kBlock, '\0');  // end-of-archive marker
  return CompressBytes(tar, Compression::kGzip, 9);
}

}  // namespace ch::services
