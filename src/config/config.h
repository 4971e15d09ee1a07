// Configuration: defaults < TOML file < environment < command-line flags.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace ch {

enum class StoreBackend { kLocal, kS3 };

struct StorageConfig {
  StoreBackend backend = StoreBackend::kLocal;
  std::filesystem::path root = "./var/store";  // local store root
  std::string endpoint;                        // empty: AWS; e.g. http://127.0.0.1:7480
  std::string region = "us-east-1";
  std::string profile;  // shared credentials/config profile; empty: "default"
  bool path_style = false;
  bool verify_tls = true;
  int concurrency = 8;               // parallel requests per transfer
  uint64_t part_size = 16ull << 20;  // multipart part size, bytes
  uint64_t multipart_threshold = 64ull << 20;
  int max_attempts = 5;       // retries apply to Unavailable only
  int timeout_seconds = 300;  // per-operation deadline
};

// Real bucket names of the three logical buckets.
struct BucketNames {
  std::string raw;
  std::string processed;
  std::string models;
};

// The HTTP API server (`climahealth serve`), TOML table [api].
struct ApiConfig {
  // Lower-case SHA-256 hex of each accepted X-API-Key (never the keys
  // themselves): `printf %s "$KEY" | sha256sum`. Empty: jobs cannot be POSTed.
  std::vector<std::string> api_key_sha256;
  std::vector<std::string> cors_origins;  // browser origins allowed; empty: CORS off; "*": any
  uint64_t max_body_bytes = 1 << 20;      // larger request bodies get 413
  int request_timeout_seconds = 30;       // slower answers become 503
  int cache_ttl_ms = 1000;                // cached answers and objects are revalidated after this
  int worker_threads = 16;                // request handlers running at once
};

// One `key = value` of a table whose keys belong to another module (e.g.
// [alerts] → the alert rules), kept with where it was written so that module's
// errors name the file, line and column.
struct ConfigSetting {
  std::string key;                          // "outbreak_k"
  std::variant<double, std::string> value;  // TOML integers and floats become double
  std::string where;                        // "FILE:LINE:COLUMN: alerts.outbreak_k"
};

struct Config {
  StorageConfig storage;
  BucketNames buckets;
  ApiConfig api;
  // [alerts]: thresholds of the alert rules, applied and checked by the alerts
  // job (ApplyAlertSettings); every key is an AlertOptions field.
  std::vector<ConfigSetting> alerts;
  std::filesystem::path source;  // the TOML file read, empty if none

  // "raw" / "processed" / "models" → the real bucket; NotFound otherwise.
  Result<std::string> LogicalBucket(std::string_view logical) const;
};

// Values given on the command line; unset fields leave lower layers alone.
struct ConfigOverrides {
  std::optional<std::filesystem::path> config_file;
  std::optional<std::string> backend;  // "local" or "s3"
  std::optional<std::filesystem::path> root;
  std::optional<std::string> endpoint;
  std::optional<std::string> region;
  std::optional<std::string> profile;
  std::optional<int> concurrency;
};

using Environment = std::map<std::string, std::string>;

// The process environment, as a map (for LoadConfig).
Environment ProcessEnvironment();

// Builds the configuration from defaults, the TOML file named by
// overrides.config_file or CLIMAHEALTH_CONFIG (a missing named file is an
// error; no file named means none is read), the environment and the
// overrides. Unknown TOML keys and malformed values are InvalidArgument
// naming the file, line and key.
Result<Config> LoadConfig(const Environment& env, const ConfigOverrides& overrides);

}  // namespace ch
