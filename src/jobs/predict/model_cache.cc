// ModelCache: load once, then one HEAD of the current pointer per use.
#include "jobs/predict/model_cache.h"

#include <fmt/format.h>

#include "services/models/model_service.h"

namespace ch::jobs {
namespace {

// docs/DATA.md, "Models bucket": the pointer switched by `climahealth train`.
std::string CurrentPointerKey(const std::string& name) {
  return "models/" + name + "/current.json";
}

std::string MetadataVersion(const services::ModelArtefact& art) {
  const Json& meta = art.record.metadata;
  auto it = meta.find("version");
  if (it != meta.end() && it->is_string()) return it->get<std::string>();
  return art.record.version;
}

}  // namespace

ModelCache& ModelCache::Default() {
  // Never destroyed: at exit, libxgboost's own static state may already be gone,
  // and freeing a booster after it aborts the process.
  static ModelCache* cache = new ModelCache();
  return *cache;
}

template <typename T, typename LoadFn>
Result<std::shared_ptr<const T>> ModelCache::Get(ObjectStore& store, const BucketNames& buckets,
                                                 const std::string& name, LoadFn load) {
  const std::string cache_key =
      fmt::format("{}|{}|{}", static_cast<const void*>(&store), buckets.models, name);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(cache_key);
    if (it != entries_.end() && now - it->second.checked < options_.revalidate_after) {
      ++stats_.hits;
      return std::static_pointer_cast<const T>(it->second.model);
    }
  }
  auto head = store.Head({buckets.models, CurrentPointerKey(name), ""});
  if (!head.ok()) {
    if (head.status().code() == StatusCode::kNotFound) {
      return Status::NotFound(
          fmt::format("model {} has no current version in bucket {} (run `climahealth train`)",
                      name, buckets.models));
    }
    return head.status();
  }
  {
    std::lock_guard lock(mu_);
    ++stats_.revalidations;
    auto it = entries_.find(cache_key);
    if (it != entries_.end() && it->second.pointer_etag == head->etag) {
      it->second.checked = now;
      ++stats_.hits;
      return std::static_pointer_cast<const T>(it->second.model);
    }
  }
  services::ModelService models(store, buckets);
  ASSIGN_OR_RETURN(services::ModelArtefact art, models.LoadModel(name));
  ASSIGN_OR_RETURN(auto model, load(art));
  auto loaded = std::make_shared<const T>(T{name, MetadataVersion(art), std::move(model)});
  std::lock_guard lock(mu_);
  ++stats_.loads;
  entries_[cache_key] = Entry{head->etag, now, loaded};
  return loaded;
}

Result<std::shared_ptr<const CachedRisk>> ModelCache::GetRisk(ObjectStore& store,
                                                              const BucketNames& buckets,
                                                              const std::string& disease) {
  int threads = options_.predict_threads;
  return Get<CachedRisk>(store, buckets, "risk_" + disease,
                         [threads](const services::ModelArtefact& art) {
                           return ml::RiskModel::Load(art.bytes, art.record.metadata, threads);
                         });
}

Result<std::shared_ptr<const CachedForecast>> ModelCache::GetForecast(ObjectStore& store,
                                                                      const BucketNames& buckets,
                                                                      const std::string& disease) {
  int threads = options_.predict_threads;
  return Get<CachedForecast>(
      store, buckets, "forecast_" + disease, [threads](const services::ModelArtefact& art) {
        return ml::ForecastModel::Load(art.bytes, art.record.metadata, threads);
      });
}

ModelCacheStats ModelCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void ModelCache::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

}  // namespace ch::jobs
