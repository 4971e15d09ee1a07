// The Runtime API over the project's HTTP client.
#include "lambda/runtime.h"

#include <cstdlib>
#include <string>

#include "codecs/json.h"
#include "net/http_client.h"

namespace ch::lambda {
namespace {

constexpr const char* kBase = "/2018-06-01/runtime";

Status CheckAccepted(const net::HttpResponse& r, const std::string& what) {
  if (r.status >= 200 && r.status < 300) return Status::Ok();
  std::string msg = "Lambda Runtime API " + what + ": HTTP " + std::to_string(r.status) + " " +
                    r.body.substr(0, 200);
  // 4xx: the runtime sent something the API refuses (e.g. an unknown request id).
  if (r.status >= 400 && r.status < 500) return Status::InvalidArgument(std::move(msg));
  return Status::Unavailable(std::move(msg));
}

}  // namespace

std::string ErrorTypeFor(const Status& status) {
  return "climahealth." + std::string(StatusCodeName(status.code()));
}

std::string ErrorDocument(const Status& status) {
  Json doc{{"errorMessage", status.message()},
           {"errorType", ErrorTypeFor(status)},
           {"stackTrace", Json::array()}};
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

RuntimeClient::RuntimeClient(RuntimeOptions options, std::unique_ptr<net::HttpClient> http)
    : options_(std::move(options)), http_(std::move(http)) {}

RuntimeClient::~RuntimeClient() = default;

Result<std::unique_ptr<RuntimeClient>> RuntimeClient::Make(RuntimeOptions options) {
  if (options.api.empty()) {
    return Status::InvalidArgument("AWS_LAMBDA_RUNTIME_API is not set (expected host:port)");
  }
  net::HttpClientOptions http_options;
  http_options.connect_timeout = options.connect_timeout;
  // /next is a long poll: it may stay silent for as long as no event arrives.
  http_options.stall_timeout = std::chrono::hours(24 * 365);
  http_options.user_agent = "climahealth-lambda/0.1";
  ASSIGN_OR_RETURN(auto http, net::HttpClient::Make(http_options));
  return std::unique_ptr<RuntimeClient>(new RuntimeClient(std::move(options), std::move(http)));
}

Result<Invocation> RuntimeClient::Next() {
  net::HttpRequest req;
  req.url = "http://" + options_.api + kBase + "/invocation/next";
  ASSIGN_OR_RETURN(net::HttpResponse r, http_->Send(req));
  RETURN_IF_ERROR(CheckAccepted(r, "next invocation"));
  Invocation inv;
  inv.request_id = r.Header("lambda-runtime-aws-request-id");
  if (inv.request_id.empty()) {
    return Status::Corruption(
        "Lambda Runtime API next invocation: no Lambda-Runtime-Aws-Request-Id");
  }
  inv.payload = std::move(r.body);
  std::string deadline = r.Header("lambda-runtime-deadline-ms");
  if (!deadline.empty()) inv.deadline_ms = std::strtoll(deadline.c_str(), nullptr, 10);
  inv.function_arn = r.Header("lambda-runtime-invoked-function-arn");
  inv.trace_id = r.Header("lambda-runtime-trace-id");
  return inv;
}

Status RuntimeClient::Post(const std::string& path, std::string_view body, bool is_error) {
  net::HttpRequest req;
  req.method = "POST";
  req.url = "http://" + options_.api + kBase + path;
  req.body = body;
  req.headers.emplace_back("Content-Type", "application/json");
  if (is_error) req.headers.emplace_back("Lambda-Runtime-Function-Error-Type", "Unhandled");
  ASSIGN_OR_RETURN(net::HttpResponse r, http_->Send(req));
  return CheckAccepted(r, "POST " + path);
}

Status RuntimeClient::Respond(const std::string& request_id, std::string_view body) {
  return Post("/invocation/" + request_id + "/response", body, false);
}

Status RuntimeClient::ReportError(const std::string& request_id, const Status& error) {
  return Post("/invocation/" + request_id + "/error", ErrorDocument(error), true);
}

Status RuntimeClient::ReportInitError(const Status& error) {
  return Post("/init/error", ErrorDocument(error), true);
}

Status RunLoop(RuntimeClient& client, const Handler& handler) {
  for (int64_t handled = 0;
       client.options().max_invocations == 0 || handled < client.options().max_invocations;
       ++handled) {
    ASSIGN_OR_RETURN(Invocation inv, client.Next());
    if (!inv.trace_id.empty()) setenv("_X_AMZN_TRACE_ID", inv.trace_id.c_str(), 1);
    Result<std::string> answer = handler(inv);
    if (answer.ok()) {
      RETURN_IF_ERROR(client.Respond(inv.request_id, *answer));
    } else {
      RETURN_IF_ERROR(client.ReportError(inv.request_id, answer.status()));
    }
  }
  return Status::Ok();
}

}  // namespace ch::lambda
