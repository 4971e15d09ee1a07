// The generator's public entry points: options, streaming sources, and
// writing the raw files to a store or a directory.
#include "generator/generator.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "generator/calendar.h"
#include "generator/engine.h"
#include "generator/internal.h"
#include "generator/regions.h"
#include "generator/rows.h"

namespace ch::gen {
Result<EngineOptions> ToEngineOptions(const GeneratorOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  ASSIGN_OR_RETURN(std::chrono::sys_days start, ParseIsoDate(options.start_date));
  EngineOptions engine;
  engine.seed = options.seed;
  engine.start = start;
  engine.days = (AddYears(start, options.years) - start).count();
  engine.threads = options.threads > 0
                       ? options.threads
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  engine.dirty = options.dirty;
  engine.fault_rate = options.fault_rate;
  return engine;
}

namespace {

FileReport ReportFromTally(Dataset dataset, const DatasetTally& tally, std::string_view eol) {
  FileReport report;
  report.dataset = dataset;
  report.rows = tally.rows;
  report.bytes = tally.bytes;
  report.line_end = std::string(eol);
  report.fault_counts = tally.counts;
  return report;
}

}  // namespace

Status ValidateOptions(const GeneratorOptions& options) {
  if (options.years < 1 || options.years > 200) {
    return Status::InvalidArgument("--years " + std::to_string(options.years) +
                                   ": expected 1 to 200");
  }
  if (options.districts_per_state < 0 || options.districts_per_state > 999) {
    return Status::InvalidArgument("--districts-per-state " +
                                   std::to_string(options.districts_per_state) +
                                   ": expected 0 to 999");
  }
  if (!(options.fault_rate >= 0 && options.fault_rate <= 0.2)) {
    return Status::InvalidArgument("--fault-rate " + std::to_string(options.fault_rate) +
                                   ": expected 0 to 0.2");
  }
  if (options.threads < 0 || options.threads > 256) {
    return Status::InvalidArgument("--threads " + std::to_string(options.threads) +
                                   ": expected 0 (automatic) to 256");
  }
  Result<std::chrono::sys_days> start = ParseIsoDate(options.start_date);
  if (!start.ok()) return start.status().WithContext("--start-date");
  return Status::Ok();
}

// ---- DatasetSource ----------------------------------------------------------

struct DatasetSource::Impl {
  Dataset dataset;
  std::vector<Location> locations;
  std::unique_ptr<BlockEngine> engine;  // null for locations.csv
  std::string whole;                    // locations.csv's text
  std::string_view pending;             // bytes not yet read
  bool started = false;
  bool done = false;
  FileReport report;
  std::vector<FaultRecord> faults;

  void Finish() {
    done = true;
    if (!engine) {
      report.dataset = dataset;
      report.rows = locations.size();
      report.bytes = whole.size();
      return;
    }
    report = ReportFromTally(dataset, engine->Tally(dataset), engine->LineEnd(dataset));
    faults = engine->Tally(dataset).faults;
  }

  // Makes `pending` non-empty, or marks the end.
  void Refill() {
    while (pending.empty() && !done) {
      if (!engine) {
        if (started) {
          Finish();
        } else {
          pending = whole;
        }
      } else if (engine->NextBlock()) {
        pending = engine->Text(dataset);
      } else {
        Finish();
      }
      started = true;
    }
  }
};

DatasetSource::DatasetSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DatasetSource::~DatasetSource() = default;

Result<size_t> DatasetSource::Read(char* buf, size_t n) {
  impl_->Refill();
  const size_t take = std::min(n, impl_->pending.size());
  std::copy_n(impl_->pending.data(), take, buf);
  impl_->pending.remove_prefix(take);
  return take;
}

const FileReport& DatasetSource::report() const { return impl_->report; }
const std::vector<FaultRecord>& DatasetSource::faults() const { return impl_->faults; }

Result<std::unique_ptr<DatasetSource>> OpenDataset(const GeneratorOptions& options,
                                                   Dataset dataset) {
  ASSIGN_OR_RETURN(EngineOptions engine_options, ToEngineOptions(options));
  auto impl = std::make_unique<DatasetSource::Impl>();
  impl->dataset = dataset;
  impl->locations = BuildLocations(options.districts_per_state, options.seed);
  if (dataset == Dataset::kLocations) {
    impl->whole = LocationsCsv(impl->locations);
  } else {
    const Dataset wanted[] = {dataset};
    impl->engine = std::make_unique<BlockEngine>(engine_options, impl->locations, wanted);
  }
  return std::unique_ptr<DatasetSource>(new DatasetSource(std::move(impl)));
}

// ---- GenerationReport -------------------------------------------------------

uint64_t GenerationReport::TotalBytes() const {
  uint64_t sum = 0;
  for (const FileReport& f : files) sum += f.bytes;
  return sum;
}

uint64_t GenerationReport::TotalRows() const {
  uint64_t sum = 0;
  for (const FileReport& f : files) sum += f.rows;
  return sum;
}

}  // namespace ch::gen
