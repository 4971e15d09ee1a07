// Chooses and builds the configured ObjectStore backend.
#include "cli/store_factory.h"

#include "storage/local_store.h"
#include "storage/s3/s3_store_factory.h"

namespace ch::cli {

Result<std::unique_ptr<ObjectStore>> MakeStore(const Config& config) {
  switch (config.storage.backend) {
    case StoreBackend::kLocal: {
      LocalStoreOptions options;
      options.root = config.storage.root;
      ASSIGN_OR_RETURN(std::unique_ptr<LocalStore> store, LocalStore::Make(options));
      for (const std::string* bucket :
           {&config.buckets.raw, &config.buckets.processed, &config.buckets.models}) {
        RETURN_IF_ERROR(store->CreateBucket(*bucket));
      }
      return std::unique_ptr<ObjectStore>(std::move(store));
    }
    case StoreBackend::kS3:
      return MakeS3StoreFromConfig(config.storage);
  }
  return Status::Internal("unknown store backend");
}

}  // namespace ch::cli
