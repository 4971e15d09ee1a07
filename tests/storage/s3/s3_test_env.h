// Shared set-up for the S3 tests that need a real server: endpoints from the
// environment, stores with the right capability options, unique buckets, cleanup.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "storage/s3/s3_store.h"

namespace ch::s3::testing {

enum class Server { kRgw, kS3rver };

// The endpoint from CH_S3_ENDPOINT (Ceph RGW) or CH_S3RVER_ENDPOINT (s3rver);
// nullopt when unset, and tests then skip.
std::optional<std::string> EndpointFor(Server server);

// Options for `server` at `endpoint`: path style, credentials' server quirks as
// capability flags (s3rver: no versioning, conditional writes, suffix ranges,
// abort, lifecycle), 5 MiB parts, short deadline and backoff for tests.
S3StoreOptions OptionsFor(Server server, const std::string& endpoint);
std::shared_ptr<CredentialsProvider> CredentialsFor(Server server);

// A store on `server` at `endpoint` with `options` (from OptionsFor, adjusted).
std::unique_ptr<S3Store> MakeStore(Server server, S3StoreOptions options);

// "<stem>-<random>": a bucket name no other test uses.
std::string UniqueBucketName(const std::string& stem);

// Removes every object version, delete marker and object in `bucket`, then the
// bucket. Errors are returned, not thrown, so callers can report them.
Status RemoveBucketAndContents(S3Store& store, const std::string& bucket);

// Removes every object under `prefix` of `bucket` (a test's own keys in a
// shared bucket).
Status RemoveObjectsUnder(S3Store& store, const std::string& bucket, const std::string& prefix);

// Test bytes (xorshift), deterministic per seed.
std::string RandomBytes(size_t n, uint64_t seed = 1);

}  // namespace ch::s3::testing
