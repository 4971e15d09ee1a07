// `climahealth store stat`: an object's size, ETag, dates, type and metadata.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/store_verbs.h"

namespace ch::cli {
namespace {

struct StatArgs {
  std::string object;
};

Status RunStat(CommandContext& ctx, const StatArgs& args) {
  ASSIGN_OR_RETURN(ObjectRef ref, ParseObjectArgument(ctx, args.object));
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(ObjectInfo info, store->Head(ref));
  std::printf("object:        s3://%s/%s\n", ref.bucket.c_str(), ref.key.c_str());
  std::printf("size:          %llu\n", static_cast<unsigned long long>(info.size));
  std::printf("etag:          %s\n", info.etag.c_str());
  std::printf("last-modified: %s UTC\n", FormatTime(info.last_modified).c_str());
  std::printf("content-type:  %s\n", info.content_type.c_str());
  if (!info.version_id.empty()) std::printf("version-id:    %s\n", info.version_id.c_str());
  for (const auto& [name, value] : info.metadata) {
    std::printf("metadata:      %s=%s\n", name.c_str(), value.c_str());
  }
  return Status::Ok();
}

}  // namespace

void AddStoreStat(CLI::App& store, CommandContext& ctx) {
  auto args = std::make_shared<StatArgs>();
  CLI::App* stat = store.add_subcommand("stat", "Show an object's size, ETag, dates and metadata.");
  stat->add_option("object", args->object, "s3://BUCKET/KEY")->required();
  stat->callback([&ctx, args] { ctx.exit_code = Report(RunStat(ctx, *args)); });
}

}  // namespace ch::cli
