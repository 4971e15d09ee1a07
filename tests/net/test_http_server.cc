// TestHttpServer: blocking sockets, one thread per connection, loopback only.
#include "net/test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace ch::testing {
namespace {

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads one request from `buf` + the socket; false on EOF or error.
bool ReadRequest(int fd, std::string& buf, TestRequest& req) {
  char chunk[65536];
  size_t end;
  while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
  }
  std::string head = buf.substr(0, end);
  buf.erase(0, end + 4);
  size_t line_end = head.find("\r\n");
  std::string first = head.substr(0, line_end);
  size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
  req = TestRequest{};
  req.method = first.substr(0, sp1);
  req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string::npos) e = head.size();
    std::string line = head.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      size_t v = line.find_first_not_of(' ', colon + 1);
      req.headers.emplace_back(Lower(line.substr(0, colon)),
                               v == std::string::npos ? "" : line.substr(v));
    }
    pos = e + 2;
  }
  size_t length = std::strtoull(req.Header("content-length").c_str(), nullptr, 10);
  while (buf.size() < length) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
  }
  req.body = buf.substr(0, length);
  buf.erase(0, length);
  return true;
}

// Sends the answer; false when the connection must close (a fault or a send error).
bool WriteResponse(int fd, const TestRequest& req, const TestResponse& resp) {
  std::string head = "HTTP/1.1 " + std::to_string(resp.status) + " X\r\n";
  bool has_length = false;
  for (const auto& [name, value] : resp.headers) {
    has_length |= Lower(name) == "content-length";
    head += name + ": " + value + "\r\n";
  }
  if (!has_length) head += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
  head += "\r\n";
  if (!SendAll(fd, head)) return false;
  if (req.method == "HEAD") return true;
  if (resp.stall_before_body.count() > 0) std::this_thread::sleep_for(resp.stall_before_body);
  if (resp.reset_after_body_bytes < resp.body.size()) {
    SendAll(fd, std::string_view(resp.body).substr(0, resp.reset_after_body_bytes));
    struct linger lg {
      1, 0
    };  // RST instead of FIN
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    return false;
  }
  return SendAll(fd, resp.body);
}

}  // namespace

std::string TestRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

TestHttpServer::TestHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("TestHttpServer: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

TestHttpServer::~TestHttpServer() {
  stopping_ = true;
  acceptor_.join();
  ::close(listen_fd_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : client_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& t : threads_) t.join();
}

void TestHttpServer::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++accepted_;
    std::lock_guard<std::mutex> lock(mu_);
    client_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

void TestHttpServer::Serve(int fd) {
  std::string buf;
  TestRequest req;
  while (!stopping_ && ReadRequest(fd, buf, req)) {
    TestResponse resp = handler_(req);
    if (!WriteResponse(fd, req, resp)) break;
  }
  // Closed here only (a reset fault needs close without shutdown); forgotten first.
  std::lock_guard<std::mutex> lock(mu_);
  for (int& f : client_fds_) {
    if (f == fd) f = -1;
  }
  ::close(fd);
}

}  // namespace ch::testing
