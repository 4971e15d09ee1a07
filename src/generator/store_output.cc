// Writing a generated data set into an ObjectStore: one pass of the
// simulation feeds the three daily uploads at once through bounded pipes.
#include <chrono>
#include <string>
#include <vector>

#include "generator/engine.h"
#include "generator/generator.h"
#include "generator/internal.h"
#include "generator/regions.h"
#include "generator/rows.h"
#include "storage/stream_uploads.h"

namespace ch::gen {
namespace {

// Blocks waiting per upload: enough to ride out a slow fsync, small enough
// that memory stays at a few blocks (~10 MB each at most).
constexpr size_t kBlocksInFlight = 4;

Status PutText(ObjectStore& store, const std::string& bucket, std::string_view key,
               std::string_view text, std::string content_type) {
  PutOptions put;
  put.content_type = std::move(content_type);
  return store.Put(ObjectRef{bucket, std::string(key), {}}, text, put).status();
}

Status StreamDailyFiles(BlockEngine& engine, ObjectStore& store, const std::string& bucket,
                        const GenerateProgress& progress, GenerationReport& report) {
  std::vector<ObjectRef> refs;
  refs.reserve(kDailyDatasets.size());
  for (Dataset dataset : kDailyDatasets)
    refs.push_back({bucket, std::string(DatasetKey(dataset)), {}});
  PutOptions put;
  put.content_type = "text/csv";
  StreamUploads uploads(store, std::move(refs), put, kBlocksInFlight, "stream the daily files");
  Status started = uploads.Start();
  if (!started.ok()) return uploads.Finish(started).WithContext("generate");
  // Push stops the flow when an upload fails or on an interrupt; Finish then
  // commits nothing.
  bool flowing = true;
  while (flowing && engine.NextBlock()) {
    for (size_t i = 0; i < kDailyDatasets.size() && flowing; ++i) {
      const std::string_view text = engine.Text(kDailyDatasets[i]);
      flowing = uploads.Push(i, std::string(text));
      if (progress) progress(text.size());
    }
  }
  RETURN_IF_ERROR(uploads.Finish(Status::Ok()).WithContext("generate"));
  for (Dataset dataset : kDailyDatasets) {
    const DatasetTally& tally = engine.Tally(dataset);
    report.files.push_back(FileReport{dataset, tally.rows, tally.bytes,
                                      std::string(engine.LineEnd(dataset)), tally.counts});
    report.faults.insert(report.faults.end(), tally.faults.begin(), tally.faults.end());
  }
  return Status::Ok();
}

}  // namespace

Result<GenerationReport> GenerateToStore(const GeneratorOptions& options, ObjectStore& store,
                                         const std::string& bucket,
                                         const GenerateProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(GenerationReport report, StartReport(options));
  ASSIGN_OR_RETURN(EngineOptions engine_options, ToEngineOptions(options));
  const std::vector<Location> locations = BuildLocations(options.districts_per_state, options.seed);
  const std::string locations_csv = LocationsCsv(locations);
  report.files.push_back(FileReport{Dataset::kLocations, locations.size(), locations_csv.size()});
  report.locations = locations.size();

  BlockEngine engine(engine_options, locations, kDailyDatasets);
  RETURN_IF_ERROR(StreamDailyFiles(engine, store, bucket, progress, report));
  // After the daily files: a run stopped before them leaves the old data set whole.
  RETURN_IF_ERROR(PutText(store, bucket, DatasetKey(Dataset::kLocations), locations_csv, "text/csv")
                      .WithContext("generate"));
  if (progress) progress(locations_csv.size());
  report.seconds = SecondsSince(start);
  RETURN_IF_ERROR(PutText(store, bucket, kManifestKey, report.ManifestJson(), "application/json")
                      .WithContext("generate"));
  return report;
}

}  // namespace ch::gen
