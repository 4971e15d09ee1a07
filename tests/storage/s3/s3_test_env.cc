// Shared set-up for the S3 tests that need a real server.
#include "storage/s3/s3_test_env.h"

#include <cstdlib>
#include <mutex>
#include <random>
#include <vector>

namespace ch::s3::testing {

std::optional<std::string> EndpointFor(Server server) {
  const char* e = std::getenv(server == Server::kRgw ? "CH_S3_ENDPOINT" : "CH_S3RVER_ENDPOINT");
  if (e == nullptr || *e == '\0') return std::nullopt;
  return std::string(e);
}

S3StoreOptions OptionsFor(Server server, const std::string& endpoint) {
  S3StoreOptions o;
  o.endpoint = endpoint;
  o.path_style = true;
  o.part_size = 5 << 20;
  o.multipart_threshold = 6 << 20;
  o.concurrency = 4;
  o.max_attempts = 4;
  o.timeout = std::chrono::seconds(120);
  o.base_backoff = std::chrono::milliseconds(20);
  if (server == Server::kS3rver) {
    o.versioning = false;
    o.conditional_put = false;
    o.suffix_ranges = false;
    o.multipart_abort = false;
    o.ordered_listing = false;
    o.lifecycle = false;
    o.bucket_encryption = false;
    o.public_access_block = false;
  }
  return o;
}

std::shared_ptr<CredentialsProvider> CredentialsFor(Server server) {
  Credentials c = server == Server::kRgw
                      ? Credentials{"CLIMAHEALTHACCESSKEY",
                                    "climahealthSecretKey0123456789abcdefABCD", "", std::nullopt}
                      : Credentials{"S3RVER", "S3RVER", "", std::nullopt};
  return std::make_shared<StaticCredentialsProvider>(c);
}

std::unique_ptr<S3Store> MakeStore(Server server, S3StoreOptions options) {
  Result<std::unique_ptr<S3Store>> store =
      S3Store::Make(std::move(options), CredentialsFor(server));
  return store.ok() ? std::move(store).value() : nullptr;
}

std::string UniqueBucketName(const std::string& stem) {
  static std::mt19937_64 rng(std::random_device{}());
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  return stem + "-" + std::to_string(rng() % 1000000000000ull);
}

Status RemoveBucketAndContents(S3Store& store, const std::string& bucket) {
  if (store.Capabilities().versioning) {
    ListOptions lo;
    for (;;) {
      ASSIGN_OR_RETURN(VersionPage page, store.ListVersions(bucket, lo));
      for (const ObjectVersion& v : page.versions) {
        std::string id = v.info.version_id.empty() ? "null" : v.info.version_id;
        RETURN_IF_ERROR(store.Delete(ObjectRef{bucket, v.info.key, id}));
      }
      if (page.next_token.empty()) break;
      lo.continuation_token = page.next_token;
    }
  }
  std::vector<std::string> keys;
  RETURN_IF_ERROR(ForEachObject(store, bucket, "", [&](const ObjectInfo& info) {
    keys.push_back(info.key);
    return Status::Ok();
  }));
  if (!keys.empty()) {
    ASSIGN_OR_RETURN(std::vector<KeyError> failed, store.DeleteMany(bucket, keys));
    if (!failed.empty()) return failed.front().status;
  }
  return store.DeleteBucket(bucket);
}

Status RemoveObjectsUnder(S3Store& store, const std::string& bucket, const std::string& prefix) {
  std::vector<std::string> keys;
  RETURN_IF_ERROR(ForEachObject(store, bucket, prefix, [&](const ObjectInfo& info) {
    keys.push_back(info.key);
    return Status::Ok();
  }));
  if (keys.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(std::vector<KeyError> failed, store.DeleteMany(bucket, keys));
  if (!failed.empty()) {
    return Status::IOError("remove " + bucket + "/" + prefix + ": " +
                           std::to_string(failed.size()) + " keys not removed, first " +
                           failed.front().key);
  }
  return Status::Ok();
}

std::string RandomBytes(size_t n, uint64_t seed) {
  std::string s(n, '\0');
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s[i] = static_cast<char>(x);
  }
  return s;
}

}  // namespace ch::s3::testing
