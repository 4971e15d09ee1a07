// Builds an S3Store from the platform configuration (for the composition root).
#pragma once

#include <memory>

#include "config/config.h"
#include "storage/object_store.h"

namespace ch {

// An S3Store for `config`: endpoint, region, path style, TLS verification, concurrency,
// part size, multipart threshold, attempts and deadline from the config; credentials
// from the standard chain (AWS_* environment, then the shared files with
// config.profile or AWS_PROFILE, then container credentials, then IMDSv2).
// InvalidArgument on bad values (e.g. an endpoint without scheme, part size < 5 MiB).
Result<std::unique_ptr<ObjectStore>> MakeS3StoreFromConfig(const StorageConfig& config);

}  // namespace ch
