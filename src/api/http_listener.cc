// HttpListener over Boost.Beast: asynchronous sockets on a few I/O threads,
// handlers on a worker pool, per-request deadlines, graceful shutdown.
#include "api/http_listener.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>  // Boost 1.74 Asio uses std::exchange without including it (C++20).
#include <vector>

namespace ch::api {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

// The answer to a request the parser refused; 0 when the peer just went away.
int ParseErrorStatus(const beast::error_code& ec) {
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::header_limit) return 431;
  bool parse_error = &ec.category() == &http::make_error_code(http::error::bad_target).category();
  if (!parse_error || ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == http::error::short_read || ec == http::error::stale_parser) {
    return 0;
  }
  return 400;
}

struct HttpListener::State {
  ListenerOptions options;
  ListenerCallbacks callbacks;
  std::atomic<bool> stopping{false};
  std::atomic<bool> stopped{false};
  uint16_t port = 0;

  // Declared before `io`: sessions still queued in `io` when it is destroyed
  // unregister themselves under `mu`.
  std::mutex mu;  // guards sessions and in_flight
  std::condition_variable idle;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  int in_flight = 0;

  asio::io_context io;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::thread_pool> pool;
  std::vector<std::thread> io_threads;

  void Accept();
  void ChangeInFlight(int delta) {
    std::lock_guard<std::mutex> lock(mu);
    in_flight += delta;
    if (in_flight == 0) idle.notify_all();
  }
};

// One connection: read a request, run the handler on the pool, write the
// answer, repeat while keep-alive. All socket work runs on the session's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpListener::State& state)
      : stream_(std::move(socket)), timer_(stream_.get_executor()), state_(state) {}
  ~Session() {
    std::lock_guard<std::mutex> lock(state_.mu);
    state_.sessions.erase(this);
  }

  void Begin() {
    {
      std::lock_guard<std::mutex> lock(state_.mu);
      state_.sessions.emplace(this, weak_from_this());
    }
    Read();
  }

  // Closes the connection unless a request is being handled (on the strand).
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

 private:
  void Read() {
    if (state_.stopping) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(state_.options.max_header_bytes));
    parser_->body_limit(state_.options.max_body_bytes);
    stream_.expires_after(state_.options.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  HttpRequest PartialRequest() {
    HttpRequest request;
    const auto& header = parser_->get();
    request.method = std::string(header.method_string());
    request.target = std::string(header.target());
    ParseTarget(request.target, &request.path, &request.query);
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) request.remote = endpoint.address().to_string();
    return request;
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      int status = ParseErrorStatus(ec);
      if (status == 0) return Close();
      busy_ = true;
      keep_alive_ = false;
      linger_ = true;  // the client may still be sending what was refused
      state_.ChangeInFlight(1);
      return Write(state_.callbacks.reject(PartialRequest(), status, ec.message()));
    }
    busy_ = true;
    state_.ChangeInFlight(1);
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    head_ = message.method() == http::verb::head;
    auto request = std::make_shared<HttpRequest>();
    request->method = std::string(message.method_string());
    request->target = std::string(message.target());
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request->headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request->body = std::move(message.body());
    beast::error_code remote_ec;
    auto endpoint = stream_.socket().remote_endpoint(remote_ec);
    if (!remote_ec) request->remote = endpoint.address().to_string();
    if (!ParseTarget(request->target, &request->path, &request->query)) {
      return Write(state_.callbacks.reject(*request, 400, "malformed percent-escape in the URL"));
    }
    Dispatch(request);
  }

  // Runs the handler on the pool; whichever comes first, the answer or the
  // deadline, is written.
  void Dispatch(const std::shared_ptr<HttpRequest>& request) {
    auto answered = std::make_shared<std::atomic<bool>>(false);
    timer_.expires_after(state_.options.request_timeout);
    timer_.async_wait([self = shared_from_this(), request, answered](beast::error_code ec) {
      if (ec || answered->exchange(true)) return;
      self->Write(self->state_.callbacks.reject(*request, 503, "request timed out"));
    });
    asio::post(*state_.pool, [self = shared_from_this(), request, answered] {
      HttpResponse response;
      try {
        response = self->state_.callbacks.handle(*request);
      } catch (const std::exception& e) {
        response = self->state_.callbacks.reject(*request, 500, e.what());
      }
      asio::post(self->stream_.get_executor(),
                 [self, answered, response = std::move(response)]() mutable {
                   if (answered->exchange(true)) return;
                   self->timer_.cancel();
                   self->Write(std::move(response));
                 });
    });
  }

  void Write(HttpResponse response) {
    if (response.stream && !head_) return WriteStream(std::move(response));
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version_);
    for (auto& [name, value] : response.headers) message->insert(name, value);
    bool keep_alive = keep_alive_ && !state_.stopping;
    message->keep_alive(keep_alive);
    uint64_t size = response.stream ? response.stream->Size() : response.body.size();
    if (!head_) message->body() = std::move(response.body);
    if (response.status != 204 && response.status != 304) message->content_length(size);
    stream_.expires_after(state_.options.write_timeout);
    http::async_write(stream_, *message,
                      [self = shared_from_this(), message, keep_alive](
                          beast::error_code ec, size_t) { self->Finish(!ec && keep_alive); });
  }

  // The header, then each piece of the stream as it comes: pieces are made on
  // the pool (storage may block) and written on the strand, one at a time.
  void WriteStream(HttpResponse response) {
    auto header = std::make_shared<http::response<http::empty_body>>(
        static_cast<http::status>(response.status), version_);
    for (auto& [name, value] : response.headers) header->insert(name, value);
    bool keep_alive = keep_alive_ && !state_.stopping;
    header->keep_alive(keep_alive);
    std::shared_ptr<BodyStream> body = std::move(response.stream);
    header->content_length(body->Size());
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*header);
    stream_.expires_after(state_.options.write_timeout);
    http::async_write_header(stream_, *serializer,
                             [self = shared_from_this(), header, serializer, body, keep_alive](
                                 beast::error_code ec, size_t) {
                               if (ec) return self->Finish(false);
                               self->WritePieces(body, 0, keep_alive);
                             });
  }

  void WritePieces(const std::shared_ptr<BodyStream>& body, uint64_t sent, bool keep_alive) {
    asio::post(*state_.pool, [self = shared_from_this(), body, sent, keep_alive] {
      Result<std::string> piece = Status::Internal("no piece");
      try {
        piece = body->Next();
      } catch (const std::exception& e) {
        piece = Status::Internal(e.what());
      }
      asio::post(self->stream_.get_executor(), [self, body, sent, keep_alive,
                                                piece = std::move(piece)]() mutable {
        // A failed or short stream must not look complete: close instead.
        if (!piece.ok() || piece->size() > body->Size() - sent) return self->Finish(false);
        if (piece->empty()) return self->Finish(keep_alive && sent == body->Size());
        auto bytes = std::make_shared<std::string>(std::move(*piece));
        self->stream_.expires_after(self->state_.options.write_timeout);
        asio::async_write(self->stream_, asio::buffer(*bytes),
                          [self, body, sent, keep_alive, bytes](beast::error_code ec, size_t) {
                            if (ec) return self->Finish(false);
                            self->WritePieces(body, sent + bytes->size(), keep_alive);
                          });
      });
    });
  }

  // The answer is out (or failed): read the next request or close.
  void Finish(bool keep_open) {
    busy_ = false;
    state_.ChangeInFlight(-1);
    if (!keep_open) return Close();
    Read();
  }

  void Close() {
    timer_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger_ && !state_.stopping) {
      linger_ = false;
      stream_.expires_after(state_.options.linger_timeout);
      return Drain();
    }
    stream_.close();
  }

  // Reads and drops what the client still sends until it closes its side or
  // the linger deadline (the stream's expiry) passes.
  void Drain() {
    if (state_.stopping) return stream_.close();
    if (drain_buffer_.empty()) drain_buffer_.resize(64 << 10);
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->stream_.close();
                              self->Drain();
                            });
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpListener::State& state_;
  bool busy_ = false;
  bool keep_alive_ = false;
  bool head_ = false;
  bool linger_ = false;
  std::vector<char> drain_buffer_;
  unsigned version_ = 11;
};

void HttpListener::State::Accept() {
  acceptor->async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (!ec) std::make_shared<Session>(std::move(socket), *this)->Begin();
    Accept();
  });
}

Result<std::unique_ptr<HttpListener>> HttpListener::Start(ListenerOptions options,
                                                          ListenerCallbacks callbacks) {
  auto state = std::make_shared<State>();
  std::string host = options.host == "localhost" ? "127.0.0.1" : options.host;
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return Status::InvalidArgument("listen: '" + options.host + "' is not an IP address");
  if (options.port < 0 || options.port > 65535) {
    return Status::InvalidArgument("listen: port " + std::to_string(options.port) +
                                   " is out of range");
  }
  tcp::endpoint endpoint(address, static_cast<uint16_t>(options.port));
  std::string where = host + ":" + std::to_string(options.port);
  auto& acceptor = state->acceptor.emplace(state->io);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable("listen on " + where + ": " + ec.message());
  state->port = acceptor.local_endpoint(ec).port();
  state->options = std::move(options);
  state->callbacks = std::move(callbacks);
  state->pool.emplace(std::max(1, state->options.worker_threads));
  state->Accept();
  for (int i = 0; i < std::max(1, state->options.io_threads); ++i) {
    state->io_threads.emplace_back([s = state.get()] { s->io.run(); });
  }
  return std::unique_ptr<HttpListener>(new HttpListener(std::move(state)));
}

HttpListener::HttpListener(std::shared_ptr<State> state) : state_(std::move(state)) {}

HttpListener::~HttpListener() { Shutdown(); }

uint16_t HttpListener::port() const { return state_->port; }

int HttpListener::InFlight() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->in_flight;
}

void HttpListener::Shutdown() {
  if (state_->stopped.exchange(true)) return;
  state_->stopping = true;
  asio::post(state_->io, [s = state_.get()] {
    beast::error_code ec;
    s->acceptor->close(ec);
  });
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    for (auto& [raw, weak] : state_->sessions) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
  }
  for (auto& session : sessions) session->CloseIfIdle();
  sessions.clear();
  {
    std::unique_lock<std::mutex> lock(state_->mu);
    state_->idle.wait_for(lock, state_->options.shutdown_grace,
                          [this] { return state_->in_flight == 0; });
  }
  state_->pool->join();
  state_->io.stop();
  for (auto& t : state_->io_threads) t.join();
}

}  // namespace ch::api
