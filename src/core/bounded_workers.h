// A fixed set of threads fed through a bounded queue.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace ch {

// Runs `work(item)` for every pushed item on `threads` threads. Push blocks
// while `capacity` items wait, so a producer walking a million files or keys
// never runs far ahead of the work, and memory stays bounded. `work` must not
// throw (report failures through what it captures). Push and Finish are for
// one producer thread.
template <typename Item>
class BoundedWorkers {
 public:
  BoundedWorkers(int threads, size_t capacity, std::function<void(Item&)> work)
      : capacity_(capacity < 1 ? 1 : capacity), work_(std::move(work)) {
    for (int i = 0; i < (threads < 1 ? 1 : threads); ++i) {
      threads_.emplace_back([this] { Work(); });
    }
  }
  ~BoundedWorkers() { Finish(); }
  BoundedWorkers(const BoundedWorkers&) = delete;
  BoundedWorkers& operator=(const BoundedWorkers&) = delete;

  void Push(Item item) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [this] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(item));
    not_empty_.notify_one();
  }

  // No more items: returns once every pushed item has been worked.
  void Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    not_empty_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void Work() {
    for (;;) {
      Item item;
      {
        std::unique_lock<std::mutex> lock(mu_);
        not_empty_.wait(lock, [this] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
        not_full_.notify_one();
      }
      work_(item);
    }
  }

  size_t capacity_;
  std::function<void(Item&)> work_;
  std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Item> queue_;
  bool closed_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ch
