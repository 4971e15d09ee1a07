// The climahealth binary: global flags, then one subcommand per job or tool.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command.h"

namespace {

constexpr const char* kExitCodes =
    "Exit codes: 0 ok, 1 internal error, 2 invalid argument or usage, 3 not found,\n"
    "4 precondition failed or already exists, 5 permission denied, 6 unavailable (retry),\n"
    "7 corrupt data, 8 I/O error, 9 not supported.\n"
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"climahealth: climate-health early warning on object storage.", "climahealth"};
  app.set_version_flag("--version", "climahealth 0.1.0");
  app.footer(kExitCodes);
  app.require_subcommand(1);
  ch::cli::CommandContext ctx;
  AddGlobalFlags(app, ctx.overrides());
  ch::cli::AddStoreCommand(app, ctx);
  ch::cli::AddGenerateCommand(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return ctx.exit_code;
}
