// What every `climahealth` subcommand shares: configuration, the store, and
// the one mapping from Status to exit code.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/status.h"
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

// Global options and lazily built shared objects. One per process; not
// thread-safe (subcommands use it from the main thread only).
class CommandContext {
 public:
  // Global flags, filled by CLI11 before any subcommand runs.
  ConfigOverrides& overrides() { return overrides_; }

  // Loads the configuration once (defaults < file < environment < flags).
  Result<const Config*> GetConfig();
  // Builds the configured store once; the context owns it.
  Result<ObjectStore*> GetStore();
  // "raw" / "processed" / "models" → the configured real bucket name; any
  // other name is taken as a real bucket name.
  Result<std::string> ResolveBucket(std::string_view name);

  // The exit code the selected subcommand produced.
  int exit_code = 0;

 private:
  ConfigOverrides overrides_;
  std::unique_ptr<Config> config_;
  std::unique_ptr<ObjectStore> store_;
};

// Each subcommand file defines one of these; main.cc calls them all.
void AddStoreCommand(CLI::App& app, CommandContext& ctx);
void AddGenerateCommand(CLI::App& app, CommandContext& ctx);

}  // namespace ch::cli
