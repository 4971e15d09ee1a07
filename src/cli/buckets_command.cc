// `climahealth buckets init|check`: provisions the three buckets with the
// platform's policy, and reports how each bucket differs from it.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "obs/log.h"
#include "ops/bucket_policy.h"

namespace ch::cli {
namespace {

struct BucketsArgs {
  ops::BucketPolicyOptions policy;
  bool version_all = false;
  bool no_public_access_block = false;
  std::string sse = "AES256";
  std::string storage_class = "GLACIER";
};

Result<std::vector<ops::ExpectedBucket>> Expected(CommandContext& ctx, BucketsArgs args) {
  args.policy.version_raw = args.policy.version_processed = args.version_all;
  args.policy.block_public_access = !args.no_public_access_block;
  args.policy.sse_algorithm = args.sse == "none" ? "" : args.sse;
  args.policy.archive_storage_class = args.storage_class == "none" ? "" : args.storage_class;
  RETURN_IF_ERROR(ops::ValidatePolicyOptions(args.policy));
  ASSIGN_OR_RETURN(const Config* config, ctx.GetConfig());
  return ops::ExpectedPolicy(config->buckets, args.policy);
}

// Prints rows as columns padded to the widest cell; the last column is free.
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i + 1 < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

std::string Header(CommandContext& ctx, const std::string& verb, const std::string& store) {
  Result<const Config*> config = ctx.GetConfig();
  const std::string region = config.ok() ? (*config)->storage.region : "?";
  return "buckets " + verb + " on " + store + " (region " + region + ")";
}

Status RunInit(CommandContext& ctx, const BucketsArgs& args) {
  ASSIGN_OR_RETURN(std::vector<ops::ExpectedBucket> expected, Expected(ctx, args));
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(ops::InitReport report, ops::InitBuckets(*store, expected));
  std::printf("%s\n", Header(ctx, "init", report.store).c_str());
  std::vector<std::vector<std::string>> rows = {{"BUCKET", "SETTING", "RESULT", "DETAIL"}};
  int counts[4] = {0, 0, 0, 0};
  for (const ops::InitAction& a : report.actions) {
    rows.push_back({a.bucket, a.item, std::string(ops::ActionKindName(a.kind)), a.detail});
    ++counts[static_cast<int>(a.kind)];
    if (a.kind == ops::ActionKind::kCreated || a.kind == ops::ActionKind::kChanged) {
      obs::LogInfo("bucket setting applied", {{"bucket", a.bucket},
                                              {"setting", a.item},
                                              {"result", ops::ActionKindName(a.kind)},
                                              {"detail", a.detail}});
    }
  }
  PrintTable(rows);
  if (!report.Changed()) {
    std::printf(
        "buckets init: nothing to change: the buckets already match the policy (%d not "
        "supported by this store)\n",
        counts[3]);
  } else {
    std::printf("buckets init: %d created, %d changed, %d already as wanted, %d not supported\n",
                counts[0], counts[1], counts[2], counts[3]);
  }
  return Status::Ok();
}

Status RunCheck(CommandContext& ctx, const BucketsArgs& args) {
  ASSIGN_OR_RETURN(std::vector<ops::ExpectedBucket> expected, Expected(ctx, args));
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(ops::CheckReport report, ops::CheckBuckets(*store, expected));
  std::printf("%s\n", Header(ctx, "check", report.store).c_str());
  std::vector<std::vector<std::string>> rows = {
      {"BUCKET", "LOGICAL", "SETTING", "STATE", "EXPECTED", "ACTUAL"}};
  for (const ops::CheckItem& item : report.items) {
    rows.push_back({item.bucket, item.logical, item.item,
                    std::string(ops::ItemStateName(item.state)), item.expected, item.actual});
  }
  PrintTable(rows);
  std::printf("buckets check: %zu ok, %zu missing, %zu different, %zu not supported, %zu extra\n",
              report.Count(ops::ItemState::kOk), report.Count(ops::ItemState::kMissing),
              report.Count(ops::ItemState::kDifferent), report.Count(ops::ItemState::kUnsupported),
              report.Count(ops::ItemState::kExtra));
  return report.Verdict();
}

void AddPolicyFlags(CLI::App& cmd, BucketsArgs& args) {
  ops::BucketPolicyOptions& p = args.policy;
  cmd.add_flag("--version-all", args.version_all,
               "versioning on the raw and processed buckets too (always on for models)");
  cmd.add_option("--sse", args.sse, "default server-side encryption: AES256, aws:kms or none")
      ->check(CLI::IsMember({"AES256", "aws:kms", "none"}))
      ->capture_default_str();
  cmd.add_option("--kms-key-id", p.kms_key_id,
                 "KMS key for --sse aws:kms (default: the account's)");
  cmd.add_flag("--no-public-access-block", args.no_public_access_block,
               "do not require the public-access block");
  cmd.add_option("--noncurrent-model-days", p.noncurrent_model_days,
                 "noncurrent model versions expire after N days")
      ->capture_default_str();
  cmd.add_option("--archive-days", p.archive_days,
                 "predictions/, forecasts/, alerts/ move to the archive storage class after N days")
      ->capture_default_str();
  cmd.add_option("--archive-storage-class", args.storage_class,
                 "storage class to archive to; 'none' for servers without storage classes")
      ->capture_default_str();
  cmd.add_option("--expire-days", p.expire_days,
                 "without storage classes, those objects expire after N days instead")
      ->capture_default_str();
  cmd.add_option("--abort-multipart-days", p.abort_multipart_days,
                 "incomplete multipart uploads are aborted after N days")
      ->capture_default_str();
}

}  // namespace

void AddBucketsCommand(CLI::App& app, CommandContext& ctx) {
  CLI::App* buckets = app.add_subcommand(
      "buckets", "Create the raw, processed and models buckets and apply, or check, their policy.");
  buckets->require_subcommand(1);
  buckets->footer(
      "Bucket names and region come from the configuration ([buckets], [storage] region).\n"
      "The policy: versioning on models; default encryption; public access blocked; lifecycle\n"
      "rules: noncurrent models/ versions expire, predictions/ forecasts/ alerts/ archive to\n"
      "GLACIER (or expire where the server has no storage classes), incomplete multipart\n"
      "uploads abort. Settings a store cannot hold (the local store keeps versions itself and\n"
      "has no lifecycle, encryption or public-access settings) are reported, not failed.");
  auto args = std::make_shared<BucketsArgs>();
  CLI::App* init = buckets->add_subcommand(
      "init",
      "Create missing buckets and apply the policy. Idempotent: a second run changes nothing\n"
      "and says so. Lifecycle rules whose ids do not start with 'climahealth-' are kept.");
  AddPolicyFlags(*init, *args);
  init->callback([&ctx, args] { ctx.exit_code = Report(RunInit(ctx, *args)); });
  CLI::App* check = buckets->add_subcommand(
      "check",
      "Report, per bucket, each setting as ok, missing, different, not supported or extra.\n"
      "Exit code 3 when something required is missing, 4 when something differs.");
  AddPolicyFlags(*check, *args);
  check->callback([&ctx, args] { ctx.exit_code = Report(RunCheck(ctx, *args)); });
}

}  // namespace ch::cli
