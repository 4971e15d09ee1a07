// ApiService middleware: routing, response cache, ETag/304, gzip, CORS,
// request ids, metrics and the JSON access log.
#include "api/api_service.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <random>

#include "codecs/compression.h"

namespace ch::api {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string Fnv1aHex(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// A client's X-Request-Id is kept when it is short and plain.
bool UsableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

std::string NowRfc3339Ms() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

bool AcceptsGzip(const HttpRequest& request) {
  std::string accept = request.Header("accept-encoding");
  size_t pos = accept.find("gzip");
  if (pos == std::string::npos) return false;
  std::string_view rest = std::string_view(accept).substr(pos + 4);
  size_t comma = rest.find(',');
  std::string_view params = rest.substr(0, comma);
  return params.find("q=0") == std::string_view::npos ||
         params.find("q=0.") != std::string_view::npos;
}

bool Compressible(const HeaderList& headers) {
  for (const auto& [name, value] : headers) {
    if (name == "Content-Type") {
      return value.starts_with("application/json") || value.starts_with("text/") ||
             value.starts_with("application/javascript") || value.starts_with("image/svg");
    }
  }
  return false;
}

std::string_view ErrorCodeName(int status) {
  switch (status) {
    case 400:
    case 405:
    case 413:
    case 431:
      return "invalid_argument";
    case 401:
      return "unauthorized";
    case 404:
      return "not_found";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

}  // namespace

ApiService::ApiService(ApiServerOptions options, ObjectStore& store, BucketNames buckets,
                       obs::MetricsRegistry& registry, ModelLister models, JobRegistry jobs)
    : options_(std::move(options)),
      store_(store),
      buckets_(std::move(buckets)),
      registry_(registry),
      cached_store_(store, options_.object_cache, &registry),
      data_(cached_store_, buckets_),
      models_(std::move(models)),
      jobs_(std::move(jobs)) {
  AddRoutes();
}

void ApiService::AddRoutes() {
  auto add = [this](std::string method, const std::string& pattern, Handler handler,
                    bool cacheable) {
    routes_.push_back({std::move(method), SplitPath(pattern), handler, cacheable, pattern});
  };
  add("GET", "/health", &ApiService::GetHealth, false);
  add("GET", "/ready", &ApiService::GetReady, false);
  add("GET", "/api/locations", &ApiService::GetLocations, true);
  for (const char* dataset : {"/api/climate", "/api/health", "/api/hospital"}) {
    add("GET", dataset, &ApiService::GetDataset, true);
  }
  for (const char* kind :
       {"/api/predictions/{date}", "/api/forecasts/{date}", "/api/alerts/{date}"}) {
    add("GET", kind, &ApiService::GetOutput, true);
  }
  add("GET", "/api/models", &ApiService::GetModels, true);
  add("GET", "/api/storage/stats", &ApiService::GetStorageStats, true);
  add("GET", "/api/files/{bucket}/{key+}", &ApiService::GetFile, false);
  add("POST", "/api/jobs/{kind}", &ApiService::PostJob, false);
  add("GET", "/api/jobs/{id}", &ApiService::GetJob, false);
  add("GET", "/openapi.json", &ApiService::GetOpenApi, true);
  add("GET", "/docs", &ApiService::GetDocs, true);
  add("GET", "/metrics", &ApiService::GetMetrics, false);
  add("GET", "/", &ApiService::GetStatic, true);
  add("GET", "/{path+}", &ApiService::GetStatic, true);
}

const ApiService::Route* ApiService::Match(const HttpRequest& request, PathParams* params,
                                           bool* path_known) const {
  std::vector<std::string> parts = SplitPath(request.path);
  std::string method = request.method == "HEAD" ? "GET" : request.method;
  *path_known = false;
  for (const Route& route : routes_) {
    PathParams captured;
    bool ok = true;
    size_t i = 0;
    for (; ok && i < route.segments.size(); ++i) {
      const std::string& seg = route.segments[i];
      bool capture = seg.size() > 2 && seg.front() == '{';
      if (capture && seg[seg.size() - 2] == '+') {
        std::string rest;
        for (size_t j = i; j < parts.size(); ++j) rest += (j > i ? "/" : "") + parts[j];
        ok = !rest.empty();
        captured[seg.substr(1, seg.size() - 3)] = rest;
        i = parts.size();
        break;
      }
      if (i >= parts.size()) {
        ok = false;
      } else if (capture) {
        captured[seg.substr(1, seg.size() - 2)] = parts[i];
      } else {
        ok = seg == parts[i];
      }
    }
    if (!ok || i != parts.size()) continue;
    if (route.method != method) {
      *path_known = *path_known || route.segments.size() != 1 || route.pattern != "/{path+}";
      continue;
    }
    *params = std::move(captured);
    return &route;
  }
  return nullptr;
}

std::shared_ptr<const Representation> ApiService::Render(HttpResponse response) const {
  auto rep = std::make_shared<Representation>();
  rep->status = response.status;
  rep->etag = response.Header("ETag");
  std::erase_if(response.headers, [](const auto& h) { return h.first == "ETag"; });
  rep->headers = std::move(response.headers);
  rep->body = std::move(response.body);
  if (rep->etag.empty()) rep->etag = "W/\"" + Fnv1aHex(rep->body) + "\"";
  return rep;
}

HttpResponse ApiService::Deliver(const HttpRequest& request, const Representation& rep) const {
  HttpResponse out;
  out.status = rep.status;
  out.headers = rep.headers;
  out.SetHeader("ETag", rep.etag);
  out.SetHeader("Vary", "Accept-Encoding");
  std::string if_none_match = request.Header("if-none-match");
  if (!if_none_match.empty() && EtagMatches(if_none_match, rep.etag)) {
    out.status = 304;
    return out;
  }
  if (AcceptsGzip(request) && rep.body.size() >= 1024 && Compressible(rep.headers)) {
    std::call_once(rep.gzip_once, [&rep] {
      auto gz = CompressBytes(rep.body, Compression::kGzip, 1);
      if (gz.ok() && gz->size() < rep.body.size()) rep.gzip = std::move(*gz);
    });
    if (!rep.gzip.empty()) {
      out.body = rep.gzip;
      out.SetHeader("Content-Encoding", "gzip");
      return out;
    }
  }
  out.body = rep.body;
  return out;
}

HttpResponse ApiService::Dispatch(const HttpRequest& request, std::string* route_label) {
  PathParams params;
  bool path_known = false;
  const Route* route = Match(request, &params, &path_known);
  if (route == nullptr) {
    if (path_known) {
      HttpResponse r =
          Error(405, "method " + request.method + " is not allowed on " + request.path);
      r.SetHeader("Allow", request.path.starts_with("/api/jobs/") ? "GET, POST" : "GET, HEAD");
      return r;
    }
    return Error(404, "no such endpoint: " + request.path);
  }
  *route_label = route->pattern;
  if (!route->cacheable) {
    HttpResponse response = (this->*(route->handler))(request, params);
    if (response.status != 200 || route->method != "GET" || response.stream) return response;
    return Deliver(request, *Render(std::move(response)));
  }
  std::string key = request.path + '?';
  HeaderList query = request.query;
  std::sort(query.begin(), query.end());
  for (const auto& [n, v] : query) {
    key += n;
    key += '=';
    key += v;
    key += '&';
  }
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = answers_.find(key);
    if (it != answers_.end() && now - it->second.made < options_.response_ttl) {
      registry_
          .GetCounter("ch_api_cache_requests_total",
                      "Reads answered by the API's caches, by result.",
                      {{"cache", "response"}, {"result", "hit"}})
          .Increment();
      return Deliver(request, *it->second.representation);
    }
  }
  registry_
      .GetCounter("ch_api_cache_requests_total", "Reads answered by the API's caches, by result.",
                  {{"cache", "response"}, {"result", "miss"}})
      .Increment();
  HttpResponse response = (this->*(route->handler))(request, params);
  if (response.status != 200) return response;
  std::shared_ptr<const Representation> rep = Render(std::move(response));
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (answers_.size() >= options_.response_cache_entries) {
      std::erase_if(answers_,
                    [&](const auto& e) { return now - e.second.made >= options_.response_ttl; });
      if (answers_.size() >= options_.response_cache_entries) answers_.clear();
    }
    answers_[key] = CachedAnswer{rep, now};
  }
  return Deliver(request, *rep);
}

void ApiService::AddCors(const HttpRequest& request, HttpResponse& response) const {
  std::string origin = request.Header("origin");
  if (origin.empty() || options_.cors_origins.empty()) return;
  bool any = std::find(options_.cors_origins.begin(), options_.cors_origins.end(), "*") !=
             options_.cors_origins.end();
  bool listed = std::find(options_.cors_origins.begin(), options_.cors_origins.end(), origin) !=
                options_.cors_origins.end();
  if (!any && !listed) return;
  response.SetHeader("Access-Control-Allow-Origin", any ? "*" : origin);
  if (!any) response.headers.emplace_back("Vary", "Origin");
  response.SetHeader("Access-Control-Expose-Headers", "ETag, X-Request-Id, Retry-After, Location");
  if (request.method == "OPTIONS") {
    response.SetHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
    response.SetHeader("Access-Control-Allow-Headers",
                       "Content-Type, X-API-Key, If-None-Match, X-Request-Id");
    response.SetHeader("Access-Control-Max-Age", "600");
  }
}

HttpResponse ApiService::Handle(const HttpRequest& request) {
  auto start = std::chrono::steady_clock::now();
  obs::Gauge& in_flight =
      registry_.GetGauge("ch_http_requests_in_flight", "Requests being handled.");
  in_flight.Add(1);
  std::string incoming = request.Header("x-request-id");
  std::string request_id = UsableRequestId(incoming) ? incoming : NewRequestId();
  std::string route = "unmatched";
  HttpResponse response;
  if (request.method == "OPTIONS") {
    response.status = 204;
    response.SetHeader("Allow", "GET, HEAD, POST, OPTIONS");
    route = "OPTIONS";
  } else {
    response = Dispatch(request, &route);
  }
  AddCors(request, response);
  response.SetHeader("X-Request-Id", request_id);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  Log(request, response, request_id, route, elapsed.count());
  in_flight.Add(-1);
  return response;
}

HttpResponse ApiService::Reject(const HttpRequest& request, int status,
                                const std::string& message) {
  HttpResponse response = Error(status, message);
  AddCors(request, response);
  std::string request_id = NewRequestId();
  response.SetHeader("X-Request-Id", request_id);
  Log(request, response, request_id, "rejected", 0);
  return response;
}

void ApiService::Log(const HttpRequest& request, const HttpResponse& response,
                     const std::string& request_id, const std::string& route, double seconds) {
  std::string status = std::to_string(response.status);
  registry_
      .GetCounter("ch_http_requests_total", "HTTP requests answered, by route and status.",
                  {{"method", request.method}, {"route", route}, {"status", status}})
      .Increment();
  registry_
      .GetHistogram("ch_http_request_duration_seconds", "Time to answer a request, in seconds.",
                    {{"route", route}})
      .Observe(seconds);
  if (response.status >= 400) {
    registry_
        .GetCounter("ch_http_errors_total", "HTTP answers with status 400 or above.",
                    {{"route", route}, {"status", status}})
        .Increment();
  }
  size_t q = request.target.find('?');
  Json line = {{"time", NowRfc3339Ms()},
               {"request_id", request_id},
               {"remote", request.remote},
               {"method", request.method},
               {"path", request.path},
               {"query", q == std::string::npos ? "" : request.target.substr(q + 1)},
               {"route", route},
               {"status", response.status},
               {"bytes", response.stream ? response.stream->Size() : response.body.size()},
               {"duration_ms", std::round(seconds * 1e5) / 100},
               {"user_agent", request.Header("user-agent")}};
  std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (options_.access_log) {
    options_.access_log(text);
  } else {
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}

HttpResponse ApiService::Error(int status, std::string message,
                               const std::string& parameter) const {
  Json error = {{"code", ErrorCodeName(status)}, {"message", std::move(message)}};
  error["parameter"] = parameter.empty() ? Json(nullptr) : Json(parameter);
  HttpResponse response;
  response.status = status;
  response.body = Json{{"error", error}}.dump(-1, ' ', false, Json::error_handler_t::replace);
  response.SetHeader("Content-Type", "application/json");
  response.SetHeader("Cache-Control", "no-store");
  if (status == 503)
    response.SetHeader("Retry-After", std::to_string(options_.retry_after_seconds));
  return response;
}

HttpResponse ApiService::ErrorFromStatus(const Status& status, const std::string& parameter) const {
  switch (status.code()) {
    case StatusCode::kNotFound:
      return Error(404, status.message(), parameter);
    case StatusCode::kInvalidArgument:
      return Error(400, status.message(), parameter);
    case StatusCode::kUnavailable:
      return Error(503, "storage unavailable: " + status.message(), parameter);
    default:
      return Error(500, status.ToString(), parameter);
  }
}

}  // namespace ch::api
