// Ranged, ETag-pinned reads of one object, piece by piece.
#include "api/object_body_stream.h"

#include <algorithm>
#include <utility>

#include "obs/log.h"

namespace ch::api {

ObjectBodyStream::ObjectBodyStream(ObjectStore& store, ObjectRef ref, std::string etag,
                                   uint64_t size, uint64_t piece_bytes)
    : store_(store),
      ref_(std::move(ref)),
      etag_(std::move(etag)),
      size_(size),
      piece_bytes_(std::max<uint64_t>(piece_bytes, 1)) {}

Result<std::string> ObjectBodyStream::Next() {
  if (offset_ >= size_) return std::string();
  uint64_t length = std::min(piece_bytes_, size_ - offset_);
  GetOptions get;
  get.range = ByteRange{offset_, offset_ + length - 1, std::nullopt};
  get.if_match = etag_;
  Result<std::string> piece = store_.Get(ref_, get);
  if (piece.ok() && piece->size() != length) {
    piece = Status::Internal(ref_.ToString() + ": asked for bytes " + std::to_string(offset_) +
                             "-" + std::to_string(offset_ + length - 1) + ", got " +
                             std::to_string(piece->size()) + " bytes");
  }
  if (!piece.ok()) {
    // The status line is gone already; the log is where the reason shows.
    obs::LogWarn(
        "download cut short",
        {{"object", ref_.ToString()}, {"offset", offset_}, {"error", piece.status().ToString()}});
    return piece.status();
  }
  offset_ += length;
  return piece;
}

}  // namespace ch::api
