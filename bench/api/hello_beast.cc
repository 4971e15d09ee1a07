// A hello-JSON server on Boost.Beast (asynchronous, one io_context on N threads), for
// choosing the HTTP library by measurement.
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cstdlib>
#include <memory>
#include <thread>
#include <utility>  // Boost 1.74 Asio uses std::exchange without including it (C++20).
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}
  void Read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (!ec) self->Respond();
                     });
  }

 private:
  void Respond() {
    auto res =
        std::make_shared<http::response<http::string_body>>(http::status::ok, request_.version());
    res->set(http::field::content_type, "application/json");
    res->keep_alive(request_.keep_alive());
    res->body() = R"({"message":"hello"})";
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        if (!ec && res->keep_alive()) self->Read();
                      });
  }
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
};

void Accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<Session>(std::move(socket))->Read();
    Accept(acceptor);
  });
}

int main(int argc, char** argv) {
  int port = argc > 1 ? std::atoi(argv[1]) : 18082;
  int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  asio::io_context io(threads);
  tcp::acceptor acceptor(io,
                         {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  Accept(acceptor);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
}
