// Writing a generated data set: to an ObjectStore (streamed) or a directory.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>
#include <thread>

#include "core/interrupt.h"
#include "core/os_error.h"
#include "generator/calendar.h"
#include "generator/engine.h"
#include "generator/generator.h"
#include "generator/internal.h"
#include "generator/regions.h"
#include "generator/rows.h"

namespace ch::gen {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A file written under a temporary name and renamed into place by Commit;
// removed if destroyed before that.
class OutputFile {
 public:
  explicit OutputFile(fs::path path) : path_(std::move(path)) {
    temp_ = path_;
    temp_ += ".tmp-generate";
  }
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_.c_str());
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  Status Open() {
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return fd_ >= 0 ? Status::Ok() : StatusFromErrno(errno, "create " + temp_.string());
  }
  Status Write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t put = ::write(fd_, bytes.data(), bytes.size());
      if (put < 0) {
        if (errno == EINTR) continue;
        return StatusFromErrno(errno, "write " + temp_.string());
      }
      bytes.remove_prefix(static_cast<size_t>(put));
    }
    return Status::Ok();
  }
  Status Commit() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return StatusFromErrno(errno, "close " + temp_.string());
    if (::rename(temp_.c_str(), path_.c_str()) != 0) {
      return StatusFromErrno(errno, "rename " + temp_.string() + " to " + path_.string());
    }
    committed_ = true;
    return Status::Ok();
  }

 private:
  fs::path path_;
  fs::path temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Writes one block's texts on its own thread, so writing overlaps producing
// the next block; the destructor waits.
class BackgroundWriter {
 public:
  ~BackgroundWriter() { Wait().IgnoreError(); }

  // Waits for the previous block, then starts writing `texts` to `files`.
  Status Start(std::vector<std::unique_ptr<OutputFile>>& files,
               std::vector<std::string_view> texts) {
    RETURN_IF_ERROR(Wait());
    auto write = [this, &files, texts = std::move(texts)] {
      for (size_t i = 0; i < texts.size() && status_.ok(); ++i) status_ = files[i]->Write(texts[i]);
    };
    try {
      thread_ = std::thread(write);
      return Status::Ok();
    } catch (const std::system_error&) {
      write();  // no thread to be had: write in line, slower but the same
      return status_;
    }
  }
  // The outcome of everything written so far.
  Status Wait() {
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  std::thread thread_;
  Status status_;
};

// Writes the three daily files from one pass of `engine`.
Status WriteDailyFiles(BlockEngine& engine, const fs::path& dir, const GenerateProgress& progress,
                       GenerationReport& report) {
  std::vector<std::unique_ptr<OutputFile>> files;
  for (Dataset dataset : kDailyDatasets) {
    files.push_back(std::make_unique<OutputFile>(dir / DatasetFileName(dataset)));
    RETURN_IF_ERROR(files.back()->Open());
  }
  {
    BackgroundWriter writer;
    while (engine.NextBlock()) {
      // The files are temporary until committed: stopping here leaves none.
      if (Interrupted()) return InterruptedStatus("generate");
      std::vector<std::string_view> texts;
      texts.reserve(kDailyDatasets.size());
      for (Dataset dataset : kDailyDatasets) texts.push_back(engine.Text(dataset));
      RETURN_IF_ERROR(writer.Start(files, texts));
      if (progress) {
        for (std::string_view text : texts) progress(text.size());
      }
    }
    RETURN_IF_ERROR(writer.Wait());
  }
  for (size_t i = 0; i < kDailyDatasets.size(); ++i) {
    RETURN_IF_ERROR(files[i]->Commit());
    const Dataset dataset = kDailyDatasets[i];
    const DatasetTally& tally = engine.Tally(dataset);
    report.files.push_back(FileReport{dataset, tally.rows, tally.bytes,
                                      std::string(engine.LineEnd(dataset)), tally.counts});
    report.faults.insert(report.faults.end(), tally.faults.begin(), tally.faults.end());
  }
  return Status::Ok();
}

}  // namespace

Result<GenerationReport> StartReport(const GeneratorOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  ASSIGN_OR_RETURN(std::chrono::sys_days start, ParseIsoDate(options.start_date));
  const std::chrono::sys_days end = AddYears(start, options.years);
  GenerationReport report;
  report.options = options;
  report.days = (end - start).count();
  report.end_date = FormatIsoDate(end - std::chrono::days{1});
  return report;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Result<GenerationReport> GenerateToDirectory(const GeneratorOptions& options, const fs::path& dir,
                                             const GenerateProgress& progress) {
  const Clock::time_point start = Clock::now();
  ASSIGN_OR_RETURN(GenerationReport report, StartReport(options));
  ASSIGN_OR_RETURN(EngineOptions engine_options, ToEngineOptions(options));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return StatusFromErrno(ec.value(), "create directory " + dir.string());

  const std::vector<Location> locations = BuildLocations(options.districts_per_state, options.seed);
  const std::string locations_csv = LocationsCsv(locations);
  OutputFile locations_file(dir / DatasetFileName(Dataset::kLocations));
  RETURN_IF_ERROR(locations_file.Open());
  RETURN_IF_ERROR(locations_file.Write(locations_csv));
  if (progress) progress(locations_csv.size());
  report.files.push_back(FileReport{Dataset::kLocations, locations.size(), locations_csv.size()});
  report.locations = locations.size();

  BlockEngine engine(engine_options, locations, kDailyDatasets);
  RETURN_IF_ERROR(WriteDailyFiles(engine, dir, progress, report));
  // Committed after the daily files: a run stopped before them leaves the old data set whole.
  RETURN_IF_ERROR(locations_file.Commit());
  report.seconds = SecondsSince(start);
  OutputFile manifest(dir / fs::path(kManifestKey).filename());
  RETURN_IF_ERROR(manifest.Open());
  RETURN_IF_ERROR(manifest.Write(report.ManifestJson()));
  RETURN_IF_ERROR(manifest.Commit());
  return report;
}

}  // namespace ch::gen
