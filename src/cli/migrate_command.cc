// `climahealth migrate`: copies a data tree (a directory in the DATA.md local
// layout, or a bucket prefix) into the store, incrementally and verified.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <thread>

#include "cli/command.h"
#include "cli/location.h"
#include "cli/progress.h"
#include "cli/store_factory.h"
#include "core/interrupt.h"
#include "jobs/migrate/digest_cache.h"
#include "jobs/migrate/migrate.h"
#include "storage/local_store.h"

namespace ch::cli {
namespace {

struct MigrateArgs {
  std::string source = ".";
  std::string to;
  std::vector<std::string> maps;
  std::string to_root;
  bool dry_run = false;
  bool verify = false;
  bool delete_extra = false;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  int jobs = 0;
  std::string bwlimit;
  std::string report;
  bool no_progress = false;
  std::string digest_cache;
  bool no_digest_cache = false;
};

// "50M", "1.5G", "800k", "1000" → bytes per second (k/M/G are powers of 1024).
Result<uint64_t> ParseRate(const std::string& text) {
  if (text.empty()) return uint64_t{0};
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  std::string unit(end);
  if (!unit.empty() && (unit.back() == 's' || unit.back() == 'S')) unit.pop_back();
  if (!unit.empty() && (unit.back() == '/' || unit.back() == 'B')) unit.pop_back();
  double scale = unit.empty() ? 1 : 0;
  if (unit == "k" || unit == "K") scale = 1024.0;
  if (unit == "m" || unit == "M") scale = 1048576.0;
  if (unit == "g" || unit == "G") scale = 1073741824.0;
  if (end == text.c_str() || scale == 0 || value <= 0) {
    return Status::InvalidArgument("--bwlimit '" + text + "': expected a rate such as 50M or 1.5G");
  }
  return static_cast<uint64_t>(value * scale);
}

// Redraws one status line on stderr while the migration runs (terminals only).
class ProgressLine {
 public:
  explicit ProgressLine(const migrate::Progress& p, bool enabled) : p_(p) {
    if (enabled && ::isatty(STDERR_FILENO) == 1) thread_ = std::thread([this] { Loop(); });
  }
  ~ProgressLine() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    Draw();
    std::fputc('\n', stderr);
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) Draw();
  }
  void Draw() {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    uint64_t done = p_.done_bytes, total = p_.planned_bytes;
    double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    int pct = total > 0 ? static_cast<int>(100.0 * static_cast<double>(done) / total) : 100;
    pct = std::min(pct, 100);
    std::string bar(20, ' ');
    for (int i = 0; i < pct / 5; ++i) bar[i] = '#';
    std::string eta = "?";
    if (p_.planning_done && rate > 0 && total >= done) {
      auto left = static_cast<long>(static_cast<double>(total - done) / rate);
      eta =
          std::to_string(left / 60) + ":" + (left % 60 < 10 ? "0" : "") + std::to_string(left % 60);
    }
    std::fprintf(stderr, "\rmigrate %3d%% |%s| %s/%s%s  files %llu/%llu (%llu seen)  %s/s  ETA %s ",
                 pct, bar.c_str(), HumanBytes(done).c_str(), HumanBytes(total).c_str(),
                 p_.planning_done ? "" : "+", static_cast<unsigned long long>(p_.done_files.load()),
                 static_cast<unsigned long long>(p_.planned_files.load()),
                 static_cast<unsigned long long>(p_.seen_files.load()),
                 HumanBytes(static_cast<uint64_t>(rate)).c_str(), eta.c_str());
    std::fflush(stderr);
  }

  const migrate::Progress& p_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// "raw/raw/" style destination: a logical or real bucket, then a prefix.
Result<migrate::Mapping> ResolveMapping(CommandContext& ctx, const std::string& text, bool store) {
  ASSIGN_OR_RETURN(migrate::Mapping m, migrate::ParseMapping(text, store));
  ASSIGN_OR_RETURN(m.to_bucket, ctx.ResolveBucket(m.to_bucket));
  if (store) {
    ASSIGN_OR_RETURN(m.from_bucket, ctx.ResolveBucket(m.from_bucket));
  }
  return m;
}

Result<std::vector<migrate::Mapping>> Mappings(CommandContext& ctx, const MigrateArgs& args,
                                               const Location& source) {
  std::vector<migrate::Mapping> out;
  if (source.is_object) {
    if (args.to.empty()) return Status::InvalidArgument("migrate: an s3:// source needs --to");
    ASSIGN_OR_RETURN(Location to, ParseLocation(args.to));
    if (!to.is_object) return Status::InvalidArgument("migrate: --to must be s3://BUCKET/PREFIX");
    ASSIGN_OR_RETURN(
        migrate::Mapping m,
        ResolveMapping(ctx, source.bucket + "/" + source.key + "=" + to.bucket + "/" + to.key,
                       true));
    out.push_back(std::move(m));
  }
  for (const std::string& text : args.maps) {
    ASSIGN_OR_RETURN(migrate::Mapping m, ResolveMapping(ctx, text, source.is_object));
    out.push_back(std::move(m));
  }
  if (out.empty()) {
    ASSIGN_OR_RETURN(std::string raw, ctx.ResolveBucket("raw"));
    ASSIGN_OR_RETURN(std::string processed, ctx.ResolveBucket("processed"));
    ASSIGN_OR_RETURN(std::string models, ctx.ResolveBucket("models"));
    out = migrate::DefaultDirectoryMappings(raw, processed, models);
  }
  return out;
}

void PrintSummary(const migrate::MigrateReport& r) {
  const char* verb = r.mode == migrate::Mode::kDryRun ? "would copy" : "copied";
  const char* kept = r.mode == migrate::Mode::kVerify ? "verified" : "unchanged";
  const char* gone = r.mode == migrate::Mode::kDryRun ? "would delete" : "deleted";
  double secs = std::max(r.seconds, 1e-9);
  std::printf(
      "migrate: %s %llu files (%s), %s %llu (%s), %s %llu (%s), failed %llu; %.2f s, %s/s\n", verb,
      static_cast<unsigned long long>(r.copied.files), HumanBytes(r.copied.bytes).c_str(), kept,
      static_cast<unsigned long long>(r.skipped.files), HumanBytes(r.skipped.bytes).c_str(), gone,
      static_cast<unsigned long long>(r.deleted.files), HumanBytes(r.deleted.bytes).c_str(),
      static_cast<unsigned long long>(r.failed), r.seconds,
      HumanBytes(static_cast<uint64_t>(static_cast<double>(r.copied.bytes) / secs)).c_str());
  if (r.hashed.files > 0) {
    std::printf("migrate: read %llu source files (%s) to compare them by content\n",
                static_cast<unsigned long long>(r.hashed.files),
                HumanBytes(r.hashed.bytes).c_str());
  }
  if (!r.aborted_uploads.empty()) {
    std::printf("migrate: aborted %zu stale multipart uploads\n", r.aborted_uploads.size());
  }
}

Status WriteReport(const migrate::MigrateReport& report, const std::string& path) {
  std::string json = migrate::ReportToJson(report);
  if (path.empty()) {
    if (!report.ok()) std::fputs(json.c_str(), stderr);
    return Status::Ok();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << json;
  out.close();
  if (!out) return Status::IOError("migrate: cannot write the report " + path);
  return Status::Ok();
}

Status RunMigrate(CommandContext& ctx, const MigrateArgs& args) {
  if (args.dry_run && args.verify) {
    return Status::InvalidArgument("migrate: --dry-run and --verify exclude each other");
  }
  ASSIGN_OR_RETURN(const Config* config, ctx.GetConfig());
  ASSIGN_OR_RETURN(Location where, ParseLocation(args.source));
  migrate::MigrateOptions options;
  ASSIGN_OR_RETURN(options.mappings, Mappings(ctx, args, where));
  ASSIGN_OR_RETURN(options.bandwidth_limit, ParseRate(args.bwlimit));
  options.mode = args.dry_run  ? migrate::Mode::kDryRun
                 : args.verify ? migrate::Mode::kVerify
                               : migrate::Mode::kCopy;
  options.delete_extra = args.delete_extra;
  options.include = args.include;
  options.exclude = args.exclude;
  options.concurrency = args.jobs > 0 ? args.jobs : config->storage.concurrency;
  options.part_size = config->storage.part_size;
  options.multipart_threshold = config->storage.multipart_threshold;
  if (!args.no_digest_cache) {
    options.digest_cache = args.digest_cache.empty() ? migrate::DigestCache::DefaultFile()
                                                     : std::filesystem::path(args.digest_cache);
  }
  // The backend itself, undecorated: migrate aborts stale S3 multipart uploads,
  // and an s3:// source in the same store is copied server-side.
  ASSIGN_OR_RETURN(std::unique_ptr<ObjectStore> configured, MakeStore(*config));
  migrate::Source source;
  std::unique_ptr<LocalStore> local;
  ObjectStore* dest = configured.get();
  if (!args.to_root.empty()) {
    ASSIGN_OR_RETURN(local, LocalStore::Make(LocalStoreOptions{args.to_root}));
    dest = local.get();
  }
  if (where.is_object) {
    source.store = configured.get();
  } else {
    source.directory = where.path;
  }
  migrate::Progress progress;
  options.progress = &progress;
  ProgressLine line(progress, !args.no_progress);
  Result<migrate::MigrateReport> report = migrate::Migrate(source, *dest, options);
  line.Stop();
  RETURN_IF_ERROR(report.status());
  PrintSummary(*report);
  RETURN_IF_ERROR(WriteReport(*report, args.report));
  if (report->interrupted) {
    return Status::Cancelled(InterruptedStatus("migrate").message() + ": " +
                             std::to_string(report->cut) +
                             " transfers cut short (none left partial), " +
                             std::to_string(report->failed) + " failed; run it again to finish");
  }
  if (report->ok()) return Status::Ok();
  std::string msg = "migrate: " + std::to_string(report->failed) + " objects failed" +
                    (args.report.empty() ? " (report above)" : "; see " + args.report);
  return options.mode == migrate::Mode::kVerify ? Status::Corruption(msg) : Status::IOError(msg);
}

}  // namespace

void AddMigrateCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<MigrateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "migrate",
      "Copy a data tree into the store: incremental (unchanged objects are skipped by\n"
      "content checksum), parallel, resumable after a kill, and verified.");
  cmd->add_option("source", args->source,
                  "a directory laid out as data/raw, data/processed, models (default .), or\n"
                  "s3://BUCKET/PREFIX in the configured store (then --to is needed)");
  cmd->add_option("--to", args->to, "destination s3://BUCKET/PREFIX for an s3:// source");
  cmd->add_option(
      "--map", args->maps,
      "mapping FROM=BUCKET/PREFIX, repeatable; replaces the default data/raw/=raw/raw/,\n"
      "data/processed/=processed/processed/, models/=models/models/");
  cmd->add_option("--to-root", args->to_root, "write into a local store at DIR instead");
  cmd->add_flag("--dry-run", args->dry_run,
                "plan only: count what would be copied/skipped/deleted");
  cmd->add_flag("--verify", args->verify, "compare every object with its source; copy nothing");
  cmd->add_flag("--delete", args->delete_extra,
                "delete destination objects under the mapped prefixes that the source lacks");
  cmd->add_option("--include", args->include, "only source paths matching this glob (repeatable)");
  cmd->add_option("--exclude", args->exclude, "skip source paths matching this glob (repeatable)");
  cmd->add_option("--jobs,-j", args->jobs, "files in flight at once (default: --concurrency)");
  cmd->add_option("--bwlimit", args->bwlimit, "bandwidth limit over all transfers, e.g. 50M");
  cmd->add_option("--report", args->report, "write the JSON report to FILE");
  cmd->add_flag("--no-progress", args->no_progress, "no progress line");
  cmd->add_option("--digest-cache", args->digest_cache,
                  "where source files' MD5s are remembered between runs (default\n"
                  "$XDG_CACHE_HOME/climahealth/migrate-digests.sqlite3)");
  cmd->add_flag("--no-digest-cache", args->no_digest_cache,
                "hash every source file, remembering nothing");
  cmd->footer(
      "Unchanged means equal content: the destination's MD5 ETag, the climahealth-md5\n"
      "metadata recorded at upload, or the predicted multipart ETag, against the source's MD5.\n"
      "A file's MD5 is taken from the digest cache only while its device, inode, size,\n"
      "mtime and ctime are those it had when it was hashed; --verify always reads.\n"
      "Failures make the exit code non-zero and are listed in the JSON report with reasons.");
  cmd->callback([&ctx, args] { ctx.exit_code = Report(RunMigrate(ctx, *args)); });
}

}  // namespace ch::cli
