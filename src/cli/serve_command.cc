// `climahealth serve`: the HTTP API and the dashboard's files, until SIGTERM
// or SIGINT, then a graceful shutdown (requests in flight finish).
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "api/api_server.h"
#include "cli/command.h"
#include "jobs/batch/batch_job.h"
#include "jobs/predict/predict_job.h"
#include "jobs/train/train_job.h"
#include "services/models/model_service.h"

namespace ch::cli {
namespace {

struct ServeArgs {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string static_dir;  // empty: web/dist when it exists
  int io_threads = 2;
};

// The jobs POST /api/jobs/{kind} can run in this binary.
api::JobRegistry Jobs(ObjectStore& store, const BucketNames& buckets,
                      const jobs::AlertOptions& alerts) {
  api::JobRegistry registry;
  registry["batch"] = [&store, buckets](const Json& params) -> Result<std::string> {
    batch::BatchOptions options;
    options.force = params.value("force", false);
    ASSIGN_OR_RETURN(batch::BatchSummary summary, batch::RunBatch(store, buckets, options));
    if (summary.up_to_date) return "up to date (data to " + summary.data_date + ")";
    return "processed data to " + summary.data_date + ", " +
           std::to_string(summary.written.size()) + " objects written";
  };
  registry["train"] = [&store, buckets](const Json&) -> Result<std::string> {
    ASSIGN_OR_RETURN(train::TrainSummary summary,
                     train::RunTrain(store, buckets, train::TrainOptions{}));
    return "trained " + std::to_string(summary.diseases.size()) + " diseases on " +
           std::to_string(summary.rows) + " rows (" + summary.first_date + " to " +
           summary.last_date + ")";
  };
  // The prediction jobs share the process-wide model cache.
  for (const char* kind : {"predict", "forecast", "alerts"}) {
    const std::string document = std::string(kind) == "predict"    ? "predictions"
                                 : std::string(kind) == "forecast" ? "forecasts"
                                                                   : "alerts";
    registry[kind] = [&store, buckets, document, alerts](const Json&) -> Result<std::string> {
      jobs::PredictOptions options;
      options.alerts = alerts;
      ASSIGN_OR_RETURN(jobs::JobResult result, jobs::RunJob(document, store, buckets, options));
      return "wrote " + result.key + " (" + std::to_string(result.records) + " records)";
    };
  }
  return registry;
}

Result<api::ApiServerOptions> ServerOptions(const Config& config, const ServeArgs& args) {
  api::ApiServerOptions options;
  options.listener.host = args.host;
  options.listener.port = args.port;
  options.listener.io_threads = args.io_threads;
  options.listener.worker_threads = config.api.worker_threads;
  options.listener.max_body_bytes = config.api.max_body_bytes;
  options.listener.request_timeout = std::chrono::seconds(config.api.request_timeout_seconds);
  options.api_key_sha256 = config.api.api_key_sha256;
  options.cors_origins = config.api.cors_origins;
  options.response_ttl = std::chrono::milliseconds(config.api.cache_ttl_ms);
  options.object_cache.ttl = std::chrono::milliseconds(config.api.cache_ttl_ms);
  std::error_code ec;
  if (!args.static_dir.empty()) {
    if (!std::filesystem::is_directory(args.static_dir, ec)) {
      return Status::NotFound("--static " + args.static_dir + ": no such directory");
    }
    options.static_dir = args.static_dir;
  } else if (std::filesystem::is_directory("web/dist", ec)) {
    options.static_dir = "web/dist";
  }
  return options;
}

Status RunServe(CommandContext& ctx, const ServeArgs& args) {
  ASSIGN_OR_RETURN(const Config* config, ctx.GetConfig());
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(api::ApiServerOptions options, ServerOptions(*config, args));
  ASSIGN_OR_RETURN(jobs::AlertOptions alerts, jobs::AlertOptionsFromConfig(*config));
  std::string static_dir = options.static_dir.empty() ? "none" : options.static_dir.string();
  // Block the stop signals before any server thread exists, so only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto models = std::make_shared<services::ModelService>(*store, config->buckets);
  ASSIGN_OR_RETURN(
      std::unique_ptr<api::ApiServer> server,
      api::ApiServer::Start(
          std::move(options), *store, config->buckets, ctx.metrics(),
          [models] { return models->ListModels(); }, Jobs(*store, config->buckets, alerts)));
  std::printf("climahealth serve: listening on %s (store %s, static files: %s)\n",
              server->url().c_str(), store->Describe().c_str(), static_dir.c_str());
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  std::fprintf(stderr, "climahealth serve: %s received, finishing requests in flight\n",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  server->Shutdown();
  return Status::Ok();
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the HTTP API (docs/api.md; /openapi.json, /docs) and the dashboard's files\n"
      "until SIGTERM or Ctrl-C. API keys, CORS origins and limits come from the [api] table\n"
      "of the configuration file.");
  cmd->add_option("--host", args->host, "address to listen on (loopback by default)")
      ->capture_default_str();
  cmd->add_option("--port", args->port, "port to listen on; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--static", args->static_dir,
                  "directory of the built dashboard (default: web/dist if it exists)");
  cmd->add_option("--io-threads", args->io_threads, "threads doing socket I/O")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->callback([&ctx, args] { ctx.exit_code = Report(RunServe(ctx, *args)); });
}

}  // namespace ch::cli
