// `climahealth store`: registers the verbs and holds what they share.
#include <CLI/CLI.hpp>
#include <ctime>

#include "cli/store_verbs.h"

namespace ch::cli {

Result<ObjectRef> ToObjectRef(CommandContext& ctx, const Location& loc) {
  ASSIGN_OR_RETURN(std::string bucket, ctx.ResolveBucket(loc.bucket));
  return ObjectRef{std::move(bucket), loc.key, {}};
}

Result<ObjectRef> ParseObjectArgument(CommandContext& ctx, const std::string& text) {
  ASSIGN_OR_RETURN(Location loc, ParseLocation(text));
  if (!loc.is_object || loc.key.empty()) {
    return Status::InvalidArgument("'" + text + "' is not an object: expected s3://bucket/key");
  }
  return ToObjectRef(ctx, loc);
}

std::string FormatTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

void AddStoreCommand(CLI::App& app, CommandContext& ctx) {
  CLI::App* store = app.add_subcommand(
      "store", "Work with objects in the configured store (local directory or S3).");
  store->footer(
      "Objects are named like awscli: s3://BUCKET/KEY, where BUCKET may be a logical name\n"
      "(raw, processed, models) or a real bucket. With the local backend the same URI names\n"
      "the object in the local store. Anything else is a local path; '-' is stdin/stdout.");
  store->require_subcommand(1);
  AddStoreLs(*store, ctx);
  AddStoreCat(*store, ctx);
  AddStoreCp(*store, ctx);
  AddStoreRm(*store, ctx);
  AddStoreDu(*store, ctx);
  AddStoreStat(*store, ctx);
}

}  // namespace ch::cli
