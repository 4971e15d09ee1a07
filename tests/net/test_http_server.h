// A scripted HTTP/1.1 server on 127.0.0.1 for tests: plays IMDS, container credentials,
// and misbehaving S3 servers (stalls, resets mid-body).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace ch::testing {

using TestHeaders = std::vector<std::pair<std::string, std::string>>;

struct TestRequest {
  std::string method;
  std::string target;   // path and query as sent
  TestHeaders headers;  // names lower-cased
  std::string body;
  // The first value of header `name` (lower-case), or empty.
  std::string Header(std::string_view name) const;
};

struct TestResponse {
  int status = 200;
  TestHeaders headers;  // a "content-length" here replaces the computed one (HEAD answers)
  std::string body;
  // Faults: wait before sending the body; send only this many body bytes, then reset.
  std::chrono::milliseconds stall_before_body{0};
  size_t reset_after_body_bytes = static_cast<size_t>(-1);
};

// Serves each connection on its own thread, keep-alive, until destroyed. The handler
// may run on several threads at once.
class TestHttpServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;
  explicit TestHttpServer(Handler handler);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections_accepted() const { return accepted_.load(); }

 private:
  void AcceptLoop();
  void Serve(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::mutex mu_;
  std::vector<int> client_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace ch::testing
