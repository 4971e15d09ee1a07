// The climahealth binary: global flags, then one subcommand per job or tool.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command.h"

namespace {

constexpr const char* kExitCodes =
    "Exit codes: 0 ok, 1 internal error, 2 invalid argument or usage, 3 not found,\n"
    "4 precondition failed or already exists, 5 permission denied, 6 unavailable (retry),\n"
    "7 corrupt data, 8 I/O error, 9 not supported; 130 (143) interrupted by SIGINT (SIGTERM):\n"
    "store cp/put/get, migrate, generate, batch and train then stop, abort their open\n"
    "multipart uploads and remove their temp files first, committing nothing half-made\n"
    "(a second interrupt quits at once).\n"
    "Configuration: defaults < TOML file (--config or CLIMAHEALTH_CONFIG) < environment\n"
    "(CLIMAHEALTH_STORE, CLIMAHEALTH_STORAGE_ROOT, CLIMAHEALTH_*_BUCKET, AWS_ENDPOINT_URL,\n"
    "AWS_REGION, AWS_PROFILE, ...) < these flags.";

void AddGlobalFlags(CLI::App& app, ch::ConfigOverrides& o) {
  app.add_option("--config", o.config_file, "TOML configuration file");
  app.add_option("--store", o.backend, "storage backend: local or s3")
      ->check(CLI::IsMember({"local", "s3"}));
  app.add_option("--root", o.root, "root directory of the local store (default ./var/store)");
  app.add_option("--endpoint", o.endpoint, "S3 endpoint URL (selects the s3 backend)");
  app.add_option("--region", o.region, "S3 region (default us-east-1)");
  app.add_option("--profile", o.profile, "AWS credentials profile");
  app.add_option("--concurrency", o.concurrency, "parallel requests per transfer");
}

void AddObservabilityFlags(CLI::App& app, ch::cli::ObservabilityFlags& o) {
  app.add_option("--log-format", o.log_format,
                 "log lines on stderr: human, or json (one object per line: time, level,\n"
                 "command, request_id, msg, fields)")
      ->check(CLI::IsMember({"human", "json"}))
      ->envname("CLIMAHEALTH_LOG_FORMAT")
      ->capture_default_str();
  app.add_option("--log-level", o.log_level, "least severe log level shown")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->envname("CLIMAHEALTH_LOG_LEVEL")
      ->capture_default_str();
  app.add_option("--metrics-file", o.metrics_file,
                 "write the command's Prometheus metrics to this file at exit (atomically; for\n"
                 "node_exporter's textfile collector)")
      ->envname("CLIMAHEALTH_METRICS_FILE");
}

// "store cp" for `climahealth --x store cp a b`: the chain of selected subcommands.
std::string SelectedCommand(const CLI::App& app) {
  std::string name;
  const CLI::App* current = &app;
  while (!current->get_subcommands().empty()) {
    current = current->get_subcommands().front();
    name += (name.empty() ? "" : " ") + current->get_name();
  }
  return name;
}

}  // namespace

int main(int argc, char** argv) {
  char lambda_verb[] = "lambda";
  char* lambda_argv[] = {argv[0], lambda_verb, nullptr};
  if (ch::cli::ShouldRunLambda(argc, argv)) {
    argc = 2;
    argv = lambda_argv;
  }
  CLI::App app{"climahealth: climate-health early warning on object storage.", "climahealth"};
  app.set_version_flag("--version", "climahealth 0.1.0");
  app.footer(kExitCodes);
  app.require_subcommand(1);
  ch::cli::CommandContext ctx;
  AddGlobalFlags(app, ctx.overrides());
  AddObservabilityFlags(app, ctx.observability());
  app.parse_complete_callback([&app, &ctx] {
    const ch::Status started = ctx.StartCommand(SelectedCommand(app));
    if (!started.ok()) throw CLI::ValidationError(started.message());
  });
  ch::cli::AddStoreCommand(app, ctx);
  ch::cli::AddGenerateCommand(app, ctx);
  ch::cli::AddMigrateCommand(app, ctx);
  ch::cli::AddBucketsCommand(app, ctx);
  ch::cli::AddBatchCommand(app, ctx);
  ch::cli::AddServeCommand(app, ctx);
  ch::cli::AddTrainCommand(app, ctx);
  ch::cli::AddModelsCommand(app, ctx);
  ch::cli::AddPredictCommands(app, ctx);
  ch::cli::AddLambdaCommand(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return ctx.FinishCommand(ctx.exit_code);
}
