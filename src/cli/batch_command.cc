// `climahealth batch`: raw CSVs → validated, cleaned, featured processed data
// (docs/DATA.md), whole, one shard (--shard i/n), or the merge of shards.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "jobs/batch/batch_job.h"

namespace ch::cli {
namespace {

struct BatchArgs {
  std::string shard;  // "i/n"
  bool merge = false;
  int max_gap_days = 3;
  uint64_t memory_mb = 0;
  int threads = 0;
  bool force = false;
  bool quiet = false;
};

Status ParseShard(const std::string& text, batch::BatchOptions* o) {
  const size_t slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument(text);
    size_t used = 0;
    o->shard_index = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument(text);
    o->shard_count = std::stoi(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    return Status::InvalidArgument("--shard '" + text + "': expected i/n, e.g. 0/4");
  }
  o->sharded = true;
  return Status::Ok();
}

void PrintSummary(const batch::BatchSummary& s) {
  if (s.up_to_date) {
    std::fprintf(stderr, "batch: up to date (inputs unchanged, fingerprint %s); nothing written\n",
                 s.fingerprint.c_str());
    return;
  }
  std::fprintf(stderr, "batch: data date %s, %d location group(s), %.2f s\n",
               s.data_date.empty() ? "(shard)" : s.data_date.c_str(), s.groups, s.seconds);
  std::fprintf(stderr, "  %-24s %10s %10s %10s %12s\n", "file", "rows in", "rows out", "rejected",
               "interpolated");
  for (int f = 0; f < batch::kFileCount; ++f) {
    std::fprintf(
        stderr, "  %-24s %10lld %10lld %10lld %12lld\n", std::string(batch::FileKey(f)).c_str(),
        static_cast<long long>(s.rows_in[f]),
        static_cast<long long>(s.rows_kept[f]) + static_cast<long long>(s.rows_interpolated[f]),
        static_cast<long long>(s.Rejected(f)), static_cast<long long>(s.rows_interpolated[f]));
    std::string rules;
    for (int r = 0; r < batch::kRuleCount; ++r) {
      if (s.rule_counts[f][r] == 0) continue;
      rules += (rules.empty() ? "" : ", ") +
               std::string(batch::RuleName(static_cast<batch::Rule>(r))) + " " +
               std::to_string(s.rule_counts[f][r]);
    }
    if (!rules.empty()) std::fprintf(stderr, "      %s\n", rules.c_str());
  }
  for (const std::string& key : s.written) std::fprintf(stderr, "  wrote %s\n", key.c_str());
}

Status RunBatchCommand(CommandContext& ctx, const BatchArgs& args) {
  batch::BatchOptions o;
  if (!args.shard.empty()) RETURN_IF_ERROR(ParseShard(args.shard, &o));
  o.merge = args.merge;
  o.max_gap_days = args.max_gap_days;
  o.memory_budget_bytes = args.memory_mb << 20;
  o.threads = args.threads;
  o.force = args.force;
  const auto start = std::chrono::steady_clock::now();
  if (!args.quiet) {
    o.progress = [start](std::string_view stage, std::string_view message) {
      const double t =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "batch [%6.1fs] %.*s: %.*s\n", t, static_cast<int>(stage.size()),
                   stage.data(), static_cast<int>(message.size()), message.data());
    };
  }
  ASSIGN_OR_RETURN(const Config* config, ctx.GetConfig());
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(batch::BatchSummary summary, batch::RunBatch(*store, config->buckets, o));
  PrintSummary(summary);
  return Status::Ok();
}

}  // namespace

void AddBatchCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<BatchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "batch",
      "Validate, clean, join and featurize the raw CSVs of the raw bucket into\n"
      "processed/<dataset>_<YYYYMMDD>.csv, processed/features_<YYYYMMDD>.csv,\n"
      "processed/validation_<YYYYMMDD>.json and processed/manifest.json (written last).");
  cmd->add_option("--shard", args->shard,
                  "process only shard i of n (0-based) of the sorted locations and write its\n"
                  "parts under processed/_shards/; run --merge when every shard is done");
  cmd->add_flag("--merge", args->merge, "assemble the shards of the current inputs");
  cmd->add_option("--max-gap-days", args->max_gap_days,
                  "interpolate gaps up to this many days (longer ones are reported)")
      ->capture_default_str();
  cmd->add_option("--memory-mb", args->memory_mb,
                  "memory budget; larger inputs are processed in location groups\n"
                  "(0: half the memory available at the start, cgroup limit included)")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "worker threads (0: all cores)")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "recompute even if the manifest is up to date");
  cmd->add_flag("--quiet", args->quiet, "no progress lines");
  cmd->callback([&ctx, args] { ctx.exit_code = Report(RunBatchCommand(ctx, *args)); });
}

}  // namespace ch::cli
