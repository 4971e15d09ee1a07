// Range, ETag and listing-argument helpers of the in-process backends.
#include "storage/store_common.h"

#include <algorithm>

#include "storage/md5.h"

namespace ch::store {
Result<Span> ResolveRange(uint64_t size, const std::optional<ByteRange>& range,
                          std::string_view context) {
  if (!range) return Span{0, size};
  auto unsatisfiable = [&](const std::string& why) {
    return Status::InvalidArgument(std::string(context) + ": range not satisfiable: " + why +
                                   " (object is " + std::to_string(size) + " bytes)");
  };
  if (range->suffix_length) {
    uint64_t n = *range->suffix_length;
    if (n == 0) return unsatisfiable("a suffix of 0 bytes");
    if (size == 0) return unsatisfiable("the object is empty");
    n = std::min(n, size);
    return Span{size - n, n};
  }
  if (range->first >= size) {
    return unsatisfiable("starts at byte " + std::to_string(range->first));
  }
  uint64_t last = size - 1;
  if (range->last) {
    if (*range->last < range->first) {
      return unsatisfiable("last byte " + std::to_string(*range->last) + " before first " +
                           std::to_string(range->first));
    }
    last = std::min(last, *range->last);
  }
  return Span{range->first, last - range->first + 1};
}

std::string UnquoteEtag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

Status CheckMaxKeys(int max_keys, std::string_view context) {
  if (max_keys >= 1 && max_keys <= 1000) return Status::Ok();
  return Status::InvalidArgument(std::string(context) + ": max_keys must be 1..1000, not " +
                                 std::to_string(max_keys));
}

std::string EncodeToken(std::string_view resume_after) { return ToHex(resume_after); }

Result<std::string> DecodeToken(std::string_view token, std::string_view context) {
  std::optional<std::string> bound = FromHex(token);
  if (!bound)
    return Status::InvalidArgument(std::string(context) + ": malformed continuation token");
  return std::move(*bound);
}

}  // namespace ch::store
