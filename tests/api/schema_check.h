// A small JSON Schema checker for the subset /openapi.json uses (type, with
// null in a type list; required; properties; items; enum; additionalProperties
// as a schema; $ref into components/schemas), to hold answers to their documented shape.
#pragma once

#include <string>
#include <vector>

#include "codecs/json.h"

namespace ch::api::testing {

// Every mismatch between `value` and `schema`, as "path: what"; empty when it conforms.
inline void CheckSchema(const Json& value, const Json& schema, const Json& document,
                        const std::string& path, std::vector<std::string>* problems) {
  if (schema.contains("$ref")) {
    std::string ref = schema["$ref"].get<std::string>();
    std::string name = ref.substr(ref.rfind('/') + 1);
    const Json& target = document["components"]["schemas"];
    if (!target.contains(name)) {
      problems->push_back(path + ": dangling $ref " + ref);
      return;
    }
    return CheckSchema(value, target[name], document, path, problems);
  }
  if (schema.contains("type")) {
    std::vector<std::string> types;
    if (schema["type"].is_array()) {
      for (const Json& t : schema["type"]) types.push_back(t.get<std::string>());
    } else {
      types.push_back(schema["type"].get<std::string>());
    }
    bool ok = false;
    for (const std::string& t : types) {
      ok = ok || (t == "null" && value.is_null()) || (t == "object" && value.is_object()) ||
           (t == "array" && value.is_array()) || (t == "string" && value.is_string()) ||
           (t == "boolean" && value.is_boolean()) || (t == "number" && value.is_number()) ||
           (t == "integer" && value.is_number_integer());
    }
    if (!ok) {
      problems->push_back(path + ": " + value.type_name() + " is not " + schema["type"].dump());
      return;
    }
  }
  if (schema.contains("enum") && !value.is_null()) {
    bool found = false;
    for (const Json& e : schema["enum"]) found = found || e == value;
    if (!found)
      problems->push_back(path + ": " + value.dump() + " not in " + schema["enum"].dump());
  }
  if (value.is_object()) {
    if (schema.contains("required")) {
      for (const Json& r : schema["required"]) {
        if (!value.contains(r.get<std::string>())) {
          problems->push_back(path + ": missing required '" + r.get<std::string>() + "'");
        }
      }
    }
    for (const auto& [k, v] : value.items()) {
      if (schema.contains("properties") && schema["properties"].contains(k)) {
        CheckSchema(v, schema["properties"][k], document, path + "." + k, problems);
      } else if (schema.contains("additionalProperties") &&
                 schema["additionalProperties"].is_object()) {
        CheckSchema(v, schema["additionalProperties"], document, path + "." + k, problems);
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      CheckSchema(value[i], schema["items"], document, path + "[" + std::to_string(i) + "]",
                  problems);
    }
  }
}

}  // namespace ch::api::testing
