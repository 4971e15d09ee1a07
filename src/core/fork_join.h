// A fork-join pool: runs a batch of indexed tasks on the calling thread and a
// few threads kept for the next batch.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ch {

// For loops that split each of many small steps (a 2 MiB block of CSV) over
// the cores: starting and joining a thread per step costs ~70 us, which over
// hundreds of steps is a visible share of the whole, while waking a parked
// thread costs a fraction of that. Run is for one caller at a time.
class ForkJoin {
 public:
  // `threads` in all, counting the caller. The threads - 1 others start with
  // the first batch of two or more tasks, so a pool that never gets one (a
  // small CSV) costs no thread at all.
  explicit ForkJoin(int threads) : threads_(threads < 1 ? 1 : threads) {}
  ~ForkJoin();
  ForkJoin(const ForkJoin&) = delete;
  ForkJoin& operator=(const ForkJoin&) = delete;

  int threads() const { return threads_; }

  // Calls task(i) once for every i in [0, n), on the caller and the pool's
  // threads, and returns when all have returned. Tasks take indices in order
  // as threads come free; the caller always takes part, so n == 1 runs inline.
  // `task` must not throw.
  void Run(size_t n, const std::function<void(size_t)>& task);

 private:
  void Work();
  // Takes and runs indices of batch `batch` until none are left.
  void Drain(std::unique_lock<std::mutex>& lock, uint64_t batch);

  const int threads_;
  std::mutex mu_;
  std::condition_variable wake_;  // a batch is posted, or the pool is closing
  std::condition_variable done_;  // the last task of a batch returned
  const std::function<void(size_t)>* task_ = nullptr;
  size_t n_ = 0;
  size_t next_ = 0;      // the next index to hand out
  size_t finished_ = 0;  // tasks of this batch that returned
  uint64_t batch_ = 0;   // counts posted batches, so a worker runs each once
  bool closing_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace ch
