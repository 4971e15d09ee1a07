// HttpRequest and HttpResponse: the server's own view of one exchange, free of
// the HTTP library's types, so routing and handlers are plain C++.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

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

// A body sent in pieces, for answers too large to hold in memory. The
// listener calls Next on a worker thread (it may block on storage) and writes
// each piece before asking for the next, so memory stays one piece.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Bytes the pieces add up to (sent as Content-Length).
  virtual uint64_t Size() const = 0;
  // The next piece; empty once Size() bytes were given. An error cuts the
  // connection, so the client sees a short body, never a wrong one.
  virtual Result<std::string> Next() = 0;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;  // names as sent
  std::string body;
  // When set, the body is this stream instead of `body`.
  std::shared_ptr<BodyStream> stream;

  // Replaces every header called `name` (case-insensitive) with one value.
  void SetHeader(std::string_view name, std::string value);
  // The first value of header `name` (case-insensitive), or empty.
  std::string Header(std::string_view name) const;
};

// Splits "path?query" into the decoded path and decoded parameters; false
// when a percent escape is malformed.
bool ParseTarget(std::string_view target, std::string* path, HeaderList* query);

// Whether an If-None-Match value holds `etag` (weak comparison) or "*".
bool EtagMatches(const std::string& if_none_match, const std::string& etag);

// Percent-decodes `in` ('+' becomes a space when `plus_is_space`); false on a
// malformed escape.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

}  // namespace ch::api
