// HttpClient against a scripted loopback server: bodies, streaming, reuse, faults.
#include "net/http_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#include "core/interrupt.h"
#include "net/test_http_server.h"

namespace ch::net {
namespace {

using ch::testing::TestHttpServer;
using ch::testing::TestRequest;
using ch::testing::TestResponse;

std::unique_ptr<HttpClient> NewClient(HttpClientOptions options = {}) {
  auto client = HttpClient::Make(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return std::move(client).value();
}

TEST(HttpClientTest, GetReturnsStatusLowerCasedHeadersAndBody) {
  TestHttpServer server([](const TestRequest& req) {
    TestResponse r;
    r.headers = {{"X-Amz-Request-Id", "RID1"}};
    r.body = "hello " + req.target + " " + req.Header("x-custom");
    return r;
  });
  auto client = NewClient();
  HttpRequest req;
  req.url = server.url() + "/a/b%20c?x=1";
  req.headers = {{"X-Custom", "v"}};
  Result<HttpResponse> resp = client->Send(req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "hello /a/b%20c?x=1 v");
  EXPECT_EQ(resp->Header("x-amz-request-id"), "RID1");
}

TEST(HttpClientTest, ReaderErrorAbortsTheRequestAndIsReturned) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{}; });
  auto client = NewClient();
  HttpRequest req;
  req.method = "PUT";
  req.url = server.url() + "/k";
  req.body_size = 100;
  req.body_at = [](char*, size_t, uint64_t) -> Result<size_t> {
    return Status::IOError("read /tmp/x: disk on fire");
  };
  Result<HttpResponse> resp = client->Send(req);
  EXPECT_EQ(resp.status().code(), StatusCode::kIOError);
  EXPECT_NE(resp.status().message().find("disk on fire"), std::string::npos);
}

TEST(HttpClientTest, PositionalBodyIsReadFromTheOffsetsItHasReachedAndSentWhole) {
  std::string received;
  TestHttpServer server([&](const TestRequest& req) {
    received = req.method + ":" + req.body;
    return TestResponse{};
  });
  auto client = NewClient();
  std::string data(300000, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  std::vector<uint64_t> asked_at;
  HttpRequest req;
  req.method = "PUT";
  req.url = server.url() + "/k";
  req.body_size = data.size();
  req.body_at = [&](char* buf, size_t n, uint64_t at) -> Result<size_t> {
    asked_at.push_back(at);
    size_t take = std::min<size_t>(n, 7000);  // short reads are fine before the end
    std::copy_n(data.data() + at, take, buf);
    return take;
  };
  ASSERT_TRUE(client->Send(req).ok());
  EXPECT_EQ(received, "PUT:" + data);
  ASSERT_FALSE(asked_at.empty());
  EXPECT_EQ(asked_at.front(), 0u);
  for (size_t i = 1; i < asked_at.size(); ++i) EXPECT_EQ(asked_at[i], asked_at[i - 1] + 7000);
}

TEST(HttpClientTest, PositionalBodyEndingBeforeItsSizeAbortsTheRequest) {
  std::atomic<bool> reached{false};
  TestHttpServer server([&](const TestRequest&) {
    reached = true;
    return TestResponse{};
  });
  auto client = NewClient();
  HttpRequest req;
  req.method = "PUT";
  req.url = server.url() + "/k";
  req.body_size = 5000;
  req.body_at = [](char* buf, size_t n, uint64_t at) -> Result<size_t> {
    size_t take = at >= 3000 ? 0 : std::min<size_t>(n, 3000 - at);
    std::fill_n(buf, take, 'z');
    return take;
  };
  Result<HttpResponse> resp = client->Send(req);
  EXPECT_EQ(resp.status().code(), StatusCode::kIOError);
  EXPECT_NE(resp.status().message().find("ended after 3000 of 5000 bytes"), std::string::npos)
      << resp.status().ToString();
  EXPECT_FALSE(reached);  // the server never saw a whole request
}

TEST(HttpClientTest, SuccessBodyGoesToCallbackErrorBodyToResponse) {
  TestHttpServer server([](const TestRequest& req) {
    TestResponse r;
    r.status = req.target == "/ok" ? 200 : 404;
    r.body =
        req.target == "/ok" ? std::string(100000, 'a') : "<Error><Code>NoSuchKey</Code></Error>";
    return r;
  });
  auto client = NewClient();
  size_t streamed = 0;
  HttpRequest req;
  req.url = server.url() + "/ok";
  req.on_body = [&](std::string_view bytes) {
    streamed += bytes.size();
    return Status::Ok();
  };
  Result<HttpResponse> ok = client->Send(req);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(streamed, 100000u);
  EXPECT_TRUE(ok->body.empty());
  req.url = server.url() + "/missing";
  Result<HttpResponse> missing = client->Send(req);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, "<Error><Code>NoSuchKey</Code></Error>");
  EXPECT_EQ(streamed, 100000u);
}

TEST(HttpClientTest, SinkErrorStopsTransferAndIsReturned) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r;
    r.body = std::string(1 << 20, 'z');
    return r;
  });
  auto client = NewClient();
  HttpRequest req;
  req.url = server.url() + "/big";
  req.on_body = [](std::string_view) { return Status::IOError("write out.bin: no space"); };
  Result<HttpResponse> resp = client->Send(req);
  EXPECT_EQ(resp.status().code(), StatusCode::kIOError);
  EXPECT_NE(resp.status().message().find("no space"), std::string::npos);
}

TEST(HttpClientTest, SequentialRequestsReuseOneConnection) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{}; });
  auto client = NewClient();
  HttpRequest req;
  req.url = server.url() + "/x";
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->Send(req).ok());
  EXPECT_EQ(server.connections_accepted(), 1);
  EXPECT_EQ(client->ConnectionsOpened(), 1u);
}

TEST(HttpClientTest, ConcurrentRequestsReuseTheirConnections) {
  TestHttpServer server([](const TestRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // keeps the threads overlapping
    return TestResponse{};
  });
  auto client = NewClient();
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      HttpRequest req;
      req.url = server.url() + "/x";
      for (int n = 0; n < 25; ++n) {
        if (!client->Send(req).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  // One connection per thread at most; with libcurl's default pool of five,
  // nearly every request opened a new one.
  EXPECT_LE(client->ConnectionsOpened(), static_cast<uint64_t>(kThreads));
  EXPECT_LE(server.connections_accepted(), kThreads);
}

TEST(HttpClientTest, StalledResponseIsCutAsUnavailable) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r;
    r.body = "late";
    r.stall_before_body = std::chrono::milliseconds(2500);
    return r;
  });
  HttpClientOptions options;
  options.stall_timeout = std::chrono::seconds(1);
  auto client = NewClient(options);
  HttpRequest req;
  req.url = server.url() + "/stall";
  auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> resp = client->Send(req);
  EXPECT_EQ(resp.status().code(), StatusCode::kUnavailable) << resp.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2200));
}

// The interrupt flag is process-wide: each case leaves it cleared.
class HttpClientInterruptTest : public ::testing::Test {
 protected:
  void TearDown() override { ClearInterruptForTest(); }
};

TEST_F(HttpClientInterruptTest, InterruptedRequestIsNotSentButCleanUpStillIs) {
  std::atomic<int> seen{0};
  TestHttpServer server([&](const TestRequest&) {
    ++seen;
    return TestResponse{};
  });
  auto client = NewClient();
  RequestInterrupt(SIGINT);
  HttpRequest req;
  req.url = server.url() + "/after-interrupt";
  Result<HttpResponse> refused = client->Send(req);
  EXPECT_EQ(refused.status().code(), StatusCode::kCancelled) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("interrupted (SIGINT)"), std::string::npos);
  EXPECT_EQ(seen.load(), 0);
  req.interruptible = false;  // e.g. aborting a multipart upload
  Result<HttpResponse> cleanup = client->Send(req);
  ASSERT_TRUE(cleanup.ok()) << cleanup.status().ToString();
  EXPECT_EQ(cleanup->status, 200);
  EXPECT_EQ(seen.load(), 1);
}

TEST_F(HttpClientInterruptTest, InterruptCutsAStalledTransferWithinAboutASecond) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r;
    r.body = "late";
    r.stall_before_body = std::chrono::milliseconds(3500);
    return r;
  });
  HttpClientOptions options;
  options.stall_timeout = std::chrono::seconds(30);
  auto client = NewClient(options);
  std::thread interrupter([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    RequestInterrupt(SIGTERM);
  });
  HttpRequest req;
  req.url = server.url() + "/stall";
  auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> resp = client->Send(req);
  auto took = std::chrono::steady_clock::now() - start;
  interrupter.join();
  EXPECT_EQ(resp.status().code(), StatusCode::kCancelled) << resp.status().ToString();
  EXPECT_NE(resp.status().message().find("interrupted (SIGTERM)"), std::string::npos);
  // libcurl calls the progress check at least once a second while nothing moves.
  EXPECT_LT(took, std::chrono::milliseconds(2500));
}

TEST(HttpClientTest, ConnectionResetMidBodyIsUnavailable) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r;
    r.body = std::string(200000, 'q');
    r.reset_after_body_bytes = 1000;
    return r;
  });
  auto client = NewClient();
  HttpRequest req;
  req.url = server.url() + "/reset";
  Result<HttpResponse> resp = client->Send(req);
  EXPECT_EQ(resp.status().code(), StatusCode::kUnavailable) << resp.status().ToString();
}

TEST(HttpClientTest, RefusedConnectionIsUnavailable) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);  // nothing listens on that port now
  auto client = NewClient();
  HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  EXPECT_EQ(client->Send(req).status().code(), StatusCode::kUnavailable);
}

TEST(HttpClientTest, MalformedUrlIsInvalidArgument) {
  auto client = NewClient();
  HttpRequest req;
  req.url = "nope://x";
  EXPECT_EQ(client->Send(req).status().code(), StatusCode::kInvalidArgument);
}

TEST(HttpClientTest, AwsCaBundleIsIgnoredForPlainHttp) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{}; });
  const char* old = std::getenv("AWS_CA_BUNDLE");
  std::string saved = old ? old : "";
  ::setenv("AWS_CA_BUNDLE", "/nonexistent/ca.pem", 1);
  auto client = NewClient();
  HttpRequest req;
  req.url = server.url() + "/";
  Result<HttpResponse> resp = client->Send(req);
  if (old)
    ::setenv("AWS_CA_BUNDLE", saved.c_str(), 1);
  else
    ::unsetenv("AWS_CA_BUNDLE");
  EXPECT_TRUE(resp.ok()) << resp.status().ToString();
}

TEST(HttpClientTest, CurlCodesMapToStatusKinds) {
  EXPECT_EQ(StatusFromCurl(7, "x").code(), StatusCode::kUnavailable);        // couldn't connect
  EXPECT_EQ(StatusFromCurl(28, "x").code(), StatusCode::kUnavailable);       // timed out
  EXPECT_EQ(StatusFromCurl(56, "x").code(), StatusCode::kUnavailable);       // recv error
  EXPECT_EQ(StatusFromCurl(3, "x").code(), StatusCode::kInvalidArgument);    // bad URL
  EXPECT_EQ(StatusFromCurl(60, "x").code(), StatusCode::kPermissionDenied);  // TLS verify
  EXPECT_NE(StatusFromCurl(7, "GET http://h/k").message().find("GET http://h/k: "),
            std::string::npos);
}

}  // namespace
}  // namespace ch::net
