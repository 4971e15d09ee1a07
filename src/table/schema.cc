// Schema: field lookup and validation.
#include "table/schema.h"

namespace ch {

std::string_view DataTypeName(DataType type) {
  switch (type) {
    case DataType::kInt64:
      return "int64";
    case DataType::kFloat64:
      return "float64";
    case DataType::kString:
      return "string";
    case DataType::kDate:
      return "date";
    case DataType::kBool:
      return "bool";
  }
  return "unknown";
}

Schema::Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

Result<Schema> Schema::Make(std::vector<Field> fields) {
  Schema schema;
  for (Field& field : fields) RETURN_IF_ERROR(schema.AddField(std::move(field)));
  return schema;
}

std::optional<int> Schema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

const Field* Schema::FindField(std::string_view name) const {
  std::optional<int> i = FieldIndex(name);
  return i ? &fields_[*i] : nullptr;
}

Status Schema::AddField(Field field) {
  if (FieldIndex(field.name)) {
    return Status::InvalidArgument("schema: duplicate field name '" + field.name + "'");
  }
  fields_.push_back(std::move(field));
  return Status::Ok();
}

std::string Schema::ToString() const {
  std::string out;
  for (const Field& f : fields_) {
    if (!out.empty()) out += ", ";
    out += f.name;
    out += ':';
    out += DataTypeName(f.type);
    if (f.nullable) out += '?';
  }
  return out;
}

}  // namespace ch
