#include "config/config.h"

#include <gtest/gtest.h>

#include <fstream>

namespace ch {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::filesystem::path WriteToml(const std::string& text) {
    std::filesystem::path path = dir_ / "climahealth.toml";
    std::ofstream(path) << text;
    return path;
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ConfigTest, DefaultsAreLocalStoreWithLocalBucketDirectories) {
  Result<Config> config = LoadConfig({}, {});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->storage.backend, StoreBackend::kLocal);
  EXPECT_EQ(config->storage.root, "./var/store");
  EXPECT_EQ(config->storage.region, "us-east-1");
  EXPECT_EQ(config->buckets.raw, "raw-bucket");
  EXPECT_EQ(config->buckets.processed, "processed-bucket");
  EXPECT_EQ(config->buckets.models, "models-bucket");
}

TEST_F(ConfigTest, S3BackendDefaultsToClimahealthBucketNames) {
  Result<Config> config = LoadConfig({{"CLIMAHEALTH_STORE", "s3"}}, {});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->storage.backend, StoreBackend::kS3);
  EXPECT_EQ(*config->LogicalBucket("raw"), "climahealth-raw");
  EXPECT_EQ(*config->LogicalBucket("models"), "climahealth-models");
  EXPECT_TRUE(config->LogicalBucket("other").status().IsNotFound());
}

TEST_F(ConfigTest, EndpointInEnvironmentSelectsS3UnlessStoreSaysOtherwise) {
  Result<Config> s3 = LoadConfig({{"AWS_ENDPOINT_URL", "http://127.0.0.1:7480"}}, {});
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->storage.backend, StoreBackend::kS3);
  EXPECT_EQ(s3->storage.endpoint, "http://127.0.0.1:7480");
  Result<Config> local = LoadConfig(
      {{"AWS_ENDPOINT_URL", "http://127.0.0.1:7480"}, {"CLIMAHEALTH_STORE", "local"}}, {});
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->storage.backend, StoreBackend::kLocal);
}

TEST_F(ConfigTest, S3SpecificEndpointVariableWins) {
  Result<Config> config = LoadConfig(
      {{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"}, {"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2"}},
      {});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->storage.endpoint, "http://127.0.0.1:2");
}

TEST_F(ConfigTest, LayersApplyInOrderFileThenEnvironmentThenFlags) {
  auto file = WriteToml(
      "[storage]\nroot = \"/from/file\"\nregion = \"ap-south-1\"\nconcurrency = 4\n"
      "[buckets]\nraw = \"file-raw\"\nmodels = \"file-models\"\n");
  Environment env{{"CLIMAHEALTH_CONFIG", file.string()},
                  {"CLIMAHEALTH_STORAGE_ROOT", "/from/env"},
                  {"CLIMAHEALTH_RAW_BUCKET", "env-raw"}};
  ConfigOverrides flags;
  flags.root = "/from/flag";
  Result<Config> config = LoadConfig(env, flags);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->storage.root, "/from/flag");
  EXPECT_EQ(config->storage.region, "ap-south-1");
  EXPECT_EQ(config->storage.concurrency, 4);
  EXPECT_EQ(config->buckets.raw, "env-raw");
  EXPECT_EQ(config->buckets.models, "file-models");
  EXPECT_EQ(config->buckets.processed, "processed-bucket");
  EXPECT_EQ(config->source, file);
}

TEST_F(ConfigTest, FlagConfigFileBeatsEnvironmentConfigFile) {
  auto file = WriteToml("[storage]\nregion = \"eu-west-1\"\n");
  ConfigOverrides flags;
  flags.config_file = file;
  Result<Config> config = LoadConfig({{"CLIMAHEALTH_CONFIG", "/nonexistent.toml"}}, flags);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->storage.region, "eu-west-1");
}

TEST_F(ConfigTest, UnknownKeyIsAnErrorNamingKeyAndLine) {
  auto file = WriteToml("[storage]\nregion = \"x\"\nendpont = \"http://127.0.0.1\"\n");
  ConfigOverrides flags;
  flags.config_file = file;
  Result<Config> config = LoadConfig({}, flags);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find("unknown key 'storage.endpont'"), std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find("climahealth.toml:3:"), std::string::npos)
      << config.status().message();
}

TEST_F(ConfigTest, UnknownTableIsAnError) {
  auto file = WriteToml("[storge]\nregion = \"x\"\n");
  ConfigOverrides flags;
  flags.config_file = file;
  Result<Config> config = LoadConfig({}, flags);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("unknown table '[storge]'"), std::string::npos)
      << config.status().message();
}

TEST_F(ConfigTest, WrongTypeNamesKeyAndExpectation) {
  auto file = WriteToml("[storage]\nconcurrency = \"eight\"\n");
  ConfigOverrides flags;
  flags.config_file = file;
  Result<Config> config = LoadConfig({}, flags);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("storage.concurrency"), std::string::npos);
  EXPECT_NE(config.status().message().find("must be an integer"), std::string::npos)
      << config.status().message();
}

TEST_F(ConfigTest, OutOfRangeValueIsRejected) {
  auto file = WriteToml("[storage]\npart_size = 1024\n");
  ConfigOverrides flags;
  flags.config_file = file;
  Result<Config> config = LoadConfig({}, flags);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("between"), std::string::npos);
}

TEST_F(ConfigTest, TomlSyntaxErrorNamesFileLineAndColumn) {
  auto file = WriteToml("[storage]\nregion = \n");
  ConfigOverrides flags;
  flags.config_file = file;
  Result<Config> config = LoadConfig({}, flags);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find("climahealth.toml:2:"), std::string::npos)
      << config.status().message();
}

TEST_F(ConfigTest, MissingNamedConfigFileIsNotFound) {
  ConfigOverrides flags;
  flags.config_file = dir_ / "missing.toml";
  Result<Config> config = LoadConfig({}, flags);
  ASSERT_FALSE(config.ok());
  EXPECT_TRUE(config.status().IsNotFound()) << config.status().ToString();
}

TEST_F(ConfigTest, BadBackendNameIsRejectedWithItsSource) {
  Result<Config> config = LoadConfig({{"CLIMAHEALTH_STORE", "ftp"}}, {});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("CLIMAHEALTH_STORE"), std::string::npos);
  EXPECT_NE(config.status().message().find("'ftp'"), std::string::npos);
}

TEST_F(ConfigTest, RegionPrefersAwsRegionOverDefaultRegion) {
  Result<Config> config =
      LoadConfig({{"AWS_DEFAULT_REGION", "eu-west-1"}, {"AWS_REGION", "ap-south-1"}}, {});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->storage.region, "ap-south-1");
}

TEST_F(ConfigTest, ApiTableReadsKeyHashesOriginsAndLimits) {
  auto file = WriteToml("[api]\napi_key_sha256 = [\"" + std::string(64, 'a') +
                        "\"]\ncors_origins = [\"http://localhost:5173\"]\nmax_body_bytes = 4096\n"
                        "request_timeout_seconds = 5\ncache_ttl_ms = 250\nworker_threads = 4\n");
  ConfigOverrides flags;
  flags.config_file = file;
  Result<Config> config = LoadConfig({}, flags);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->api.api_key_sha256, std::vector<std::string>{std::string(64, 'a')});
  EXPECT_EQ(config->api.cors_origins, std::vector<std::string>{"http://localhost:5173"});
  EXPECT_EQ(config->api.max_body_bytes, 4096u);
  EXPECT_EQ(config->api.request_timeout_seconds, 5);
  EXPECT_EQ(config->api.cache_ttl_ms, 250);
  EXPECT_EQ(config->api.worker_threads, 4);
}

TEST_F(ConfigTest, ApiDefaultsKeepCorsOffAndNoKeys) {
  Result<Config> config = LoadConfig({}, {});
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->api.api_key_sha256.empty());
  EXPECT_TRUE(config->api.cors_origins.empty());
  EXPECT_EQ(config->api.max_body_bytes, 1u << 20);
}

TEST_F(ConfigTest, ApiUnknownKeyAndWrongTypeAreErrors) {
  ConfigOverrides flags;
  flags.config_file = WriteToml("[api]\napi_key = \"plain\"\n");
  Result<Config> unknown = LoadConfig({}, flags);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown key 'api.api_key'"), std::string::npos)
      << unknown.status().message();
  flags.config_file = WriteToml("[api]\ncors_origins = \"http://x\"\n");
  Result<Config> wrong = LoadConfig({}, flags);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("array of strings"), std::string::npos)
      << wrong.status().message();
}

TEST_F(ConfigTest, AlertsTableIsKeptWithWhereEachKeyWasWritten) {
  ConfigOverrides flags;
  flags.config_file = WriteToml("[alerts]\noutbreak_k = 3\nrisk_min_level = \"severe\"\n");
  Result<Config> config = LoadConfig({}, flags);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->alerts.size(), 2u);
  EXPECT_EQ(config->alerts[0].key, "outbreak_k");
  EXPECT_EQ(std::get<double>(config->alerts[0].value), 3.0);
  EXPECT_NE(config->alerts[0].where.find(":2:"), std::string::npos) << config->alerts[0].where;
  EXPECT_NE(config->alerts[0].where.find("alerts.outbreak_k"), std::string::npos);
  EXPECT_EQ(std::get<std::string>(config->alerts[1].value), "severe");
  flags.config_file = WriteToml("[alerts]\nquiet_days = [1]\n");
  Result<Config> bad = LoadConfig({}, flags);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("alerts.quiet_days"), std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace ch
