// StreamUploads: one PutStream thread per object, fed through BlockPipes.
#include "storage/stream_uploads.h"

#include <system_error>

#include "core/interrupt.h"

namespace ch {

StreamUploads::StreamUploads(ObjectStore& store, std::vector<ObjectRef> refs, PutOptions options,
                             size_t max_blocks, std::string context)
    : store_(store),
      refs_(std::move(refs)),
      options_(std::move(options)),
      context_(std::move(context)),
      statuses_(refs_.size()),
      stored_(refs_.size()),
      failed_first_(refs_.size()) {
  for (size_t i = 0; i < refs_.size(); ++i)
    pipes_.push_back(std::make_unique<BlockPipe>(max_blocks));
}

StreamUploads::~StreamUploads() { Finish(Status::Internal("uploads abandoned")).IgnoreError(); }

Status StreamUploads::Start() {
  for (size_t i = 0; i < refs_.size(); ++i) {
    try {
      threads_.emplace_back([this, i] { Upload(i); });
    } catch (const std::system_error& e) {
      return Status::Internal(std::string("start upload thread: ") + e.what());
    }
  }
  return Status::Ok();
}

bool StreamUploads::Push(size_t i, std::string block) {
  if (Interrupted()) {
    interrupted_ = true;
    return false;
  }
  if (pipes_[i]->Push(std::move(block))) return true;
  stopped_early_ = true;
  return false;
}

Status StreamUploads::Finish(const Status& outcome) {
  Status stop = outcome;
  if (stop.ok() && interrupted_) {
    stop = InterruptedStatus(context_);
  } else if (stop.ok() && stopped_early_) {
    stop = Status::Internal(context_ + ": another upload stopped early");  // not committed short
  }
  closing_ = true;
  for (auto& pipe : pipes_) pipe->Close(stop);
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  // The upload that failed on its own explains the run; the others only
  // echo `stop`.
  for (size_t i = 0; i < statuses_.size(); ++i) {
    if (failed_first_[i]) return statuses_[i];
  }
  if (!stop.ok()) return stop;
  for (const Status& s : statuses_) RETURN_IF_ERROR(s);
  return Status::Ok();
}

void StreamUploads::Upload(size_t i) {
  Result<ObjectInfo> put = store_.PutStream(refs_[i], *pipes_[i], options_);
  if (put.ok()) {
    stored_[i] = *put;
  } else {
    statuses_[i] = put.status();
  }
  failed_first_[i] = !put.ok() && !closing_;
  pipes_[i]->Abandon();  // release the producer if the upload stopped early
}

}  // namespace ch
