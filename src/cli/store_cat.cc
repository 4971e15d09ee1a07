// `climahealth store cat`: write an object (or a byte range of it) to stdout.

#include <CLI/CLI.hpp>
#include <charconv>

#include "cli/std_streams.h"
#include "cli/store_verbs.h"

namespace ch::cli {
namespace {

struct CatArgs {
  std::string object;
  std::string range;
};

// "10-99" (inclusive), "10-" (to the end) or "-10" (the last 10 bytes).
Result<ByteRange> ParseRange(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("--range '" + std::string(text) +
                                   "': expected FIRST-LAST, FIRST- or -SUFFIX (bytes)");
  };
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) return bad();
  auto number = [](std::string_view s, uint64_t& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && !s.empty();
  };
  ByteRange range;
  std::string_view first = text.substr(0, dash);
  std::string_view last = text.substr(dash + 1);
  uint64_t value = 0;
  if (first.empty()) {
    if (!number(last, value)) return bad();
    range.suffix_length = value;
    return range;
  }
  if (!number(first, range.first)) return bad();
  if (!last.empty()) {
    if (!number(last, value) || value < range.first) return bad();
    range.last = value;
  }
  return range;
}

Status RunCat(CommandContext& ctx, const CatArgs& args) {
  ASSIGN_OR_RETURN(ObjectRef ref, ParseObjectArgument(ctx, args.object));
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  GetOptions options;
  if (!args.range.empty()) {
    ASSIGN_OR_RETURN(options.range, ParseRange(args.range));
  }
  StdoutSink sink;
  return store->GetStream(ref, sink, options).status();
}

}  // namespace

void AddStoreCat(CLI::App& store, CommandContext& ctx) {
  auto args = std::make_shared<CatArgs>();
  CLI::App* cat = store.add_subcommand("cat", "Write an object's bytes to standard output.");
  cat->add_option("object", args->object, "s3://BUCKET/KEY")->required();
  cat->add_option("--range", args->range, "bytes FIRST-LAST, FIRST- or -SUFFIX");
  cat->callback([&ctx, args] { ctx.exit_code = Report(RunCat(ctx, *args)); });
}

}  // namespace ch::cli
