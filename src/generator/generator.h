// The synthetic data generator: the four raw CSVs of spec/DATA.md, plausible
// and learnable, byte-for-byte reproducible from a seed, optionally dirty.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "generator/dataset.h"
#include "storage/object_store.h"

namespace ch::gen {

struct GeneratorOptions {
  int years = 1;                          // 1..200; the run covers [start, start + years)
  int districts_per_state = 0;            // 0..999 synthetic districts per state
  uint64_t seed = 1;                      // same options and seed → same bytes
  bool dirty = false;                     // inject the faults of FaultKind, and CRLF in health
  double fault_rate = 0.005;              // share of daily slots given a fault, 0..0.2
  std::string start_date = "2015-01-01";  // YYYY-MM-DD
  int threads = 0;                        // 0: one per hardware thread; never changes the output
};

// InvalidArgument naming the option and the accepted range.
Status ValidateOptions(const GeneratorOptions& options);

// What one file holds.
struct FileReport {
  Dataset dataset = Dataset::kLocations;
  uint64_t rows = 0;  // data rows, header excluded (added faulty rows included)
  uint64_t bytes = 0;
  std::string line_end = "\n";                           // "\r\n" for the health file in dirty mode
  std::array<uint64_t, kFaultKindCount> fault_counts{};  // by FaultKind
};

// What a run produced; the manifest is its JSON form.
struct GenerationReport {
  GeneratorOptions options;
  std::string end_date;  // last day generated, YYYY-MM-DD
  int64_t days = 0;
  uint64_t locations = 0;
  std::vector<FileReport> files;    // locations, climate, health, hospital
  std::vector<FaultRecord> faults;  // by file, then line
  double seconds = 0;               // wall time of the generation

  uint64_t TotalBytes() const;
  uint64_t TotalRows() const;
  // The manifest: options, per-file rows/bytes/line ends/fault counts, and
  // every injected fault with its file key, line, kind, date, location,
  // column and the text written. Keys use the raw bucket's "raw/…" names.
  std::string ManifestJson() const;
};

// Where the manifest goes: beside the data in the raw bucket ("raw/…"), or
// as _generator_manifest.json in an output directory.
inline constexpr std::string_view kManifestKey = "raw/_generator_manifest.json";

// Yields one file's bytes, generated on the fly a block at a time, so memory
// stays bounded whatever the size. report()/faults() are complete once Read
// has returned 0. Not thread-safe (it runs its own worker threads).
class DatasetSource : public ByteSource {
 public:
  ~DatasetSource() override;
  Result<size_t> Read(char* buf, size_t n) override;
  const FileReport& report() const;
  const std::vector<FaultRecord>& faults() const;

 private:
  friend Result<std::unique_ptr<DatasetSource>> OpenDataset(const GeneratorOptions&, Dataset);
  struct Impl;
  explicit DatasetSource(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Opens a source for one file. InvalidArgument for bad options.
Result<std::unique_ptr<DatasetSource>> OpenDataset(const GeneratorOptions& options,
                                                   Dataset dataset);

// Called with the bytes just generated; from the calling thread only.
using GenerateProgress = std::function<void(uint64_t bytes)>;

// Puts raw/locations.csv, raw/climate_data.csv, raw/health_data.csv,
// raw/hospital_data.csv and raw/_generator_manifest.json into `bucket` (each
// streamed through PutStream; existing objects are replaced). The three daily
// files come from one pass of the simulation, uploaded concurrently; if any
// upload fails, none of the others is committed short. `store` is borrowed.
Result<GenerationReport> GenerateToStore(const GeneratorOptions& options, ObjectStore& store,
                                         const std::string& bucket,
                                         const GenerateProgress& progress = {});

// Writes locations.csv, climate_data.csv, health_data.csv, hospital_data.csv
// and _generator_manifest.json directly in `dir` (created if missing; so
// `--out data/raw` gives the layout `migrate` reads). Each file is written
// under a temporary name and renamed into place when complete (no fsync).
// The three daily files come from one pass of the simulation.
Result<GenerationReport> GenerateToDirectory(const GeneratorOptions& options,
                                             const std::filesystem::path& dir,
                                             const GenerateProgress& progress = {});

}  // namespace ch::gen
