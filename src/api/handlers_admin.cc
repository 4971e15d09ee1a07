// Operational handlers: health, readiness, models, storage statistics, file
// downloads, jobs and metrics.
#include <ctime>

#include "api/api_service.h"
#include "api/object_body_stream.h"
#include "table/date.h"

namespace ch::api {
namespace {

HttpResponse JsonAnswer(int status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  response.SetHeader("Content-Type", "application/json");
  response.SetHeader("Cache-Control", "no-cache");
  return response;
}

std::string Rfc3339(int64_t unix_seconds) {
  std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json TimeOrNull(int64_t unix_ms) {
  return unix_ms == 0 ? Json(nullptr) : Json(Rfc3339(unix_ms / 1000));
}

Json Field(const Json& metadata, const char* name) {
  return metadata.is_object() && metadata.contains(name) ? metadata[name] : Json(nullptr);
}

std::string ContentTypeFor(std::string_view key) {
  auto ends = [key](std::string_view s) { return key.ends_with(s); };
  if (ends(".csv")) return "text/csv; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".gz")) return "application/gzip";
  if (ends(".zst")) return "application/zstd";
  return "application/octet-stream";
}

}  // namespace

HttpResponse ApiService::GetHealth(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {})) return *bad;
  return JsonAnswer(200, {{"status", "ok"}});
}

HttpResponse ApiService::GetReady(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {})) return *bad;
  Result<bool> bucket = store_.BucketExists(buckets_.processed);
  bool storage = bucket.ok() && *bucket;
  bool models = false;
  if (models_) {
    auto list = models_();
    if (list.ok()) {
      for (const auto& record : *list) models = models || record.current;
    }
  }
  Json body = {
      {"status", storage ? "ready" : "not_ready"}, {"storage", storage}, {"models", models}};
  HttpResponse response = JsonAnswer(storage ? 200 : 503, body);
  if (!storage) response.SetHeader("Retry-After", std::to_string(options_.retry_after_seconds));
  return response;
}

HttpResponse ApiService::GetModels(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {})) return *bad;
  Json models = Json::array();
  if (models_) {
    auto list = models_();
    if (!list.ok()) return ErrorFromStatus(list.status());
    for (const services::ModelRecord& r : *list) {
      Json window = Field(r.metadata, "training_window");
      Json metrics = Field(r.metadata, "metrics");
      Json features = Field(r.metadata, "features");
      models.push_back(
          {{"name", r.name},
           {"version", r.version},
           {"current", r.current},
           {"created_at", Field(r.metadata, "created_at")},
           {"training_window", {{"start", Field(window, "start")}, {"end", Field(window, "end")}}},
           {"metrics", metrics.is_object() ? metrics : Json::object()},
           {"features", features.is_array() ? features : Json::array()}});
    }
  }
  return JsonAnswer(200, {{"models", std::move(models)}});
}

HttpResponse ApiService::GetStorageStats(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {})) return *bad;
  Result<services::StorageStats> stats = data_.GetStorageStats();
  if (!stats.ok()) return ErrorFromStatus(stats.status());
  Json buckets = Json::array();
  for (const services::BucketStats& b : stats->buckets) {
    Json newest = nullptr;
    if (!b.newest_key.empty()) {
      newest = {{"key", b.newest_key}, {"last_modified", Rfc3339(b.newest_modified_unix)}};
    }
    buckets.push_back({{"logical", b.logical},
                       {"name", b.name},
                       {"objects", b.objects},
                       {"bytes", b.bytes},
                       {"newest_object", newest}});
  }
  Json newest_date = nullptr;
  if (stats->newest_prediction_date) newest_date = FormatIsoDate(*stats->newest_prediction_date);
  return JsonAnswer(200, {{"buckets", buckets}, {"newest_prediction_date", newest_date}});
}

HttpResponse ApiService::GetFile(const HttpRequest& request, const PathParams& params) {
  if (auto bad = CheckParams(request, {"redirect"})) return *bad;
  std::string redirect = "true";
  for (const auto& [n, v] : request.query) redirect = n == "redirect" ? v : redirect;
  if (redirect != "true" && redirect != "false") {
    return Error(400, "parameter 'redirect' must be true or false", "redirect");
  }
  const std::string& name = params.at("bucket");
  std::string bucket = name == "raw"         ? buckets_.raw
                       : name == "processed" ? buckets_.processed
                       : name == "models"    ? buckets_.models
                                             : "";
  if (bucket.empty() &&
      (name == buckets_.raw || name == buckets_.processed || name == buckets_.models)) {
    bucket = name;
  }
  if (bucket.empty()) {
    return Error(404, "unknown bucket '" + name + "' (raw, processed, models)", "bucket");
  }
  ObjectRef ref{bucket, params.at("key"), ""};
  if (Status valid = ValidateKey(ref.key); !valid.ok()) return ErrorFromStatus(valid, "key");
  Result<std::string> url = store_.PresignGet(ref, options_.presign_expiry);
  if (url.ok()) {
    if (redirect == "false") {
      return JsonAnswer(200, {{"url", *url}, {"expires_in", options_.presign_expiry.count()}});
    }
    HttpResponse response;
    response.status = 307;
    response.SetHeader("Location", *url);
    response.SetHeader("Cache-Control", "no-store");
    return response;
  }
  if (url.status().code() != StatusCode::kNotSupported) return ErrorFromStatus(url.status());
  Result<ObjectInfo> info = store_.Head(ref);
  if (!info.ok()) return ErrorFromStatus(info.status(), info.status().IsNotFound() ? "key" : "");
  if (redirect == "false") {
    return JsonAnswer(200, {{"url", request.path}, {"expires_in", nullptr}});
  }
  HttpResponse response;
  response.SetHeader("ETag", "\"" + info->etag + "\"");
  std::string if_none_match = request.Header("if-none-match");
  if (!if_none_match.empty() && EtagMatches(if_none_match, response.Header("ETag"))) {
    response.status = 304;
    return response;
  }
  response.stream = std::make_shared<ObjectBodyStream>(store_, ref, info->etag, info->size,
                                                       options_.file_piece_bytes);
  response.SetHeader("Content-Type",
                     info->content_type.empty() || info->content_type == "application/octet-stream"
                         ? ContentTypeFor(ref.key)
                         : info->content_type);
  std::string base = ref.key.substr(ref.key.rfind('/') + 1);
  std::erase_if(base, [](char c) { return c == '"' || c == '\\' || c < 0x20; });
  response.SetHeader("Content-Disposition", "attachment; filename=\"" + base + "\"");
  return response;
}

HttpResponse ApiService::PostJob(const HttpRequest& request, const PathParams& params) {
  if (!Authorized(request)) {
    HttpResponse r = Error(401, "a valid X-API-Key header is required to run jobs", "X-API-Key");
    r.SetHeader("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
    return r;
  }
  if (auto bad = CheckParams(request, {})) return *bad;
  const std::string& kind = params.at("kind");
  static const std::set<std::string> kKinds = {"batch", "train", "predict", "forecast", "alerts"};
  if (kKinds.count(kind) == 0) {
    return Error(400, "unknown job kind '" + kind + "' (batch, train, predict, forecast, alerts)",
                 "kind");
  }
  if (!jobs_.Has(kind)) {
    return Error(400,
                 "job kind '" + kind +
                     "' is not available in this server (available: " + jobs_.Kinds() + ")",
                 "kind");
  }
  Json body = Json::object();
  if (!request.body.empty()) {
    body = Json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return Error(400, "the request body must be a JSON object", "body");
    }
  }
  JobStatus status = jobs_.Submit(kind, std::move(body));
  HttpResponse response =
      JsonAnswer(202, {{"id", status.id}, {"kind", status.kind}, {"status", status.status}});
  response.SetHeader("Location", "/api/jobs/" + status.id);
  return response;
}

HttpResponse ApiService::GetJob(const HttpRequest& request, const PathParams& params) {
  if (auto bad = CheckParams(request, {})) return *bad;
  std::optional<JobStatus> status = jobs_.Get(params.at("id"));
  if (!status) return Error(404, "no job with id '" + params.at("id") + "'", "id");
  return JsonAnswer(200, {{"id", status->id},
                          {"kind", status->kind},
                          {"status", status->status},
                          {"started_at", TimeOrNull(status->started_unix_ms)},
                          {"finished_at", TimeOrNull(status->finished_unix_ms)},
                          {"message", status->message}});
}

HttpResponse ApiService::GetMetrics(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {})) return *bad;
  HttpResponse response;
  response.body = registry_.Expose();
  response.SetHeader("Content-Type", obs::MetricsRegistry::kContentType);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace ch::api
