// `climahealth store cp|put|get`: copy between local files and the store,
// or within the store (server-side), one object or a whole prefix.

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>

#include "cli/progress.h"
#include "cli/std_streams.h"
#include "cli/store_verbs.h"
#include "core/os_error.h"

namespace ch::cli {
namespace {

namespace fs = std::filesystem;

enum class Direction { kAny, kUpload, kDownload };

struct CpArgs {
  std::string from;
  std::string to;
  bool recursive = false;
  bool if_absent = false;
  std::string if_match;
  std::string content_type;
  std::vector<std::string> metadata;
  Direction direction = Direction::kAny;
};

std::string GuessContentType(const std::string& key) {
  auto ends = [&](std::string_view s) {
    return key.size() >= s.size() && key.compare(key.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".csv")) return "text/csv";
  if (ends(".json")) return "application/json";
  if (ends(".gz")) return "application/gzip";
  if (ends(".zst")) return "application/zstd";
  if (ends(".ubj")) return "application/ubjson";
  return "";
}

Result<PutOptions> MakePutOptions(const CpArgs& args, const std::string& key) {
  PutOptions options;
  options.content_type = args.content_type.empty() ? GuessContentType(key) : args.content_type;
  options.if_none_match_any = args.if_absent;
  if (!args.if_match.empty()) options.if_match = args.if_match;
  for (const std::string& kv : args.metadata) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--metadata '" + kv + "': expected NAME=VALUE");
    }
    options.metadata[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return options;
}

// A key or path naming a directory gets the source's base name appended.
std::string JoinKey(const std::string& prefix, const std::string& name) {
  if (prefix.empty() || prefix.back() == '/') return prefix + name;
  return prefix;
}

std::string BaseName(const std::string& key) {
  size_t slash = key.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

Status Upload(CommandContext& ctx, const CpArgs& args, const fs::path& from, ObjectRef to) {
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  if (to.key.empty() || to.key.back() == '/') to.key = JoinKey(to.key, from.filename().string());
  ASSIGN_OR_RETURN(PutOptions options, MakePutOptions(args, to.key));
  std::error_code ec;
  std::optional<uint64_t> size;
  if (from != "-") size = fs::file_size(from, ec);
  ProgressBar bar("put " + to.key, ec ? std::nullopt : size);
  options.progress = [&bar](uint64_t n) { bar.Add(n); };
  if (from == "-") {
    StdinSource source;
    return store->PutStream(to, source, options).status();
  }
  return store->PutFile(to, from, options).status();
}

Status Download(CommandContext& ctx, const ObjectRef& from, fs::path to) {
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  GetOptions options;
  if (to == "-") {
    StdoutSink sink;
    RETURN_IF_ERROR(store->GetStream(from, sink, options).status());
    return std::fflush(stdout) == 0 ? Status::Ok() : StatusFromErrno(errno, "flush stdout");
  }
  std::error_code ec;
  if (fs::is_directory(to, ec) || to.string().back() == '/') to /= BaseName(from.key);
  ASSIGN_OR_RETURN(ObjectInfo info, store->Head(from));
  ProgressBar bar("get " + from.key, info.size);
  options.progress = [&bar](uint64_t n) { bar.Add(n); };
  if (to.has_parent_path()) fs::create_directories(to.parent_path(), ec);
  return store->GetFile(from, to, options).status();
}

Status CopyObject(CommandContext& ctx, const CpArgs& args, const ObjectRef& from, ObjectRef to) {
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  if (to.key.empty() || to.key.back() == '/') to.key = JoinKey(to.key, BaseName(from.key));
  ASSIGN_OR_RETURN(PutOptions options, MakePutOptions(args, to.key));
  if (args.content_type.empty()) options.content_type.clear();  // keep the source's
  return store->Copy(from, to, options).status();
}

// Ok when nothing failed; otherwise one error counting the failures (each
// was already reported on stderr as it happened).
Status Summarise(size_t total, size_t failed, const std::string& what) {
  if (failed == 0) return Status::Ok();
  return Status::IOError(std::to_string(failed) + " of " + std::to_string(total) + " " + what +
                         " failed (listed above)");
}

Status UploadTree(CommandContext& ctx, const CpArgs& args, const fs::path& dir, ObjectRef to) {
  if (!to.key.empty() && to.key.back() != '/') to.key += '/';
  size_t total = 0;
  size_t failed = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    ++total;
    ObjectRef ref = to;
    ref.key += fs::relative(it->path(), dir).generic_string();
    Status st = Upload(ctx, args, it->path(), ref);
    if (!st.ok()) {
      ++failed;
      Report(st);
    }
  }
  if (ec) return StatusFromErrno(ec.value(), "walk " + dir.string());
  return Summarise(total, failed, "uploads");
}

Status CopyPrefix(CommandContext& ctx, const CpArgs& args, const ObjectRef& from,
                  const Location& to) {
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  size_t total = 0;
  size_t failed = 0;
  ObjectRef dest;
  if (to.is_object) {
    ASSIGN_OR_RETURN(dest, ToObjectRef(ctx, to));
  }
  if (to.is_object && !dest.key.empty() && dest.key.back() != '/') dest.key += '/';
  RETURN_IF_ERROR(ForEachObject(*store, from.bucket, from.key, [&](const ObjectInfo& info) {
    ++total;
    std::string relative = info.key.substr(from.key.size());
    if (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
    ObjectRef src{from.bucket, info.key, {}};
    Status st = to.is_object
                    ? CopyObject(ctx, args, src, ObjectRef{dest.bucket, dest.key + relative, {}})
                    : Download(ctx, src, to.path / relative);
    if (!st.ok()) {
      ++failed;
      Report(st);
    }
    return Status::Ok();
  }));
  return Summarise(total, failed, to.is_object ? "copies" : "downloads");
}

Status RunCp(CommandContext& ctx, const CpArgs& args) {
  ASSIGN_OR_RETURN(Location from, ParseLocation(args.from));
  ASSIGN_OR_RETURN(Location to, ParseLocation(args.to));
  if (!from.is_object && !to.is_object) {
    return Status::InvalidArgument("neither '" + args.from + "' nor '" + args.to +
                                   "' is an s3:// object; use the shell's cp for local files");
  }
  if (args.direction == Direction::kUpload && (from.is_object || !to.is_object)) {
    return Status::InvalidArgument("put copies a local file to s3://BUCKET/KEY");
  }
  if (args.direction == Direction::kDownload && (!from.is_object || to.is_object)) {
    return Status::InvalidArgument("get copies s3://BUCKET/KEY to a local file");
  }
  if (!from.is_object) {
    ASSIGN_OR_RETURN(ObjectRef dest, ToObjectRef(ctx, to));
    if (args.recursive) return UploadTree(ctx, args, from.path, dest);
    return Upload(ctx, args, from.path, dest);
  }
  ASSIGN_OR_RETURN(ObjectRef src, ToObjectRef(ctx, from));
  if (args.recursive) return CopyPrefix(ctx, args, src, to);
  if (src.key.empty()) {
    return Status::InvalidArgument("'" + args.from + "' names a bucket; add --recursive");
  }
  if (to.is_object) {
    ASSIGN_OR_RETURN(ObjectRef dest, ToObjectRef(ctx, to));
    return CopyObject(ctx, args, src, dest);
  }
  return Download(ctx, src, to.path);
}

CLI::App* AddTransferVerb(CLI::App& store, CommandContext& ctx, const std::string& name,
                          const std::string& help, Direction direction) {
  auto args = std::make_shared<CpArgs>();
  args->direction = direction;
  CLI::App* cmd = store.add_subcommand(name, help);
  cmd->add_option("from", args->from, "source: a local path, '-' for stdin, or s3://BUCKET/KEY")
      ->required();
  cmd->add_option("to", args->to, "destination: a local path, '-' for stdout, or s3://BUCKET/KEY")
      ->required();
  cmd->add_flag("-r,--recursive", args->recursive,
                "copy a whole directory or every object under a prefix");
  cmd->add_option("--content-type", args->content_type, "content type of the new object");
  cmd->add_option("--metadata", args->metadata, "user metadata NAME=VALUE (repeatable)");
  cmd->add_flag("--if-absent", args->if_absent, "fail if the destination object already exists");
  cmd->add_option("--if-match", args->if_match,
                  "fail unless the destination object's current ETag is this");
  cmd->callback([&ctx, args] { ctx.exit_code = Report(RunCp(ctx, *args)); });
  return cmd;
}

}  // namespace

void AddStoreCp(CLI::App& store, CommandContext& ctx) {
  AddTransferVerb(store, ctx, "cp",
                  "Copy a local file to the store, an object to a local file, or an object to "
                  "another key (server-side).",
                  Direction::kAny);
  AddTransferVerb(store, ctx, "put", "Upload a local file (or stdin) to s3://BUCKET/KEY.",
                  Direction::kUpload);
  AddTransferVerb(store, ctx, "get", "Download s3://BUCKET/KEY to a local file (or stdout).",
                  Direction::kDownload);
}

}  // namespace ch::cli
