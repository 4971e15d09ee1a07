// ModelService: immutable, versioned model artefacts in the models bucket with
// a metadata document beside each and a "current" pointer per model name
// (docs/DATA.md, "Models bucket").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codecs/json.h"
#include "config/config.h"
#include "core/status.h"
#include "storage/object_store.h"

namespace ch::services {

struct ModelRecord {
  std::string name;     // risk_dengue, forecast_malaria, scaler, ...
  std::string version;  // YYYYMMDDTHHMMSSZ-<8 hex>
  bool current = false;
  Json metadata;  // metadata.json as stored
};

// A loaded artefact, verified against its metadata (size, SHA-256, features).
struct ModelArtefact {
  ModelRecord record;
  std::string bytes;  // model.ubj / model.json / scaler JSON
  std::string etag;   // of the artefact object, for cache revalidation
};

// Thread-safe.
class ModelService {
 public:
  ModelService(ObjectStore& store, BucketNames buckets);

  // Writes models/<name>/<version>/{model.<ext>,metadata.json}; never
  // overwrites (AlreadyExists). Fills size/sha256 into the metadata.
  Result<ModelRecord> SaveModel(const std::string& name, std::string_view bytes,
                                std::string_view extension, Json metadata);
  // Switches models/<name>/current.json to `version` with a conditional write
  // against `expected_current` (empty: only if no pointer exists yet).
  Status SetCurrent(const std::string& name, const std::string& version,
                    const std::optional<std::string>& expected_current);
  // The given version, or the current one. Refuses (Corruption, naming the key)
  // an artefact whose size, checksum or feature list differs from its metadata.
  Result<ModelArtefact> LoadModel(const std::string& name,
                                  const std::optional<std::string>& version = std::nullopt);
  Result<bool> ModelExists(const std::string& name,
                           const std::optional<std::string>& version = std::nullopt);
  // Every version of every model (or of `name`), newest first per name.
  Result<std::vector<ModelRecord>> ListModels(const std::string& name = {});

  Result<ModelArtefact> LoadRiskModel(const std::string& disease) {
    return LoadModel("risk_" + disease);
  }
  Result<ModelArtefact> LoadForecastModel(const std::string& disease) {
    return LoadModel("forecast_" + disease);
  }
  Result<ModelArtefact> LoadScaler() { return LoadModel("scaler"); }

 private:
  ObjectStore& store_;
  BucketNames buckets_;
};

}  // namespace ch::services
