// BlockPipe: a mutex and one condition variable; blocks move, never copy.
#include "storage/block_pipe.h"

#include <algorithm>
#include <cstring>

namespace ch {

bool BlockPipe::Push(std::string block) {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return abandoned_ || blocks_.size() < max_blocks_; });
  if (abandoned_) return false;
  if (!block.empty()) blocks_.push_back(std::move(block));
  changed_.notify_all();
  return true;
}

void BlockPipe::Close(Status status) {
  std::lock_guard lock(mu_);
  closed_ = true;
  close_status_ = std::move(status);
  changed_.notify_all();
}

void BlockPipe::Abandon() {
  std::lock_guard lock(mu_);
  abandoned_ = true;
  blocks_.clear();
  changed_.notify_all();
}

Result<size_t> BlockPipe::Read(char* buf, size_t n) {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return closed_ || !blocks_.empty(); });
  if (!close_status_.ok()) return close_status_;
  if (blocks_.empty()) return size_t{0};
  const std::string& front = blocks_.front();
  const size_t take = std::min(n, front.size() - offset_);
  std::copy_n(front.data() + offset_, take, buf);
  offset_ += take;
  if (offset_ == front.size()) {
    blocks_.pop_front();
    offset_ = 0;
    changed_.notify_all();
  }
  return take;
}

}  // namespace ch
