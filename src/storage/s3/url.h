// S3 addressing: bucket + key + query → URL, Host header and the path that is signed.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/s3/sigv4.h"

namespace ch::s3 {

// Where requests go. An empty endpoint means AWS (https://s3.<region>.amazonaws.com).
struct AddressingOptions {
  std::string endpoint;  // e.g. "http://127.0.0.1:7480"; scheme required
  std::string region = "us-east-1";
  bool path_style = false;  // false: virtual-hosted ("bucket.host") where possible
};

struct Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // without port
  int port = 0;        // 0: the scheme's default
};

// One addressed request.
struct RequestTarget {
  std::string url;          // what goes on the wire, percent-encoded
  std::string host_header;  // "host" or "host:port"
  std::string path;         // decoded path, as given to the signer
};

// Parses "scheme://host[:port][/]". InvalidArgument naming the endpoint otherwise.
Result<Endpoint> ParseEndpoint(std::string_view endpoint);

// Resolves the endpoint (AWS's for `region` when empty).
Result<Endpoint> ResolveEndpoint(const AddressingOptions& options);

// Addresses `key` in `bucket` (either may be empty: service / bucket level).
// Virtual-hosted style is used unless path_style, or the bucket has a '.' under
// https (the wildcard certificate would not match), or the host is an IP address.
RequestTarget Address(const Endpoint& endpoint, bool path_style, std::string_view bucket,
                      std::string_view key, const KeyValues& query);

}  // namespace ch::s3
