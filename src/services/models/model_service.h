// ModelService: immutable, versioned model artefacts in the models bucket with
// a metadata document beside each and a "current" pointer per model name
// (docs/DATA.md, "Models bucket").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/json.h"
#include "config/config.h"
#include "core/status.h"
#include "storage/object_store.h"

namespace ch::services {

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);
// A fresh version string: YYYYMMDDTHHMMSSZ (UTC now) + "-" + 8 random hex digits.
std::string NewModelVersion();

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
  // The version is metadata["version"] if set, else NewModelVersion(). Adds
  // "name", "version", "created_at" (unless set), "artefact" {key, file,
  // size, sha256} and "features_sha256" (of metadata["features"] printed
  // compactly, [] when absent). Does not switch the current pointer.
  Result<ModelRecord> SaveModel(const std::string& name, std::string_view bytes,
                                std::string_view extension, Json metadata);
  // Switches models/<name>/current.json to `version` with a conditional write
  // against `expected_current` (empty: only if no pointer exists yet).
  // NotFound if the version does not exist; PreconditionFailed (nothing
  // written) if the pointer is not at `expected_current` or another writer
  // switches it between our read and our write (If-Match on its ETag).
  Status SetCurrent(const std::string& name, const std::string& version,
                    const std::optional<std::string>& expected_current);
  // Removes models/<name>/current.json if it still points at `expected`
  // (PreconditionFailed otherwise). Used to undo a first switch; the check and
  // the delete are two requests, as S3 has no conditional delete here.
  Status ClearCurrent(const std::string& name, const std::string& expected);
  // The given version, or the current one. Refuses (Corruption, naming the key)
  // an artefact whose size, checksum or feature list differs from its metadata.
  Result<ModelArtefact> LoadModel(const std::string& name,
                                  const std::optional<std::string>& version = std::nullopt);
  Result<bool> ModelExists(const std::string& name,
                           const std::optional<std::string>& version = std::nullopt);
  // The version models/<name>/current.json points at; nullopt when none.
  Result<std::optional<std::string>> CurrentVersion(const std::string& name);
  // Every version of every model (or of `name`), newest first per name.
  Result<std::vector<ModelRecord>> ListModels(const std::string& name = {});

  Result<ModelArtefact> LoadRiskModel(const std::string& disease) {
    return LoadModel("risk_" + disease);
  }
  Result<ModelArtefact> LoadForecastModel(const std::string& disease) {
    return LoadModel("forecast_" + disease);
  }
  Result<ModelArtefact> LoadScaler() { return LoadModel("scaler"); }

  // Keys (docs/DATA.md): models/<name>/current.json and
  // models/<name>/<version>/metadata.json.
  static std::string CurrentKey(const std::string& name);
  static std::string MetadataKey(const std::string& name, const std::string& version);

 private:
  struct Pointer {
    std::string version;
    std::string etag;  // of current.json
  };
  // The current pointer, or nullopt when none exists yet.
  Result<std::optional<Pointer>> ReadCurrent(const std::string& name);
  Result<std::string> ResolveVersion(const std::string& name,
                                     const std::optional<std::string>& version);
  ObjectRef Ref(const std::string& key) const;

  ObjectStore& store_;
  BucketNames buckets_;
};

}  // namespace ch::services
