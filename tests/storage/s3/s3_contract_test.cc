// Runs the ObjectStore contract against S3Store on Ceph RGW (CH_S3_ENDPOINT) and on
// s3rver (CH_S3RVER_ENDPOINT); each test gets its own bucket, removed afterwards.
#include <memory>

#include "storage/object_store_contract.h"
#include "storage/s3/s3_test_env.h"

namespace ch::testing {
namespace {

using s3::testing::Server;

Result<ContractEnv> MakeEnv(Server server) {
  std::optional<std::string> endpoint = s3::testing::EndpointFor(server);
  if (!endpoint) {
    return Status::NotSupported(server == Server::kRgw ? "CH_S3_ENDPOINT is unset"
                                                       : "CH_S3RVER_ENDPOINT is unset");
  }
  s3::S3StoreOptions options = s3::testing::OptionsFor(server, *endpoint);
  std::unique_ptr<s3::S3Store> store = s3::testing::MakeStore(server, options);
  if (store == nullptr) return Status::Internal("cannot make S3Store for " + *endpoint);
  std::string bucket = s3::testing::UniqueBucketName("contract");
  RETURN_IF_ERROR(store->CreateBucket(bucket));
  ContractEnv env;
  env.store = std::move(store);
  env.bucket = bucket;
  env.prefix = "p/";
  env.cleanup = [server, options, bucket] {
    std::unique_ptr<s3::S3Store> cleaner = s3::testing::MakeStore(server, options);
    Status st = s3::testing::RemoveBucketAndContents(*cleaner, bucket);
    EXPECT_TRUE(st.ok()) << "cleanup of " << bucket << ": " << st.ToString();
  };
  return env;
}

StoreFactory Factory(const char* name, Server server) {
  StoreFactory f{name, [server] { return MakeEnv(server); }};
  f.large_object_bytes = uint64_t{13} << 20;  // three 5 MiB parts, one short
  f.paging_keys = 1100;                       // more than one 1000-key page
  f.concurrent_writers = 24;
  f.atomic_overwrite = server == Server::kRgw;
  return f;
}

INSTANTIATE_TEST_SUITE_P(S3, ObjectStoreContract,
                         ::testing::Values(Factory("Rgw", Server::kRgw),
                                           Factory("S3rver", Server::kS3rver)),
                         ContractName);

}  // namespace
}  // namespace ch::testing
