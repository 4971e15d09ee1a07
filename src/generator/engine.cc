// The block engine of engine.h. Each worker owns a contiguous range of
// locations: it steps their models through the block (simulation is serial
// per location, so each location's numbers are independent of the others),
// then formats its locations' rows day by day into one fragment per day.
// The fragments are concatenated day-major, which yields (date, location)
// order, and fault line numbers are fixed up from the fragment row counts.
#include "generator/engine.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <system_error>
#include <thread>

#include "generator/calendar.h"
#include "generator/faults.h"
#include "generator/health.h"
#include "generator/rows.h"
#include "generator/weather.h"

namespace ch::gen {
namespace {

// Days simulated before the start so lag windows are full on day one.
constexpr int kSpinUpDays = 64;
constexpr int kLocationDaysPerBlock = 1 << 17;

}  // namespace

// BlockEngine::Impl holds these, so they live in a named namespace (a member
// whose type has internal linkage would tie Impl to this one file).
namespace engine_internal {

class LocationSim {
 public:
  LocationSim(const Location& location, uint64_t seed, int start_year, bool health, bool hospital)
      : weather_(location, seed) {
    if (health || hospital) health_.emplace(location, seed);
    if (hospital) hospital_.emplace(location, seed, start_year);
  }

  void Step(const DayInfo& day, DayRecord* out) {
    out->climate = weather_.Step(day);
    if (health_) out->health = health_->Step(day, out->climate);
    if (hospital_) out->hospital = hospital_->Step(day, out->health);
  }

 private:
  WeatherModel weather_;
  std::optional<HealthModel> health_;
  std::optional<HospitalModel> hospital_;
};

// One worker's text of one dataset for the current block.
struct Fragment {
  TextBuffer text;
  std::vector<size_t> day_offset;  // where each day's rows start in `text`
  std::vector<uint64_t> day_rows;  // rows written for each day
  std::vector<PendingFault> faults;
};

struct Worker {
  int first_location = 0;
  int end_location = 0;
  std::array<Fragment, 4> fragments;  // by Dataset
};

}  // namespace engine_internal

namespace {

using engine_internal::Fragment;
using engine_internal::LocationSim;
using engine_internal::Worker;

// Runs fn(0..n-1), fn(0) on the calling thread. If a thread cannot be
// started its share runs inline: slower, same result.
void RunParallel(int n, const std::function<void(int)>& fn) {
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) {
    try {
      threads.emplace_back(fn, i);
    } catch (const std::system_error&) {
      fn(i);
    }
  }
  fn(0);
  for (std::thread& t : threads) t.join();
}

size_t Index(Dataset dataset) { return static_cast<size_t>(dataset); }

}  // namespace

struct BlockEngine::Impl {
  Impl(const EngineOptions& options, const std::vector<Location>& locs,
       std::span<const Dataset> wanted, int days_per_block)
      : locations(locs),
        datasets(wanted.begin(), wanted.end()),
        planner(options.dirty, options.seed, options.fault_rate, options.days,
                static_cast<int>(locs.size()), days_per_block) {}

  void Simulate(Worker& worker);
  void Format(Worker& worker, Dataset dataset);
  void FormatSlot(Dataset dataset, int d, int loc, Fragment& out, uint64_t& rows);
  void Merge(Dataset dataset);

  const std::vector<Location>& locations;
  std::vector<Dataset> datasets;
  FaultPlanner planner;
  std::vector<LocationSim> sims;
  std::vector<DayRecord> records;  // [location * days_per_block + day in block]
  std::vector<DayInfo> spin_up_days;
  std::vector<DayInfo> days;  // of the current block
  int64_t block_first = 0;
  int days_per_block = 0;
  bool spun_up = false;
  std::vector<Worker> workers;
  // Two sets, alternating by block, so a consumer may still be writing the
  // previous block's text while the next one is produced.
  std::array<std::array<TextBuffer, 4>, 2> text;
  int current = 0;
  std::array<DatasetTally, 4> tallies;
  std::array<std::string, 4> line_end;
};

void BlockEngine::Impl::Simulate(Worker& worker) {
  DayRecord scratch;
  for (int loc = worker.first_location; loc < worker.end_location; ++loc) {
    if (!spun_up) {
      for (const DayInfo& day : spin_up_days) sims[loc].Step(day, &scratch);
    }
    DayRecord* out = &records[static_cast<size_t>(loc) * days_per_block];
    for (const DayInfo& day : days) sims[loc].Step(day, out++);
  }
}

void BlockEngine::Impl::FormatSlot(Dataset dataset, int d, int loc, Fragment& out, uint64_t& rows) {
  const int64_t day = block_first + d;
  const DayRecord& record = records[static_cast<size_t>(loc) * days_per_block + d];
  const std::string_view code = locations[loc].code;
  const std::string_view eol = line_end[Index(dataset)];
  const std::optional<FaultKind> kind = planner.At(dataset, day, loc);
  if (!kind) {
    AppendRow(dataset, days[d], code, record, eol, out.text);
    ++rows;
  } else if (*kind != FaultKind::kOutOfOrder) {
    const size_t before = out.faults.size();
    rows += WriteFaultyRows(dataset, *kind, planner.Detail(dataset, day, loc), days[d], code,
                            record, eol, rows, out.text, out.faults);
    for (size_t i = before; i < out.faults.size(); ++i) out.faults[i].fragment = d;
  }
  // A row held back from yesterday lands after this location's row of today.
  if (d > 0 && planner.At(dataset, day - 1, loc) == FaultKind::kOutOfOrder) {
    const DayInfo& yesterday = days[d - 1];
    const DayRecord& held = records[static_cast<size_t>(loc) * days_per_block + d - 1];
    AppendRow(dataset, yesterday, code, held, eol, out.text);
    PendingFault moved;
    moved.record.dataset = dataset;
    moved.record.kind = FaultKind::kOutOfOrder;
    moved.record.date = yesterday.DateText();
    moved.record.location_code = code;
    moved.fragment = d;
    moved.row = rows++;
    out.faults.push_back(std::move(moved));
  }
}

void BlockEngine::Impl::Format(Worker& worker, Dataset dataset) {
  Fragment& out = worker.fragments[Index(dataset)];
  out.text.clear();
  out.faults.clear();
  out.day_offset.assign(days.size(), 0);
  out.day_rows.assign(days.size(), 0);
  for (size_t d = 0; d < days.size(); ++d) {
    out.day_offset[d] = out.text.size();
    uint64_t rows = 0;
    for (int loc = worker.first_location; loc < worker.end_location; ++loc) {
      FormatSlot(dataset, static_cast<int>(d), loc, out, rows);
    }
    out.day_rows[d] = rows;
  }
}

// Concatenates the fragments day-major and turns fragment-relative fault
// rows into file line numbers (line 1 is the header, data rows from line 2).
void BlockEngine::Impl::Merge(Dataset dataset) {
  const size_t i = Index(dataset);
  TextBuffer& out = text[current][i];
  DatasetTally& tally = tallies[i];
  out.clear();
  if (block_first == 0) out.Append(HeaderLine(dataset, line_end[i]));
  std::vector<size_t> cursor(workers.size(), 0);
  for (size_t d = 0; d < days.size(); ++d) {
    for (size_t w = 0; w < workers.size(); ++w) {
      const Fragment& f = workers[w].fragments[i];
      const size_t end = d + 1 < days.size() ? f.day_offset[d + 1] : f.text.size();
      out.Append(std::string_view(f.text.data() + f.day_offset[d], end - f.day_offset[d]));
      for (; cursor[w] < f.faults.size() && f.faults[cursor[w]].fragment == static_cast<int>(d);
           ++cursor[w]) {
        const PendingFault& pending = f.faults[cursor[w]];
        FaultRecord record = pending.record;
        record.line = tally.rows + pending.row + 2;
        if (pending.has_original) record.original_line = record.line - 1;
        ++tally.counts[static_cast<size_t>(record.kind)];
        tally.faults.push_back(std::move(record));
      }
      tally.rows += f.day_rows[d];
    }
  }
  tally.bytes += out.size();
}

BlockEngine::BlockEngine(const EngineOptions& options, const std::vector<Location>& locations,
                         std::span<const Dataset> datasets)
    : options_(options),
      days_per_block_(std::clamp(
          kLocationDaysPerBlock / std::max<int>(1, static_cast<int>(locations.size())), 8, 512)),
      impl_(std::make_unique<Impl>(options, locations, datasets, days_per_block_)) {
  Impl& impl = *impl_;
  impl.days_per_block = days_per_block_;
  const int start_year = MakeDayInfo(options.start).year;
  bool health = false, hospital = false;
  for (Dataset d : datasets) {
    health |= d == Dataset::kHealth;
    hospital |= d == Dataset::kHospital;
    impl.line_end[Index(d)] = options.dirty && d == Dataset::kHealth ? "\r\n" : "\n";
  }
  impl.sims.reserve(locations.size());
  for (const Location& loc : locations) {
    impl.sims.emplace_back(loc, options.seed, start_year, health, hospital);
  }
  impl.records.resize(locations.size() * days_per_block_);
  for (int i = kSpinUpDays; i > 0; --i) {
    impl.spin_up_days.push_back(MakeDayInfo(options.start - std::chrono::days{i}));
  }
  const int n = static_cast<int>(locations.size());
  const int threads = std::clamp(options.threads, 1, std::max(1, n));
  impl.workers.resize(threads);
  for (int w = 0; w < threads; ++w) {
    impl.workers[w].first_location = static_cast<int>(static_cast<int64_t>(n) * w / threads);
    impl.workers[w].end_location = static_cast<int>(static_cast<int64_t>(n) * (w + 1) / threads);
  }
}

BlockEngine::~BlockEngine() = default;

bool BlockEngine::NextBlock() {
  if (next_day_ >= options_.days) return false;
  Impl& impl = *impl_;
  impl.block_first = next_day_;
  const int64_t count = std::min<int64_t>(days_per_block_, options_.days - next_day_);
  impl.days.clear();
  for (int64_t d = 0; d < count; ++d) {
    impl.days.push_back(MakeDayInfo(options_.start + std::chrono::days{next_day_ + d}));
  }
  RunParallel(static_cast<int>(impl.workers.size()), [&impl](int w) {
    Worker& worker = impl.workers[w];
    impl.Simulate(worker);
    for (Dataset dataset : impl.datasets) impl.Format(worker, dataset);
  });
  impl.spun_up = true;
  impl.current ^= 1;
  for (Dataset dataset : impl.datasets) impl.Merge(dataset);
  next_day_ += count;
  return true;
}

std::string_view BlockEngine::Text(Dataset dataset) const {
  return impl_->text[impl_->current][Index(dataset)].view();
}

const DatasetTally& BlockEngine::Tally(Dataset dataset) const {
  return impl_->tallies[Index(dataset)];
}

std::string_view BlockEngine::LineEnd(Dataset dataset) const {
  return impl_->line_end[Index(dataset)];
}

}  // namespace ch::gen
