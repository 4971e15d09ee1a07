// A pass: parallel scans of the three daily files, then per-location
// cleaning and features on a small thread pool, concatenated in code order.
#include "jobs/batch/pass.h"

#include <atomic>
#include <thread>

#include "jobs/batch/clean.h"
#include "jobs/batch/features.h"

namespace ch::batch {
namespace {

using services::Dataset;
constexpr Dataset kDaily[3] = {Dataset::kClimate, Dataset::kHealth, Dataset::kHospital};

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
  AppendFeatureRows(code, clean[0], clean[1], clean[2], &out->text[3]);
  out->rows[3] = static_cast<int64_t>(std::count(out->text[3].begin(), out->text[3].end(), '\n'));
}

int ThreadCount(const BatchOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

Status ScanAll(ObjectStore& store, const std::array<ObjectRef, 3>& daily,
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

Status RunPass(ObjectStore& store, const std::array<ObjectRef, 3>& daily,
               const LocationIndex& locations, const PassScope& scope, const BatchOptions& options,
               ShardResult* shard) {
  std::array<DatasetScan, 3> scans;
  RETURN_IF_ERROR(ScanAll(store, daily, locations, scope, &scans));
  const int n = scope.last - scope.first;
  std::vector<LocationResult> results(n);
  std::atomic<int> next{0};
  auto work = [&] {
    for (int i = next++; i < n; i = next++) {
      ProcessLocation(locations.codes[scope.first + i], scans, i, options.max_gap_days,
                      &results[i]);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min(ThreadCount(options), std::max(n, 1)); ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  for (int d = 0; d < 3; ++d) {
    const int file = FileOf(kDaily[d]);
    shard->max_date = std::max(shard->max_date, scans[d].max_date);
    shard->rows_in[file] += scans[d].rows_in;
    for (Issue& i : scans[d].issues) shard->issues.push_back(std::move(i));
  }
  for (int o = 0; o < kOutputCount; ++o) {
    Part part;
    part.pieces.reserve(n);
    for (int i = 0; i < n; ++i) {
      std::string& text = results[i].text[o];
      part.ranges.push_back({locations.codes[scope.first + i], {part.size, text.size()}});
      part.size += text.size();
      part.rows += results[i].rows[o];
      part.pieces.push_back(std::move(text));
    }
    shard->parts[o].push_back(std::move(part));
  }
  for (LocationResult& r : results) {
    for (int d = 0; d < 3; ++d) {
      shard->rows_kept[FileOf(kDaily[d])] += r.stats[d].kept;
      shard->rows_interpolated[FileOf(kDaily[d])] += r.stats[d].interpolated;
    }
    for (Issue& i : r.issues) shard->issues.push_back(std::move(i));
  }
  return Status::Ok();
}

}  // namespace ch::batch
