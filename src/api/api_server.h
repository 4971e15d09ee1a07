// ApiServer: the HTTP API of `climahealth serve` (docs/api.md): JSON over the
// DataService, models, storage stats, files, jobs, OpenAPI, metrics and the
// dashboard's static files, with caching, ETags, gzip, limits and API keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/caching_store.h"
#include "api/http_listener.h"
#include "codecs/json.h"
#include "config/config.h"
#include "core/status.h"
#include "obs/metrics.h"
#include "services/models/model_service.h"
#include "storage/object_store.h"

namespace ch::api {

// A job the server may run on POST /api/jobs/{kind}: gets the request's JSON
// body ({} when empty) and returns a one-line summary, or an error. Runs on
// the server's job thread, one job at a time.
using JobFunction = std::function<Result<std::string>(const Json& params)>;
// By kind: batch, train, predict, forecast, alerts. Kinds left out answer 400.
using JobRegistry = std::map<std::string, JobFunction>;

// Lists models for GET /api/models and /ready (ModelService::ListModels); the
// composition root injects it so this module does not link the model code.
using ModelLister = std::function<Result<std::vector<services::ModelRecord>>()>;

struct ApiServerOptions {
  ListenerOptions listener;
  std::filesystem::path static_dir;  // the dashboard; empty or missing: a small index page
  // Lower-case SHA-256 hex of each accepted API key (`climahealth` never
  // stores or logs the keys themselves). Empty: every POST is refused.
  std::vector<std::string> api_key_sha256;
  // Origins allowed to call from a browser ("*" for any). Empty: CORS off.
  std::vector<std::string> cors_origins;
  ObjectCacheOptions object_cache;
  // Rendered answers of GET endpoints are reused for this long.
  std::chrono::milliseconds response_ttl{1000};
  size_t response_cache_entries = 4096;
  // /api/files on a store that cannot presign streams the object in pieces
  // of this size (memory per download).
  uint64_t file_piece_bytes = 1ull << 20;
  std::chrono::seconds presign_expiry{300};
  int retry_after_seconds = 5;  // on 503
  // One JSON line per request; default: stderr.
  std::function<void(std::string_view line)> access_log;
};

// Thread-safe. Destruction shuts down (see Shutdown).
class ApiServer {
 public:
  // Starts listening. `store` (already metered if desired) and `registry`
  // are borrowed and must outlive the server; reads go through an internal
  // CachingStore over `store`.
  static Result<std::unique_ptr<ApiServer>> Start(ApiServerOptions options, ObjectStore& store,
                                                  BucketNames buckets,
                                                  obs::MetricsRegistry& registry,
                                                  ModelLister models, JobRegistry jobs);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  uint16_t port() const;
  // "http://host:port/"
  std::string url() const;
  // Graceful: stops accepting, finishes requests in flight, waits for a
  // running job to end. Idempotent.
  void Shutdown();

 private:
  struct Impl;
  explicit ApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Lower-case hex SHA-256 of `text` (how API keys are stored in configuration).
std::string Sha256Hex(std::string_view text);

}  // namespace ch::api
