// CommandContext and the one Status → exit code table of the CLI.
#include "cli/command.h"

#include <cstdio>

#include "cli/store_factory.h"

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
  }
  return 1;
}

int Report(const Status& status) {
  if (!status.ok()) std::fprintf(stderr, "climahealth: %s\n", status.ToString().c_str());
  return ExitCodeFor(status);
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
    ASSIGN_OR_RETURN(store_, MakeStore(*config));
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
