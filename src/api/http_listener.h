// HttpListener: accepts HTTP/1.1 connections and hands each request to a
// handler on a worker pool (Boost.Beast underneath; the only file that sees
// it is http_listener.cc). Chosen by measurement: docs/decisions/http-server.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_message.h"
#include "core/status.h"

namespace ch::api {

struct ListenerOptions {
  std::string host = "127.0.0.1";  // an IP address or "localhost"
  int port = 8080;                 // 0: any free port (see HttpListener::port)
  int io_threads = 2;              // socket reads/writes (asynchronous)
  int worker_threads = 16;         // handlers (may block on storage)
  size_t max_header_bytes = 16 << 10;
  size_t max_body_bytes = 1 << 20;
  // Reading one request (also the keep-alive idle limit) and writing one answer.
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds write_timeout{30000};
  // A handler slower than this is answered by `reject(503)`; its late result is dropped.
  std::chrono::milliseconds request_timeout{30000};
  // On Shutdown, how long in-flight requests may take to finish.
  std::chrono::milliseconds shutdown_grace{30000};
  // After refusing a request whose body is still arriving (413, 400), how long
  // the rest is read and dropped before closing. Closing with unread bytes
  // makes the kernel send a reset, and the client could lose the answer.
  std::chrono::milliseconds linger_timeout{5000};
};

struct ListenerCallbacks {
  // Answers one request; runs on a worker thread, many at once.
  std::function<HttpResponse(const HttpRequest&)> handle;
  // Builds the answer the listener itself gives: 400 (malformed request), 413
  // (body too large), 431 (headers too large), 503 (request timed out), 500
  // (the handler threw). `request` holds what was read (maybe only the method
  // and target). Runs on an I/O or worker thread.
  std::function<HttpResponse(const HttpRequest& request, int status, const std::string& message)>
      reject;
};

// Thread-safe. Destruction shuts down (see Shutdown).
class HttpListener {
 public:
  // Binds host:port and starts serving. InvalidArgument for a bad host,
  // Unavailable when the port cannot be bound (naming it).
  static Result<std::unique_ptr<HttpListener>> Start(ListenerOptions options,
                                                     ListenerCallbacks callbacks);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // The bound port (the real one when options.port was 0).
  uint16_t port() const;

  // Stops accepting, closes idle keep-alive connections, lets requests in
  // flight finish and send their answers (up to shutdown_grace), then closes
  // everything and joins the threads. Idempotent; blocks until done.
  void Shutdown();

  // Requests being handled or written right now.
  int InFlight() const;

  struct State;  // the implementation's (http_listener.cc); public so its sessions can name it

 private:
  explicit HttpListener(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace ch::api
