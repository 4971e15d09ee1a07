// ObjectBodyStream: an object sent as an HTTP body in ranged pieces, so
// /api/files on a store that cannot presign (the local store) streams an
// object of any size in bounded memory.
#pragma once

#include <cstdint>
#include <string>

#include "api/http_message.h"
#include "storage/object_store.h"

namespace ch::api {

class ObjectBodyStream : public BodyStream {
 public:
  // Sends `size` bytes of `ref`, `piece_bytes` at a time. Every piece is read
  // with If-Match `etag`, so an object replaced mid-download cuts the
  // connection instead of mixing two versions. `store` must outlive the stream.
  ObjectBodyStream(ObjectStore& store, ObjectRef ref, std::string etag, uint64_t size,
                   uint64_t piece_bytes);

  uint64_t Size() const override { return size_; }
  Result<std::string> Next() override;

 private:
  ObjectStore& store_;
  ObjectRef ref_;
  std::string etag_;
  uint64_t size_;
  uint64_t piece_bytes_;
  uint64_t offset_ = 0;
};

}  // namespace ch::api
