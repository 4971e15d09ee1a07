// The Ceph RGW the test scripts start (CH_S3_ENDPOINT), as an S3Store and as
// the environment and config file a `climahealth` child process needs.
#pragma once

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "storage/s3/s3_store.h"

namespace ch::testing {

inline constexpr char kRgwAccessKey[] = "CLIMAHEALTHACCESSKEY";
inline constexpr char kRgwSecretKey[] = "climahealthSecretKey0123456789abcdefABCD";

inline std::string RgwEndpoint() {
  const char* e = std::getenv("CH_S3_ENDPOINT");
  return e != nullptr ? e : "";
}

inline std::unique_ptr<s3::S3Store> MakeRgwStore(const std::string& endpoint,
                                                 uint64_t part_size = 5 << 20,
                                                 uint64_t threshold = 6 << 20) {
  s3::S3StoreOptions o;
  o.endpoint = endpoint;
  o.path_style = true;
  o.part_size = part_size;
  o.multipart_threshold = threshold;
  o.concurrency = 4;
  o.max_attempts = 4;
  o.base_backoff = std::chrono::milliseconds(20);
  auto creds = std::make_shared<s3::StaticCredentialsProvider>(
      s3::Credentials{kRgwAccessKey, kRgwSecretKey, "", std::nullopt});
  auto store = s3::S3Store::Make(o, creds);
  return store.ok() ? std::move(store).value() : nullptr;
}

// Environment for a child talking to the RGW with `config` as its TOML file.
inline std::map<std::string, std::string> RgwChildEnv(const std::string& config,
                                                      const std::string& home) {
  return {{"CLIMAHEALTH_CONFIG", config},
          {"AWS_ACCESS_KEY_ID", kRgwAccessKey},
          {"AWS_SECRET_ACCESS_KEY", kRgwSecretKey},
          {"AWS_DEFAULT_REGION", "us-east-1"},
          {"AWS_REGION", "us-east-1"},
          {"HOME", home},
          {"XDG_CACHE_HOME", home + "/.cache"},
          {"AWS_CONFIG_FILE", home + "/no-aws-config"},
          {"AWS_SHARED_CREDENTIALS_FILE", home + "/no-aws-credentials"}};
}

// Writes a TOML config selecting the RGW with small multipart parts.
inline void WriteRgwConfig(const std::string& path, const std::string& endpoint,
                           uint64_t part_size = 5 << 20, uint64_t threshold = 6 << 20) {
  std::ofstream(path) << "[storage]\nbackend = \"s3\"\nendpoint = \"" << endpoint
                      << "\"\npath_style = true\nconcurrency = 4\npart_size = " << part_size
                      << "\nmultipart_threshold = " << threshold << "\n";
}

inline std::string RandomPrefix(const std::string& tag) {
  return tag + std::to_string(std::random_device{}()) + "/";
}

}  // namespace ch::testing
