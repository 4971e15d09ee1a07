// A real LocalStore filled with generator data, processed outputs, output
// documents and a model, plus a running ApiServer on a free loopback port and
// a small HTTP client, shared by the API tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "api/api_server.h"
#include "net/http_client.h"
#include "obs/metered_store.h"
#include "services/models/model_service.h"
#include "storage/local_store.h"
#include "support/temp_dir.h"

namespace ch::api::testing {

inline constexpr const char* kApiKey = "test-key-5f2c";
// Output documents are written for these dates (days since 1970-01-01 of
// 2015-06-01 and 2015-06-02); the later one is "latest".
inline constexpr int32_t kFirstRunDate = 16587;
inline constexpr int32_t kLatestRunDate = 16588;

// Builds raw/processed/models data in `store` (generator: 1 year from
// 2015-01-01, states only, seed 7). The processed CSVs and manifest follow
// docs/DATA.md; they are written here because the API must not depend on the
// batch job.
void FillStore(ObjectStore& store, const BucketNames& buckets);

struct Answer {
  int status = 0;
  net::Headers headers;
  std::string body;
  std::string Header(std::string_view name) const;
  Json JsonBody() const;  // null (and a test failure) if the body is not JSON
};

class ApiFixture : public ::testing::Test {
 protected:
  // Starts the server over the store (shared by the tests of one suite).
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // GET/POST against the running server; headers as "Name: value".
  Answer Get(const std::string& target, std::vector<std::string> headers = {});
  Answer Send(const std::string& method, const std::string& target,
              std::vector<std::string> headers = {}, std::string body = {});

  static std::string BaseUrl();
  static ApiServerOptions DefaultOptions();

  struct Shared {
    ch::testing::TempDir dir{"api"};
    std::unique_ptr<LocalStore> local;
    obs::MetricsRegistry registry;
    std::unique_ptr<obs::MeteredStore> store;
    BucketNames buckets{"raw-bucket", "processed-bucket", "models-bucket"};
    std::unique_ptr<services::ModelService> models;
    std::vector<std::string> access_log;
    std::mutex log_mu;
    std::atomic<int> jobs_run{0};
    std::unique_ptr<ApiServer> server;
    std::unique_ptr<net::HttpClient> client;
  };
  static Shared* shared_;
};

}  // namespace ch::api::testing
