// Migration of a data tree between stores: plan by streaming comparison, then
// copy in parallel, skipping unchanged objects by content and verifying each copy.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch::migrate {

// Where objects are read from: a plain directory tree, or a store.
struct Source {
  std::filesystem::path directory;  // used when `store` is null
  ObjectStore* store = nullptr;     // borrowed, may be null; must outlive the run
};

// One rule: every source entry under `from_prefix` (a path below the source
// directory such as "data/raw/", or a key prefix in `from_bucket` of a store
// source) goes to `to_bucket` (a real bucket name) under `to_prefix`.
struct Mapping {
  std::string from_bucket;  // store sources only
  std::string from_prefix;
  std::string to_bucket;
  std::string to_prefix;
};

// DATA.md's local layout: data/raw/ → raw bucket raw/, data/processed/ →
// processed bucket processed/, models/ → models bucket models/.
std::vector<Mapping> DefaultDirectoryMappings(const std::string& raw_bucket,
                                              const std::string& processed_bucket,
                                              const std::string& models_bucket);

// Parses "FROM=BUCKET/PREFIX" (directory source) or "BUCKET/PREFIX=BUCKET/PREFIX"
// (store source). InvalidArgument naming the text otherwise.
Result<Mapping> ParseMapping(std::string_view text, bool store_source);

enum class Mode {
  kCopy,    // copy what differs, verify each copy
  kDryRun,  // plan only: count what would be copied, skipped and deleted
  kVerify,  // compare every object with its source, copy nothing
};

// Counters a caller may poll (e.g. for a progress bar) while Migrate runs.
struct Progress {
  std::atomic<uint64_t> planned_files{0};  // files needing a copy, found so far
  std::atomic<uint64_t> planned_bytes{0};
  std::atomic<uint64_t> seen_files{0};  // source entries compared so far
  std::atomic<uint64_t> done_files{0};  // copies finished (ok or failed)
  std::atomic<uint64_t> done_bytes{0};  // bytes sent so far
  std::atomic<uint64_t> failed_files{0};
  std::atomic<bool> planning_done{false};
};

struct MigrateOptions {
  std::vector<Mapping> mappings;
  Mode mode = Mode::kCopy;
  bool delete_extra = false;  // delete destination objects the source lacks
  // Glob patterns on the source path ("data/raw/*.csv"; `*` and `?` stay within
  // one path segment, `**` spans segments). With includes, only matches count;
  // excludes win over includes.
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  int concurrency = 8;           // files in flight at once
  uint64_t bandwidth_limit = 0;  // bytes per second over all transfers; 0: none
  // The destination's multipart layout, to predict multipart ETags.
  uint64_t part_size = 16ull << 20;
  uint64_t multipart_threshold = 64ull << 20;
  int attempts = 3;                    // tries per object before it is reported failed
  size_t max_listed_failures = 10000;  // failures beyond this are only counted
  Progress* progress = nullptr;        // borrowed, may be null
  // Where a directory source's file digests are remembered between runs
  // (digest_cache.h), so a re-run reads only files that changed; empty: none.
  // Verify mode always reads every file. A cache that cannot be used is
  // reported as a warning and the run goes on without it.
  std::filesystem::path digest_cache;
};

struct Tally {
  uint64_t files = 0;
  uint64_t bytes = 0;
};

struct Failure {
  std::string source;       // source path or bucket/key
  std::string destination;  // bucket/key
  std::string reason;
};

struct MigrateReport {
  Mode mode = Mode::kCopy;
  Tally copied;   // in a dry run: would be copied
  Tally skipped;  // unchanged (in verify mode: verified equal)
  Tally deleted;  // in a dry run: would be deleted
  Tally hashed;   // source files read to compare them (not found in the digest cache)
  uint64_t failed = 0;
  std::vector<Failure> failures;             // the first max_listed_failures
  std::vector<std::string> aborted_uploads;  // stale multipart uploads removed
  double seconds = 0;
  // Stopped by an interrupt (core/interrupt.h): the transfers in flight were cut
  // and the rest not started. A cut transfer is not a failure and leaves nothing
  // partial: its multipart upload is aborted, and a single PUT is either absent
  // or, if the server stored it before the cut, whole (the re-run then skips it).
  // A re-run finishes the job.
  bool interrupted = false;
  uint64_t cut = 0;  // transfers cut short by the interrupt

  bool ok() const { return failed == 0 && !interrupted; }
};

// The report as a JSON document (mode, tallies, failures with reasons).
std::string ReportToJson(const MigrateReport& report);

// Runs the migration. Source entries and destination listings are walked in
// key order and merged as streams, so memory does not grow with the tree.
// Objects that match by content (MD5 ETag, the climahealth-md5 metadata
// recorded at upload, or the predicted multipart ETag) are skipped; each copy
// is checked against the source checksum. The source is only read. Per-object
// failures are in the report; a Status error means the run itself could not
// proceed (e.g. the source is missing or a listing failed).
Result<MigrateReport> Migrate(const Source& source, ObjectStore& destination,
                              const MigrateOptions& options);

// The user-metadata name under which the source's MD5 is recorded.
inline constexpr char kMd5MetadataKey[] = "climahealth-md5";

}  // namespace ch::migrate
