// Writing a generated data set into an ObjectStore: one pass of the
// simulation feeds the three daily uploads at once through bounded pipes.
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "generator/block_pipe.h"
#include "generator/engine.h"
#include "generator/generator.h"
#include "generator/internal.h"
#include "generator/regions.h"
#include "generator/rows.h"

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

// One PutStream per daily file, each on its own thread reading its pipe.
class DailyUploads {
 public:
  DailyUploads(ObjectStore& store, const std::string& bucket) : store_(store), bucket_(bucket) {
    for (size_t i = 0; i < kDailyDatasets.size(); ++i) {
      pipes_.push_back(std::make_unique<BlockPipe>(kBlocksInFlight));
    }
    statuses_.resize(kDailyDatasets.size());
    failed_first_.resize(kDailyDatasets.size());
  }
  ~DailyUploads() { Finish(Status::Internal("generation stopped")).IgnoreError(); }

  Status Start() {
    for (size_t i = 0; i < kDailyDatasets.size(); ++i) {
      try {
        threads_.emplace_back([this, i] { Upload(i); });
      } catch (const std::system_error& e) {
        return Status::Internal(std::string("start upload thread: ") + e.what());
      }
    }
    return Status::Ok();
  }
  // False once any upload has stopped early (its error comes from Finish).
  bool Push(size_t i, std::string_view text) { return pipes_[i]->Push(std::string(text)); }

  // Ends every pipe with `outcome` (an error makes the uploads fail, so no
  // object is committed short), waits, and returns the first failure.
  Status Finish(const Status& outcome) {
    closing_ = true;
    for (auto& pipe : pipes_) pipe->Close(outcome);
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
    // The upload that failed on its own explains the run; the others only
    // echo `outcome`.
    for (size_t i = 0; i < statuses_.size(); ++i) {
      if (failed_first_[i]) return statuses_[i];
    }
    if (!outcome.ok()) return outcome;
    for (const Status& s : statuses_) RETURN_IF_ERROR(s);
    return Status::Ok();
  }

 private:
  void Upload(size_t i) {
    PutOptions put;
    put.content_type = "text/csv";
    const ObjectRef ref{bucket_, std::string(DatasetKey(kDailyDatasets[i])), {}};
    statuses_[i] = store_.PutStream(ref, *pipes_[i], put).status().WithContext("generate");
    failed_first_[i] = !statuses_[i].ok() && !closing_;
    pipes_[i]->Abandon();  // release the producer if the upload stopped early
  }

  ObjectStore& store_;
  const std::string& bucket_;
  std::vector<std::unique_ptr<BlockPipe>> pipes_;
  std::vector<Status> statuses_;
  std::deque<bool> failed_first_;  // not vector<bool>: written from several threads
  std::atomic<bool> closing_ = false;
  std::vector<std::thread> threads_;
};

Status StreamDailyFiles(BlockEngine& engine, ObjectStore& store, const std::string& bucket,
                        const GenerateProgress& progress, GenerationReport& report) {
  DailyUploads uploads(store, bucket);
  Status started = uploads.Start();
  if (!started.ok()) return uploads.Finish(started);
  bool flowing = true;
  while (flowing && engine.NextBlock()) {
    for (size_t i = 0; i < kDailyDatasets.size() && flowing; ++i) {
      const std::string_view text = engine.Text(kDailyDatasets[i]);
      flowing = uploads.Push(i, text);
      if (progress) progress(text.size());
    }
  }
  // A stopped upload has its own error; the others must not commit short.
  RETURN_IF_ERROR(uploads.Finish(flowing ? Status::Ok()
                                         : Status::Internal("another upload of this run failed")));
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
  RETURN_IF_ERROR(PutText(store, bucket, DatasetKey(Dataset::kLocations), locations_csv, "text/csv")
                      .WithContext("generate"));
  if (progress) progress(locations_csv.size());
  report.files.push_back(FileReport{Dataset::kLocations, locations.size(), locations_csv.size()});
  report.locations = locations.size();

  BlockEngine engine(engine_options, locations, kDailyDatasets);
  RETURN_IF_ERROR(StreamDailyFiles(engine, store, bucket, progress, report));
  report.seconds = SecondsSince(start);
  RETURN_IF_ERROR(PutText(store, bucket, kManifestKey, report.ManifestJson(), "application/json")
                      .WithContext("generate"));
  return report;
}

}  // namespace ch::gen
