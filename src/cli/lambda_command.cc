// `climahealth lambda`: the AWS Lambda custom runtime loop (also entered when
// the binary runs as `bootstrap`, or with AWS_LAMBDA_RUNTIME_API set and no
// arguments).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "cli/command.h"
#include "jobs/predict/alert_rules.h"
#include "jobs/predict/model_cache.h"
#include "lambda/job_handler.h"
#include "lambda/runtime.h"

namespace ch::cli {
namespace {

struct LambdaArgs {
  std::string api;
  int64_t max_invocations = 0;
};

Status RunLambda(CommandContext& ctx, const LambdaArgs& args) {
  lambda::RuntimeOptions options;
  options.api = args.api;
  if (options.api.empty()) {
    const char* env = std::getenv("AWS_LAMBDA_RUNTIME_API");
    if (env != nullptr) options.api = env;
  }
  options.max_invocations = args.max_invocations;
  ASSIGN_OR_RETURN(auto client, lambda::RuntimeClient::Make(options));
  // Configuration and store are built once and stay warm across invocations;
  // a failure here is the function's init error.
  Result<const Config*> config = ctx.GetConfig();
  Result<ObjectStore*> store = config.ok() ? ctx.GetStore() : Result<ObjectStore*>(config.status());
  Result<jobs::AlertOptions> alerts = store.ok() ? jobs::AlertOptionsFromConfig(**config)
                                                 : Result<jobs::AlertOptions>(store.status());
  if (!alerts.ok()) {
    Status reported = client->ReportInitError(alerts.status());
    if (!reported.ok()) return reported;
    return alerts.status();
  }
  lambda::JobHandler handler(**store, (*config)->buckets, jobs::ModelCache::Default(), *alerts);
  return lambda::RunLoop(*client, handler.AsHandler());
}

}  // namespace

bool ShouldRunLambda(int argc, char** argv) {
  if (argc < 1 || argv[0] == nullptr) return false;
  const char* slash = std::strrchr(argv[0], '/');
  const char* name = slash != nullptr ? slash + 1 : argv[0];
  if (std::strcmp(name, "bootstrap") == 0) return true;
  return argc == 1 && std::getenv("AWS_LAMBDA_RUNTIME_API") != nullptr;
}

void AddLambdaCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<LambdaArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lambda",
      "Run as an AWS Lambda custom runtime: take invocations from the Runtime API and run\n"
      "predict / forecast / alerts for each event.");
  cmd->add_option("--runtime-api", args->api,
                  "host:port of the Runtime API (default: $AWS_LAMBDA_RUNTIME_API)");
  cmd->add_option("--max-invocations", args->max_invocations,
                  "stop after N invocations (default 0: run until the API goes away)");
  cmd->footer(
      "Event: {\"job\": \"predict\" | \"forecast\" | \"alerts\" | [..], \"date\": \"YYYY-MM-DD\",\n"
      "\"shard\": \"i/n\", \"diseases\": [..]} or {\"job\": \"merge\", \"kind\": \"alerts\",\n"
      "\"shards\": n}. Response: {\"results\": [{\"kind\", \"date\", \"key\", ...}]}.\n"
      "The binary also enters this loop when run as `bootstrap` (scripts/package-lambda.sh)\n"
      "or with AWS_LAMBDA_RUNTIME_API set and no arguments.");
  cmd->callback([&ctx, args] { ctx.exit_code = Report(RunLambda(ctx, *args)); });
}

}  // namespace ch::cli
