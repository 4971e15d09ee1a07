// AWS Signature Version 4: pure functions (no clock, no globals) for header and query signing.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ch::s3 {

using TimePoint = std::chrono::system_clock::time_point;
using KeyValues = std::vector<std::pair<std::string, std::string>>;

// A set of AWS credentials. Never log the secret or the token.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;            // empty unless temporary credentials
  std::optional<TimePoint> expiration;  // unset: does not expire
};

// Payload hash values S3 accepts in x-amz-content-sha256.
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The parts of an HTTP request that are signed.
struct SignableRequest {
  std::string method;  // "GET", "PUT", …
  std::string path;    // decoded (not percent-encoded), starting with '/'
  KeyValues query;     // decoded names and values, any order
  KeyValues headers;   // as sent, any case; must contain "host"
};

struct SigningParams {
  std::string region = "us-east-1";
  std::string service = "s3";
  TimePoint time;  // the request time (injected; never read from a clock here)
  // Remove "." and ".." segments and repeated slashes (not for S3, where a key is literal).
  bool normalize_path = false;
  // Whether x-amz-security-token is part of what is signed (true for S3); when false it
  // is added after signing (a few services want that).
  bool sign_session_token = true;
  // Hex SHA-256 of the body, or kUnsignedPayload.
  std::string payload_hash = std::string(kEmptySha256);
  // Header signing only: also send and sign x-amz-content-sha256 (S3 requires it).
  bool add_content_sha256_header = true;
};

// What signing produced, with the intermediate strings for tests and debugging.
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
  KeyValues headers;      // header signing: headers to add (incl. Authorization)
  KeyValues query;        // query signing: decoded parameters to add (incl. X-Amz-Signature)
};

// Signs with an Authorization header.
SigningResult SignHeaders(const SignableRequest& request, const Credentials& credentials,
                          const SigningParams& params);

// Presigns: every auth parameter goes into the query string. `expires` must be
// 1 s .. 7 days, else InvalidArgument.
Result<SigningResult> SignQuery(const SignableRequest& request, const Credentials& credentials,
                                const SigningParams& params, std::chrono::seconds expires);

// Percent-encodes everything but A-Z a-z 0-9 - . _ ~ (and '/' when !encode_slash).
std::string UriEncode(std::string_view s, bool encode_slash);
// Decodes %XX escapes (and nothing else: '+' stays '+'). InvalidArgument on a bad escape.
Result<std::string> UriDecode(std::string_view s);

// The canonical URI of a decoded path: encoded once, optionally normalized.
std::string CanonicalUri(std::string_view path, bool normalize);
// Sorted, encoded "a=1&b=2".
std::string CanonicalQueryString(const KeyValues& query);
// "20150830T123600Z" and "20150830".
std::string AmzDate(TimePoint time);
std::string AmzDay(TimePoint time);
// Parses "2015-08-30T12:36:00Z" (fractional seconds allowed). InvalidArgument otherwise.
Result<TimePoint> ParseIso8601(std::string_view text);

// Hex SHA-256, raw HMAC-SHA256 and the derived signing key.
std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string SigningKey(std::string_view secret, std::string_view day, std::string_view region,
                       std::string_view service);

}  // namespace ch::s3
