// AWS credential providers and the standard chain (explicit, env, profile, container, IMDSv2).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/s3/sigv4.h"

namespace ch::net {
class HttpClient;
}

namespace ch::s3 {

using EnvMap = std::map<std::string, std::string>;
using Clock = std::function<TimePoint()>;

// The process environment as a map.
EnvMap ProcessEnv();

// Hands out credentials. Thread-safe. Messages never contain a secret or a token.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Current credentials. NotFound when this source has none configured (a chain then
  // tries the next); other errors when it has some but cannot produce them.
  virtual Result<Credentials> Get() = 0;
  // "environment", "profile default", "imds", … (for messages).
  virtual std::string Name() const = 0;
};

// Fixed credentials (from explicit configuration or a test).
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return "explicit"; }

 private:
  Credentials credentials_;
};

// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
class EnvCredentialsProvider final : public CredentialsProvider {
 public:
  explicit EnvCredentialsProvider(EnvMap env) : env_(std::move(env)) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return "environment"; }

 private:
  EnvMap env_;
};

// The shared credentials file ([name]) then the config file ([profile name] or
// [default]). Files are AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE or ~/.aws/…; the
// profile is `profile`, else AWS_PROFILE, else "default". Read on every Get.
class ProfileCredentialsProvider final : public CredentialsProvider {
 public:
  ProfileCredentialsProvider(const EnvMap& env, const std::string& profile);
  Result<Credentials> Get() override;
  std::string Name() const override { return "profile " + profile_; }

 private:
  std::filesystem::path credentials_file_;
  std::filesystem::path config_file_;
  std::string profile_;
};

// Caches fetched temporary credentials and fetches again `refresh_margin` before
// they expire.
class RefreshingProvider : public CredentialsProvider {
 public:
  Result<Credentials> Get() final;

 protected:
  explicit RefreshingProvider(Clock clock);
  virtual Result<Credentials> Fetch() = 0;
  std::chrono::seconds refresh_margin_{300};

 private:
  Clock clock_;
  std::mutex mu_;
  std::optional<Credentials> cached_;
};

// ECS/Lambda container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI (http only to
// loopback or the ECS/EKS link-local hosts) or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
// under `relative_base`, with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE).
class ContainerCredentialsProvider final : public RefreshingProvider {
 public:
  // `http` must outlive this provider.
  ContainerCredentialsProvider(const EnvMap& env, net::HttpClient& http, Clock clock,
                               std::string relative_base = "http://169.254.170.2");
  std::string Name() const override { return "container"; }

 protected:
  Result<Credentials> Fetch() override;

 private:
  EnvMap env_;
  net::HttpClient& http_;
  std::string relative_base_;
};

// EC2 instance metadata, IMDSv2: PUT a session token, then the role's credentials.
// Endpoint AWS_EC2_METADATA_SERVICE_ENDPOINT (default http://169.254.169.254);
// AWS_EC2_METADATA_DISABLED=true turns it off.
class ImdsCredentialsProvider final : public RefreshingProvider {
 public:
  // `http` must outlive this provider.
  ImdsCredentialsProvider(const EnvMap& env, net::HttpClient& http, Clock clock);
  std::string Name() const override { return "imds"; }

 protected:
  Result<Credentials> Fetch() override;

 private:
  std::string endpoint_;
  bool disabled_ = false;
  net::HttpClient& http_;
};

// The first provider that has credentials, in order; remembered once found.
class ChainCredentialsProvider final : public CredentialsProvider {
 public:
  explicit ChainCredentialsProvider(std::vector<std::shared_ptr<CredentialsProvider>> chain)
      : chain_(std::move(chain)) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return "chain"; }

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> chain_;
  std::mutex mu_;
  std::shared_ptr<CredentialsProvider> found_;
};

struct CredentialsChainOptions {
  std::optional<Credentials> explicit_credentials;
  std::string profile;  // empty: AWS_PROFILE or "default"
  EnvMap env;           // usually ProcessEnv()
  Clock clock;          // empty: the system clock
};

// explicit → environment → profile → container → IMDSv2. The chain owns an HttpClient
// for the metadata endpoints.
Result<std::shared_ptr<CredentialsProvider>> MakeDefaultCredentialsChain(
    const CredentialsChainOptions& options);

}  // namespace ch::s3
