// A store whose PutStream of some keys fails, for tests of uploads that stop
// mid-stream: nothing of such an upload may be committed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "storage/forwarding_store.h"

namespace ch::testing {

class FailingPutStore final : public ForwardingStore {
 public:
  // PutStream of a key containing `key_part` reads up to `read_first` bytes
  // of its source (so the producer has started), then returns `error`.
  FailingPutStore(ObjectStore& inner, std::string key_part, Status error, size_t read_first = 0)
      : ForwardingStore(inner),
        key_part_(std::move(key_part)),
        error_(std::move(error)),
        read_first_(read_first) {}

  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options) override {
    if (ref.key.find(key_part_) == std::string::npos) {
      return ForwardingStore::PutStream(ref, source, options);
    }
    if (read_first_ > 0) {
      std::vector<char> buf(read_first_);
      RETURN_IF_ERROR(source.Read(buf.data(), buf.size()).status());
    }
    return error_;
  }

 private:
  std::string key_part_;
  Status error_;
  size_t read_first_;
};

}  // namespace ch::testing
