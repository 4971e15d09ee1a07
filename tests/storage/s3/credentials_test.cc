// Credential providers with temp profile files and loopback servers playing ECS and IMDSv2.
#include "storage/s3/credentials.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

#include "net/http_client.h"
#include "net/test_http_server.h"

namespace ch::s3 {
namespace {

using ch::testing::TestHttpServer;
using ch::testing::TestRequest;
using ch::testing::TestResponse;
namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("ch-cred-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  fs::path Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::unique_ptr<net::HttpClient> Http() { return net::HttpClient::Make({}).value(); }

TEST(CredentialsTest, EnvironmentGivesKeysAndSessionToken) {
  EnvCredentialsProvider p({{"AWS_ACCESS_KEY_ID", "AK"},
                            {"AWS_SECRET_ACCESS_KEY", "SECRET1"},
                            {"AWS_SESSION_TOKEN", "TOK"}});
  Credentials c = p.Get().value();
  EXPECT_EQ(c.access_key_id, "AK");
  EXPECT_EQ(c.secret_access_key, "SECRET1");
  EXPECT_EQ(c.session_token, "TOK");
}

TEST(CredentialsTest, HalfSetEnvironmentIsAnErrorThatDoesNotShowTheSecret) {
  EnvCredentialsProvider p(EnvMap{{"AWS_SECRET_ACCESS_KEY", "SECRET1"}});
  Result<Credentials> r = p.Get();
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message().find("SECRET1"), std::string::npos);
}

TEST(CredentialsTest, ProfileFromCredentialsFileFollowsAwsProfile) {
  TempDir dir;
  fs::path creds = dir.Write("credentials",
                             "[default]\naws_access_key_id = D\naws_secret_access_key = DS\n"
                             "# comment\n[work]\naws_access_key_id=W\naws_secret_access_key=WS\n"
                             "aws_session_token = WT\n");
  EnvMap env{{"AWS_SHARED_CREDENTIALS_FILE", creds.string()},
             {"AWS_PROFILE", "work"},
             {"AWS_CONFIG_FILE", (dir.Write("config", "")).string()}};
  Credentials c = ProfileCredentialsProvider(env, "").Get().value();
  EXPECT_EQ(c.access_key_id, "W");
  EXPECT_EQ(c.session_token, "WT");
  EXPECT_EQ(ProfileCredentialsProvider(env, "default").Get().value().access_key_id, "D");
}

TEST(CredentialsTest, ProfileFromConfigFileUsesProfilePrefix) {
  TempDir dir;
  fs::path config = dir.Write("config",
                              "[profile ci]\nregion = eu-west-1\naws_access_key_id = C\n"
                              "aws_secret_access_key = CS\n");
  EnvMap env{{"AWS_SHARED_CREDENTIALS_FILE", (dir.Write("credentials", "")).string()},
             {"AWS_CONFIG_FILE", config.string()}};
  EXPECT_EQ(ProfileCredentialsProvider(env, "ci").Get().value().access_key_id, "C");
  Result<Credentials> missing = ProfileCredentialsProvider(env, "nope").Get();
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("profile nope"), std::string::npos);
}

TEST(CredentialsTest, ChainTakesExplicitThenEnvironmentThenProfile) {
  TempDir dir;
  fs::path creds =
      dir.Write("credentials", "[default]\naws_access_key_id=P\naws_secret_access_key=PS\n");
  EnvMap env{{"AWS_SHARED_CREDENTIALS_FILE", creds.string()},
             {"AWS_CONFIG_FILE", (dir.path() / "none").string()},
             {"AWS_EC2_METADATA_DISABLED", "true"}};
  CredentialsChainOptions options{std::nullopt, "", env, {}};
  EXPECT_EQ((*MakeDefaultCredentialsChain(options))->Get().value().access_key_id, "P");
  options.env["AWS_ACCESS_KEY_ID"] = "E";
  options.env["AWS_SECRET_ACCESS_KEY"] = "ES";
  EXPECT_EQ((*MakeDefaultCredentialsChain(options))->Get().value().access_key_id, "E");
  options.explicit_credentials = Credentials{"X", "XS", "", std::nullopt};
  EXPECT_EQ((*MakeDefaultCredentialsChain(options))->Get().value().access_key_id, "X");
}

TEST(CredentialsTest, EmptyChainSaysWhatItTried) {
  TempDir dir;
  EnvMap env{{"AWS_SHARED_CREDENTIALS_FILE", (dir.path() / "c").string()},
             {"AWS_CONFIG_FILE", (dir.path() / "f").string()},
             {"AWS_EC2_METADATA_DISABLED", "true"}};
  Result<Credentials> r = (*MakeDefaultCredentialsChain({std::nullopt, "", env, {}}))->Get();
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("environment"), std::string::npos);
  EXPECT_NE(r.status().message().find("profile default"), std::string::npos);
  EXPECT_NE(r.status().message().find("imds: disabled"), std::string::npos);
}

std::string CredsJson(const std::string& key, const std::string& expiration) {
  return R"({"Code":"Success","AccessKeyId":")" + key +
         R"(","SecretAccessKey":"S3CR3T","Token":"SESSION","Expiration":")" + expiration + "\"}";
}

TEST(CredentialsTest, ContainerFullUriSendsAuthorizationToken) {
  TestHttpServer server([](const TestRequest& req) {
    TestResponse r;
    if (req.Header("authorization") != "tok-123") {
      r.status = 401;
      return r;
    }
    r.body = CredsJson("CONTAINERKEY", "2099-01-01T00:00:00Z");
    return r;
  });
  auto http = Http();
  EnvMap env{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds"},
             {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok-123"}};
  ContainerCredentialsProvider p(env, *http, {});
  Credentials c = p.Get().value();
  EXPECT_EQ(c.access_key_id, "CONTAINERKEY");
  EXPECT_EQ(c.session_token, "SESSION");
  ASSERT_TRUE(c.expiration.has_value());
  env.erase("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  ContainerCredentialsProvider without(env, *http, {});
  Result<Credentials> denied = without.Get();
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.status().message().find("S3CR3T"), std::string::npos);
}

TEST(CredentialsTest, ContainerRelativeUriAndTokenFile) {
  TestHttpServer server([](const TestRequest& req) {
    TestResponse r;
    r.status =
        req.target == "/v2/credentials/abc" && req.Header("authorization") == "filetok" ? 200 : 403;
    r.body = CredsJson("REL", "2099-01-01T00:00:00Z");
    return r;
  });
  TempDir dir;
  auto http = Http();
  EnvMap env{{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
             {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.Write("t", "filetok\n").string()}};
  ContainerCredentialsProvider p(env, *http, {}, server.url());
  Result<Credentials> c = p.Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "REL");
}

TEST(CredentialsTest, ContainerFullUriToRemotePlainHttpIsRefused) {
  auto http = Http();
  ContainerCredentialsProvider p(
      EnvMap{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/x"}}, *http, {});
  EXPECT_EQ(p.Get().status().code(), StatusCode::kInvalidArgument);
}

// IMDSv2: a token from PUT is required on every GET; credentials expire and are refreshed.
TEST(CredentialsTest, ImdsV2UsesTokenAndRefreshesBeforeExpiry) {
  std::atomic<int> fetches{0};
  TestHttpServer server([&](const TestRequest& req) {
    TestResponse r;
    if (req.method == "PUT" && req.target == "/latest/api/token") {
      r.status = req.Header("x-aws-ec2-metadata-token-ttl-seconds").empty() ? 400 : 200;
      r.body = "IMDSTOKEN";
      return r;
    }
    if (req.Header("x-aws-ec2-metadata-token") != "IMDSTOKEN") {
      r.status = 401;
      return r;
    }
    if (req.target == "/latest/meta-data/iam/security-credentials/") {
      r.body = "my-role";
    } else if (req.target == "/latest/meta-data/iam/security-credentials/my-role") {
      int n = ++fetches;
      r.body = CredsJson("IMDSKEY" + std::to_string(n), "2030-01-01T01:00:00Z");
    } else {
      r.status = 404;
    }
    return r;
  });
  auto http = Http();
  TimePoint now = ParseIso8601("2030-01-01T00:00:00Z").value();
  ImdsCredentialsProvider p(EnvMap{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url() + "/"}},
                            *http, [&] { return now; });
  EXPECT_EQ(p.Get().value().access_key_id, "IMDSKEY1");
  now += std::chrono::minutes(50);  // 10 minutes left: still cached
  EXPECT_EQ(p.Get().value().access_key_id, "IMDSKEY1");
  now += std::chrono::minutes(6);  // 4 minutes left: refreshed ahead of expiry
  EXPECT_EQ(p.Get().value().access_key_id, "IMDSKEY2");
  EXPECT_EQ(fetches.load(), 2);
}

}  // namespace
}  // namespace ch::s3
