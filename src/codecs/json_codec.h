// JSON text in and out, with errors that name the source, line and column.
#pragma once

#include <string>
#include <string_view>

#include "codecs/json.h"
#include "core/status.h"

namespace ch {

// Parses one JSON document. InvalidArgument "parse json <source_name>: line
// L, column C: <what is wrong>" for malformed text (L, C 1-based; C counts
// bytes), including trailing content after the document.
Result<Json> ParseJson(std::string_view text, std::string_view source_name = {});

// Prints `doc`: indented by `indent` spaces per level with a final newline,
// or on one line when indent < 0. InvalidArgument if a string holds invalid UTF-8.
Result<std::string> FormatJson(const Json& doc, int indent = 2);

}  // namespace ch
