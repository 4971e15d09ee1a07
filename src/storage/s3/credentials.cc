// Credential providers. Secrets and tokens never enter a message.
#include "storage/s3/credentials.h"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "net/http_client.h"

extern char** environ;

namespace ch::s3 {
namespace {

using Section = std::map<std::string, std::string>;

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string EnvOr(const EnvMap& env, const std::string& name, const std::string& fallback = {}) {
  auto it = env.find(name);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

// The key=value lines of section `[name]` of an INI file; nullopt if absent.
std::optional<Section> ReadIniSection(const std::filesystem::path& path, const std::string& name) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::optional<Section> out;
  bool inside = false;
  std::string line;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      inside = Trim(line.substr(1, line.size() - 2)) == name;
      if (inside && !out) out.emplace();
      continue;
    }
    size_t eq = line.find('=');
    if (inside && eq != std::string::npos) {
      (*out)[Trim(line.substr(0, eq))] = Trim(line.substr(eq + 1));
    }
  }
  return out;
}

Result<Credentials> FromSection(const Section& s, const std::string& where) {
  auto get = [&](const char* k) {
    auto it = s.find(k);
    return it == s.end() ? std::string() : it->second;
  };
  Credentials c{get("aws_access_key_id"), get("aws_secret_access_key"), get("aws_session_token"),
                std::nullopt};
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Status::InvalidArgument(where + ": aws_access_key_id and aws_secret_access_key " +
                                   "must both be set");
  }
  return c;
}

// The JSON document of the container and IMDS endpoints.
Result<Credentials> ParseCredentialsJson(const std::string& body, const std::string& what) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::Corruption(what + ": answer is not a JSON object");
  if (doc.contains("Code") && doc["Code"] != "Success") {
    return Status::PermissionDenied(what + ": endpoint answered Code " + doc["Code"].dump());
  }
  auto str = [&](const char* k) {
    return doc.contains(k) && doc[k].is_string() ? doc[k].get<std::string>() : "";
  };
  Credentials c{str("AccessKeyId"), str("SecretAccessKey"), str("Token"), std::nullopt};
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Status::Corruption(what + ": answer lacks AccessKeyId or SecretAccessKey");
  }
  if (!str("Expiration").empty()) {
    ASSIGN_OR_RETURN(TimePoint exp, ParseIso8601(str("Expiration")));
    c.expiration = exp;
  }
  return c;
}

Result<std::string> FetchText(net::HttpClient& http, net::HttpRequest req,
                              const std::string& what) {
  req.timeout = std::chrono::milliseconds(2000);
  // Short and bounded; the clean-up after an interrupt may need fresh credentials.
  req.interruptible = false;
  ASSIGN_OR_RETURN(net::HttpResponse resp, http.Send(req));
  if (resp.status == 401 || resp.status == 403) {
    return Status::PermissionDenied(what + ": HTTP " + std::to_string(resp.status));
  }
  if (resp.status == 404) return Status::NotFound(what + ": HTTP 404");
  if (resp.status >= 500)
    return Status::Unavailable(what + ": HTTP " + std::to_string(resp.status));
  if (resp.status != 200) return Status::IOError(what + ": HTTP " + std::to_string(resp.status));
  return resp.body;
}

bool AllowedContainerHost(const std::string& url) {
  if (url.starts_with("https://")) return true;
  for (const char* host : {"http://127.0.0.1", "http://localhost", "http://[::1]",
                           "http://169.254.170.2", "http://169.254.170.23"}) {
    std::string h(host);
    if (url.starts_with(h) &&
        (url.size() == h.size() || url[h.size()] == ':' || url[h.size()] == '/')) {
      return true;
    }
  }
  return false;
}

Clock OrSystemClock(Clock clock) {
  if (clock) return clock;
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace

EnvMap ProcessEnv() {
  EnvMap env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

Result<Credentials> StaticCredentialsProvider::Get() {
  if (credentials_.access_key_id.empty() || credentials_.secret_access_key.empty()) {
    return Status::NotFound("explicit credentials: none configured");
  }
  return credentials_;
}

Result<Credentials> EnvCredentialsProvider::Get() {
  std::string id = EnvOr(env_, "AWS_ACCESS_KEY_ID");
  std::string secret = EnvOr(env_, "AWS_SECRET_ACCESS_KEY");
  if (id.empty() && secret.empty()) return Status::NotFound("environment: no AWS_ACCESS_KEY_ID");
  if (id.empty() || secret.empty()) {
    return Status::InvalidArgument(
        "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set");
  }
  return Credentials{id, secret, EnvOr(env_, "AWS_SESSION_TOKEN"), std::nullopt};
}

ProfileCredentialsProvider::ProfileCredentialsProvider(const EnvMap& env,
                                                       const std::string& profile) {
  std::filesystem::path home = EnvOr(env, "HOME", "/");
  credentials_file_ =
      EnvOr(env, "AWS_SHARED_CREDENTIALS_FILE", (home / ".aws/credentials").string());
  config_file_ = EnvOr(env, "AWS_CONFIG_FILE", (home / ".aws/config").string());
  profile_ = !profile.empty() ? profile : EnvOr(env, "AWS_PROFILE", "default");
}

Result<Credentials> ProfileCredentialsProvider::Get() {
  if (auto s = ReadIniSection(credentials_file_, profile_)) {
    return FromSection(*s, credentials_file_.string() + " [" + profile_ + "]");
  }
  std::string section = profile_ == "default" ? "default" : "profile " + profile_;
  if (auto s = ReadIniSection(config_file_, section)) {
    if (s->count("aws_access_key_id") != 0) {
      return FromSection(*s, config_file_.string() + " [" + section + "]");
    }
  }
  return Status::NotFound("profile " + profile_ + ": not in " + credentials_file_.string() +
                          " nor " + config_file_.string());
}

RefreshingProvider::RefreshingProvider(Clock clock) : clock_(OrSystemClock(std::move(clock))) {}

Result<Credentials> RefreshingProvider::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && (!cached_->expiration || *cached_->expiration - refresh_margin_ > clock_())) {
    return *cached_;
  }
  Result<Credentials> fresh = Fetch();
  if (!fresh.ok()) {
    // Still-valid old credentials beat an outage of the metadata endpoint.
    if (cached_ && cached_->expiration && *cached_->expiration > clock_()) return *cached_;
    return fresh.status();
  }
  cached_ = *fresh;
  return *cached_;
}

ContainerCredentialsProvider::ContainerCredentialsProvider(const EnvMap& env, net::HttpClient& http,
                                                           Clock clock, std::string relative_base)
    : RefreshingProvider(std::move(clock)),
      env_(env),
      http_(http),
      relative_base_(std::move(relative_base)) {}

Result<Credentials> ContainerCredentialsProvider::Fetch() {
  std::string url = EnvOr(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  std::string relative = EnvOr(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  if (!relative.empty()) url = relative_base_ + relative;
  if (url.empty()) return Status::NotFound("container: no AWS_CONTAINER_CREDENTIALS_*_URI");
  if (relative.empty() && !AllowedContainerHost(url)) {
    return Status::InvalidArgument(
        "container: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https "
        "or a loopback/ECS host, got '" +
        url + "'");
  }
  net::HttpRequest req;
  req.url = url;
  std::string token = EnvOr(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
  std::string token_file = EnvOr(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in) return Status::NotFound("container: cannot read token file " + token_file);
    std::stringstream buf;
    buf << in.rdbuf();
    token = Trim(buf.str());
  }
  if (!token.empty()) req.headers.emplace_back("Authorization", token);
  ASSIGN_OR_RETURN(std::string body, FetchText(http_, req, "container credentials " + url));
  return ParseCredentialsJson(body, "container credentials " + url);
}

ImdsCredentialsProvider::ImdsCredentialsProvider(const EnvMap& env, net::HttpClient& http,
                                                 Clock clock)
    : RefreshingProvider(std::move(clock)),
      endpoint_(EnvOr(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254")),
      disabled_(EnvOr(env, "AWS_EC2_METADATA_DISABLED") == "true"),
      http_(http) {
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
}

Result<Credentials> ImdsCredentialsProvider::Fetch() {
  if (disabled_) return Status::NotFound("imds: disabled by AWS_EC2_METADATA_DISABLED");
  net::HttpRequest put;
  put.method = "PUT";
  put.url = endpoint_ + "/latest/api/token";
  put.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  Result<std::string> token = FetchText(http_, put, "imds token " + endpoint_);
  if (!token.ok()) {
    if (token.status().IsRetryable()) return Status::NotFound(token.status().message());
    return token.status();
  }
  std::string base = endpoint_ + "/latest/meta-data/iam/security-credentials/";
  net::HttpRequest get;
  get.url = base;
  get.headers = {{"X-aws-ec2-metadata-token", *token}};
  ASSIGN_OR_RETURN(std::string roles, FetchText(http_, get, "imds role"));
  std::string role = Trim(roles.substr(0, roles.find('\n')));
  if (role.empty()) return Status::NotFound("imds: the instance has no IAM role");
  get.url = base + role;
  ASSIGN_OR_RETURN(std::string body, FetchText(http_, get, "imds credentials of role " + role));
  return ParseCredentialsJson(body, "imds credentials of role " + role);
}

Result<Credentials> ChainCredentialsProvider::Get() {
  std::shared_ptr<CredentialsProvider> found;
  {
    std::lock_guard<std::mutex> lock(mu_);
    found = found_;
  }
  if (found) return found->Get();
  std::string tried;
  for (const auto& provider : chain_) {
    Result<Credentials> c = provider->Get();
    if (c.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      found_ = provider;
      return c;
    }
    if (!c.status().IsNotFound()) return c.status();
    tried += "\n  " + c.status().message();
  }
  return Status::PermissionDenied("no AWS credentials found; tried:" + tried);
}

namespace {

// The default chain plus the HTTP client its metadata providers borrow.
class DefaultChain final : public CredentialsProvider {
 public:
  DefaultChain(std::unique_ptr<net::HttpClient> http, const CredentialsChainOptions& options)
      : http_(std::move(http)), chain_(Build(options)) {}
  Result<Credentials> Get() override { return chain_.Get(); }
  std::string Name() const override { return "default chain"; }

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> Build(const CredentialsChainOptions& o) {
    std::vector<std::shared_ptr<CredentialsProvider>> chain;
    if (o.explicit_credentials) {
      chain.push_back(std::make_shared<StaticCredentialsProvider>(*o.explicit_credentials));
    }
    chain.push_back(std::make_shared<EnvCredentialsProvider>(o.env));
    chain.push_back(std::make_shared<ProfileCredentialsProvider>(o.env, o.profile));
    chain.push_back(std::make_shared<ContainerCredentialsProvider>(o.env, *http_, o.clock));
    chain.push_back(std::make_shared<ImdsCredentialsProvider>(o.env, *http_, o.clock));
    return chain;
  }

  std::unique_ptr<net::HttpClient> http_;
  ChainCredentialsProvider chain_;
};

}  // namespace

Result<std::shared_ptr<CredentialsProvider>> MakeDefaultCredentialsChain(
    const CredentialsChainOptions& options) {
  net::HttpClientOptions http_options;
  http_options.connect_timeout = std::chrono::milliseconds(1000);
  ASSIGN_OR_RETURN(std::unique_ptr<net::HttpClient> http,
                   net::HttpClient::Make(std::move(http_options)));
  return std::shared_ptr<CredentialsProvider>(
      std::make_shared<DefaultChain>(std::move(http), options));
}

}  // namespace ch::s3
