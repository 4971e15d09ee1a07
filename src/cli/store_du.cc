// `climahealth store du`: objects and bytes per bucket or prefix.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/progress.h"
#include "cli/store_verbs.h"

namespace ch::cli {
namespace {

struct DuArgs {
  std::vector<std::string> targets;
};

void PrintUsage(const std::string& label, const Usage& usage) {
  std::string newest = usage.objects == 0 ? "-" : FormatTime(usage.newest);
  std::printf("%-40s %10llu objects %12s  (%llu bytes)  newest %s\n", label.c_str(),
              static_cast<unsigned long long>(usage.objects), HumanBytes(usage.bytes).c_str(),
              static_cast<unsigned long long>(usage.bytes), newest.c_str());
}

Status RunDu(CommandContext& ctx, DuArgs args) {
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  if (args.targets.empty()) args.targets = {"s3://raw", "s3://processed", "s3://models"};
  std::printf("store: %s\n", store->Describe().c_str());
  Usage total;
  for (const std::string& target : args.targets) {
    ASSIGN_OR_RETURN(Location loc, ParseLocation(target));
    if (!loc.is_object)
      return Status::InvalidArgument("du takes s3://BUCKET[/PREFIX], not '" + target + "'");
    ASSIGN_OR_RETURN(ObjectRef ref, ToObjectRef(ctx, loc));
    ASSIGN_OR_RETURN(Usage usage, store->Size(ref.bucket, ref.key));
    PrintUsage("s3://" + ref.bucket + "/" + ref.key, usage);
    total.objects += usage.objects;
    total.bytes += usage.bytes;
    if (usage.newest > total.newest) total.newest = usage.newest;
  }
  if (args.targets.size() > 1) PrintUsage("total", total);
  return Status::Ok();
}

}  // namespace

void AddStoreDu(CLI::App& store, CommandContext& ctx) {
  auto args = std::make_shared<DuArgs>();
  CLI::App* du = store.add_subcommand(
      "du", "Count objects and bytes in the three buckets, or under the given prefixes.");
  du->add_option("targets", args->targets,
                 "s3://BUCKET[/PREFIX] ... (default: raw, processed, models)");
  du->callback([&ctx, args] { ctx.exit_code = Report(RunDu(ctx, *args)); });
}

}  // namespace ch::cli
