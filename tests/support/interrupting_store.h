// A store that raises the process's interrupt flag (as a first Ctrl-C would)
// when the upload of some key starts reading its source, for tests of jobs
// stopped midway.
#pragma once

#include <csignal>
#include <string>
#include <utility>

#include "core/interrupt.h"
#include "storage/forwarding_store.h"

namespace ch::testing {

class InterruptingStore final : public ForwardingStore {
 public:
  InterruptingStore(ObjectStore& inner, std::string key_part)
      : ForwardingStore(inner), key_part_(std::move(key_part)) {}

  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options) override {
    if (ref.key.find(key_part_) == std::string::npos) {
      return ForwardingStore::PutStream(ref, source, options);
    }
    InterruptOnFirstRead interrupting(source);
    return ForwardingStore::PutStream(ref, interrupting, options);
  }

 private:
  class InterruptOnFirstRead final : public ByteSource {
   public:
    explicit InterruptOnFirstRead(ByteSource& source) : source_(source) {}
    Result<size_t> Read(char* buf, size_t n) override {
      RequestInterrupt(SIGINT);
      return source_.Read(buf, n);
    }
    std::optional<uint64_t> Size() const override { return source_.Size(); }

   private:
    ByteSource& source_;
  };

  std::string key_part_;
};

// Forgets the interrupt flag when a test ends, whatever it asserted.
struct ClearInterruptAtEnd {
  ClearInterruptAtEnd() { ClearInterruptForTest(); }
  ~ClearInterruptAtEnd() { ClearInterruptForTest(); }
};

}  // namespace ch::testing
