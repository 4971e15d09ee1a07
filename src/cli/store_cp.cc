// `climahealth store cp|put|get`: copy between local files and the store,
// or within the store (server-side), one object or a whole prefix.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <mutex>

#include "cli/progress.h"
#include "cli/std_streams.h"
#include "cli/store_verbs.h"
#include "core/bounded_workers.h"
#include "core/interrupt.h"
#include "core/os_error.h"
#include "storage/durable_batch.h"

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
  int jobs = 0;  // files in flight in a recursive copy; 0: the configured concurrency
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

Status CopyObject(ObjectStore& store, const CpArgs& args, const ObjectRef& from, ObjectRef to) {
  if (to.key.empty() || to.key.back() == '/') to.key = JoinKey(to.key, BaseName(from.key));
  ASSIGN_OR_RETURN(PutOptions options, MakePutOptions(args, to.key));
  if (args.content_type.empty()) options.content_type.clear();  // keep the source's
  return store.Copy(from, to, options).status();
}

// What a recursive copy shares across its workers: one progress bar for all
// the bytes, the counts, and each failure reported on stderr as it happens.
class TreeTally {
 public:
  explicit TreeTally(std::string label) : label_(label), bar_(std::move(label), std::nullopt) {}

  ProgressCallback Progress() {
    return [this](uint64_t n) { bar_.Add(n); };
  }
  void Record(const Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++total_;
    if (status.ok()) return;
    if (status.IsCancelled()) {  // cut short by the interrupt: Summary says so once
      ++cut_;
      return;
    }
    ++failed_;
    Report(status);
  }
  // A batch commit: files already counted that were not made durable.
  void RecordCommit(const DurableBatch::Committed& committed) {
    if (committed.status.ok()) return;
    std::lock_guard<std::mutex> lock(mu_);
    failed_ += std::max<size_t>(committed.failed, 1);
    Report(committed.status);
  }
  // Ok when nothing failed; otherwise one error counting the failures;
  // Cancelled, with the counts, once interrupted.
  Status Summary(const std::string& what) {
    bar_.Finish();
    std::lock_guard<std::mutex> lock(mu_);
    if (Interrupted()) {
      return Status::Cancelled(InterruptedStatus(label_).message() + ": " +
                               std::to_string(total_ - failed_ - cut_) + " " + what + " done, " +
                               std::to_string(cut_) + " cut short, " + std::to_string(failed_) +
                               " failed; the rest were not started");
    }
    if (failed_ == 0) return Status::Ok();
    return Status::IOError(std::to_string(failed_) + " of " + std::to_string(total_) + " " + what +
                           " failed (listed above)");
  }

 private:
  std::string label_;
  ProgressBar bar_;
  std::mutex mu_;
  size_t total_ = 0;
  size_t failed_ = 0;
  size_t cut_ = 0;  // cancelled by the interrupt
};

// Files or objects in flight at once: --jobs, else the configured concurrency.
Result<int> JobsFor(CommandContext& ctx, const CpArgs& args) {
  if (args.jobs > 0) return args.jobs;
  ASSIGN_OR_RETURN(const Config* config, ctx.GetConfig());
  return config->storage.concurrency;
}

// A prefix copied recursively names a folder: "s3://raw/up" is "up/".
ObjectRef AsFolder(ObjectRef ref) {
  if (!ref.key.empty() && ref.key.back() != '/') ref.key += '/';
  return ref;
}

Status UploadTree(CommandContext& ctx, const CpArgs& args, const fs::path& dir,
                  const ObjectRef& to_folder) {
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(int jobs, JobsFor(ctx, args));
  RETURN_IF_ERROR(MakePutOptions(args, "").status());  // a bad --metadata fails before any work
  const ObjectRef to = AsFolder(to_folder);
  struct Item {
    fs::path path;
    std::string key;
  };
  TreeTally tally("put " + dir.string());
  std::error_code ec;
  {
    BoundedWorkers<Item> workers(jobs, static_cast<size_t>(jobs) * 4, [&](Item& item) {
      if (Interrupted()) return;  // queued, never started
      ObjectRef ref{to.bucket, std::move(item.key), {}};
      Result<PutOptions> options = MakePutOptions(args, ref.key);
      if (!options.ok()) return tally.Record(options.status());
      options->progress = tally.Progress();
      tally.Record(store->PutFile(ref, item.path, *options).status());
    });
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::end(it) && !Interrupted(); it.increment(ec)) {
      std::error_code type_error;  // an entry gone since the walk read it is skipped
      if (!it->is_regular_file(type_error)) continue;
      workers.Push(Item{it->path(), to.key + it->path().lexically_relative(dir).generic_string()});
    }
  }
  if (ec) return StatusFromErrno(ec.value(), "walk " + dir.string());
  return tally.Summary("uploads");
}

// One object of a recursive download: a key ending in '/' (a folder marker)
// becomes a directory, any other key a file, each at LocalPathForKey's place;
// a marker for the prefix itself is the download directory.
Status DownloadOne(ObjectStore& store, const ObjectRef& from, const std::string& prefix,
                   const fs::path& dir, const ProgressCallback& progress, DurableBatch& batch) {
  fs::path path = dir;
  if (from.key != prefix) {
    ASSIGN_OR_RETURN(path, LocalPathForKey(dir, prefix, from.key));
  }
  const fs::path folder = from.key.back() == '/' ? path : path.parent_path();
  std::error_code ec;
  if (!folder.empty()) fs::create_directories(folder, ec);
  if (ec) {
    return StatusFromErrno(ec.value(), "create directory " + folder.string())
        .WithContext("get " + from.ToString());
  }
  if (from.key.back() == '/') return Status::Ok();
  GetOptions options;
  options.progress = progress;
  options.durable_batch = &batch;
  return store.GetFile(from, path, options).status();
}

Status CopyPrefix(CommandContext& ctx, const CpArgs& args, const ObjectRef& from_folder,
                  const Location& to) {
  ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
  ASSIGN_OR_RETURN(int jobs, JobsFor(ctx, args));
  const ObjectRef from = AsFolder(from_folder);
  ObjectRef dest;
  if (to.is_object) {
    ASSIGN_OR_RETURN(dest, ToObjectRef(ctx, to));
    dest = AsFolder(dest);
    RETURN_IF_ERROR(MakePutOptions(args, "").status());
  }
  TreeTally tally((to.is_object ? "copy " : "get ") + from.ToString());
  // Downloaded files become durable and appear in groups (DurableBatch).
  DurableBatch batch;
  Status listed;
  {
    BoundedWorkers<std::string> workers(jobs, static_cast<size_t>(jobs) * 4, [&](std::string& key) {
      if (Interrupted()) return;  // queued, never started
      ObjectRef src{from.bucket, std::move(key), {}};
      if (!to.is_object) {
        tally.Record(DownloadOne(*store, src, from.key, to.path, tally.Progress(), batch));
        if (batch.Full()) tally.RecordCommit(batch.Commit());
        return;
      }
      ObjectRef copy{dest.bucket, dest.key + src.key.substr(from.key.size()), {}};
      tally.Record(CopyObject(*store, args, src, copy));
    });
    listed = ForEachObject(*store, from.bucket, from.key, [&](const ObjectInfo& info) {
      if (Interrupted()) return InterruptedStatus("list " + from.ToString());
      workers.Push(info.key);
      return Status::Ok();
    });
  }
  // Files already whole are kept, also after an interrupt.
  tally.RecordCommit(batch.Commit());
  Status summary = tally.Summary(to.is_object ? "copies" : "downloads");
  if (summary.IsCancelled()) return summary;
  RETURN_IF_ERROR(listed);
  return summary;
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
    ASSIGN_OR_RETURN(ObjectStore * store, ctx.GetStore());
    return CopyObject(*store, args, src, dest);
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
  cmd->add_option("-j,--jobs", args->jobs,
                  "files or objects in flight at once with -r (default: --concurrency)")
      ->check(CLI::Range(1, 256));
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
