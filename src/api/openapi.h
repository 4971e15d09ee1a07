// The OpenAPI 3.1 description of every endpoint the server answers.
#pragma once

#include "codecs/json.h"

namespace ch::api {

// The complete document served at /openapi.json: every path, parameter,
// response and schema (components/schemas). Built once; thread-safe.
const Json& OpenApiDocument();

}  // namespace ch::api
