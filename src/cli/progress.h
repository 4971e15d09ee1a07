// A terminal progress bar for long transfers.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace ch::cli {

// Draws "label  45% |#####     | 12.0/26.5 MiB  80.1 MiB/s  ETA 0:01" on
// stderr, at most ten times a second, only when stderr is a terminal and
// the transfer is larger than kMinBytes (or its size is unknown and it
// grows past that). Thread-safe: Add may be called from many threads.
class ProgressBar {
 public:
  static constexpr uint64_t kMinBytes = 4ull << 20;

  ProgressBar(std::string label, std::optional<uint64_t> total_bytes);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Add(uint64_t bytes);
  // Bytes counted so far.
  uint64_t done();
  // Draws the final state and ends the line (if anything was drawn).
  void Finish();

 private:
  void DrawLocked(bool final);

  std::string label_;
  std::optional<uint64_t> total_;
  uint64_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex mu_;
};

// "12.0 MiB", "512 B".
std::string HumanBytes(uint64_t bytes);

}  // namespace ch::cli
