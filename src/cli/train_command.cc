// `climahealth train`: per disease, a risk classifier and a 14-day case
// forecaster on the current processed features, backtested with rolling
// origins; saved as new versions in the models bucket and made current.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "jobs/train/train_job.h"

namespace ch::cli {
namespace {

struct TrainArgs {
  train::TrainOptions options;
  bool no_switch = false;
  bool quiet = false;
};

double Num(const Json& doc, const char* key) {
  const Json& v = doc.value(key, Json());
  return v.is_number() ? v.get<double>() : NAN;
}

void PrintSummary(const train::TrainSummary& s, const train::TrainOptions& o) {
  std::fprintf(stderr,
               "train: %lld feature rows, %d locations, %s..%s, %.1f s; backtest: %d fold(s) x "
               "%d origin days\n",
               static_cast<long long>(s.rows), s.locations, s.first_date.c_str(),
               s.last_date.c_str(), s.seconds, o.folds, o.fold_days);
  std::fprintf(stderr, "  %-13s %8s %8s %9s | %7s %7s %7s %8s %9s\n", "disease", "AUC(h+)", "Brier",
               "Brier(4)", "MAE", "naive", "WIS", "cover80", "skill");
  for (const train::DiseaseResult& d : s.diseases) {
    const Json& r = d.risk_metrics;
    const Json& f = d.forecast_metrics;
    std::fprintf(stderr, "  %-13s %8.3f %8.3f %9.3f | %7.2f %7.2f %7.2f %8.3f %8.1f%%\n",
                 d.disease.c_str(), Num(r, "auc_high_plus"), Num(r, "brier_high_plus"),
                 Num(r, "brier_multiclass"), Num(f, "mae"), Num(f, "naive_mae"), Num(f, "wis"),
                 Num(f, "coverage"), 100 * Num(f, "skill_mae"));
  }
  std::fprintf(stderr,
               "  skill = 1 - MAE / seasonal-naive MAE; AUC and Brier: high or severe vs rest\n");
  for (const train::DiseaseResult& d : s.diseases) {
    std::fprintf(stderr, "  saved risk_%s %s, forecast_%s %s\n", d.disease.c_str(),
                 d.risk_version.c_str(), d.disease.c_str(), d.forecast_version.c_str());
  }
  std::fprintf(stderr, "  saved scaler %s; current pointers %s\n", s.scaler_version.c_str(),
               s.switched ? "switched" : "left unchanged (--no-switch)");
}

Status RunTrainCommand(CommandContext& ctx, TrainArgs& args) {
  args.options.set_current = !args.no_switch;
  const auto start = std::chrono::steady_clock::now();
  if (!args.quiet) {
    args.options.progress = [start](std::string_view stage, std::string_view message) {
      const double t =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "train [%6.1fs] %.*s: %.*s\n", t, static_cast<int>(stage.size()),
                   stage.data(), static_cast<int>(message.size()), message.data());
    };
  }
  ASSIGN_OR_RETURN(const Config* config, ctx.GetConfig());
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(train::TrainSummary summary,
                   train::RunTrain(*store, config->buckets, args.options));
  PrintSummary(summary, args.options);
  return Status::Ok();
}

}  // namespace

void AddTrainCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<TrainArgs>();
  train::TrainOptions& o = args->options;
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Train, per disease, the risk model (low/moderate/high/severe over the next 14 days,\n"
      "against the location's own seasonal baseline) and the daily case forecast (14 days,\n"
      "80% interval) on the current processed features; backtest them with rolling origins\n"
      "and print the metrics; save models/<name>/<version>/ and switch "
      "models/<name>/current.json.");
  cmd->add_option("--disease", o.diseases, "diseases to train (default: all five)")
      ->check(CLI::IsMember({"dengue", "malaria", "heat_illness", "respiratory", "diarrhoea"}));
  cmd->add_option("--rounds", o.num_rounds, "maximum boosting rounds")->capture_default_str();
  cmd->add_option("--max-depth", o.max_depth, "tree depth")->capture_default_str();
  cmd->add_option("--eta", o.eta, "learning rate")->capture_default_str();
  cmd->add_option("--threads", o.nthread, "XGBoost threads")->capture_default_str();
  cmd->add_option("--folds", o.folds, "backtest folds")->capture_default_str();
  cmd->add_option("--fold-days", o.fold_days, "origin days per backtest fold")
      ->capture_default_str();
  cmd->add_option("--interval", o.interval, "forecast interval coverage")->capture_default_str();
  cmd->add_flag("--no-switch", args->no_switch, "save the new versions but keep the current ones");
  cmd->add_flag("--quiet", args->quiet, "no progress lines");
  cmd->callback([&ctx, args] { ctx.exit_code = Report(RunTrainCommand(ctx, *args)); });
}

}  // namespace ch::cli
