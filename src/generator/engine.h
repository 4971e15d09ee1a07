// The block engine: simulates all locations a block of days at a time, in
// parallel, and formats the daily files' rows in (date, location) order.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "generator/dataset.h"
#include "generator/regions.h"

namespace ch::gen {

struct EngineOptions {
  uint64_t seed = 1;
  std::chrono::sys_days start{};
  int64_t days = 365;
  int threads = 1;  // >= 1; the output does not depend on it
  bool dirty = false;
  double fault_rate = 0.005;
};

// Rows, bytes and injected faults of one daily file so far.
struct DatasetTally {
  uint64_t rows = 0;                // data rows, header excluded
  uint64_t bytes = 0;               // header included
  std::vector<FaultRecord> faults;  // in line order
  std::array<uint64_t, kFaultKindCount> counts{};
};

// Produces the text of the requested daily datasets block by block. Memory is
// bounded by one block (about 128k location-days). Every location has its own
// random streams keyed by its code, and the simulation of a location runs on
// one thread in date order, so the bytes depend on the options alone, not on
// the thread count. Not thread-safe (it runs its own worker threads).
class BlockEngine {
 public:
  // `locations` is borrowed and must outlive the engine. `datasets` are daily
  // datasets (climate, health, hospital); the models they need run.
  BlockEngine(const EngineOptions& options, const std::vector<Location>& locations,
              std::span<const Dataset> datasets);
  ~BlockEngine();
  BlockEngine(const BlockEngine&) = delete;
  BlockEngine& operator=(const BlockEngine&) = delete;

  // Simulates and formats the next block; false once all days are done.
  bool NextBlock();
  // The text of the last block for `dataset` (the first block starts with the
  // header). It stays valid until the second NextBlock call after this one, so
  // one block can be written out while the next is produced.
  std::string_view Text(Dataset dataset) const;
  const DatasetTally& Tally(Dataset dataset) const;
  // The line end `dataset` uses: "\r\n" for health in dirty mode, else "\n".
  std::string_view LineEnd(Dataset dataset) const;

  int64_t days_done() const { return next_day_; }
  int64_t total_days() const { return options_.days; }
  int days_per_block() const { return days_per_block_; }

 private:
  struct Impl;
  EngineOptions options_;
  int days_per_block_;
  int64_t next_day_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ch::gen
