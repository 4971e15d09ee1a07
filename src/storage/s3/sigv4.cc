// AWS Signature Version 4 signing: canonical request → string to sign → HMAC chain.
#include "storage/s3/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "storage/md5.h"

namespace ch::s3 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr auto kMaxExpiry = std::chrono::seconds(7 * 24 * 3600);

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims and folds runs of whitespace (including line breaks of folded headers) to one space.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Lower-cased names → values joined by ',' in the order given.
std::map<std::string, std::string> CanonicalHeaders(const KeyValues& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    std::string key = Lower(CanonicalHeaderValue(name));
    auto [it, inserted] = out.emplace(key, CanonicalHeaderValue(value));
    if (!inserted) it->second += "," + CanonicalHeaderValue(value);
  }
  return out;
}

std::string SignedHeaderList(const std::map<std::string, std::string>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

std::string CanonicalRequest(const SignableRequest& request, const KeyValues& query,
                             const std::map<std::string, std::string>& headers,
                             const SigningParams& params) {
  std::string out = request.method + "\n";
  out += CanonicalUri(request.path, params.normalize_path) + "\n";
  out += CanonicalQueryString(query) + "\n";
  for (const auto& [name, value] : headers) {
    out += name;
    out += ':';
    out += value;
    out += '\n';
  }
  out += "\n" + SignedHeaderList(headers) + "\n" + params.payload_hash;
  return out;
}

std::string Scope(const SigningParams& params) {
  return AmzDay(params.time) + "/" + params.region + "/" + params.service + "/aws4_request";
}

// Fills canonical request, string to sign and signature of `result`.
void Sign(const SignableRequest& request, const KeyValues& query,
          const std::map<std::string, std::string>& headers, const Credentials& credentials,
          const SigningParams& params, SigningResult& result) {
  result.canonical_request = CanonicalRequest(request, query, headers, params);
  result.string_to_sign = std::string(kAlgorithm) + "\n" + AmzDate(params.time) + "\n" +
                          Scope(params) + "\n" + Sha256Hex(result.canonical_request);
  std::string key =
      SigningKey(credentials.secret_access_key, AmzDay(params.time), params.region, params.service);
  result.signature = ToHex(HmacSha256(key, result.string_to_sign));
}

std::string Digits(int value, int width) {
  std::string s = std::to_string(value);
  return std::string(static_cast<size_t>(std::max(0, width - static_cast<int>(s.size()))), '0') + s;
}

std::tm UtcTm(TimePoint time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::string UriEncode(std::string_view s, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (c == '/' && !encode_slash)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<std::string> UriDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 2 < s.size() ? hex(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? hex(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("bad percent escape at offset " + std::to_string(i) + " in '" +
                                     std::string(s) + "'");
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string CanonicalUri(std::string_view path, bool normalize) {
  if (!normalize) return path.empty() ? "/" : UriEncode(path, false);
  std::vector<std::string_view> segments;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos, end - pos);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    pos = end + 1;
  }
  std::string out;
  for (std::string_view seg : segments) out += "/" + UriEncode(seg, true);
  bool trailing = !path.empty() && path.back() == '/' && !segments.empty();
  if (out.empty() || trailing) out += '/';
  return out;
}

std::string CanonicalQueryString(const KeyValues& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(UriEncode(name, true), UriEncode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string AmzDate(TimePoint time) {
  std::tm tm = UtcTm(time);
  return Digits(tm.tm_year + 1900, 4) + Digits(tm.tm_mon + 1, 2) + Digits(tm.tm_mday, 2) + "T" +
         Digits(tm.tm_hour, 2) + Digits(tm.tm_min, 2) + Digits(tm.tm_sec, 2) + "Z";
}

std::string AmzDay(TimePoint time) { return AmzDate(time).substr(0, 8); }

Result<TimePoint> ParseIso8601(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) {
    return Status::InvalidArgument("not an ISO 8601 UTC time: '" + s + "'");
  }
  std::string_view rest(end);
  if (!rest.empty() && rest.front() == '.') {
    size_t digits = rest.find_first_not_of("0123456789", 1);
    rest.remove_prefix(digits == std::string_view::npos ? rest.size() : digits);
  }
  if (rest != "Z" && rest != "+00:00") {
    return Status::InvalidArgument("not an ISO 8601 UTC time: '" + s + "'");
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &len);
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string SigningKey(std::string_view secret, std::string_view day, std::string_view region,
                       std::string_view service) {
  std::string k = HmacSha256("AWS4" + std::string(secret), day);
  k = HmacSha256(k, region);
  k = HmacSha256(k, service);
  return HmacSha256(k, "aws4_request");
}

SigningResult SignHeaders(const SignableRequest& request, const Credentials& credentials,
                          const SigningParams& params) {
  SigningResult result;
  result.headers.emplace_back("x-amz-date", AmzDate(params.time));
  if (params.add_content_sha256_header) {
    result.headers.emplace_back("x-amz-content-sha256", params.payload_hash);
  }
  bool token = !credentials.session_token.empty();
  if (token && params.sign_session_token) {
    result.headers.emplace_back("x-amz-security-token", credentials.session_token);
  }
  KeyValues all = request.headers;
  all.insert(all.end(), result.headers.begin(), result.headers.end());
  auto canonical = CanonicalHeaders(all);
  Sign(request, request.query, canonical, credentials, params, result);
  if (token && !params.sign_session_token) {
    result.headers.emplace_back("x-amz-security-token", credentials.session_token);
  }
  result.headers.emplace_back(
      "Authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                           Scope(params) + ", SignedHeaders=" + SignedHeaderList(canonical) +
                           ", Signature=" + result.signature);
  return result;
}

Result<SigningResult> SignQuery(const SignableRequest& request, const Credentials& credentials,
                                const SigningParams& params, std::chrono::seconds expires) {
  if (expires < std::chrono::seconds(1) || expires > kMaxExpiry) {
    return Status::InvalidArgument("presign: expiry must be 1 s to 7 days, got " +
                                   std::to_string(expires.count()) + " s");
  }
  SigningResult result;
  auto canonical = CanonicalHeaders(request.headers);
  bool token = !credentials.session_token.empty();
  result.query = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", credentials.access_key_id + "/" + Scope(params)},
      {"X-Amz-Date", AmzDate(params.time)},
      {"X-Amz-Expires", std::to_string(expires.count())},
      {"X-Amz-SignedHeaders", SignedHeaderList(canonical)},
  };
  if (token && params.sign_session_token) {
    result.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  KeyValues all = request.query;
  all.insert(all.end(), result.query.begin(), result.query.end());
  Sign(request, all, canonical, credentials, params, result);
  if (token && !params.sign_session_token) {
    result.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  result.query.emplace_back("X-Amz-Signature", result.signature);
  return result;
}

}  // namespace ch::s3
