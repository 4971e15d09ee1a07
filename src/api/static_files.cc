// The dashboard's static files at "/", with content types and the SPA
// fallback to index.html for client-side routes.
#include <fstream>
#include <sstream>

#include "api/api_service.h"

namespace ch::api {
namespace {

std::string ContentType(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool ReadFile(const std::filesystem::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

constexpr const char* kFallbackIndex = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>climahealth API</title></head>
<body><h1>climahealth API</h1>
<p>The dashboard is not built here (serve it with <code>--static DIR</code>).
See <a href="/docs">/docs</a>, <a href="/openapi.json">/openapi.json</a> and
<a href="/metrics">/metrics</a>.</p></body></html>
)";

}  // namespace

HttpResponse ApiService::GetStatic(const HttpRequest& request, const PathParams&) {
  if (request.path.starts_with("/api/") || request.path == "/api") {
    return Error(404, "no such endpoint: " + request.path);
  }
  HttpResponse response;
  const std::filesystem::path& root = options_.static_dir;
  std::error_code ec;
  if (root.empty() || !std::filesystem::is_directory(root, ec)) {
    if (request.path != "/" && request.path != "/index.html") {
      return Error(404, "no such file: " + request.path);
    }
    response.body = kFallbackIndex;
    response.SetHeader("Content-Type", "text/html; charset=utf-8");
    return response;
  }
  std::filesystem::path relative = std::filesystem::path(request.path).relative_path();
  for (const auto& part : relative) {
    if (part == ".." || part.string().starts_with(".")) {
      return Error(404, "no such file: " + request.path);
    }
  }
  std::filesystem::path file = root / relative;
  if (relative.empty() || std::filesystem::is_directory(file, ec)) file /= "index.html";
  if (!std::filesystem::is_regular_file(file, ec)) {
    // Client-side routes (no extension) get the app; missing assets are 404.
    if (relative.has_extension()) return Error(404, "no such file: " + request.path);
    file = root / "index.html";
  }
  if (!ReadFile(file, &response.body)) return Error(404, "no such file: " + request.path);
  response.SetHeader("Content-Type", ContentType(file));
  bool hashed_asset = request.path.starts_with("/assets/");
  response.SetHeader("Cache-Control",
                     hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

}  // namespace ch::api
