// The API under failing or slow storage, under concurrent load, and through a
// graceful shutdown: 503 with Retry-After and never a hang, no errors under
// load, in-flight requests completed.
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

}  // namespace
}  // namespace ch::api::testing
