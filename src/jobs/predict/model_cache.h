// ModelCache: the current risk and forecast models kept loaded in the process
// and revalidated against the ETag of each model's "current" pointer, so a
// warm API server or Lambda pays one HEAD per model instead of a download.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.h"
#include "core/status.h"
#include "ml/case_models.h"
#include "storage/object_store.h"

namespace ch::jobs {

// A loaded model and where it came from.
template <typename Model>
struct CachedModel {
  std::string name;     // risk_dengue, forecast_dengue, ...
  std::string version;  // as in the model's metadata
  Model model;
};

using CachedRisk = CachedModel<ml::RiskModel>;
using CachedForecast = CachedModel<ml::ForecastModel>;

struct ModelCacheOptions {
  // A cached model younger than this is used without asking the store
  // (0: revalidate on every Get, one HEAD of models/<name>/current.json).
  std::chrono::milliseconds revalidate_after{0};
  // XGBoost threads per loaded booster. A job predicts one row per location
  // (hundreds); at that size OpenMP's team start-up and idle spinning cost more
  // than a second thread saves, and the spinning slows the other models' loading.
  int predict_threads = 1;
};

struct ModelCacheStats {
  int64_t loads = 0;          // artefacts downloaded and parsed
  int64_t hits = 0;           // served from memory
  int64_t revalidations = 0;  // HEADs of a current pointer
};

// Thread-safe. Models are shared (shared_ptr) so a request holding one keeps it
// alive while the cache swaps in a newer version.
class ModelCache {
 public:
  explicit ModelCache(ModelCacheOptions options = {}) : options_(options) {}

  // The process-wide cache the jobs use when given none.
  static ModelCache& Default();

  // The current version of risk_<disease> / forecast_<disease> in `buckets.models`
  // of `store`. NotFound (saying to run `climahealth train`) when the model has no
  // current version; Corruption when the artefact fails verification.
  Result<std::shared_ptr<const CachedRisk>> GetRisk(ObjectStore& store, const BucketNames& buckets,
                                                    const std::string& disease);
  Result<std::shared_ptr<const CachedForecast>> GetForecast(ObjectStore& store,
                                                            const BucketNames& buckets,
                                                            const std::string& disease);

  ModelCacheStats stats() const;
  void Clear();

 private:
  struct Entry {
    std::string pointer_etag;
    std::chrono::steady_clock::time_point checked;
    std::shared_ptr<const void> model;
  };
  // Returns the entry's model when still current; otherwise loads it with `load`.
  template <typename T, typename LoadFn>
  Result<std::shared_ptr<const T>> Get(ObjectStore& store, const BucketNames& buckets,
                                       const std::string& name, LoadFn load);

  ModelCacheOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  ModelCacheStats stats_;
};

}  // namespace ch::jobs
