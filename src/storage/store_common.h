// Helpers shared by the in-process backends (LocalStore, MemoryStore): range
// resolution, ETag comparison, listing tokens and argument checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch::store {

// A resolved byte range: `length` bytes from `offset`.
struct Span {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// The bytes `range` selects in an object of `size` bytes (all of them when
// unset). `last` past the end is clamped; a suffix longer than the object is
// the whole object. InvalidArgument naming `context` when the range selects
// nothing (starts at or past the end, last < first, suffix of 0).
Result<Span> ResolveRange(uint64_t size, const std::optional<ByteRange>& range,
                          std::string_view context);

// An ETag without surrounding double quotes.
std::string UnquoteEtag(std::string_view etag);

// Listing tokens are the hex of a "resume after" string, so they are plain
// ASCII whatever the keys hold. Decoding fails with InvalidArgument.
std::string EncodeToken(std::string_view resume_after);
Result<std::string> DecodeToken(std::string_view token, std::string_view context);

// InvalidArgument unless 1 <= max_keys <= 1000.
Status CheckMaxKeys(int max_keys, std::string_view context);

}  // namespace ch::store
