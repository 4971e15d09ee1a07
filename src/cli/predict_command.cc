// `climahealth predict | forecast | alerts`: one run of the prediction jobs for
// every location (or one shard of them), or the merge of shard documents.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "jobs/predict/predict_job.h"
#include "table/date.h"

namespace ch::cli {
namespace {

struct PredictArgs {
  std::string kind;  // predictions | forecasts | alerts
  std::string date;
  std::string shard;
  int merge = 0;
  std::vector<std::string> diseases;
  bool json = false;
};

Result<jobs::PredictOptions> MakeOptions(const PredictArgs& args) {
  jobs::PredictOptions options;
  if (!args.date.empty()) {
    int32_t days = 0;
    if (!ParseIsoDate(args.date, &days)) {
      return Status::InvalidArgument("--date: " + DescribeBadDate(args.date));
    }
    options.date = days;
  }
  if (!args.shard.empty()) {
    ASSIGN_OR_RETURN(options.shard, jobs::ParseShard(args.shard));
  }
  options.diseases = args.diseases;
  return options;
}

void PrintResult(const jobs::JobResult& r, const std::string& bucket, bool json) {
  if (json) {
    std::printf("%s\n", r.ToJson().dump(2, ' ', false, Json::error_handler_t::replace).c_str());
    return;
  }
  std::fprintf(stderr, "%s %s: wrote s3://%s/%s: %lld records for %lld locations\n", r.kind.c_str(),
               FormatIsoDate(r.date).c_str(), bucket.c_str(), r.key.c_str(),
               static_cast<long long>(r.records), static_cast<long long>(r.locations));
  for (const auto& [name, version] : r.models) {
    std::fprintf(stderr, "  model %-22s %s\n", name.c_str(), version.c_str());
  }
  if (!r.missing_locations.empty()) {
    std::fprintf(stderr, "  %zu locations have no feature row on %s (first: %s)\n",
                 r.missing_locations.size(), FormatIsoDate(r.date).c_str(),
                 r.missing_locations.front().c_str());
  }
}

Status RunPredictCommand(CommandContext& ctx, const PredictArgs& args) {
  ASSIGN_OR_RETURN(jobs::PredictOptions options, MakeOptions(args));
  ASSIGN_OR_RETURN(const Config* config, ctx.GetConfig());
  ASSIGN_OR_RETURN(options.alerts, jobs::AlertOptionsFromConfig(*config));
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  if (args.merge > 0) {
    if (!args.shard.empty())
      return Status::InvalidArgument("--merge and --shard exclude each other");
    ASSIGN_OR_RETURN(jobs::JobResult r, jobs::MergeShards(*store, config->buckets, args.kind,
                                                          options.date, args.merge));
    PrintResult(r, config->buckets.processed, args.json);
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(jobs::JobResult r, jobs::RunJob(args.kind, *store, config->buckets, options));
  PrintResult(r, config->buckets.processed, args.json);
  return Status::Ok();
}

void AddJob(CLI::App& app, CommandContext& ctx, const std::string& verb, const std::string& kind,
            const std::string& description) {
  auto args = std::make_shared<PredictArgs>();
  args->kind = kind;
  CLI::App* cmd = app.add_subcommand(verb, description);
  cmd->add_option("--date", args->date,
                  "run date YYYY-MM-DD (default: the last date of the feature table)");
  cmd->add_option("--shard", args->shard,
                  "i/n: compute only shard i of n (locations split by a hash of their code);\n"
                  "writes <name>.shard-<i>-of-<n>.json beside the final document");
  cmd->add_option("--merge", args->merge,
                  "N: join the N shard documents of the date into the final document");
  cmd->add_option("--disease", args->diseases, "only this disease (repeatable; default all)");
  cmd->add_flag("--json", args->json, "print the run's summary as JSON on stdout");
  cmd->footer(
      "Models: the current versions (climahealth train). Input: processed/manifest.json\n"
      "(climahealth batch). Output and its keys: docs/DATA.md, \"Output documents\".");
  cmd->callback([&ctx, args] { ctx.exit_code = Report(RunPredictCommand(ctx, *args)); });
}

}  // namespace

void AddPredictCommands(CLI::App& app, CommandContext& ctx) {
  AddJob(app, ctx, "predict", "predictions",
         "Risk level (low/moderate/high/severe) of the next 14 days per location and disease\n"
         "-> predictions/<date>/risk.json");
  AddJob(app, ctx, "forecast", "forecasts",
         "Expected daily cases for the next 14 days with 80% intervals per location and\n"
         "disease -> forecasts/<date>/cases.json");
  AddJob(app, ctx, "alerts", "alerts",
         "Alerts (risk level, outbreak threshold, bed occupancy, heat wave; README \"Alerts\")\n"
         "-> alerts/<date>/alerts.json");
}

}  // namespace ch::cli
