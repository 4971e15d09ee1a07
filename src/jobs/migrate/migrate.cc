// The migration driver: merges sorted source and destination walks into
// tasks, runs them on a bounded worker pool, and tallies the report.
#include "jobs/migrate/migrate.h"

#include <mutex>

#include "core/bounded_workers.h"
#include "core/interrupt.h"
#include "jobs/migrate/glob.h"
#include "jobs/migrate/transfer.h"
#include "obs/log.h"
#include "storage/s3/s3_store.h"

namespace ch::migrate {
namespace {

// Tallies outcomes from many threads; keeps the first `limit` failures.
class Tallier {
 public:
  Tallier(MigrateReport& report, size_t limit, Progress* progress)
      : report_(report), limit_(limit), progress_(progress) {}

  void Record(Outcome::Kind kind, uint64_t bytes, Failure failure = {}) {
    std::lock_guard<std::mutex> lock(mu_);
    switch (kind) {
      case Outcome::kCut:
        ++report_.cut;
        break;
      case Outcome::kCopied:
        ++report_.copied.files, report_.copied.bytes += bytes;
        break;
      case Outcome::kSkipped:
        ++report_.skipped.files, report_.skipped.bytes += bytes;
        break;
      case Outcome::kFailed:
        ++report_.failed;
        if (progress_ != nullptr) ++progress_->failed_files;
        if (report_.failures.size() < limit_) report_.failures.push_back(std::move(failure));
        break;
    }
  }

 private:
  std::mutex mu_;
  MigrateReport& report_;
  size_t limit_;
  Progress* progress_;
};

// Works one task and tallies its outcome (on a worker thread).
void RunTask(Transferer& transferer, Tallier& tallier, Progress* progress, const Task& task) {
  if (Interrupted()) return;  // queued, never started: the re-run does it
  Outcome outcome = transferer.Process(task);
  Failure failure;
  if (outcome.kind == Outcome::kFailed) {
    failure = Failure{transferer.SourceName(task), transferer.DestRef(task).ToString(),
                      std::move(outcome.reason)};
  }
  if (progress != nullptr &&
      (outcome.kind == Outcome::kCopied || outcome.kind == Outcome::kFailed)) {
    ++progress->done_files;
  }
  tallier.Record(outcome.kind, task.source.size, std::move(failure));
}

// Planning never runs far ahead of copying: the queue is bounded.
using Pool = BoundedWorkers<Task>;

// Runs one mapping's merge of source and destination walks.
class Planner {
 public:
  Planner(const Source& source, ObjectStore& dest, const MigrateOptions& options, Pool& pool,
          Tallier& tallier, MigrateReport& report)
      : source_(source),
        dest_(dest),
        options_(options),
        filter_(options.include, options.exclude),
        pool_(pool),
        tallier_(tallier),
        report_(report) {}

  Status Run(const Mapping& m, bool dest_exists) {
    std::unique_ptr<EntryCursor> src =
        source_.store != nullptr ? WalkStore(*source_.store, m.from_bucket, m.from_prefix)
                                 : WalkDirectory(source_.directory.string() + "/" + m.from_prefix);
    std::unique_ptr<EntryCursor> dst = WalkStore(dest_, m.to_bucket, m.to_prefix);
    ASSIGN_OR_RETURN(std::optional<Entry> s, src->Next());
    std::optional<Entry> d;
    if (dest_exists) {
      ASSIGN_OR_RETURN(d, dst->Next());
    }
    while ((s || d) && !Interrupted()) {
      if (s && (!d || s->rel < d->rel)) {
        OnSource(m, std::move(*s), std::nullopt);
        ASSIGN_OR_RETURN(s, src->Next());
      } else if (!s || d->rel < s->rel) {
        RETURN_IF_ERROR(OnExtra(m, *d));
        ASSIGN_OR_RETURN(d, dst->Next());
      } else {
        OnSource(m, std::move(*s), std::move(d));
        ASSIGN_OR_RETURN(s, src->Next());
        ASSIGN_OR_RETURN(d, dst->Next());
      }
    }
    if (Interrupted()) return Status::Ok();  // the report says so; deletes wait for a whole walk
    return FlushDeletes(m);
  }

 private:
  std::string SourcePath(const Mapping& m, const std::string& rel) const {
    return source_.store != nullptr ? m.from_bucket + "/" + m.from_prefix + rel
                                    : m.from_prefix + rel;
  }

  void OnSource(const Mapping& m, Entry s, std::optional<Entry> d) {
    if (!filter_.Accepts(SourcePath(m, s.rel))) return;
    Progress* p = options_.progress;
    if (p != nullptr) ++p->seen_files;
    bool differs = !d || d->size != s.size;
    if (differs && options_.mode != Mode::kVerify) {
      if (p != nullptr) ++p->planned_files, p->planned_bytes += s.size;
      if (options_.mode == Mode::kDryRun) {  // nothing to look at: it would be copied
        tallier_.Record(Outcome::kCopied, s.size);
        return;
      }
    }
    pool_.Push(Task{&m, std::move(s), std::move(d)});
  }

  Status OnExtra(const Mapping& m, const Entry& d) {
    if (!options_.delete_extra || options_.mode == Mode::kVerify) return Status::Ok();
    if (!filter_.Accepts(SourcePath(m, d.rel))) return Status::Ok();
    pending_.push_back(m.to_prefix + d.rel);
    pending_bytes_ += d.size;
    return pending_.size() >= 1000 ? FlushDeletes(m) : Status::Ok();
  }

  Status FlushDeletes(const Mapping& m) {
    if (pending_.empty()) return Status::Ok();
    std::vector<KeyError> errors;
    if (options_.mode == Mode::kCopy) {
      ASSIGN_OR_RETURN(errors, dest_.DeleteMany(m.to_bucket, pending_));
    }
    for (const KeyError& e : errors) {
      tallier_.Record(Outcome::kFailed, 0,
                      Failure{"", m.to_bucket + "/" + e.key, "delete: " + e.status.ToString()});
    }
    report_.deleted.files += pending_.size() - errors.size();
    report_.deleted.bytes += pending_bytes_;
    pending_.clear();
    pending_bytes_ = 0;
    return Status::Ok();
  }

  const Source& source_;
  ObjectStore& dest_;
  const MigrateOptions& options_;
  PathFilter filter_;
  Pool& pool_;
  Tallier& tallier_;
  MigrateReport& report_;
  std::vector<std::string> pending_;
  uint64_t pending_bytes_ = 0;
};

Status CheckOptions(const Source& source, const MigrateOptions& options) {
  if (options.mappings.empty()) return Status::InvalidArgument("migrate: no mappings given");
  if (options.concurrency < 1) {
    return Status::InvalidArgument("migrate: concurrency must be at least 1");
  }
  if (source.store == nullptr && !std::filesystem::is_directory(source.directory)) {
    return Status::NotFound("migrate: source directory " + source.directory.string() +
                            " does not exist");
  }
  for (const Mapping& m : options.mappings) {
    RETURN_IF_ERROR(ValidateBucketName(m.to_bucket).WithContext("migrate: destination"));
    if (source.store != nullptr && m.from_bucket.empty()) {
      return Status::InvalidArgument(
          "migrate: a store source needs a source bucket in every mapping");
    }
  }
  return Status::Ok();
}

// Readies the destination bucket; in copy mode creates it and aborts the
// multipart uploads a killed earlier run left under the prefix. Returns
// whether the bucket exists (a dry run does not create it).
Result<bool> PrepareDestination(ObjectStore& dest, const Mapping& m, const MigrateOptions& options,
                                TimePoint started, MigrateReport& report) {
  ASSIGN_OR_RETURN(bool exists, dest.BucketExists(m.to_bucket));
  if (options.mode != Mode::kCopy) return exists;
  if (!exists) RETURN_IF_ERROR(dest.CreateBucket(m.to_bucket));
  if (auto* s3 = dynamic_cast<s3::S3Store*>(&dest)) {
    ASSIGN_OR_RETURN(std::vector<std::string> aborted,
                     s3->AbortOpenUploads(m.to_bucket, m.to_prefix, started));
    for (std::string& key : aborted) report.aborted_uploads.push_back(m.to_bucket + "/" + key);
  }
  return true;
}

std::unique_ptr<DigestCache> OpenDigestCache(const Source& source, const MigrateOptions& options) {
  if (options.digest_cache.empty() || source.store != nullptr || options.mode == Mode::kVerify) {
    return nullptr;
  }
  Result<std::unique_ptr<DigestCache>> cache = DigestCache::Open(options.digest_cache);
  if (cache.ok()) return std::move(*cache);
  obs::LogWarn("migrate: no digest cache; every file is hashed",
               {{"error", cache.status().ToString()}});
  return nullptr;
}

}  // namespace

Result<MigrateReport> Migrate(const Source& source, ObjectStore& destination,
                              const MigrateOptions& options) {
  RETURN_IF_ERROR(CheckOptions(source, options));
  auto start = std::chrono::steady_clock::now();
  TimePoint started = std::chrono::system_clock::now();
  MigrateReport report;
  report.mode = options.mode;
  std::vector<bool> exists;
  for (const Mapping& m : options.mappings) {
    ASSIGN_OR_RETURN(bool e, PrepareDestination(destination, m, options, started, report));
    exists.push_back(e);
  }
  std::unique_ptr<DigestCache> cache = OpenDigestCache(source, options);
  Throttle throttle(options.bandwidth_limit);
  Transferer transferer(source, destination, options, throttle, cache.get());
  Tallier tallier(report, options.max_listed_failures, options.progress);
  Status status;
  {
    Pool pool(options.concurrency, static_cast<size_t>(options.concurrency) * 4 + 16,
              [&](Task& task) { RunTask(transferer, tallier, options.progress, task); });
    Planner planner(source, destination, options, pool, tallier, report);
    for (size_t i = 0; i < options.mappings.size() && status.ok(); ++i) {
      status = planner.Run(options.mappings[i], exists[i]);
    }
    if (options.progress != nullptr) options.progress->planning_done = true;
    pool.Finish();
  }
  report.hashed = transferer.Hashed();
  if (cache != nullptr) {
    if (Status flushed = cache->Flush(); !flushed.ok()) {
      obs::LogWarn("migrate: could not save the digest cache", {{"error", flushed.ToString()}});
    }
  }
  RETURN_IF_ERROR(status.WithContext("migrate"));
  report.interrupted = Interrupted();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace ch::migrate
