// The bytes of a header and a run of stored parts, in order, as one
// ByteSource: the parts are fetched in ranges of a few MiB (pinned to the
// ETag they had when first seen), so writing an output costs one copy and no
// more memory than one range. An interrupt (core/interrupt.h) fails the next
// Read that would fetch. With a JointEnd, the last bytes wait for the other
// sources of that end (see joint_end.h).
#pragma once

#include <string>
#include <vector>

#include "jobs/batch/joint_end.h"
#include "jobs/batch/shard_result.h"
#include "storage/object_store.h"

namespace ch::batch {

class PartSource final : public ByteSource {
 public:
  // `parts` (and `end`, if any) must outlive the source; they are read from
  // `bucket`.
  PartSource(ObjectStore& store, std::string bucket, std::string header,
             const std::vector<const Part*>& parts, JointEnd* end = nullptr);

  Result<size_t> Read(char* buf, size_t n) override;
  std::optional<uint64_t> Size() const override { return size_; }

 private:
  // The header (bytes), or (when `stored` is set) a part to fetch.
  struct Segment {
    std::string_view bytes;
    const Part* stored = nullptr;
  };
  Result<size_t> ReadSome(char* buf, size_t n);
  Status Advance();
  Status FetchRange();
  Status ArriveAtEnd();

  ObjectStore& store_;
  std::string bucket_;
  std::string header_;
  std::vector<Segment> segments_;
  size_t next_ = 0;
  const Part* stored_ = nullptr;  // the stored part being read
  std::string stored_etag_;
  uint64_t stored_at_ = 0;  // bytes of it fetched so far
  std::string fetched_;     // the latest range of it
  std::string_view view_;   // what is left of the current segment or range
  uint64_t size_ = 0;
  uint64_t delivered_ = 0;
  JointEnd* end_;
  bool arrived_ = false;
  Status end_status_;  // what the joint end said, once arrived
};

}  // namespace ch::batch
