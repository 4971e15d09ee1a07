// RunBatch: inputs and fingerprint, the up-to-date check, location groups
// (memory bound) and shards, then the assembly of the final outputs.
#include "jobs/batch/batch_job.h"

#include <chrono>
#include <cmath>

#include "codecs/json_codec.h"
#include "codecs/object_io.h"
#include "core/available_memory.h"
#include "core/interrupt.h"
#include "jobs/batch/assemble.h"
#include "jobs/batch/pass.h"
#include "services/data/data_service.h"
#include "services/data/processed_layout.h"
#include "storage/md5.h"

namespace ch::batch {
namespace {

// Working memory per raw daily byte: the parsed rows of the pass (the
// outputs stream to the store as they are made; peak RSS was 2.3-2.5x the
// daily CSV bytes from 170 MB to 1.3 GB of generated input), with slack.
constexpr uint64_t kBytesPerRawByte = 3;
// The budget when none is given and the available memory is unknown, and
// the least one chosen automatically.
constexpr uint64_t kFallbackBudget = uint64_t{4} << 30;
constexpr uint64_t kLeastAutomaticBudget = uint64_t{1} << 30;

struct MemoryBudget {
  uint64_t bytes;
  std::string_view source;  // how it was chosen, for the progress line
};

MemoryBudget ChooseMemoryBudget(const BatchOptions& options) {
  if (options.memory_budget_bytes > 0) return {options.memory_budget_bytes, "given"};
  const std::optional<uint64_t> available = AvailableMemoryBytes();
  if (!available) return {kFallbackBudget, "default; available memory unknown"};
  if (*available / 2 < kLeastAutomaticBudget) return {kLeastAutomaticBudget, "the least"};
  return {*available / 2, "half the memory available"};
}

void Say(const BatchOptions& options, std::string_view stage, const std::string& message) {
  if (options.progress) options.progress(stage, message);
}

Status CheckOptions(const BatchOptions& o) {
  if (o.shard_count < 1 || o.shard_index < 0 || o.shard_index >= o.shard_count) {
    return Status::InvalidArgument("batch: --shard " + std::to_string(o.shard_index) + "/" +
                                   std::to_string(o.shard_count) +
                                   ": need 0 <= i < n (e.g. --shard 0/4)");
  }
  if (o.max_gap_days < 0 || o.max_gap_days > 31) {
    return Status::InvalidArgument("batch: max gap days must be 0..31");
  }
  if (o.sharded && o.merge) {
    return Status::InvalidArgument("batch: --shard and --merge are separate steps");
  }
  return Status::Ok();
}

Result<RunInputs> HeadInputs(ObjectStore& store, const BucketNames& buckets,
                             const BatchOptions& options) {
  RunInputs inputs;
  std::string basis =
      std::string(kCodeVersion) + "\nmax_gap_days " + std::to_string(options.max_gap_days) + "\n";
  for (int f = 0; f < kFileCount; ++f) {
    const ObjectRef ref{buckets.raw, std::string(FileKey(f)), ""};
    Result<ObjectInfo> info = store.Head(ref);
    if (!info.ok()) {
      if (info.status().IsNotFound()) {
        return Status::NotFound("batch: raw input " + ref.ToString() +
                                " is missing; nothing written");
      }
      return info.status();
    }
    if (info->key.empty()) info->key = ref.key;
    inputs.info[f] = *info;
    basis += ref.key + " " + info->etag + " " + std::to_string(info->size) + "\n";
  }
  inputs.fingerprint = Md5Hex(basis).substr(0, 16);
  return inputs;
}

// Whether processed/manifest.json already describes a run on these inputs
// whose outputs are all still there, unchanged.
Result<bool> UpToDate(ObjectStore& store, const BucketNames& buckets, const RunInputs& inputs) {
  services::DataService service(store, buckets);
  Result<Json> manifest = service.LoadManifest();
  if (!manifest.ok()) {
    if (manifest.status().IsNotFound()) return false;
    return manifest.status();
  }
  if (manifest->value("fingerprint", std::string()) != inputs.fingerprint) return false;
  for (const auto& [name, entry] : (*manifest)["outputs"].items()) {
    Result<ObjectInfo> info = store.Head({buckets.processed, entry.value("key", ""), ""});
    if (!info.ok()) {
      if (info.status().IsNotFound()) return false;
      return info.status();
    }
    if (info->etag != entry.value("etag", "")) return false;
  }
  return true;
}

std::string ShardPrefix(const RunInputs& inputs, bool sharded) {
  return std::string(sharded ? "processed/_shards/" : "processed/_work/") + inputs.fingerprint +
         "/";
}

std::string ShardDocKey(const std::string& prefix, int index, int count) {
  return prefix + "shard-" + std::to_string(index) + "-of-" + std::to_string(count) + ".json";
}

Status DeletePrefix(ObjectStore& store, const std::string& bucket, const std::string& prefix) {
  std::vector<std::string> keys;
  RETURN_IF_ERROR(ForEachObject(store, bucket, prefix, [&](const ObjectInfo& o) {
    keys.push_back(o.key);
    return Status::Ok();
  }));
  if (keys.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(std::vector<KeyError> errors, store.DeleteMany(bucket, keys));
  if (!errors.empty()) return errors.front().status;
  return Status::Ok();
}

// Runs this process's share of locations in as many groups as the memory
// budget needs. A single group of an unsharded run writes the final outputs
// itself; otherwise each group stores its parts under `prefix` for Assemble.
Status ProcessShard(ObjectStore& store, const BucketNames& buckets, const RunInputs& inputs,
                    const LocationsResult& locations, const BatchOptions& options,
                    const std::string& prefix, ShardResult* shard, int* groups_out) {
  const int n = static_cast<int>(locations.index.codes.size());
  const int first = static_cast<int>(int64_t{n} * options.shard_index / options.shard_count);
  const int last = static_cast<int>(int64_t{n} * (options.shard_index + 1) / options.shard_count);
  uint64_t daily_bytes = 0;
  for (int f = kClimateFile; f < kFileCount; ++f) daily_bytes += inputs.info[f].size;
  const double share = n > 0 ? static_cast<double>(last - first) / n : 1.0;
  const double estimate = static_cast<double>(daily_bytes) * share * kBytesPerRawByte;
  const MemoryBudget budget = ChooseMemoryBudget(options);
  const int groups =
      std::clamp(static_cast<int>(std::ceil(estimate / static_cast<double>(budget.bytes))), 1,
                 std::max(1, last - first));
  *groups_out = groups;
  Say(options, "plan",
      std::to_string(groups) + " location group(s): about " +
          std::to_string(static_cast<uint64_t>(estimate) >> 20) +
          " MiB of working memory, budget " + std::to_string(budget.bytes >> 20) + " MiB (" +
          std::string(budget.source) + ")");
  std::array<DailyFile, 3> daily;
  for (int f = kClimateFile; f < kFileCount; ++f) {
    daily[f - kClimateFile] = {ObjectRef{buckets.raw, std::string(FileKey(f)), ""},
                               inputs.info[f].size};
  }
  const bool whole_outputs = groups == 1 && !options.sharded;
  for (int g = 0; g < groups; ++g) {
    PassScope scope;
    scope.first = first + static_cast<int>(int64_t{last - first} * g / groups);
    scope.last = first + static_cast<int>(int64_t{last - first} * (g + 1) / groups);
    scope.owns_unlocated = options.shard_index == 0 && g == 0;
    Say(options, "scan",
        "group " + std::to_string(g + 1) + "/" + std::to_string(groups) + ": locations " +
            std::to_string(scope.first) + ".." + std::to_string(scope.last) + " of " +
            std::to_string(n));
    PassTarget target;
    target.bucket = buckets.processed;
    target.whole_outputs = whole_outputs;
    target.keys = [&](int32_t data_date) -> Result<std::array<std::string, kOutputCount>> {
      std::array<std::string, kOutputCount> keys;
      for (int o = 0; o < kOutputCount; ++o) {
        if (!whole_outputs) {
          keys[o] = prefix + std::string(OutputName(o)) + "/" + std::to_string(shard->index) + "-" +
                    std::to_string(g) + ".csv";
          continue;
        }
        if (data_date == INT32_MIN) return NoValidRows();
        keys[o] = services::ProcessedCsvKey(OutputName(o), data_date);
        Say(options, "write", keys[o]);
      }
      return keys;
    };
    RETURN_IF_ERROR(RunPass(store, daily, locations.index, scope, options, target, shard));
  }
  return Status::Ok();
}

Result<std::vector<ShardResult>> LoadShards(ObjectStore& store, const BucketNames& buckets,
                                            const std::string& prefix) {
  std::vector<std::string> keys;
  RETURN_IF_ERROR(
      ForEachObject(store, buckets.processed, prefix + "shard-", [&](const ObjectInfo& o) {
        keys.push_back(o.key);
        return Status::Ok();
      }));
  if (keys.empty()) {
    return Status::NotFound("batch --merge: no shard results for the current raw inputs under " +
                            buckets.processed + "/" + prefix +
                            " (run `climahealth batch --shard i/n` for every i first)");
  }
  std::vector<ShardResult> shards;
  for (const std::string& key : keys) {
    ASSIGN_OR_RETURN(Json doc, LoadJson(store, {buckets.processed, key, ""}));
    ASSIGN_OR_RETURN(ShardResult shard, ShardFromJson(doc, key));
    shards.push_back(std::move(shard));
  }
  std::sort(shards.begin(), shards.end(),
            [](const ShardResult& a, const ShardResult& b) { return a.index < b.index; });
  const int count = shards.front().count;
  for (int i = 0; i < static_cast<int>(shards.size()); ++i) {
    if (shards[i].count != count || shards[i].index != i) break;
    if (i + 1 == count && static_cast<int>(shards.size()) == count) return shards;
  }
  std::string have;
  for (const ShardResult& s : shards) {
    have += (have.empty() ? "" : ", ") + std::to_string(s.index) + "/" + std::to_string(s.count);
  }
  return Status::PreconditionFailed("batch --merge: shards under " + prefix +
                                    " are incomplete or mixed (have " + have + "; need 0/" +
                                    std::to_string(count) + " .. " + std::to_string(count - 1) +
                                    "/" + std::to_string(count) + ")");
}

void FillShardCounts(const ShardResult& shard, BatchSummary* summary) {
  summary->rows_in = shard.rows_in;
  summary->rows_kept = shard.rows_kept;
  summary->rows_interpolated = shard.rows_interpolated;
  for (const Issue& i : shard.issues) ++summary->rule_counts[i.file][static_cast<int>(i.rule)];
}

Status RunStages(ObjectStore& store, const BucketNames& buckets, const RunInputs& inputs,
                 const BatchOptions& options, BatchSummary* summary) {
  const std::string prefix = ShardPrefix(inputs, options.sharded || options.merge);
  Say(options, "locations", std::string(FileKey(kLocationsFile)));
  ASSIGN_OR_RETURN(LocationsResult locations,
                   LoadLocations(store, {buckets.raw, std::string(FileKey(kLocationsFile)), ""}));
  if (options.merge) {
    ASSIGN_OR_RETURN(std::vector<ShardResult> shards, LoadShards(store, buckets, prefix));
    RETURN_IF_ERROR(Assemble(store, buckets, shards, locations, inputs, options, summary));
    return DeletePrefix(store, buckets.processed, prefix);
  }
  ShardResult shard;
  shard.index = options.shard_index;
  shard.count = options.shard_count;
  RETURN_IF_ERROR(
      ProcessShard(store, buckets, inputs, locations, options, prefix, &shard, &summary->groups));
  if (options.sharded) {
    FillShardCounts(shard, summary);
    const std::string key = ShardDocKey(prefix, shard.index, shard.count);
    ASSIGN_OR_RETURN(std::string text, FormatJson(ShardToJson(shard, inputs.fingerprint), -1));
    RETURN_IF_ERROR(store.Put({buckets.processed, key, ""}, text).status());
    summary->written.push_back(key);
    return Status::Ok();
  }
  std::vector<ShardResult> shards;
  shards.push_back(std::move(shard));
  RETURN_IF_ERROR(Assemble(store, buckets, shards, locations, inputs, options, summary));
  if (summary->groups > 1) return DeletePrefix(store, buckets.processed, prefix);
  return Status::Ok();
}

}  // namespace

int64_t BatchSummary::Rejected(int file) const { return rows_in[file] - rows_kept[file]; }

Result<BatchSummary> RunBatch(ObjectStore& store, const BucketNames& buckets,
                              const BatchOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(CheckOptions(options));
  BatchSummary summary;
  ASSIGN_OR_RETURN(RunInputs inputs, HeadInputs(store, buckets, options));
  summary.fingerprint = inputs.fingerprint;
  if (!options.force && !options.sharded) {
    ASSIGN_OR_RETURN(bool current, UpToDate(store, buckets, inputs));
    if (current) {
      summary.up_to_date = true;
      return summary;
    }
  }
  if (options.sharded && !options.force) {
    const std::string key =
        ShardDocKey(ShardPrefix(inputs, true), options.shard_index, options.shard_count);
    ASSIGN_OR_RETURN(bool exists, store.Exists({buckets.processed, key, ""}));
    if (exists) {
      summary.up_to_date = true;
      return summary;
    }
  }
  RETURN_IF_ERROR(store.CreateBucket(buckets.processed));
  Status status = RunStages(store, buckets, inputs, options, &summary);
  if (!status.ok()) {
    if (!options.sharded && !options.merge) {
      // Best effort: parts of a multi-group run are useless without it. Also
      // after an interrupt, which would otherwise stop these requests too.
      CleanupScope cleanup;
      DeletePrefix(store, buckets.processed, ShardPrefix(inputs, false)).IgnoreError();
    }
    return status;
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace ch::batch
