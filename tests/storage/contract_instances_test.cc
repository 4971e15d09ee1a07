// Runs the ObjectStore contract against the in-process backends: LocalStore
// (on a fresh temp directory, fsync on) and MemoryStore.
#include <memory>

#include "storage/local_store.h"
#include "storage/memory_store.h"
#include "storage/object_store_contract.h"
#include "support/temp_dir.h"

namespace ch::testing {
namespace {

constexpr char kContractBucket[] = "contract-bucket";

Result<ContractEnv> MakeLocalEnv() {
  auto dir = std::make_shared<TempDir>("contract");
  LocalStoreOptions options;
  options.root = dir->path() / "store";
  ASSIGN_OR_RETURN(std::unique_ptr<LocalStore> store, LocalStore::Make(options));
  RETURN_IF_ERROR(store->CreateBucket(kContractBucket));
  ContractEnv env;
  env.store = std::move(store);
  env.bucket = kContractBucket;
  env.prefix = "";         // top level: listings must skip the store's reserved directory
  env.cleanup = [dir] {};  // the last copy of `dir` removes the tree
  return env;
}

Result<ContractEnv> MakeMemoryEnv() {
  auto store = std::make_unique<MemoryStore>("contract");
  RETURN_IF_ERROR(store->CreateBucket(kContractBucket));
  RETURN_IF_ERROR(
      store->Put(ObjectRef{kContractBucket, "elsewhere/noise", ""}, "not under the prefix")
          .status());
  ContractEnv env;
  env.store = std::move(store);
  env.bucket = kContractBucket;
  env.prefix = "tenant/";
  return env;
}

INSTANTIATE_TEST_SUITE_P(Stores, ObjectStoreContract,
                         ::testing::Values(StoreFactory{"Local", MakeLocalEnv},
                                           StoreFactory{"Memory", MakeMemoryEnv}),
                         ContractName);

}  // namespace
}  // namespace ch::testing
