// HttpRequest and HttpResponse: the server's own view of one exchange, free of
// the HTTP library's types, so routing and handlers are plain C++.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ch::api {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query, still percent-encoded
  std::string path;    // decoded path, without the query
  HeaderList query;    // decoded query parameters in order (a name may repeat)
  HeaderList headers;  // names lower-cased
  std::string body;
  std::string remote;  // peer address, for the access log

  // The first value of header `name` (lower-case), or empty.
  std::string Header(std::string_view name) const;
  // Whether header `name` is present.
  bool HasHeader(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;  // names as sent
  std::string body;

  // Replaces every header called `name` (case-insensitive) with one value.
  void SetHeader(std::string_view name, std::string value);
  // The first value of header `name` (case-insensitive), or empty.
  std::string Header(std::string_view name) const;
};

// Splits "path?query" into the decoded path and decoded parameters; false
// when a percent escape is malformed.
bool ParseTarget(std::string_view target, std::string* path, HeaderList* query);

// Percent-decodes `in` ('+' becomes a space when `plus_is_space`); false on a
// malformed escape.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

}  // namespace ch::api
