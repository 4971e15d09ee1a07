// A small blocking HTTP/1.1 client (libcurl underneath) with connection reuse and streaming.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ch::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse;

struct HttpRequest {
  std::string method = "GET";  // HEAD gets no body
  std::string url;             // fully encoded
  Headers headers;
  // The request body: `body` unless `body_at` is set, and then `body_size` bytes
  // long (Content-Length). `body_at` copies up to n bytes of the body from offset
  // `at` into buf and returns how many; it must give the same bytes when asked
  // again, so libcurl can rewind a body it resends on a fresh connection. A 0
  // before body_size bytes, or an error, aborts the request, and that is what
  // Send returns.
  std::string_view body;
  std::function<Result<size_t>(char* buf, size_t n, uint64_t at)> body_at;
  uint64_t body_size = 0;
  // The response body of a 2xx answer goes to `on_body` if set (a non-ok Status aborts
  // and is returned by Send); otherwise, and always for non-2xx answers, to response.body.
  std::function<Status(std::string_view bytes)> on_body;
  // Called once with the status and headers of a 2xx answer, before its first body byte.
  std::function<void(const HttpResponse&)> on_response_start;
  // Whole-request limit (0: none).
  std::chrono::milliseconds timeout{0};
  // Once the process is interrupted (core/interrupt.h) an interruptible request
  // is not sent, and one in flight is cut within a moment: Send returns
  // Cancelled. Clean-up requests (aborting a multipart upload) are not
  // interruptible: they must still go out after the interrupt.
  bool interruptible = true;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-cased, in arrival order
  std::string body;

  // The first value of header `name` (lower-case), or empty.
  std::string Header(std::string_view name) const;
};

struct HttpClientOptions {
  bool verify_tls = true;
  // CA bundle for https; empty: AWS_CA_BUNDLE if set, else the system store. Never
  // applied to plain http.
  std::string ca_bundle;
  std::chrono::milliseconds connect_timeout{10000};
  // A transfer that moves no byte for this long is cut (CURLE_OPERATION_TIMEDOUT).
  std::chrono::seconds stall_timeout{30};
  std::string user_agent = "climahealth/0.1";
  // Idle connections kept for reuse. libcurl's default (5) closes a connection
  // whenever more than five requests were in flight at once, so eight threads
  // opened a new connection for every other request.
  long max_idle_connections = 64;
};

// Thread-safe: many threads may Send at once. Connections, DNS answers and TLS sessions
// are shared between requests and kept alive. Send returns a response for any HTTP
// status; only transport failures (and callback errors) are errors.
class HttpClient {
 public:
  static Result<std::unique_ptr<HttpClient>> Make(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request);

  // Connections opened so far (for tests of reuse).
  uint64_t ConnectionsOpened() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The one mapping of libcurl result codes (CURLcode as int) to Status: connection
// refused/reset, timeouts, stalls and partial bodies → Unavailable; bad URL →
// InvalidArgument; TLS verification failure → PermissionDenied; others → IOError.
Status StatusFromCurl(int curl_code, std::string_view context);

}  // namespace ch::net
