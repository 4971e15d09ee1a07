// Schema: the names, types and null rules of a Table's columns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ch {

// The value types a column can hold. Dates are days since 1970-01-01.
enum class DataType { kInt64, kFloat64, kString, kDate, kBool };

// "int64", "float64", "string", "date", "bool".
std::string_view DataTypeName(DataType type);

// One column's description.
struct Field {
  std::string name;
  DataType type = DataType::kString;
  // Whether a reader must find this column (e.g. in a CSV header). A missing
  // optional column is produced as all nulls.
  bool required = true;
  // Whether the column may hold nulls (an empty CSV field). Readers reject a
  // null in a non-nullable column.
  bool nullable = true;

  bool operator==(const Field&) const = default;
};

// An ordered list of fields with unique names. Cheap to copy for the small
// schemas the platform uses; not synchronised (treat as a value).
class Schema {
 public:
  Schema() = default;
  // Precondition: names are unique (use Make to check untrusted input).
  Schema(std::vector<Field> fields);  // NOLINT(google-explicit-constructor)
  Schema(std::initializer_list<Field> fields) : Schema(std::vector<Field>(fields)) {}

  // InvalidArgument when two fields share a name.
  static Result<Schema> Make(std::vector<Field> fields);

  const std::vector<Field>& fields() const { return fields_; }
  const Field& field(int i) const { return fields_[i]; }
  int num_fields() const { return static_cast<int>(fields_.size()); }
  bool empty() const { return fields_.empty(); }

  // Position of the field called `name`, or nullopt.
  std::optional<int> FieldIndex(std::string_view name) const;
  const Field* FindField(std::string_view name) const;

  // Appends a field. InvalidArgument if the name is already present.
  Status AddField(Field field);

  // "date:date, location_code:string, rainfall_mm:float64?" ('?' marks nullable).
  std::string ToString() const;

  bool operator==(const Schema& other) const { return fields_ == other.fields_; }

 private:
  std::vector<Field> fields_;
};

}  // namespace ch
