// The API under failing or slow storage, under concurrent load, and through a
// graceful shutdown: 503 with Retry-After and never a hang, no errors under
// load, in-flight requests completed, refused uploads drained.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "api_fixture.h"
#include "storage/memory_store.h"

namespace ch::api::testing {
namespace {

// Storage that is down: every read answers Unavailable.
class DownStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  std::atomic<bool> down{false};
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options = {}) override {
    if (down) return Status::Unavailable("get " + ref.ToString() + ": connection refused");
    return ForwardingStore::GetStream(ref, sink, options);
  }
  Result<std::string> Get(const ObjectRef& ref, const GetOptions& options = {}) override {
    if (down) return Status::Unavailable("get " + ref.ToString() + ": connection refused");
    return ForwardingStore::Get(ref, options);
  }
  Result<ObjectInfo> Head(const ObjectRef& ref) override {
    if (down) return Status::Unavailable("head " + ref.ToString() + ": connection refused");
    return ForwardingStore::Head(ref);
  }
  Result<ListPage> List(std::string_view bucket, const ListOptions& options) override {
    if (down) return Status::Unavailable("list " + std::string(bucket) + ": connection refused");
    return ForwardingStore::List(bucket, options);
  }
  Result<bool> BucketExists(std::string_view bucket) override {
    if (down) return Status::Unavailable("bucket " + std::string(bucket) + ": connection refused");
    return ForwardingStore::BucketExists(bucket);
  }
};

// Storage whose reads take `delay`.
class SlowStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  std::chrono::milliseconds delay{0};
  Result<std::string> Get(const ObjectRef& ref, const GetOptions& options = {}) override {
    std::this_thread::sleep_for(delay);
    return ForwardingStore::Get(ref, options);
  }
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options = {}) override {
    std::this_thread::sleep_for(delay);
    return ForwardingStore::GetStream(ref, sink, options);
  }
};

class ApiFailureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    memory_ = new MemoryStore;
    FillStore(*memory_, kBuckets);
  }
  static void TearDownTestSuite() { delete memory_; }

  std::unique_ptr<ApiServer> StartServer(ObjectStore& store, ApiServerOptions options = {}) {
    options.listener.port = 0;
    options.access_log = [](std::string_view) {};
    auto server = ApiServer::Start(options, store, kBuckets, registry_, nullptr, {});
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    return server.ok() ? std::move(*server) : nullptr;
  }
  Result<net::HttpResponse> Fetch(const ApiServer& server, const std::string& target) {
    net::HttpRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(server.port()) + target;
    request.timeout = std::chrono::milliseconds(20000);
    return client_->Send(request);
  }
  void SetUp() override {
    auto client = net::HttpClient::Make({});
    ASSERT_TRUE(client.ok());
    client_ = std::move(*client);
  }

  static inline const BucketNames kBuckets{"raw-bucket", "processed-bucket", "models-bucket"};
  static inline MemoryStore* memory_ = nullptr;
  obs::MetricsRegistry registry_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST_F(ApiFailureTest, StorageDownAnswers503WithRetryAfter) {
  DownStore store(*memory_);
  ApiServerOptions options;
  options.response_ttl = std::chrono::milliseconds(100);
  options.object_cache.ttl = std::chrono::milliseconds(100);
  auto server = StartServer(store, options);
  ASSERT_NE(server, nullptr);
  auto ok = Fetch(*server, "/api/climate?location=KA");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  store.down = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // past both TTLs
  for (const char* target :
       {"/api/climate?location=MH", "/api/predictions/latest", "/api/storage/stats", "/ready"}) {
    auto a = Fetch(*server, target);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->status, 503) << target << " " << a->body;
    EXPECT_EQ(a->Header("retry-after"), "5") << target;
  }
  auto body = Fetch(*server, "/api/predictions/latest");
  Json error = Json::parse(body->body)["error"];
  EXPECT_EQ(error["code"], "unavailable");
  EXPECT_NE(error["message"].get<std::string>().find("connection refused"), std::string::npos);
  EXPECT_EQ(Fetch(*server, "/health")->status, 200);  // liveness does not need storage
}

TEST_F(ApiFailureTest, HangingStorageIsCutAtTheRequestTimeout) {
  SlowStore store(*memory_);
  store.delay = std::chrono::milliseconds(1500);
  ApiServerOptions options;
  options.listener.request_timeout = std::chrono::milliseconds(300);
  auto server = StartServer(store, options);
  ASSERT_NE(server, nullptr);
  auto start = std::chrono::steady_clock::now();
  auto a = Fetch(*server, "/api/climate?location=KA");
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status, 503);
  EXPECT_EQ(a->Header("retry-after"), "5");
  EXPECT_LT(elapsed, std::chrono::milliseconds(1300));
}

TEST_F(ApiFailureTest, ShutdownLetsInFlightRequestsFinish) {
  SlowStore store(*memory_);
  store.delay = std::chrono::milliseconds(400);
  auto server = StartServer(store);
  ASSERT_NE(server, nullptr);
  Result<net::HttpResponse> answer = Status::Internal("not run");
  std::thread request([&] { answer = Fetch(*server, "/api/climate?location=KA"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  server->Shutdown();
  request.join();
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(Json::parse(answer->body)["location"], "KA");
  EXPECT_FALSE(Fetch(*server, "/health").ok());  // no longer listening
}

TEST_F(ApiFailureTest, ManyConcurrentClientsSeeNoErrors) {
  auto server = StartServer(*memory_);
  ASSERT_NE(server, nullptr);
  const std::vector<std::string> targets = {
      "/api/climate?location=KA",
      "/api/predictions/latest?location=MH",
      "/api/locations",
      "/api/health?location=DL&start=2015-02-01&end=2015-02-28",
      "/health",
      "/api/alerts/latest"};
  constexpr int kThreads = 32;
  constexpr int kRequests = 200;
  std::atomic<int> failures{0};
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequests; ++i) {
        auto a = Fetch(*server, targets[(t + i) % targets.size()]);
        if (!a.ok() || a->status != 200) {
          failures++;
        } else {
          answered++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(answered, kThreads * kRequests);
}

// A refused upload is read and dropped for a while, so the client sees the
// 413 rather than a reset; a client that keeps sending is cut off at the
// linger timeout.
TEST_F(ApiFailureTest, RefusedUploadIsDrainedUntilTheLingerTimeout) {
  ApiServerOptions options;
  options.listener.linger_timeout = std::chrono::milliseconds(300);
  auto server = StartServer(*memory_, options);
  ASSERT_NE(server, nullptr);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(server->port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  std::string head =
      "POST /api/jobs/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1073741824\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  // The answer, then the end of the server's side.
  std::string answer;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 10000), 1);
    char buffer[4096];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    ASSERT_GE(n, 0);
    if (n == 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0U) << answer;
  // Keep sending the body: the server drops it until the timeout, then
  // closes, and the next sends fail.
  auto start = std::chrono::steady_clock::now();
  std::string chunk(16 << 10, 'x');
  ssize_t sent = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    sent = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0 && errno != EAGAIN) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto accepted_for = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_LT(sent, 0) << "the server kept draining past its linger timeout";
  EXPECT_GE(accepted_for, std::chrono::milliseconds(250));
  EXPECT_LT(accepted_for, std::chrono::milliseconds(5000));
}

}  // namespace
}  // namespace ch::api::testing
