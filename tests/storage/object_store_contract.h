// The ObjectStore contract as one parameterised GoogleTest suite, written once
// and run against every backend.
//
// A backend joins by compiling object_store_contract.cc into its test binary
// (or linking the ch_storage_contract object library) and instantiating the
// suite with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(S3, ObjectStoreContract,
//                            ::testing::Values(StoreFactory{"S3", MakeS3Env}), ContractName);
//
// Differences between backends are capability flags (StoreCapabilities) and
// the sizes below, never copied tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch::testing {

// One test's world: a store, a bucket that exists, and a key prefix under
// which the bucket holds nothing yet (so backends may share a bucket).
struct ContractEnv {
  std::unique_ptr<ObjectStore> store;
  std::string bucket;
  std::string prefix;  // every key a test uses starts with it; may be ""
  // Runs after the test (store already destroyed), e.g. to remove a temp dir.
  std::function<void()> cleanup;
};

struct StoreFactory {
  std::string name;  // suffix of the test names: "Local", "Memory", "S3"
  // NotSupported: the backend is not available here (its server is not
  // configured) and every test skips.
  std::function<Result<ContractEnv>()> make;
  uint64_t large_object_bytes = uint64_t{64} << 20;
  int paging_keys = 2500;
  int concurrent_writers = 100;
  // false: a reader may get a torn object while it is being overwritten, and
  // racing writers may leave one (s3rver writes in place), so the atomicity
  // tests skip.
  bool atomic_overwrite = true;
};

std::string ContractName(const ::testing::TestParamInfo<StoreFactory>& info);
// Shows a factory by name in test output.
void PrintTo(const StoreFactory& factory, std::ostream* os);

class ObjectStoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  ObjectStore& store() { return *env_.store; }
  const std::string& bucket() const { return env_.bucket; }
  const std::string& prefix() const { return env_.prefix; }
  // The ref of `name` under this test's prefix.
  ObjectRef Ref(const std::string& name) const;
  // `name` under this test's prefix.
  std::string Key(const std::string& name) const { return env_.prefix + name; }
  StoreCapabilities caps() const { return caps_; }

  // Puts `bytes` and fails the test on error.
  ObjectInfo MustPut(const std::string& name, std::string_view bytes,
                     const PutOptions& options = {});
  // Gets the object's bytes and fails the test on error.
  std::string MustGet(const std::string& name);
  // Every key under `sub` (below the prefix), walking all pages.
  std::vector<std::string> AllKeys(const std::string& sub = "", int page_size = 1000);

 private:
  ContractEnv env_;
  StoreCapabilities caps_;
};

// Deterministic pseudo-random bytes (xorshift), so large payloads need no file.
std::string PatternBytes(size_t n, uint64_t seed);

}  // namespace ch::testing
