#include "core/fork_join.h"

namespace ch {

ForkJoin::~ForkJoin() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ForkJoin::Run(size_t n, const std::function<void(size_t)>& task) {
  if (n <= 1 || threads_ == 1) {
    for (size_t i = 0; i < n; ++i) task(i);
    return;
  }
  if (workers_.empty()) {
    for (int i = 1; i < threads_; ++i) workers_.emplace_back([this] { Work(); });
  }
  std::unique_lock<std::mutex> lock(mu_);
  task_ = &task;
  n_ = n;
  next_ = 0;
  finished_ = 0;
  const uint64_t batch = ++batch_;
  lock.unlock();
  wake_.notify_all();
  lock.lock();
  Drain(lock, batch);
  done_.wait(lock, [&] { return finished_ == n_; });
  task_ = nullptr;
}

// Called and returns with `lock` held. The batch is checked on every turn: a
// worker that wakes late must not take an index of the batch after its own.
void ForkJoin::Drain(std::unique_lock<std::mutex>& lock, uint64_t batch) {
  while (batch_ == batch && next_ < n_) {
    const std::function<void(size_t)>& task = *task_;
    size_t i = next_++;
    lock.unlock();
    task(i);
    lock.lock();
    if (++finished_ == n_) done_.notify_one();
  }
}

void ForkJoin::Work() {
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return closing_ || batch_ != seen; });
    if (closing_) return;
    seen = batch_;
    Drain(lock, seen);
  }
}

}  // namespace ch
