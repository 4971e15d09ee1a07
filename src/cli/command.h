// What every `climahealth` subcommand shares: configuration, the store, and
// the one mapping from Status to exit code.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/status.h"
#include "obs/metrics.h"
#include "storage/object_store.h"

namespace CLI {
class App;
}

namespace ch::cli {

// Exit codes, one per StatusCode family; documented in `climahealth --help`.
int ExitCodeFor(const Status& status);

// Prints "climahealth: <message>" on stderr (nothing for ok) and returns
// ExitCodeFor(status).
int Report(const Status& status);

// Global observability flags: --log-format, --log-level, --metrics-file.
struct ObservabilityFlags {
  std::string log_format = "human";  // or "json": one JSON object per line on stderr
  std::string log_level = "info";    // debug, info, warn, error
  std::string metrics_file;          // Prometheus textfile written at exit; empty: none
};

// Global options and lazily built shared objects. One per process; not
// thread-safe (subcommands use it from the main thread only).
class CommandContext {
 public:
  CommandContext();
  ~CommandContext();

  // Global flags, filled by CLI11 before any subcommand runs.
  ConfigOverrides& overrides() { return overrides_; }
  ObservabilityFlags& observability() { return observability_; }

  // Configures the process-wide logger for `command` ("batch", "store cp")
  // from the flags and starts the command's clock. Called once parsing is
  // complete, before the subcommand runs.
  Status StartCommand(std::string command);
  // Ends the command: logs its outcome and duration, records them as metrics
  // and writes the metrics file atomically when --metrics-file was given.
  // Returns `exit_code`, or the file's error code when the file could not be
  // written and the command itself had succeeded.
  int FinishCommand(int exit_code);

  // The process's metrics registry: storage operations of GetStore()'s store
  // are counted here, and jobs may add their own series. Written by
  // --metrics-file; a server may expose it on /metrics.
  obs::MetricsRegistry& metrics() { return *metrics_; }

  // Loads the configuration once (defaults < file < environment < flags).
  Result<const Config*> GetConfig();
  // Builds the configured store once, counted in metrics(); the context owns it.
  Result<ObjectStore*> GetStore();
  // "raw" / "processed" / "models" → the configured real bucket name; any
  // other name is taken as a real bucket name.
  Result<std::string> ResolveBucket(std::string_view name);

  // The exit code the selected subcommand produced.
  int exit_code = 0;

 private:
  ConfigOverrides overrides_;
  ObservabilityFlags observability_;
  std::unique_ptr<obs::MetricsRegistry> metrics_;
  std::unique_ptr<Config> config_;
  std::unique_ptr<ObjectStore> backend_;  // the configured store
  std::unique_ptr<ObjectStore> store_;    // backend_ behind the metering decorator
  std::string command_;
  std::chrono::steady_clock::time_point started_{};
};

// Each subcommand file defines one of these; main.cc calls them all.
void AddStoreCommand(CLI::App& app, CommandContext& ctx);
void AddGenerateCommand(CLI::App& app, CommandContext& ctx);
void AddMigrateCommand(CLI::App& app, CommandContext& ctx);
void AddBucketsCommand(CLI::App& app, CommandContext& ctx);
void AddBatchCommand(CLI::App& app, CommandContext& ctx);
void AddServeCommand(CLI::App& app, CommandContext& ctx);
void AddTrainCommand(CLI::App& app, CommandContext& ctx);
void AddModelsCommand(CLI::App& app, CommandContext& ctx);
// `predict`, `forecast` and `alerts` (predict_command.cc).
void AddPredictCommands(CLI::App& app, CommandContext& ctx);
void AddLambdaCommand(CLI::App& app, CommandContext& ctx);
// Whether the process should run the Lambda loop: invoked as `bootstrap`, or with
// AWS_LAMBDA_RUNTIME_API set and no arguments.
bool ShouldRunLambda(int argc, char** argv);

}  // namespace ch::cli
