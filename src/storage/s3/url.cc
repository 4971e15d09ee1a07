// S3 addressing: virtual-hosted and path-style URLs with S3's key encoding.
#include "storage/s3/url.h"

#include <cctype>

namespace ch::s3 {
namespace {

bool IsIpAddress(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;  // IPv6 literal
  for (char c : host) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  }
  return !host.empty();
}

int DefaultPort(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view endpoint) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("endpoint '" + std::string(endpoint) + "': " + std::string(why));
  };
  size_t sep = endpoint.find("://");
  if (sep == std::string_view::npos) return bad("needs a scheme, e.g. http://127.0.0.1:7480");
  Endpoint out;
  out.scheme = std::string(endpoint.substr(0, sep));
  for (char& c : out.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.scheme != "http" && out.scheme != "https") return bad("scheme must be http or https");
  std::string_view rest = endpoint.substr(sep + 3);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) return bad("a path is not supported");
  size_t colon = rest.rfind(':');
  size_t bracket = rest.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    std::string port(rest.substr(colon + 1));
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) == 0 ||
        std::stoi(port) > 65535) {
      return bad("bad port '" + port + "'");
    }
    out.port = std::stoi(port);
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return bad("no host");
  out.host = std::string(rest);
  return out;
}

Result<Endpoint> ResolveEndpoint(const AddressingOptions& options) {
  if (!options.endpoint.empty()) return ParseEndpoint(options.endpoint);
  if (options.region.empty()) return Status::InvalidArgument("S3: no endpoint and no region");
  return Endpoint{"https", "s3." + options.region + ".amazonaws.com", 0};
}

RequestTarget Address(const Endpoint& endpoint, bool path_style, std::string_view bucket,
                      std::string_view key, const KeyValues& query) {
  bool virtual_host = !bucket.empty() && !path_style && !IsIpAddress(endpoint.host) &&
                      endpoint.host != "localhost" &&
                      !(endpoint.scheme == "https" && bucket.find('.') != std::string_view::npos);
  RequestTarget target;
  std::string host = virtual_host ? std::string(bucket) + "." + endpoint.host : endpoint.host;
  target.host_header = host;
  if (endpoint.port != 0 && endpoint.port != DefaultPort(endpoint.scheme)) {
    target.host_header += ":" + std::to_string(endpoint.port);
  }
  target.path = "/";
  if (!virtual_host && !bucket.empty()) target.path += std::string(bucket) + "/";
  target.path += std::string(key);
  if (!virtual_host && !bucket.empty() && key.empty()) target.path.pop_back();
  target.url = endpoint.scheme + "://" + target.host_header + UriEncode(target.path, false);
  std::string qs = CanonicalQueryString(query);
  if (!qs.empty()) target.url += "?" + qs;
  return target;
}

}  // namespace ch::s3
