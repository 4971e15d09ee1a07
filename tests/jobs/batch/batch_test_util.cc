// Helpers for the batch job tests.
#include "batch_test_util.h"

#include <gtest/gtest.h>

#include "codecs/object_io.h"
#include "generator/generator.h"
#include "services/data/processed_layout.h"
#include "storage/md5.h"

namespace ch::batch::testing {

std::unique_ptr<MemoryStore> MakeStore() {
  auto store = std::make_unique<MemoryStore>();
  for (const std::string* b : {&kBuckets.raw, &kBuckets.processed, &kBuckets.models}) {
    EXPECT_TRUE(store->CreateBucket(*b).ok());
  }
  return store;
}

Json Generate(ObjectStore& store, int years, int districts, uint64_t seed, bool dirty) {
  gen::GeneratorOptions o;
  o.years = years;
  o.districts_per_state = districts;
  o.seed = seed;
  o.dirty = dirty;
  o.threads = 2;
  Result<gen::GenerationReport> report = gen::GenerateToStore(o, store, kBuckets.raw);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  Result<Json> manifest = LoadJson(store, {kBuckets.raw, std::string(gen::kManifestKey), ""});
  EXPECT_TRUE(manifest.ok()) << manifest.status().ToString();
  return manifest.ok() ? *manifest : Json();
}

std::map<std::string, std::string> Objects(ObjectStore& store, const std::string& bucket) {
  std::map<std::string, std::string> out;
  Status s = ForEachObject(store, bucket, "", [&](const ObjectInfo& o) {
    Result<std::string> bytes = store.Get({bucket, o.key, ""});
    if (!bytes.ok()) return bytes.status();
    out[o.key] = *bytes;
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

std::map<std::string, std::string> Digests(ObjectStore& store, const std::string& bucket) {
  std::map<std::string, std::string> digests;
  for (const auto& [key, bytes] : Objects(store, bucket)) digests[key] = Md5Hex(bytes);
  return digests;
}

BatchSummary MustRun(ObjectStore& store, BatchOptions options) {
  if (options.threads == 0) options.threads = 2;
  Result<BatchSummary> summary = RunBatch(store, kBuckets, options);
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  return summary.ok() ? *summary : BatchSummary{};
}

Json LoadReport(ObjectStore& store) {
  Result<Json> manifest =
      LoadJson(store, {kBuckets.processed, std::string(services::kProcessedManifestKey), ""});
  EXPECT_TRUE(manifest.ok()) << manifest.status().ToString();
  if (!manifest.ok()) return Json();
  const std::string key = (*manifest)["outputs"]["validation"]["key"];
  Result<Json> report = LoadJson(store, {kBuckets.processed, key, ""});
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? *report : Json();
}

}  // namespace ch::batch::testing
