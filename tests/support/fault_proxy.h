// FaultProxy: a loopback HTTP/1.1 proxy that sits between a client and a real
// server and injects faults into chosen requests, for retry and integrity tests.
//
// Usage:
//   ASSIGN_OR_RETURN(auto proxy, FaultProxy::Start({"127.0.0.1", 7480}));
//   proxy->AddRule({.method = "GET", .path_contains = "/big", .kind = FaultKind::kResetMidBody});
//   client endpoint = proxy->Endpoint();          // "http://127.0.0.1:<port>"
//   … run the operation …
//   EXPECT_EQ(proxy->FaultsInjected(), 1);
//
// The client talks to the proxy as if it were the server (path-style URLs: the
// Host header is passed through unchanged, so SigV4 signatures stay valid).
// Each client connection gets its own upstream connection; requests on it are
// relayed one at a time. Request and response bodies must have a Content-Length
// (or be chunked responses, relayed unfaulted); "Expect: 100-continue" is
// removed from requests. Thread-safe: rules may be added while traffic flows.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"

namespace ch::testing {

struct Conn;  // a buffered socket, see fault_proxy.cc

enum class FaultKind {
  kStatus500,     // answer 500 InternalError (XML body) without asking the server
  kSlowDown503,   // answer 503 SlowDown without asking the server
  kResetMidBody,  // send half the body, then reset the connection (RST)
  kTruncateBody,  // send half the body, then close the connection cleanly (FIN)
  kCorruptByte,   // flip one byte in the middle of the body, keep its length
  kStall,         // send half the body, then send nothing for `stall`, then close
};

struct FaultRule {
  std::string method;         // "GET", "PUT", …; empty: any
  std::string path_contains;  // substring of the request target (path?query); empty: any
  FaultKind kind = FaultKind::kStatus500;
  // Body faults hit the response body (downloads) unless this is set, then the
  // request body on its way to the server (uploads). Status faults ignore it.
  bool request_body = false;
  int times = 1;  // how many matching requests get the fault; < 0: all of them
  int skip = 0;   // the first `skip` matching requests pass this rule by (later rules still apply)
  std::chrono::milliseconds stall{5000};
};

struct UpstreamAddress {
  std::string host = "127.0.0.1";  // a loopback IPv4 address
  int port = 0;
};

class FaultProxy {
 public:
  // Listens on 127.0.0.1 on a free port. IOError if it cannot bind.
  static Result<std::unique_ptr<FaultProxy>> Start(UpstreamAddress upstream);
  // Stops accepting, cuts every relayed connection and joins all threads.
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  std::string Endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Rules are tried in the order added; the first that matches (and has times
  // left) applies to the request.
  void AddRule(FaultRule rule);
  void ClearRules();
  // Requests relayed or answered so far, and how many of them got a fault.
  int Requests() const { return requests_.load(); }
  int FaultsInjected() const { return faults_.load(); }

 private:
  FaultProxy(int listen_fd, int port, UpstreamAddress upstream);
  void AcceptLoop();
  void Serve(int client_fd);
  // Relays one response from `server` to `client`, applying `rule` (may be null)
  // to its body. Returns whether the connection can carry another request.
  bool RelayResponse(Conn& client, Conn& server, const std::string& method, const FaultRule* rule);
  // The rule for this request (consuming one of its `times`), or nullptr.
  std::unique_ptr<FaultRule> Match(const std::string& method, const std::string& target);

  int listen_fd_;
  int port_;
  UpstreamAddress upstream_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> faults_{0};
  std::mutex mu_;
  std::vector<FaultRule> rules_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace ch::testing
