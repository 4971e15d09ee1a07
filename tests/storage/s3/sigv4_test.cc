// SigV4 signer against AWS's 38 published test vectors (read at test time) and botocore.
#include "storage/s3/sigv4.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ch::s3 {
namespace {

namespace fs = std::filesystem;

fs::path VectorDir() { return fs::path(CH_SOURCE_DIR) / ".." / "shared" / "testdata" / "sigv4"; }

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<std::string> VectorNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(VectorDir(), ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "request.txt")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A request.txt parsed: request line, headers (folded lines kept), body.
struct RawRequest {
  SignableRequest request;
  std::string body;
};

RawRequest ParseRequest(const std::string& text) {
  RawRequest raw;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  raw.request.method = line.substr(0, sp1);
  std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  raw.request.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::istringstream params(target.substr(q + 1));
    std::string param;
    while (std::getline(params, param, '&')) {
      size_t eq = param.find('=');
      std::string name = param.substr(0, eq);
      std::string value = eq == std::string::npos ? "" : param.substr(eq + 1);
      raw.request.query.emplace_back(UriDecode(name).value(), UriDecode(value).value());
    }
  }
  while (std::getline(in, line) && !line.empty()) {
    if ((line[0] == ' ' || line[0] == '\t') && !raw.request.headers.empty()) {
      raw.request.headers.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    raw.request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  raw.body = rest;
  return raw;
}

struct VectorCase {
  RawRequest raw;
  Credentials credentials;
  SigningParams params;
  bool sign_body = false;
  int expires = 0;
};

VectorCase LoadCase(const fs::path& dir) {
  VectorCase c;
  c.raw = ParseRequest(ReadText(dir / "request.txt"));
  auto ctx = nlohmann::json::parse(ReadText(dir / "context.json"));
  c.credentials.access_key_id = ctx["credentials"]["access_key_id"];
  c.credentials.secret_access_key = ctx["credentials"]["secret_access_key"];
  c.credentials.session_token = ctx["credentials"].value("token", "");
  c.params.region = ctx["region"];
  c.params.service = ctx["service"];
  c.params.time = ParseIso8601(ctx["timestamp"].get<std::string>()).value();
  c.params.normalize_path = ctx.value("normalize", true);
  c.params.sign_session_token = !ctx.value("omit_session_token", false);
  c.params.payload_hash = Sha256Hex(c.raw.body);
  c.sign_body = ctx.value("sign_body", false);
  c.params.add_content_sha256_header = c.sign_body;
  c.expires = ctx.value("expiration_in_seconds", 3600);
  return c;
}

class SigV4VectorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4VectorTest, HeaderSigningMatchesCanonicalRequestStringToSignAndSignature) {
  fs::path dir = VectorDir() / GetParam();
  VectorCase c = LoadCase(dir);
  SigningResult r = SignHeaders(c.raw.request, c.credentials, c.params);
  EXPECT_EQ(r.canonical_request, ReadText(dir / "header-canonical-request.txt"));
  EXPECT_EQ(r.string_to_sign, ReadText(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(r.signature, ReadText(dir / "header-signature.txt"));
  std::string signed_request = ReadText(dir / "header-signed-request.txt");
  std::string authorization;
  for (const auto& [name, value] : r.headers) {
    if (name == "Authorization") authorization = "Authorization:" + value + "\n";
  }
  EXPECT_NE(signed_request.find(authorization), std::string::npos) << authorization;
}

TEST_P(SigV4VectorTest, QuerySigningMatchesCanonicalRequestStringToSignAndSignature) {
  fs::path dir = VectorDir() / GetParam();
  VectorCase c = LoadCase(dir);
  Result<SigningResult> r =
      SignQuery(c.raw.request, c.credentials, c.params, std::chrono::seconds(c.expires));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->canonical_request, ReadText(dir / "query-canonical-request.txt"));
  EXPECT_EQ(r->string_to_sign, ReadText(dir / "query-string-to-sign.txt"));
  EXPECT_EQ(r->signature, ReadText(dir / "query-signature.txt"));
  std::string signed_request = ReadText(dir / "query-signed-request.txt");
  EXPECT_NE(signed_request.find("X-Amz-Signature=" + r->signature + " "), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Aws, SigV4VectorTest, ::testing::ValuesIn(VectorNames()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SigV4VectorTest);

TEST(SigV4Test, AllThirtyEightPublishedVectorsArePresent) {
  if (!fs::is_directory(VectorDir())) {
    GTEST_SKIP() << "SigV4 test vectors not found at " << VectorDir()
                 << " (they live in ../shared/testdata/sigv4 beside the repository)";
  }
  EXPECT_EQ(VectorNames().size(), 38u);
}

TEST(SigV4Test, PresignRejectsExpiryBeyondSevenDays) {
  SignableRequest req{"GET", "/b/k", {}, {{"host", "h"}}};
  Credentials creds{"AK", "SK", "", std::nullopt};
  SigningParams params;
  Result<SigningResult> r = SignQuery(req, creds, params, std::chrono::seconds(604801));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("7 days"), std::string::npos);
  EXPECT_TRUE(SignQuery(req, creds, params, std::chrono::seconds(604800)).ok());
}

TEST(SigV4Test, S3KeysAreEncodedOnceAndNotNormalized) {
  EXPECT_EQ(CanonicalUri("/bucket/a b/../c+d%/é", false), "/bucket/a%20b/../c%2Bd%25/%C3%A9");
  EXPECT_EQ(CanonicalUri("/bucket//x/./y", false), "/bucket//x/./y");
}

TEST(SigV4Test, UriDecodeRejectsBrokenEscapeNamingIt) {
  Result<std::string> r = UriDecode("a%2");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("a%2"), std::string::npos);
  EXPECT_EQ(UriDecode("a%2Fb+c").value(), "a/b+c");
}

TEST(SigV4Test, UnsignedPayloadAppearsInCanonicalRequestAndHeader) {
  SignableRequest req{"PUT", "/b/k", {}, {{"Host", "127.0.0.1:7480"}}};
  Credentials creds{"AK", "SK", "", std::nullopt};
  SigningParams params;
  params.time = ParseIso8601("2024-01-02T03:04:05Z").value();
  params.payload_hash = std::string(kUnsignedPayload);
  SigningResult r = SignHeaders(req, creds, params);
  EXPECT_TRUE(r.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_NE(r.canonical_request.find("x-amz-content-sha256:UNSIGNED-PAYLOAD\n"), std::string::npos);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"x-amz-date", "20240102T030405Z"}));
}

// botocore (python3-botocore) computes signatures for the same S3 requests.
std::string RunBotocore(const std::string& args) {
  std::string script = std::string(CH_SOURCE_DIR) + "/tests/storage/s3/botocore_sign.py";
  std::string cmd = "/usr/bin/python3 " + script + " " + args + " 2>&1";
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

bool HaveBotocore() {
  return std::system("/usr/bin/python3 -c 'import botocore' >/dev/null 2>&1") == 0;
}

struct BotoCase {
  std::string method, key, query, payload, token;
};

TEST(SigV4BotocoreTest, S3HeaderAndQuerySignaturesEqualBotocores) {
  if (!HaveBotocore()) GTEST_SKIP() << "python3-botocore is not installed (apt python3-botocore)";
  std::vector<BotoCase> cases = {
      {"GET", "raw/climate_data.csv", "", "", ""},
      {"PUT", "dir/a b+c=d&é~x.csv", "", "hello world", ""},
      {"GET", "k", "list-type=2&prefix=a%2Fb&continuation-token=x%3D%3D", "", "TOKEN/abc+=="},
      {"DELETE", "x/y", "versionId=3.14", "", ""},
  };
  for (const BotoCase& bc : cases) {
    SCOPED_TRACE(bc.method + " " + bc.key);
    SignableRequest req{bc.method, "/climahealth-raw/" + bc.key, {}, {}};
    req.headers = {{"host", "127.0.0.1:7480"}};
    std::istringstream params(bc.query);
    std::string param;
    while (std::getline(params, param, '&')) {
      size_t eq = param.find('=');
      req.query.emplace_back(UriDecode(param.substr(0, eq)).value(),
                             UriDecode(param.substr(eq + 1)).value());
    }
    Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", bc.token, {}};
    SigningParams sp;
    sp.time = ParseIso8601("2024-03-04T05:06:07Z").value();
    sp.payload_hash = Sha256Hex(bc.payload);
    std::string out = RunBotocore(bc.method + " '" + UriEncode(bc.key, false) + "' '" + bc.query +
                                  "' '" + bc.payload + "' '" + bc.token + "'");
    SigningResult header = SignHeaders(req, creds, sp);
    EXPECT_NE(out.find("header " + header.signature + "\n"), std::string::npos) << out;
    SigningParams qp = sp;
    qp.payload_hash = std::string(kUnsignedPayload);
    Result<SigningResult> query = SignQuery(req, creds, qp, std::chrono::seconds(900));
    ASSERT_TRUE(query.ok());
    EXPECT_NE(out.find("query " + query->signature + "\n"), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace ch::s3
