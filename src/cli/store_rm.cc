// `climahealth store rm`: delete an object, or every object under a prefix.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/store_verbs.h"

namespace ch::cli {
namespace {

struct RmArgs {
  std::string target;
  bool recursive = false;
};

// Deletes in batches of 1000 (S3's DeleteObjects limit) as the listing streams.
Status RemovePrefix(ObjectStore& store, const ObjectRef& prefix) {
  std::vector<std::string> batch;
  size_t removed = 0;
  size_t failed = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    ASSIGN_OR_RETURN(std::vector<KeyError> errors, store.DeleteMany(prefix.bucket, batch));
    for (const KeyError& e : errors) Report(e.status.WithContext("delete " + e.key));
    failed += errors.size();
    removed += batch.size() - errors.size();
    batch.clear();
    return Status::Ok();
  };
  // Continuation tokens resume after the last key listed, so deleting what
  // was already listed does not shift the pages still to come.
  RETURN_IF_ERROR(ForEachObject(store, prefix.bucket, prefix.key, [&](const ObjectInfo& info) {
    batch.push_back(info.key);
    return batch.size() == 1000 ? flush() : Status::Ok();
  }));
  RETURN_IF_ERROR(flush());
  std::fprintf(stderr, "removed %zu objects under s3://%s/%s\n", removed, prefix.bucket.c_str(),
               prefix.key.c_str());
  if (failed > 0) return Status::IOError(std::to_string(failed) + " deletions failed");
  return Status::Ok();
}

Status RunRm(CommandContext& ctx, const RmArgs& args) {
  ASSIGN_OR_RETURN(Location loc, ParseLocation(args.target));
  if (!loc.is_object) {
    return Status::InvalidArgument("rm removes objects: give s3://BUCKET/KEY, not '" + args.target +
                                   "'");
  }
  ASSIGN_OR_RETURN(ObjectRef ref, ToObjectRef(ctx, loc));
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  if (args.recursive) return RemovePrefix(*store, ref);
  if (ref.key.empty()) {
    return Status::InvalidArgument("'" + args.target + "' names a bucket; add --recursive");
  }
  return store->Delete(ref);
}

}  // namespace

void AddStoreRm(CLI::App& store, CommandContext& ctx) {
  auto args = std::make_shared<RmArgs>();
  CLI::App* rm = store.add_subcommand(
      "rm", "Delete an object (a missing object is not an error), or a prefix with -r.");
  rm->add_option("target", args->target, "s3://BUCKET/KEY or, with -r, s3://BUCKET/PREFIX")
      ->required();
  rm->add_flag("-r,--recursive", args->recursive, "delete every object under the prefix");
  rm->callback([&ctx, args] { ctx.exit_code = Report(RunRm(ctx, *args)); });
}

}  // namespace ch::cli
