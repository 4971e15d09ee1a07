// StorageConfig → S3StoreOptions + the default credentials chain.
#include "storage/s3/s3_store_factory.h"

#include "storage/s3/s3_store.h"

namespace ch {

Result<std::unique_ptr<ObjectStore>> MakeS3StoreFromConfig(const StorageConfig& config) {
  s3::S3StoreOptions options;
  options.endpoint = config.endpoint;
  options.region = config.region;
  options.path_style = config.path_style;
  options.verify_tls = config.verify_tls;
  options.concurrency = config.concurrency;
  options.part_size = config.part_size;
  options.multipart_threshold = config.multipart_threshold;
  options.max_attempts = config.max_attempts;
  options.timeout = std::chrono::seconds(config.timeout_seconds);
  s3::CredentialsChainOptions chain;
  chain.profile = config.profile;
  chain.env = s3::ProcessEnv();
  ASSIGN_OR_RETURN(std::shared_ptr<s3::CredentialsProvider> credentials,
                   s3::MakeDefaultCredentialsChain(chain));
  ASSIGN_OR_RETURN(std::unique_ptr<s3::S3Store> store,
                   s3::S3Store::Make(std::move(options), std::move(credentials)));
  return std::unique_ptr<ObjectStore>(std::move(store));
}

}  // namespace ch
