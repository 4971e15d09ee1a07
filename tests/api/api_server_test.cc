// Every endpoint of the API over real HTTP against a LocalStore holding
// generator data: status codes, bodies, headers, validation, auth, OpenAPI.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <set>
#include <thread>
#include <utility>

#include "api/openapi.h"
#include "api_fixture.h"
#include "codecs/compression.h"
#include "schema_check.h"

namespace ch::api::testing {
namespace {

class ApiServerTest : public ApiFixture {};

void ExpectError(const Answer& a, int status, const std::string& code, const Json& parameter) {
  EXPECT_EQ(a.status, status) << a.body;
  Json body = a.JsonBody();
  ASSERT_TRUE(body.contains("error")) << a.body;
  EXPECT_EQ(body["error"]["code"], code) << a.body;
  EXPECT_EQ(body["error"]["parameter"], parameter) << a.body;
  EXPECT_TRUE(body["error"]["message"].is_string());
}

TEST_F(ApiServerTest, HealthAnswersOk) {
  Answer a = Get("/health");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.JsonBody(), Json({{"status", "ok"}}));
  EXPECT_EQ(a.Header("content-type"), "application/json");
  EXPECT_EQ(a.Header("x-request-id").size(), 16u);
}

TEST_F(ApiServerTest, ReadyReportsStorageAndCurrentModels) {
  Answer a = Get("/ready");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.JsonBody(), Json({{"status", "ready"}, {"storage", true}, {"models", true}}));
}

TEST_F(ApiServerTest, LocationsListEveryGeneratedState) {
  Answer a = Get("/api/locations");
  ASSERT_EQ(a.status, 200) << a.body;
  Json locations = a.JsonBody()["locations"];
  EXPECT_GE(locations.size(), 30u);
  bool found = false;
  for (const Json& l : locations) {
    if (l["location_code"] == "KA") {
      found = true;
      EXPECT_TRUE(l["latitude"].is_number());
      EXPECT_TRUE(l["name"].is_string());
      EXPECT_EQ(l["state_code"], "KA");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ApiServerTest, ClimateReturnsOneYearOfOneLocationAsColumns) {
  Answer a = Get("/api/climate?location=KA");
  ASSERT_EQ(a.status, 200) << a.body;
  Json body = a.JsonBody();
  EXPECT_EQ(body["location"], "KA");
  EXPECT_EQ(body["start"], "2015-01-01");
  EXPECT_EQ(body["end"], "2015-12-31");
  ASSERT_TRUE(body["columns"]["date"].is_array());
  EXPECT_EQ(body["columns"]["date"].size(), 365u);
  EXPECT_EQ(body["columns"]["temp_max_c"].size(), 365u);
  EXPECT_EQ(body["columns"]["date"][0], "2015-01-01");
  EXPECT_FALSE(body["columns"].contains("location_code"));
}

TEST_F(ApiServerTest, DateRangeSelectsInclusiveDays) {
  Answer a = Get("/api/health?location=MH&start=2015-03-01&end=2015-03-10");
  ASSERT_EQ(a.status, 200) << a.body;
  Json body = a.JsonBody();
  EXPECT_EQ(body["columns"]["date"].size(), 10u);
  EXPECT_EQ(body["columns"]["date"][9], "2015-03-10");
  EXPECT_TRUE(body["columns"].contains("dengue_cases"));
  Answer hospital = Get("/api/hospital?location=MH&start=2015-12-30");
  ASSERT_EQ(hospital.status, 200) << hospital.body;
  EXPECT_EQ(hospital.JsonBody()["columns"]["beds_total"].size(), 2u);
}

TEST_F(ApiServerTest, CsvFormatGivesCsvText) {
  Answer a = Get("/api/climate?location=KA&start=2015-01-01&end=2015-01-03&format=csv");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(a.body.rfind("date,location_code,", 0), 0u) << a.body;
  EXPECT_EQ(std::count(a.body.begin(), a.body.end(), '\n'), 4);
}

TEST_F(ApiServerTest, EachValidationErrorNamesItsParameter) {
  ExpectError(Get("/api/climate?location=ZZ"), 400, "invalid_argument", "location");
  ExpectError(Get("/api/climate"), 400, "invalid_argument", "location");
  ExpectError(Get("/api/climate?location=KA&start=2015-02-30"), 400, "invalid_argument", "start");
  ExpectError(Get("/api/climate?location=KA&end=yesterday"), 400, "invalid_argument", "end");
  ExpectError(Get("/api/climate?location=KA&start=2015-05-01&end=2015-04-01"), 400,
              "invalid_argument", "start");
  ExpectError(Get("/api/climate?location=KA&colour=red"), 400, "invalid_argument", "colour");
  ExpectError(Get("/api/climate?location=KA&location=MH"), 400, "invalid_argument", "location");
  ExpectError(Get("/api/climate?location=KA&format=xml"), 400, "invalid_argument", "format");
  ExpectError(Get("/api/predictions/2015-13-01"), 400, "invalid_argument", "date");
  ExpectError(Get("/api/predictions/latest?disease=flu"), 400, "invalid_argument", "disease");
  ExpectError(Get("/api/alerts/latest?location=XX"), 400, "invalid_argument", "location");
  ExpectError(Get("/api/locations?x=1"), 400, "invalid_argument", "x");
}

TEST_F(ApiServerTest, MissingDataIsNotFound) {
  ExpectError(Get("/api/predictions/2014-01-01"), 404, "not_found", nullptr);
  ExpectError(Get("/api/forecasts/2015-06-01"), 404, "not_found", nullptr);
  ExpectError(Get("/api/nothing"), 404, "not_found", nullptr);
  ExpectError(Get("/api/files/raw/raw/none.csv"), 404, "not_found", "key");
  ExpectError(Get("/api/files/elsewhere/x.csv"), 404, "not_found", "bucket");
}

TEST_F(ApiServerTest, PredictionsLatestIsTheNewestRunFiltered) {
  Answer a = Get("/api/predictions/latest?location=KA&disease=dengue");
  ASSERT_EQ(a.status, 200) << a.body;
  Json body = a.JsonBody();
  EXPECT_EQ(body["date"], "2015-06-02");
  ASSERT_EQ(body["predictions"].size(), 1u);
  EXPECT_EQ(body["predictions"][0]["risk_level"], "high");
  Answer first = Get("/api/predictions/2015-06-01?location=MH");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.JsonBody()["predictions"].size(), 2u);
  EXPECT_EQ(first.JsonBody()["predictions"][0]["risk_level"], "low");
}

TEST_F(ApiServerTest, ForecastsAndAlertsAreFiltered) {
  Answer f = Get("/api/forecasts/latest?location=MH");
  ASSERT_EQ(f.status, 200) << f.body;
  ASSERT_EQ(f.JsonBody()["forecasts"].size(), 1u);
  EXPECT_EQ(f.JsonBody()["forecasts"][0]["days"].size(), 14u);
  Answer all = Get("/api/alerts/latest");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.JsonBody()["alerts"].size(), 2u);
  Answer dengue = Get("/api/alerts/2015-06-02?disease=dengue");
  ASSERT_EQ(dengue.status, 200);
  ASSERT_EQ(dengue.JsonBody()["alerts"].size(), 1u);
  EXPECT_EQ(dengue.JsonBody()["alerts"][0]["id"], "a1");
}

TEST_F(ApiServerTest, ModelsListVersionsWithMetadata) {
  Answer a = Get("/api/models");
  ASSERT_EQ(a.status, 200) << a.body;
  Json models = a.JsonBody()["models"];
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0]["name"], "risk_dengue");
  EXPECT_EQ(models[0]["current"], true);
  EXPECT_EQ(models[0]["training_window"]["start"], "2015-01-01");
  EXPECT_EQ(models[0]["metrics"]["auc"], 0.81);
  EXPECT_EQ(models[0]["features"].size(), 2u);
}

TEST_F(ApiServerTest, StorageStatsCountEveryBucket) {
  Answer a = Get("/api/storage/stats");
  ASSERT_EQ(a.status, 200) << a.body;
  Json body = a.JsonBody();
  ASSERT_EQ(body["buckets"].size(), 3u);
  EXPECT_EQ(body["buckets"][0]["logical"], "raw");
  EXPECT_GE(body["buckets"][0]["objects"].get<int>(), 4);
  EXPECT_GT(body["buckets"][1]["bytes"].get<int64_t>(), 1000);
  EXPECT_EQ(body["newest_prediction_date"], "2015-06-02");
}

TEST_F(ApiServerTest, FilesStreamLocalObjectsWithTheirType) {
  Answer a = Get("/api/files/raw/raw/locations.csv");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body.rfind("location_code", 0), 0u);
  EXPECT_EQ(a.Header("content-type").rfind("text/csv", 0), 0u);
  EXPECT_NE(a.Header("content-disposition").find("locations.csv"), std::string::npos);
  auto bytes = shared_->local->Get({"raw-bucket", "raw/locations.csv", ""});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(a.body, *bytes);
  Answer url = Get("/api/files/processed/processed/manifest.json?redirect=false");
  ASSERT_EQ(url.status, 200);
  EXPECT_EQ(url.JsonBody()["url"], "/api/files/processed/processed/manifest.json");
}

// Larger than many pieces (the fixture's piece is 64 KiB), odd-sized so the
// last piece is short.
std::string LargeObjectBytes() {
  std::string bytes((3 << 20) + 5, '\0');
  uint64_t state = 0x9e3779b97f4a7c15ull;
  for (char& c : bytes) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    c = static_cast<char>(state >> 56);
  }
  return bytes;
}

TEST_F(ApiServerTest, FilesStreamLargeObjectsWhole) {
  ObjectRef ref{"raw-bucket", "raw/exports/large blob.bin", ""};
  std::string bytes = LargeObjectBytes();
  ASSERT_TRUE(shared_->local->Put(ref, bytes).ok());
  Answer a = Get("/api/files/raw/raw/exports/large%20blob.bin");
  ASSERT_EQ(a.status, 200) << a.body.substr(0, 200);
  EXPECT_EQ(a.Header("content-length"), std::to_string(bytes.size()));
  EXPECT_EQ(a.Header("content-type"), "application/octet-stream");
  EXPECT_TRUE(a.body == bytes) << "body of " << a.body.size() << " bytes differs";
  std::string etag = a.Header("etag");
  ASSERT_FALSE(etag.empty());
  Answer head = Send("HEAD", "/api/files/raw/raw/exports/large%20blob.bin");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), std::to_string(bytes.size()));
  EXPECT_EQ(head.Header("etag"), etag);
  EXPECT_TRUE(head.body.empty());
  Answer again = Get("/api/files/raw/raw/exports/large%20blob.bin", {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  ASSERT_TRUE(shared_->local->Delete(ref).ok());
}

// Reads one answer over a plain socket, stopping after `pause_after` body
// bytes to call `meanwhile` (with the server blocked on a full socket).
// Returns the Content-Length and the body bytes received before the close.
std::pair<uint64_t, std::string> ReadSlowly(uint16_t port, const std::string& target,
                                            size_t pause_after,
                                            const std::function<void()>& meanwhile) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  EXPECT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string received;
  char buf[16384];
  bool paused = false;
  uint64_t length = 0;
  size_t body_start = std::string::npos;
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    received.append(buf, static_cast<size_t>(n));
    if (body_start == std::string::npos && received.find("\r\n\r\n") != std::string::npos) {
      body_start = received.find("\r\n\r\n") + 4;
      std::string head = received.substr(0, body_start);
      std::transform(head.begin(), head.end(), head.begin(), ::tolower);
      size_t at = head.find("content-length: ");
      if (at != std::string::npos) length = std::stoull(head.substr(at + 16));
    }
    if (body_start != std::string::npos && !paused && received.size() - body_start >= pause_after) {
      paused = true;
      meanwhile();
    }
    if (body_start != std::string::npos && received.size() - body_start >= length) break;
  }
  ::close(fd);
  return {length, body_start == std::string::npos ? "" : received.substr(body_start)};
}

TEST_F(ApiServerTest, FilesCutTheDownloadWhenTheObjectIsReplacedMidway) {
  ObjectRef ref{"raw-bucket", "raw/exports/replaced.bin", ""};
  // Far more than the socket buffers hold, so most pieces are read after the swap.
  std::string first(48 << 20, 'a');
  ASSERT_TRUE(shared_->local->Put(ref, first).ok());
  auto [length, body] =
      ReadSlowly(shared_->server->port(), "/api/files/raw/raw/exports/replaced.bin", 1 << 16,
                 [&] { ASSERT_TRUE(shared_->local->Put(ref, std::string(48 << 20, 'b')).ok()); });
  EXPECT_EQ(length, first.size());
  EXPECT_LT(body.size(), first.size()) << "the download should have been cut";
  EXPECT_EQ(body.find('b'), std::string::npos) << "bytes of the new version were mixed in";
  ASSERT_TRUE(shared_->local->Delete(ref).ok());
}

TEST_F(ApiServerTest, EtagRevalidationAnswersNotModified) {
  Answer a = Get("/api/climate?location=KA&start=2015-01-01&end=2015-01-31");
  ASSERT_EQ(a.status, 200);
  std::string etag = a.Header("etag");
  ASSERT_FALSE(etag.empty());
  Answer again =
      Get("/api/climate?location=KA&start=2015-01-01&end=2015-01-31", {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("etag"), etag);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // past both TTLs
  Answer revalidated = Get("/api/climate?location=KA&start=2015-01-01&end=2015-01-31",
                           {"If-None-Match: \"other\", " + etag});
  EXPECT_EQ(revalidated.status, 304);
  Answer other = Get("/api/climate?location=MH", {"If-None-Match: " + etag});
  EXPECT_EQ(other.status, 200);
}

TEST_F(ApiServerTest, GzipWhenAcceptedOnly) {
  Answer plain = Get("/api/climate?location=KA");
  ASSERT_EQ(plain.status, 200);
  EXPECT_TRUE(plain.Header("content-encoding").empty());
  Answer zipped = Get("/api/climate?location=KA", {"Accept-Encoding: gzip, deflate"});
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.Header("content-encoding"), "gzip");
  EXPECT_EQ(zipped.Header("vary"), "Accept-Encoding");
  EXPECT_LT(zipped.body.size(), plain.body.size() / 2);
  auto unzipped = DecompressBytes(zipped.body, Compression::kGzip);
  ASSERT_TRUE(unzipped.ok());
  EXPECT_EQ(*unzipped, plain.body);
  Answer refused = Get("/api/climate?location=KA", {"Accept-Encoding: gzip;q=0"});
  EXPECT_TRUE(refused.Header("content-encoding").empty());
}

TEST_F(ApiServerTest, CorsOnlyForConfiguredOrigins) {
  Answer allowed = Get("/api/locations", {"Origin: http://dashboard.test"});
  EXPECT_EQ(allowed.Header("access-control-allow-origin"), "http://dashboard.test");
  Answer other = Get("/api/locations", {"Origin: http://evil.test"});
  EXPECT_TRUE(other.Header("access-control-allow-origin").empty());
  Answer preflight = Send("OPTIONS", "/api/jobs/predict",
                          {"Origin: http://dashboard.test", "Access-Control-Request-Method: POST"});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_NE(preflight.Header("access-control-allow-headers").find("X-API-Key"), std::string::npos);
  EXPECT_NE(preflight.Header("access-control-allow-methods").find("POST"), std::string::npos);
}

TEST_F(ApiServerTest, JobsNeedAValidApiKeyThatIsNeverLogged) {
  ExpectError(Send("POST", "/api/jobs/predict"), 401, "unauthorized", "X-API-Key");
  ExpectError(Send("POST", "/api/jobs/predict", {"X-API-Key: wrong"}), 401, "unauthorized",
              "X-API-Key");
  int before = shared_->jobs_run;
  Answer accepted = Send("POST", "/api/jobs/predict",
                         {std::string("X-API-Key: ") + kApiKey, "Content-Type: application/json"},
                         R"({"date": "2015-06-02"})");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  Json job = accepted.JsonBody();
  EXPECT_EQ(job["kind"], "predict");
  EXPECT_EQ(job["status"], "queued");
  EXPECT_EQ(accepted.Header("location"), "/api/jobs/" + job["id"].get<std::string>());
  Json status;
  for (int i = 0; i < 100; ++i) {
    status = Get("/api/jobs/" + job["id"].get<std::string>()).JsonBody();
    if (status["status"] == "succeeded" || status["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status["status"], "succeeded");
  EXPECT_EQ(status["message"], "predicted 2015-06-02");
  EXPECT_TRUE(status["finished_at"].is_string());
  EXPECT_EQ(shared_->jobs_run, before + 1);
  std::lock_guard<std::mutex> lock(shared_->log_mu);
  for (const std::string& line : shared_->access_log) {
    EXPECT_EQ(line.find(kApiKey), std::string::npos) << line;
  }
}

TEST_F(ApiServerTest, JobKindsAreValidated) {
  std::string key = std::string("X-API-Key: ") + kApiKey;
  ExpectError(Send("POST", "/api/jobs/dance", {key}), 400, "invalid_argument", "kind");
  ExpectError(Send("POST", "/api/jobs/train", {key}), 400, "invalid_argument", "kind");
  ExpectError(Send("POST", "/api/jobs/predict", {key}, "[1,2"), 400, "invalid_argument", "body");
  ExpectError(Get("/api/jobs/job-unknown"), 404, "not_found", "id");
}

TEST_F(ApiServerTest, FailedJobReportsItsError) {
  Answer accepted = Send("POST", "/api/jobs/predict", {std::string("X-API-Key: ") + kApiKey},
                         R"({"fail": true})");
  ASSERT_EQ(accepted.status, 202);
  Json status;
  for (int i = 0; i < 100; ++i) {
    status = Get("/api/jobs/" + accepted.JsonBody()["id"].get<std::string>()).JsonBody();
    if (status["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status["status"], "failed");
  EXPECT_NE(status["message"].get<std::string>().find("injected failure"), std::string::npos);
}

TEST_F(ApiServerTest, WrongMethodIsRefused) {
  Answer a = Send("POST", "/health");
  EXPECT_EQ(a.status, 405);
  Answer b = Send("DELETE", "/api/jobs/predict");
  EXPECT_EQ(b.status, 405);
}

TEST_F(ApiServerTest, StaticFilesHaveTypesAndTheAppFallback) {
  Answer index = Get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("test dashboard"), std::string::npos);
  Answer js = Get("/assets/app.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.Header("content-type"), "application/javascript; charset=utf-8");
  EXPECT_NE(js.Header("cache-control").find("immutable"), std::string::npos);
  EXPECT_EQ(Get("/style.css").Header("content-type"), "text/css; charset=utf-8");
  Answer route = Get("/locations/KA");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, index.body);
  EXPECT_EQ(Get("/missing.png").status, 404);
  EXPECT_EQ(Get("/%2e%2e/api_fixture.h").status, 404);
  EXPECT_EQ(Get("/assets/../../api_fixture.h").status, 404);
}

TEST_F(ApiServerTest, MetricsCountRequestsStorageAndCache) {
  Get("/api/locations");
  Get("/api/locations");
  ASSERT_EQ(Get("/api/nowhere").status, 404);
  Answer a = Get("/metrics");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.Header("content-type"), obs::MetricsRegistry::kContentType);
  for (const char* needle :
       {"ch_http_requests_total{method=\"GET\",route=\"/api/locations\",status=\"200\"}",
        "ch_http_request_duration_seconds_bucket", "ch_storage_operations_total{operation=",
        "ch_api_cache_requests_total{cache=\"response\",result=\"hit\"}",
        "ch_http_errors_total{route=\""}) {
    EXPECT_NE(a.body.find(needle), std::string::npos) << needle;
  }
}

TEST_F(ApiServerTest, AccessLogHasOneJsonLinePerRequestWithItsId) {
  Answer a = Get("/health?", {"X-Request-Id: trace-42"});
  EXPECT_EQ(a.Header("x-request-id"), "trace-42");
  std::lock_guard<std::mutex> lock(shared_->log_mu);
  bool found = false;
  for (const std::string& line : shared_->access_log) {
    Json entry = Json::parse(line, nullptr, false);
    ASSERT_FALSE(entry.is_discarded()) << line;
    if (entry["request_id"] == "trace-42") {
      found = true;
      EXPECT_EQ(entry["status"], 200);
      EXPECT_EQ(entry["path"], "/health");
      EXPECT_EQ(entry["method"], "GET");
      EXPECT_TRUE(entry["duration_ms"].is_number());
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ApiServerTest, OversizedBodyIsRefused) {
  Answer a = Send("POST", "/api/jobs/predict", {std::string("X-API-Key: ") + kApiKey},
                  std::string(2 << 20, 'x'));
  EXPECT_EQ(a.status, 413);
}

TEST_F(ApiServerTest, DocsPageListsEveryPath) {
  Answer a = Get("/docs");
  ASSERT_EQ(a.status, 200);
  for (const auto& [path, item] : OpenApiDocument()["paths"].items()) {
    EXPECT_NE(a.body.find(path), std::string::npos) << path;
  }
}

// The document describes what the server answers: each sample answer
// conforms to the schema the document declares for its path and status.
TEST_F(ApiServerTest, OpenApiDocumentDescribesTheActualAnswers) {
  Answer served = Get("/openapi.json");
  ASSERT_EQ(served.status, 200);
  Json doc = served.JsonBody();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc, OpenApiDocument());
  struct Sample {
    std::string path_template, target;
  };
  std::vector<Sample> samples = {
      {"/health", "/health"},
      {"/ready", "/ready"},
      {"/api/locations", "/api/locations"},
      {"/api/climate", "/api/climate?location=KA"},
      {"/api/health", "/api/health?location=KA&start=2015-02-01"},
      {"/api/hospital", "/api/hospital?location=DL"},
      {"/api/predictions/{date}", "/api/predictions/latest"},
      {"/api/forecasts/{date}", "/api/forecasts/latest"},
      {"/api/alerts/{date}", "/api/alerts/latest"},
      {"/api/models", "/api/models"},
      {"/api/storage/stats", "/api/storage/stats"},
      {"/api/files/{bucket}/{key}", "/api/files/raw/raw/locations.csv?redirect=false"},
      {"/api/climate", "/api/climate?location=ZZ"},
      {"/api/predictions/{date}", "/api/predictions/2001-01-01"},
      {"/api/jobs/{id}", "/api/jobs/nope"},
  };
  std::set<std::string> covered;
  for (const Sample& s : samples) {
    Answer a = Get(s.target);
    ASSERT_TRUE(doc["paths"].contains(s.path_template)) << s.path_template;
    const Json& responses = doc["paths"][s.path_template]["get"]["responses"];
    std::string code = std::to_string(a.status);
    ASSERT_TRUE(responses.contains(code)) << s.target << " answered " << code;
    const Json& schema = responses[code]["content"]["application/json"]["schema"];
    std::vector<std::string> problems;
    CheckSchema(a.JsonBody(), schema, doc, s.target, &problems);
    EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
    covered.insert(s.path_template);
  }
  Answer job = Send("POST", "/api/jobs/predict", {std::string("X-API-Key: ") + kApiKey});
  std::vector<std::string> problems;
  CheckSchema(job.JsonBody(),
              doc["paths"]["/api/jobs/{kind}"]["post"]["responses"]["202"]["content"]
                 ["application/json"]["schema"],
              doc, "POST /api/jobs/predict", &problems);
  Answer status = Get("/api/jobs/" + job.JsonBody()["id"].get<std::string>());
  CheckSchema(status.JsonBody(),
              doc["paths"]["/api/jobs/{id}"]["get"]["responses"]["200"]["content"]
                 ["application/json"]["schema"],
              doc, "GET /api/jobs/{id}", &problems);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  // Every documented JSON path was exercised above (the rest serve text or HTML).
  for (const auto& [path, item] : doc["paths"].items()) {
    if (!item.contains("get")) continue;
    const Json& ok = item["get"]["responses"]["200"]["content"];
    if (!ok.contains("application/json") || path == "/openapi.json") continue;
    EXPECT_TRUE(covered.count(path)) << path << " has no sample";
  }
}

}  // namespace
}  // namespace ch::api::testing
