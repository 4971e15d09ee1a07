// Table: named, typed columns of equal length; the platform's in-memory data set.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "table/column.h"
#include "table/schema.h"

namespace ch {

// A columnar table: a Schema and one Column per field, all the same length.
// There are no row objects; read values through column(i) accessors.
//
// Tables are values (movable and copyable; a copy copies the data). Not
// synchronised: concurrent const use is safe, mutation needs exclusive access.
class Table {
 public:
  Table() = default;
  // An empty (zero-row) table with the schema's columns.
  explicit Table(Schema schema);

  // InvalidArgument unless there is one column per field, of the field's
  // type, and all columns have the same length.
  static Result<Table> Make(const Schema& schema, std::vector<Column> columns);

  const Schema& schema() const { return schema_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  int64_t num_rows() const { return columns_.empty() ? 0 : columns_[0].size(); }

  const Column& column(int i) const { return columns_[i]; }
  // For builders. The caller keeps all columns the same length.
  Column& mutable_column(int i) { return columns_[i]; }

  // Index of the column called `name`, or -1.
  int ColumnIndex(std::string_view name) const;
  // The column called `name`, or nullptr.
  const Column* FindColumn(std::string_view name) const;
  // The column called `name`; NotFound naming it and the table's columns otherwise.
  Result<const Column*> GetColumn(std::string_view name) const;

  // Adds a column at the end. InvalidArgument if the name exists, the type
  // differs from field.type, or the length differs from num_rows() (unless
  // the table has no columns yet).
  Status AddColumn(Field field, Column column);

  // Replaces column `i` (and its field). InvalidArgument if the field's name
  // is taken by another column, the types differ, or the length differs.
  Status ReplaceColumn(int i, Field field, Column column);

  // A table of just these columns, in this order. NotFound for an unknown name.
  Result<Table> Select(const std::vector<std::string>& names) const;

  // The rows at `rows` (each in [0, num_rows())), in that order.
  Table Take(std::span<const int64_t> rows) const;
  // The rows whose mask byte is non-zero. InvalidArgument if the mask length differs.
  Result<Table> Filter(std::span<const uint8_t> mask) const;
  // The rows for which `predicate(row_index)` is true, in order.
  template <typename Predicate>
  Table FilterRows(Predicate&& predicate) const {
    std::vector<int64_t> rows;
    for (int64_t r = 0; r < num_rows(); ++r) {
      if (predicate(r)) rows.push_back(r);
    }
    return Take(rows);
  }
  // Rows [begin, begin + length) clipped to the table.
  Table Slice(int64_t begin, int64_t length) const;

  // Appends the rows of `other`. InvalidArgument (nothing appended) unless
  // the column names and types match in order. Appending to a column-less
  // table adopts `other`'s schema.
  Status Append(const Table& other);
  // One table of all chunks' rows, in order; the schemas must match. An empty
  // list gives an empty table.
  static Result<Table> Concatenate(std::vector<Table> chunks);

  // Reserves room for `rows` rows; string columns reserve `string_bytes_per_row` each.
  void Reserve(int64_t rows, double string_bytes_per_row = 0);

  // Same schema and equal columns (see Column::Equals).
  bool Equals(const Table& other) const;
  // A readable dump of the first `max_rows` rows, for tests and debugging.
  std::string ToString(int64_t max_rows = 20) const;

 private:
  Schema schema_;
  std::vector<Column> columns_;
};

}  // namespace ch
