// The one adapter over nlohmann::json's parser and printer: exceptions become Status.
#include "codecs/json_codec.h"

#include <algorithm>

namespace ch {
namespace {

// "line L, column C" of the byte nlohmann reports (1-based count of bytes read).
std::string Position(std::string_view text, size_t byte) {
  size_t index = std::min(byte == 0 ? 0 : byte - 1, text.size());
  // An error found on reading a line end belongs to the line it ends.
  if (index < text.size() && text[index] == '\n' && index > 0) --index;
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + index, '\n'));
  size_t line_start = text.rfind('\n', index == 0 ? 0 : index - 1);
  line_start = (line_start == std::string_view::npos || index == 0) ? 0 : line_start + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(index - line_start + 1);
}

// nlohmann's message without its "[json.exception...] parse error at line x, column y: " prefix.
std::string Reason(const std::string& what) {
  size_t column = what.find("column ");
  size_t colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
  if (colon != std::string::npos) return what.substr(colon + 2);
  size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

}  // namespace

Result<Json> ParseJson(std::string_view text, std::string_view source_name) {
  std::string prefix = "parse json";
  if (!source_name.empty()) prefix += " " + std::string(source_name);
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return Status::InvalidArgument(prefix + ": " + Position(text, e.byte) + ": " +
                                   Reason(e.what()));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(prefix + ": " + e.what());
  }
}

Result<std::string> FormatJson(const Json& doc, int indent) {
  try {
    std::string out = doc.dump(indent < 0 ? -1 : indent);
    if (indent >= 0) out.push_back('\n');
    return out;
  } catch (const Json::type_error& e) {
    return Status::InvalidArgument(std::string("format json: ") + Reason(e.what()));
  }
}

}  // namespace ch
