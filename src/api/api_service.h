// ApiService: everything behind the listener — middleware (request ids,
// access log, metrics, CORS, auth, caching, ETag/304, gzip) and the handlers.
// Internal to src/api; the public face is ApiServer.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "api/api_server.h"
#include "api/caching_store.h"
#include "api/http_message.h"
#include "api/job_manager.h"
#include "services/data/data_service.h"

namespace ch::api {

using PathParams = std::map<std::string, std::string>;

// A rendered answer with its ETag; the gzip form is made once, on demand.
struct Representation {
  int status = 200;
  HeaderList headers;  // Content-Type and any others, without ETag
  std::string body;
  std::string etag;  // W/"<hash>"
  mutable std::once_flag gzip_once;
  mutable std::string gzip;  // empty when not worth compressing
};

class ApiService {
 public:
  ApiService(ApiServerOptions options, ObjectStore& store, BucketNames buckets,
             obs::MetricsRegistry& registry, ModelLister models, JobRegistry jobs);

  // Answers one request (any thread).
  HttpResponse Handle(const HttpRequest& request);
  // The listener's own answers (400/413/431/500/503), logged like the rest.
  HttpResponse Reject(const HttpRequest& request, int status, const std::string& message);
  void Shutdown() { jobs_.Shutdown(); }
  const ApiServerOptions& options() const { return options_; }

  // Handlers (handlers_*.cc). Each validates its parameters first.
  using Handler = HttpResponse (ApiService::*)(const HttpRequest&, const PathParams&);
  HttpResponse GetHealth(const HttpRequest&, const PathParams&);
  HttpResponse GetReady(const HttpRequest&, const PathParams&);
  HttpResponse GetLocations(const HttpRequest&, const PathParams&);
  HttpResponse GetDataset(const HttpRequest&, const PathParams&);
  HttpResponse GetOutput(const HttpRequest&, const PathParams&);
  HttpResponse GetModels(const HttpRequest&, const PathParams&);
  HttpResponse GetStorageStats(const HttpRequest&, const PathParams&);
  HttpResponse GetFile(const HttpRequest&, const PathParams&);
  HttpResponse PostJob(const HttpRequest&, const PathParams&);
  HttpResponse GetJob(const HttpRequest&, const PathParams&);
  HttpResponse GetOpenApi(const HttpRequest&, const PathParams&);
  HttpResponse GetDocs(const HttpRequest&, const PathParams&);
  HttpResponse GetMetrics(const HttpRequest&, const PathParams&);
  HttpResponse GetStatic(const HttpRequest&, const PathParams&);

  // Error answers in the one shape of docs/api.md.
  HttpResponse Error(int status, std::string message, const std::string& parameter = {}) const;
  // The one mapping from Status to HTTP status and error code.
  HttpResponse ErrorFromStatus(const Status& status, const std::string& parameter = {}) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" captures one, "{name+}" the rest
    Handler handler;
    bool cacheable = false;  // GET answers reused for response_ttl
    std::string pattern;     // the metrics label
  };
  struct CachedAnswer {
    std::shared_ptr<const Representation> representation;
    std::chrono::steady_clock::time_point made;
  };

  void AddRoutes();
  const Route* Match(const HttpRequest& request, PathParams* params, bool* path_known) const;
  std::shared_ptr<const Representation> Render(HttpResponse response) const;
  HttpResponse Deliver(const HttpRequest& request, const Representation& rep) const;
  HttpResponse Dispatch(const HttpRequest& request, std::string* route_label);
  void AddCors(const HttpRequest& request, HttpResponse& response) const;
  void Log(const HttpRequest& request, const HttpResponse& response, const std::string& request_id,
           const std::string& route, double seconds);

  // Validation helpers (query.cc).
 public:
  // 400 naming the first query parameter not in `allowed` (or repeated).
  std::optional<HttpResponse> CheckParams(const HttpRequest& request,
                                          std::initializer_list<std::string_view> allowed) const;
  // The known location codes (cached for response_ttl).
  Result<std::shared_ptr<const std::set<std::string>>> KnownLocations();
  bool Authorized(const HttpRequest& request) const;
  services::DataService& data() { return data_; }
  ObjectStore& store() { return store_; }
  const BucketNames& buckets() const { return buckets_; }
  obs::MetricsRegistry& registry() { return registry_; }
  const ModelLister& models() const { return models_; }
  JobManager& jobs() { return jobs_; }

 private:
  ApiServerOptions options_;
  ObjectStore& store_;  // the caller's store (files, readiness)
  BucketNames buckets_;
  obs::MetricsRegistry& registry_;
  CachingStore cached_store_;
  services::DataService data_;
  ModelLister models_;
  JobManager jobs_;
  std::vector<Route> routes_;

  std::mutex cache_mu_;
  std::map<std::string, CachedAnswer> answers_;

  std::mutex locations_mu_;
  std::shared_ptr<const std::set<std::string>> locations_;
  std::chrono::steady_clock::time_point locations_loaded_;
};

}  // namespace ch::api
