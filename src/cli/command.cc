// CommandContext and the one Status → exit code table of the CLI.
#include "cli/command.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

#include "cli/store_factory.h"
#include "core/interrupt.h"
#include "obs/log.h"
#include "obs/metered_store.h"
#include "storage/posix_file.h"

namespace ch::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInternal:
      return 1;
    case StatusCode::kInvalidArgument:
      return 2;
    case StatusCode::kNotFound:
      return 3;
    case StatusCode::kAlreadyExists:
    case StatusCode::kPreconditionFailed:
      return 4;
    case StatusCode::kPermissionDenied:
      return 5;
    case StatusCode::kUnavailable:
      return 6;
    case StatusCode::kCorruption:
      return 7;
    case StatusCode::kIOError:
      return 8;
    case StatusCode::kNotSupported:
      return 9;
    case StatusCode::kCancelled:  // as a shell reports a command its signal ended
      return 128 + (InterruptSignal() != 0 ? InterruptSignal() : SIGINT);
  }
  return 1;
}

int Report(const Status& status) {
  if (status.ok()) return 0;
  if (obs::CurrentLogFormat() == obs::LogFormat::kJson) {
    obs::LogError(status.ToString(), {{"exit_code", ExitCodeFor(status)}});
  } else {
    std::fprintf(stderr, "climahealth: %s\n", status.ToString().c_str());
  }
  return ExitCodeFor(status);
}

CommandContext::CommandContext() : metrics_(std::make_unique<obs::MetricsRegistry>()) {}

// The store refers to the registry, so it goes first.
CommandContext::~CommandContext() {
  store_.reset();
  backend_.reset();
}

Status CommandContext::StartCommand(std::string command) {
  command_ = std::move(command);
  started_ = std::chrono::steady_clock::now();
  obs::LoggerOptions options;
  ASSIGN_OR_RETURN(options.format, obs::ParseLogFormat(observability_.log_format));
  ASSIGN_OR_RETURN(options.min_level, obs::ParseLogLevel(observability_.log_level));
  options.command = command_;
  obs::ConfigureLogging(std::move(options));
  // Only commands that poll the flag take over the signals: any other is
  // still ended by the first Ctrl-C, as a user expects.
  if (command_ == "store cp" || command_ == "store put" || command_ == "store get" ||
      command_ == "migrate" || command_ == "batch" || command_ == "generate" ||
      command_ == "train") {
    InstallInterruptHandlers();
  }
  return Status::Ok();
}

int CommandContext::FinishCommand(int exit_code) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const obs::Labels labels = {{"command", command_}};
  metrics_->GetGauge("ch_command_duration_seconds", "Wall time of the command's last run.", labels)
      .Set(seconds);
  metrics_->GetGauge("ch_command_exit_code", "Exit code of the command's last run (0: ok).", labels)
      .Set(exit_code);
  if (exit_code == 0) {
    metrics_
        ->GetGauge("ch_command_last_success_timestamp_seconds",
                   "Unix time at which the command last succeeded.", labels)
        .Set(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                 .count());
  }
  // Interactive users see failures from Report(); machines reading JSON get every end.
  const bool json = obs::CurrentLogFormat() == obs::LogFormat::kJson;
  const obs::LogLevel level = !json
                                  ? obs::LogLevel::kDebug
                                  : (exit_code != 0 ? obs::LogLevel::kError : obs::LogLevel::kInfo);
  obs::Log(level, "command finished",
           {{"exit_code", exit_code}, {"duration_ms", seconds * 1000.0}});
  if (observability_.metrics_file.empty()) return exit_code;
  const std::string& path = observability_.metrics_file;
  Status written = posix::ReplaceFile(path, path + ".tmp." + std::to_string(::getpid()),
                                      metrics_->Expose(), /*durable=*/true, "write metrics file");
  if (written.ok()) return exit_code;
  const int code = Report(written);
  return exit_code != 0 ? exit_code : code;
}

Result<const Config*> CommandContext::GetConfig() {
  if (!config_) {
    ASSIGN_OR_RETURN(Config config, LoadConfig(ProcessEnvironment(), overrides_));
    config_ = std::make_unique<Config>(std::move(config));
  }
  return config_.get();
}

Result<ObjectStore*> CommandContext::GetStore() {
  if (!store_) {
    ASSIGN_OR_RETURN(const Config* config, GetConfig());
    ASSIGN_OR_RETURN(backend_, MakeStore(*config));
    store_ = std::make_unique<obs::MeteredStore>(*backend_, *metrics_);
  }
  return store_.get();
}

Result<std::string> CommandContext::ResolveBucket(std::string_view name) {
  ASSIGN_OR_RETURN(const Config* config, GetConfig());
  Result<std::string> logical = config->LogicalBucket(name);
  if (logical.ok()) return logical;
  return std::string(name);
}

}  // namespace ch::cli
