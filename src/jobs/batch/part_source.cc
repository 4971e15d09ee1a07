// PartSource: a header and stored parts, read in order.
#include "jobs/batch/part_source.h"

#include <algorithm>

#include "core/interrupt.h"

namespace ch::batch {

PartSource::PartSource(ObjectStore& store, std::string bucket, std::string header,
                       const std::vector<const Part*>& parts, JointEnd* end)
    : store_(store), bucket_(std::move(bucket)), header_(std::move(header)), end_(end) {
  segments_.push_back({header_, nullptr});
  size_ = header_.size();
  for (const Part* p : parts) {
    size_ += p->size;
    segments_.push_back({{}, p});
  }
}

namespace {
constexpr uint64_t kRangeBytes = uint64_t{16} << 20;
}  // namespace

Status PartSource::Advance() {
  const Segment& s = segments_[next_++];
  if (s.stored == nullptr) {
    view_ = s.bytes;
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(ObjectInfo info, store_.Head({bucket_, s.stored->key, ""}));
  if (info.size != s.stored->size) {
    return Status::Corruption("batch part " + s.stored->key + " has " + std::to_string(info.size) +
                              " bytes, expected " + std::to_string(s.stored->size));
  }
  stored_ = s.stored;
  stored_etag_ = info.etag;
  stored_at_ = 0;
  return Status::Ok();
}

Status PartSource::FetchRange() {
  const uint64_t want = std::min(kRangeBytes, stored_->size - stored_at_);
  GetOptions get;
  get.range = ByteRange{stored_at_, stored_at_ + want - 1, std::nullopt};
  get.if_match = stored_etag_;
  ASSIGN_OR_RETURN(fetched_, store_.Get({bucket_, stored_->key, ""}, get));
  if (fetched_.size() != want) {
    return Status::Corruption("batch part " + stored_->key + " gave " +
                              std::to_string(fetched_.size()) + " bytes at offset " +
                              std::to_string(stored_at_) + ", expected " + std::to_string(want));
  }
  stored_at_ += want;
  view_ = fetched_;
  return Status::Ok();
}

Status PartSource::ArriveAtEnd() {
  if (end_ == nullptr) return Status::Ok();
  if (!arrived_) {
    arrived_ = true;
    end_status_ = end_->Arrive();
  }
  return end_status_;
}

Result<size_t> PartSource::Read(char* buf, size_t n) {
  Result<size_t> got = ReadSome(buf, n);
  if (!got.ok() && end_ != nullptr) end_->Fail(got.status());
  return got;
}

Result<size_t> PartSource::ReadSome(char* buf, size_t n) {
  while (view_.empty()) {
    // Polled once a range: an interrupt fails the upload, which then commits
    // nothing.
    if (Interrupted()) return InterruptedStatus("batch");
    if (stored_ != nullptr && stored_at_ < stored_->size) {
      RETURN_IF_ERROR(FetchRange());
      continue;
    }
    stored_ = nullptr;
    if (next_ == segments_.size()) {
      RETURN_IF_ERROR(ArriveAtEnd());  // a store that asks past the size
      return size_t{0};
    }
    RETURN_IF_ERROR(Advance());
  }
  const size_t k = std::min(n, view_.size());
  std::copy_n(view_.data(), k, buf);
  view_.remove_prefix(k);
  delivered_ += k;
  // The last bytes, after which the store may commit, wait for the others.
  if (delivered_ == size_) RETURN_IF_ERROR(ArriveAtEnd());
  return k;
}

}  // namespace ch::batch
