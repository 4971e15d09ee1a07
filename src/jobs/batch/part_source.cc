// PartSource: a header and stored parts, read in order.
#include "jobs/batch/part_source.h"

#include <algorithm>

namespace ch::batch {

PartSource::PartSource(ObjectStore& store, std::string bucket, std::string header,
                       const std::vector<const Part*>& parts)
    : store_(store), bucket_(std::move(bucket)), header_(std::move(header)) {
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

Result<size_t> PartSource::Read(char* buf, size_t n) {
  while (view_.empty()) {
    if (stored_ != nullptr && stored_at_ < stored_->size) {
      RETURN_IF_ERROR(FetchRange());
      continue;
    }
    stored_ = nullptr;
    if (next_ == segments_.size()) return size_t{0};
    RETURN_IF_ERROR(Advance());
  }
  const size_t k = std::min(n, view_.size());
  std::copy_n(view_.data(), k, buf);
  view_.remove_prefix(k);
  return k;
}

}  // namespace ch::batch
