// FaultProxy: relays HTTP/1.1 between a client and a server on loopback and
// injects the faults its rules ask for.
#include "support/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace ch::testing {

// A socket with a read buffer, so heads and bodies can be read piecewise.
struct Conn {
  int fd = -1;
  std::string buf;

  // Fills the buffer with at least one more byte; false at EOF or error.
  bool Fill() {
    char tmp[65536];
    for (;;) {
      ssize_t n = ::recv(fd, tmp, sizeof(tmp), 0);
      if (n > 0) {
        buf.append(tmp, static_cast<size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      return false;
    }
  }
  // The bytes up to and including "\r\n\r\n"; nullopt at EOF.
  std::optional<std::string> ReadHead() {
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    std::string head = buf.substr(0, end + 4);
    buf.erase(0, end + 4);
    return head;
  }
  // Exactly `n` bytes (fewer at EOF).
  std::string Read(size_t n) {
    while (buf.size() < n && Fill()) {
    }
    std::string out = buf.substr(0, std::min(n, buf.size()));
    buf.erase(0, out.size());
    return out;
  }
  // One line including its CRLF (for chunked bodies).
  std::optional<std::string> ReadLine() {
    size_t end;
    while ((end = buf.find("\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    std::string line = buf.substr(0, end + 2);
    buf.erase(0, end + 2);
    return line;
  }
};

namespace {

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Closes with RST instead of FIN.
void Reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

struct Head {
  std::string first_line;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::optional<uint64_t> content_length;
  bool chunked = false;
  bool close = false;

  std::string Serialize() const {
    std::string out = first_line + "\r\n";
    for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
    return out + "\r\n";
  }
};

Head ParseHead(const std::string& text, bool drop_expect) {
  Head h;
  size_t pos = text.find("\r\n");
  h.first_line = text.substr(0, pos);
  pos += 2;
  while (pos < text.size()) {
    size_t end = text.find("\r\n", pos);
    if (end == pos || end == std::string::npos) break;
    std::string line = text.substr(pos, end - pos);
    pos = end + 2;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (name == "content-length") h.content_length = std::strtoull(value.c_str(), nullptr, 10);
    if (name == "transfer-encoding" && value.find("chunked") != std::string::npos) h.chunked = true;
    if (name == "connection" && value == "close") h.close = true;
    if (drop_expect && name == "expect") continue;
    h.headers.emplace_back(name, value);
  }
  return h;
}

std::string SyntheticError(FaultKind kind) {
  bool slow = kind == FaultKind::kSlowDown503;
  std::string body = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>") +
                     (slow ? "SlowDown" : "InternalError") +
                     "</Code><Message>injected by FaultProxy</Message>"
                     "<RequestId>fault-proxy</RequestId></Error>";
  return std::string(slow ? "HTTP/1.1 503 Slow Down" : "HTTP/1.1 500 Internal Server Error") +
         "\r\nContent-Type: application/xml\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

// Relays a chunked body verbatim; false on EOF or error.
bool RelayChunked(Conn& from, int to) {
  for (;;) {
    std::optional<std::string> size_line = from.ReadLine();
    if (!size_line || !SendAll(to, *size_line)) return false;
    uint64_t size = std::strtoull(size_line->c_str(), nullptr, 16);
    if (size == 0) {
      for (;;) {  // trailers, then the empty line
        std::optional<std::string> line = from.ReadLine();
        if (!line || !SendAll(to, *line)) return false;
        if (*line == "\r\n") return true;
      }
    }
    std::string data = from.Read(size + 2);
    if (data.size() != size + 2 || !SendAll(to, data)) return false;
  }
}

bool IsBodyFault(FaultKind k) { return k != FaultKind::kStatus500 && k != FaultKind::kSlowDown503; }

}  // namespace

Result<std::unique_ptr<FaultProxy>> FaultProxy::Start(UpstreamAddress upstream) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::IOError("fault proxy: socket: " + std::string(strerror(errno)));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string why = strerror(errno);
    ::close(fd);
    return Status::IOError("fault proxy: bind/listen on 127.0.0.1: " + why);
  }
  std::unique_ptr<FaultProxy> proxy(new FaultProxy(fd, ntohs(addr.sin_port), std::move(upstream)));
  proxy->acceptor_ = std::thread([p = proxy.get()] { p->AcceptLoop(); });
  return proxy;
}

FaultProxy::FaultProxy(int listen_fd, int port, UpstreamAddress upstream)
    : listen_fd_(listen_fd), port_(port), upstream_(std::move(upstream)) {}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

void FaultProxy::AddRule(FaultRule rule) {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back(std::move(rule));
}

void FaultProxy::ClearRules() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

std::unique_ptr<FaultRule> FaultProxy::Match(const std::string& method, const std::string& target) {
  std::lock_guard<std::mutex> lock(mu_);
  for (FaultRule& r : rules_) {
    if (r.times == 0) continue;
    if (!r.method.empty() && r.method != method) continue;
    if (target.find(r.path_contains) == std::string::npos) continue;
    if (r.skip > 0) {
      --r.skip;
      continue;
    }
    if (r.times > 0) --r.times;
    return std::make_unique<FaultRule>(r);
  }
  return nullptr;
}

void FaultProxy::AcceptLoop() {
  while (!stopping_) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (errno == EINTR) continue;
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

namespace {

int ConnectUpstream(const UpstreamAddress& up) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(up.port));
  ::inet_pton(AF_INET, up.host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

void Pause(std::chrono::milliseconds d, const std::atomic<bool>& stopping) {
  auto until = std::chrono::steady_clock::now() + d;
  while (!stopping && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Sends `head` + `body` to `to`, applying a body fault. Returns whether the
// connection may carry on (only after kCorruptByte).
bool SendFaulted(int to, const std::string& head, std::string body, const FaultRule& rule,
                 const std::atomic<bool>& stopping) {
  if (rule.kind == FaultKind::kCorruptByte) {
    if (!body.empty()) body[body.size() / 2] = static_cast<char>(body[body.size() / 2] ^ 0x5a);
    return SendAll(to, head) && SendAll(to, body);
  }
  SendAll(to, head);
  SendAll(to, std::string_view(body).substr(0, body.size() / 2));
  if (rule.kind == FaultKind::kStall) Pause(rule.stall, stopping);
  if (rule.kind == FaultKind::kResetMidBody) Reset(to);
  return false;
}

}  // namespace

void FaultProxy::Serve(int client_fd) {
  Conn client{client_fd, {}};
  Conn server;
  for (bool open = true; open && !stopping_;) {
    std::optional<std::string> head_text = client.ReadHead();
    if (!head_text) break;
    Head req = ParseHead(*head_text, /*drop_expect=*/true);
    std::string method = req.first_line.substr(0, req.first_line.find(' '));
    size_t t0 = req.first_line.find(' ') + 1;
    std::string target = req.first_line.substr(t0, req.first_line.rfind(' ') - t0);
    ++requests_;
    std::unique_ptr<FaultRule> rule = Match(method, target);
    std::string body = client.Read(req.content_length.value_or(0));
    if (rule && !IsBodyFault(rule->kind)) {
      ++faults_;
      SendAll(client_fd, SyntheticError(rule->kind));
      break;
    }
    if (server.fd < 0) {
      server.fd = ConnectUpstream(upstream_);
      if (server.fd < 0) break;
      std::lock_guard<std::mutex> lock(mu_);
      open_fds_.push_back(server.fd);
    }
    if (rule && rule->request_body && !body.empty()) {
      ++faults_;
      bool go_on = SendFaulted(server.fd, req.Serialize(), std::move(body), *rule, stopping_);
      if (!go_on) {
        if (rule->kind == FaultKind::kResetMidBody) Reset(client_fd);
        break;
      }
      rule.reset();  // the response passes unharmed
    } else if (!SendAll(server.fd, req.Serialize()) || !SendAll(server.fd, body)) {
      break;
    }
    open = RelayResponse(client, server, method, rule.get());
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (int fd : {client_fd, server.fd}) {
    if (fd < 0) continue;
    std::erase(open_fds_, fd);
    ::close(fd);
  }
}

bool FaultProxy::RelayResponse(Conn& client, Conn& server, const std::string& method,
                               const FaultRule* rule) {
  std::optional<std::string> head_text = server.ReadHead();
  if (!head_text) return false;
  Head resp = ParseHead(*head_text, false);
  int status = std::atoi(resp.first_line.c_str() + resp.first_line.find(' ') + 1);
  bool has_body = method != "HEAD" && status != 204 && status != 304 && status >= 200;
  if (!has_body) return SendAll(client.fd, *head_text) && !resp.close;
  if (rule && resp.content_length && *resp.content_length > 0) {
    ++faults_;
    std::string body = server.Read(*resp.content_length);
    return SendFaulted(client.fd, *head_text, std::move(body), *rule, stopping_) && !resp.close;
  }
  if (!SendAll(client.fd, *head_text)) return false;
  if (resp.chunked) return RelayChunked(server, client.fd) && !resp.close;
  if (!resp.content_length) {  // the body runs to EOF
    while (server.Fill()) {
      if (!SendAll(client.fd, server.buf)) return false;
      server.buf.clear();
    }
    return false;
  }
  for (uint64_t left = *resp.content_length; left > 0;) {
    std::string piece = server.Read(std::min<uint64_t>(left, 1 << 20));
    if (piece.empty() || !SendAll(client.fd, piece)) return false;
    left -= piece.size();
  }
  return !resp.close;
}

}  // namespace ch::testing
