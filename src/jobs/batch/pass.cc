// A pass: parallel scans of the three daily files, then per-location
// cleaning and features on a small thread pool, streamed to the outputs in
// code order.
#include "jobs/batch/pass.h"

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>

#include "jobs/batch/clean.h"
#include "jobs/batch/features.h"
#include "storage/stream_uploads.h"

namespace ch::batch {
namespace {

using services::Dataset;
constexpr Dataset kDaily[3] = {Dataset::kClimate, Dataset::kHealth, Dataset::kHospital};
// Locations whose rows may wait for each output's upload (a few MB each).
constexpr size_t kLocationsWaitingPerOutput = 8;

struct LocationResult {
  std::array<std::string, kOutputCount> text;
  std::array<int64_t, kOutputCount> rows{};
  std::vector<Issue> issues;
  std::array<CleanStats, 3> stats{};
};

void ProcessLocation(const std::string& code, std::array<DatasetScan, 3>& scans, int slot,
                     int max_gap, LocationResult* out) {
  std::array<CleanSeries, 3> clean;
  for (int d = 0; d < 3; ++d) {
    Series& raw = scans[d].series[slot];
    clean[d] = CleanLocation(raw, kDaily[d], code, max_gap, &out->issues, &out->stats[d]);
    raw = Series{};  // free the raw rows as soon as they are cleaned
    AppendCleanedRows(clean[d], kDaily[d], code, &out->text[d]);
    out->rows[d] = static_cast<int64_t>(clean[d].dates.size());
  }
  out->rows[3] = AppendFeatureRows(code, clean[0], clean[1], clean[2], &out->text[3]);
}

int ThreadCount(const BatchOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Runs compute(i) for every i in [0, n) on a pool of `threads` and
// hand_over(i) on the calling thread in order of i, each as soon as its
// compute is done; computing runs at most a few items ahead of handing over,
// which bounds what waits in memory. Stops early when hand_over returns false.
void ComputeInOrder(int n, int threads, const std::function<void(int)>& compute,
                    const std::function<bool(int)>& hand_over) {
  threads = std::clamp(threads, 1, std::max(n, 1));
  const int window = 2 * threads + 2;
  std::vector<uint8_t> ready(n, 0);
  std::mutex mu;
  std::condition_variable changed;
  int claimed = 0;
  int handed = 0;
  bool stop = false;
  auto work = [&] {
    for (;;) {
      int i;
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [&] { return stop || claimed >= n || claimed < handed + window; });
        if (stop || claimed >= n) return;
        i = claimed++;
      }
      compute(i);
      std::lock_guard lock(mu);
      ready[i] = 1;
      changed.notify_all();
    }
  };
  std::vector<std::jthread> pool;
  pool.reserve(threads);
  try {
    for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  } catch (const std::system_error&) {
    // Fewer threads than asked: those started do the work.
  }
  if (pool.empty()) {  // no thread to be had: each item is computed here
    for (int i = 0; i < n; ++i) {
      compute(i);
      if (!hand_over(i)) return;
    }
    return;
  }
  for (int i = 0; i < n; ++i) {
    {
      std::unique_lock lock(mu);
      changed.wait(lock, [&] { return ready[i] != 0; });
    }
    const bool go_on = hand_over(i);
    std::lock_guard lock(mu);
    handed = i + 1;
    stop = !go_on;
    changed.notify_all();
    if (stop) break;
  }
}

Status ScanAll(ObjectStore& store, const std::array<DailyFile, 3>& daily,
               const LocationIndex& locations, const PassScope& scope,
               std::array<DatasetScan, 3>* scans) {
  std::array<Status, 3> status;
  std::vector<std::thread> threads;
  threads.reserve(3);
  for (int d = 0; d < 3; ++d) {
    threads.emplace_back([&, d] {
      status[d] = ScanDataset(store, daily[d], kDaily[d], locations, scope, &(*scans)[d]);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : status) RETURN_IF_ERROR(s);
  return Status::Ok();
}

}  // namespace

Status RunPass(ObjectStore& store, const std::array<DailyFile, 3>& daily,
               const LocationIndex& locations, const PassScope& scope, const BatchOptions& options,
               const PassTarget& target, ShardResult* shard) {
  std::array<DatasetScan, 3> scans;
  RETURN_IF_ERROR(ScanAll(store, daily, locations, scope, &scans));
  int32_t data_date = INT32_MIN;
  for (const DatasetScan& scan : scans) data_date = std::max(data_date, scan.max_date);
  ASSIGN_OR_RETURN(auto keys, target.keys(data_date));
  std::vector<ObjectRef> refs;
  refs.reserve(keys.size());
  for (const std::string& key : keys) refs.push_back({target.bucket, key, ""});
  PutOptions put;
  put.content_type = "text/csv";
  StreamUploads uploads(store, std::move(refs), put, kLocationsWaitingPerOutput, "batch");
  if (Status started = uploads.Start(); !started.ok()) return uploads.Finish(started);
  bool flowing = true;  // false once an upload stopped early or on an interrupt
  std::array<std::string, kOutputCount> headers;
  if (target.whole_outputs) {
    for (int o = 0; o < kOutputCount && flowing; ++o) {
      headers[o] = OutputHeader(o);
      flowing = uploads.Push(o, headers[o]);
    }
  }

  for (int d = 0; d < 3; ++d) {
    const int file = FileOf(kDaily[d]);
    shard->max_date = std::max(shard->max_date, scans[d].max_date);
    shard->rows_in[file] += scans[d].rows_in;
    for (Issue& i : scans[d].issues) shard->issues.push_back(std::move(i));
  }
  const int n = scope.last - scope.first;
  std::vector<LocationResult> results(n);
  std::array<Part, kOutputCount> parts;
  auto compute = [&](int i) {
    ProcessLocation(locations.codes[scope.first + i], scans, i, options.max_gap_days, &results[i]);
  };
  auto hand_over = [&](int i) {
    LocationResult& r = results[i];
    const std::string& code = locations.codes[scope.first + i];
    for (int o = 0; o < kOutputCount && flowing; ++o) {
      parts[o].ranges.push_back({code, {parts[o].size, r.text[o].size()}});
      parts[o].size += r.text[o].size();
      parts[o].rows += r.rows[o];
      flowing = uploads.Push(o, std::move(r.text[o]));
    }
    for (int d = 0; d < 3; ++d) {
      shard->rows_kept[FileOf(kDaily[d])] += r.stats[d].kept;
      shard->rows_interpolated[FileOf(kDaily[d])] += r.stats[d].interpolated;
    }
    for (Issue& issue : r.issues) shard->issues.push_back(std::move(issue));
    r = LocationResult{};
    return flowing;
  };
  // Push stops the flow on an interrupt too; Finish then commits nothing.
  if (flowing) ComputeInOrder(n, ThreadCount(options), compute, hand_over);
  RETURN_IF_ERROR(uploads.Finish(Status::Ok()));
  for (int o = 0; o < kOutputCount; ++o) {
    parts[o].key = keys[o];
    if (target.whole_outputs) {
      parts[o].header_bytes = headers[o].size();
      parts[o].etag = uploads.stored()[o].etag;
    }
    shard->parts[o].push_back(std::move(parts[o]));
  }
  return Status::Ok();
}

}  // namespace ch::batch
