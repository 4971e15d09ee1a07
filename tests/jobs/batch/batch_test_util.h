// Helpers for the batch job tests: stores with generated or hand-made raw data.
#pragma once

#include <map>
#include <string>

#include "config/config.h"
#include "jobs/batch/batch_job.h"
#include "storage/memory_store.h"

namespace ch::batch::testing {

inline const BucketNames kBuckets{"raw-b", "processed-b", "models-b"};

// A MemoryStore with the three buckets.
std::unique_ptr<MemoryStore> MakeStore();

// Generates raw data into `store` (GenerateToStore); returns the generator manifest.
Json Generate(ObjectStore& store, int years, int districts, uint64_t seed, bool dirty);

// Every object of `bucket`: key → bytes.
std::map<std::string, std::string> Objects(ObjectStore& store, const std::string& bucket);

// Every object in `bucket` as key -> MD5 of its bytes: a failed comparison
// prints keys, not megabytes of CSV.
std::map<std::string, std::string> Digests(ObjectStore& store, const std::string& bucket);

// Runs the job with progress off and one thread pool size, failing the test on error.
BatchSummary MustRun(ObjectStore& store, BatchOptions options = {});

// The processed bucket's current validation report.
Json LoadReport(ObjectStore& store);

}  // namespace ch::batch::testing
