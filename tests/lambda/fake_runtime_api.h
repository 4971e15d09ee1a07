// A loopback server playing the AWS Lambda Runtime API for tests: it hands out
// scripted events on /next and records every response and error posted back.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "net/test_http_server.h"

namespace ch::testing {

class FakeRuntimeApi {
 public:
  struct Post {
    std::string path;
    std::string body;
    std::string error_type_header;  // Lambda-Runtime-Function-Error-Type
  };

  // Event payloads, handed out in order as request ids "req-1", "req-2", ...
  // Once they run out, /next answers 500 (a real API would block).
  explicit FakeRuntimeApi(std::vector<std::string> events)
      : events_(std::move(events)), server_([this](const TestRequest& r) { return Serve(r); }) {}

  // "127.0.0.1:port", the value of AWS_LAMBDA_RUNTIME_API.
  std::string address() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  std::vector<Post> posts() const {
    std::lock_guard lock(mu_);
    return posts_;
  }
  int next_calls() const {
    std::lock_guard lock(mu_);
    return next_calls_;
  }
  int connections() const { return server_.connections_accepted(); }

 private:
  TestResponse Serve(const TestRequest& r) {
    std::lock_guard lock(mu_);
    if (r.method == "GET" && r.target == "/2018-06-01/runtime/invocation/next") {
      if (next_calls_ >= static_cast<int>(events_.size())) {
        ++next_calls_;
        return {500, {}, "no more events"};
      }
      std::string id = "req-" + std::to_string(++next_calls_);
      return {200,
              {{"Lambda-Runtime-Aws-Request-Id", id},
               {"Lambda-Runtime-Deadline-Ms", "1900000000000"},
               {"Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:0:function:ch"},
               {"Lambda-Runtime-Trace-Id", "Root=1-abc"},
               {"Content-Type", "application/json"}},
              events_[static_cast<size_t>(next_calls_ - 1)]};
    }
    if (r.method == "POST" && r.target.starts_with("/2018-06-01/runtime/")) {
      posts_.push_back({r.target, r.body, r.Header("lambda-runtime-function-error-type")});
      if (r.target.find("/invocation/req-") == std::string::npos &&
          r.target != "/2018-06-01/runtime/init/error") {
        return {400, {}, R"({"errorMessage":"unknown request"})"};
      }
      return {202, {}, R"({"status":"OK"})"};
    }
    return {404, {}, "not found"};
  }

  std::vector<std::string> events_;
  mutable std::mutex mu_;
  int next_calls_ = 0;
  std::vector<Post> posts_;
  TestHttpServer server_;  // last: stops before the state it serves goes away
};

}  // namespace ch::testing
