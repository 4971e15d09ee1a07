// A hello-JSON server on cpp-httplib, for choosing the HTTP library by measurement.
#include <httplib.h>

#include <cstdlib>

int main(int argc, char** argv) {
  int port = argc > 1 ? std::atoi(argv[1]) : 18081;
  // Threads in the pool; cpp-httplib holds one per keep-alive connection.
  size_t threads = argc > 2 ? std::atoi(argv[2]) : CPPHTTPLIB_THREAD_POOL_COUNT;
  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"message":"hello"})", "application/json");
  });
  server.listen("127.0.0.1", port);
}
