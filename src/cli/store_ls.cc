// `climahealth store ls`: list buckets, or objects under a prefix.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/progress.h"
#include "cli/store_verbs.h"

namespace ch::cli {
namespace {

struct LsArgs {
  std::string target;
  bool recursive = false;
  bool human = false;
};

std::string SizeText(uint64_t size, bool human) {
  return human ? HumanBytes(size) : std::to_string(size);
}

Status ListBuckets(CommandContext& ctx) {
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  for (const char* logical : {"raw", "processed", "models"}) {
    ASSIGN_OR_RETURN(std::string bucket, ctx.ResolveBucket(logical));
    ASSIGN_OR_RETURN(bool exists, store->BucketExists(bucket));
    std::printf("%-10s s3://%s%s\n", logical, bucket.c_str(), exists ? "" : "  (missing)");
  }
  return Status::Ok();
}

Status RunLs(CommandContext& ctx, const LsArgs& args) {
  if (args.target.empty()) return ListBuckets(ctx);
  ASSIGN_OR_RETURN(Location loc, ParseLocation(args.target));
  if (!loc.is_object) {
    return Status::InvalidArgument("ls lists the store: give s3://bucket[/prefix], not '" +
                                   args.target + "'");
  }
  ASSIGN_OR_RETURN(ObjectRef ref, ToObjectRef(ctx, loc));
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ListOptions options;
  options.prefix = ref.key;
  if (!args.recursive) options.delimiter = "/";
  for (;;) {
    ASSIGN_OR_RETURN(ListPage page, store->List(ref.bucket, options));
    for (const std::string& prefix : page.common_prefixes) {
      std::printf("%30s %s\n", "PRE", prefix.c_str());
    }
    for (const ObjectInfo& info : page.objects) {
      std::printf("%s %10s %s\n", FormatTime(info.last_modified).c_str(),
                  SizeText(info.size, args.human).c_str(), info.key.c_str());
    }
    if (page.next_token.empty()) return Status::Ok();
    options.continuation_token = std::move(page.next_token);
  }
}

}  // namespace

void AddStoreLs(CLI::App& store, CommandContext& ctx) {
  auto args = std::make_shared<LsArgs>();
  CLI::App* ls = store.add_subcommand(
      "ls", "List the logical buckets, or the objects and prefixes under s3://BUCKET/PREFIX.");
  ls->add_option("target", args->target, "s3://BUCKET[/PREFIX]; omit to list the buckets");
  ls->add_flag("-r,--recursive", args->recursive, "list every key below the prefix");
  ls->add_flag("-H,--human-readable", args->human, "sizes in KiB/MiB/GiB");
  ls->callback([&ctx, args] { ctx.exit_code = Report(RunLs(ctx, *args)); });
}

}  // namespace ch::cli
