// The AWS Lambda Runtime API client (custom runtime "bootstrap"): fetch the next
// invocation, post its response or error, report an init error, and the loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ch::net {
class HttpClient;
}

namespace ch::lambda {

// One invocation, from the headers and body of GET .../invocation/next.
struct Invocation {
  std::string request_id;   // Lambda-Runtime-Aws-Request-Id
  std::string payload;      // the event as sent (JSON text)
  int64_t deadline_ms = 0;  // Lambda-Runtime-Deadline-Ms (Unix epoch ms), 0 if absent
  std::string function_arn;
  std::string trace_id;  // also exported as _X_AMZN_TRACE_ID while handling
};

// Answers one invocation with the response body (JSON text) or an error.
using Handler = std::function<Result<std::string>(const Invocation&)>;

struct RuntimeOptions {
  // "host:port" of the Runtime API (AWS_LAMBDA_RUNTIME_API).
  std::string api;
  // Stop after this many invocations (0: run until the Runtime API fails;
  // Lambda freezes and ends the process itself).
  int64_t max_invocations = 0;
  // Connection attempts to the Runtime API fail after this long.
  std::chrono::milliseconds connect_timeout{5000};
};

// Thread-compatible: one loop per process uses it.
class RuntimeClient {
 public:
  // InvalidArgument when `api` is empty.
  static Result<std::unique_ptr<RuntimeClient>> Make(RuntimeOptions options);
  ~RuntimeClient();

  // Blocks until the next invocation (long poll, no stall timeout). Corruption
  // when the answer lacks a request id; Unavailable/IOError for transport errors.
  Result<Invocation> Next();
  // POST /2018-06-01/runtime/invocation/{id}/response.
  Status Respond(const std::string& request_id, std::string_view body);
  // POST .../{id}/error with {"errorMessage", "errorType", "stackTrace": []}.
  Status ReportError(const std::string& request_id, const Status& error);
  // POST /2018-06-01/runtime/init/error: the function could not start.
  Status ReportInitError(const Status& error);

  const RuntimeOptions& options() const { return options_; }

 private:
  RuntimeClient(RuntimeOptions options, std::unique_ptr<net::HttpClient> http);
  Status Post(const std::string& path, std::string_view body, bool is_error);

  RuntimeOptions options_;
  std::unique_ptr<net::HttpClient> http_;
};

// The error type reported for a Status: "InvalidArgument", "NotFound", ...
std::string ErrorTypeFor(const Status& status);
// {"errorMessage", "errorType", "stackTrace": []} as JSON text.
std::string ErrorDocument(const Status& status);

// Next -> handler -> Respond / ReportError, until options.max_invocations are
// handled or the Runtime API itself fails (that Status is returned). A handler
// error is reported for its invocation and the loop goes on.
Status RunLoop(RuntimeClient& client, const Handler& handler);

}  // namespace ch::lambda
