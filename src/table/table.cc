// Table: construction, column lookup, row selection and concatenation.
#include "table/table.h"

#include <algorithm>

namespace ch {

Table::Table(Schema schema) : schema_(std::move(schema)) {
  columns_.reserve(schema_.fields().size());
  for (const Field& f : schema_.fields()) columns_.emplace_back(f.type);
}

Result<Table> Table::Make(const Schema& schema, std::vector<Column> columns) {
  if (columns.size() != schema.fields().size()) {
    return Status::InvalidArgument("make table: " + std::to_string(columns.size()) +
                                   " columns for " + std::to_string(schema.num_fields()) +
                                   " fields");
  }
  Table table;
  for (size_t i = 0; i < columns.size(); ++i) {
    RETURN_IF_ERROR(table.AddColumn(schema.field(static_cast<int>(i)), std::move(columns[i])));
  }
  return table;
}

int Table::ColumnIndex(std::string_view name) const {
  std::optional<int> i = schema_.FieldIndex(name);
  return i ? *i : -1;
}

const Column* Table::FindColumn(std::string_view name) const {
  int i = ColumnIndex(name);
  return i < 0 ? nullptr : &columns_[i];
}

Result<const Column*> Table::GetColumn(std::string_view name) const {
  const Column* c = FindColumn(name);
  if (c == nullptr) {
    std::string names;
    for (const Field& f : schema_.fields()) names += (names.empty() ? "" : ", ") + f.name;
    return Status::NotFound("no column '" + std::string(name) + "' (columns: " + names + ")");
  }
  return c;
}

Status Table::AddColumn(Field field, Column column) {
  std::string what = "add column '" + field.name + "': ";
  if (field.type != column.type()) {
    return Status::InvalidArgument(what + "field type " + std::string(DataTypeName(field.type)) +
                                   " but column type " + std::string(DataTypeName(column.type())));
  }
  if (!columns_.empty() && column.size() != num_rows()) {
    return Status::InvalidArgument(what + std::to_string(column.size()) + " rows, table has " +
                                   std::to_string(num_rows()));
  }
  RETURN_IF_ERROR(schema_.AddField(std::move(field)));
  columns_.push_back(std::move(column));
  return Status::Ok();
}

Status Table::ReplaceColumn(int i, Field field, Column column) {
  std::string what = "replace column '" + field.name + "': ";
  if (i < 0 || i >= num_columns())
    return Status::InvalidArgument(what + "no column " + std::to_string(i));
  if (field.type != column.type()) {
    return Status::InvalidArgument(what + "field type " + std::string(DataTypeName(field.type)) +
                                   " but column type " + std::string(DataTypeName(column.type())));
  }
  if (column.size() != columns_[i].size()) {
    return Status::InvalidArgument(what + std::to_string(column.size()) + " rows, table has " +
                                   std::to_string(num_rows()));
  }
  int existing = ColumnIndex(field.name);
  if (existing >= 0 && existing != i) {
    return Status::InvalidArgument(what + "another column has that name");
  }
  std::vector<Field> fields = schema_.fields();
  fields[i] = std::move(field);
  schema_ = Schema(std::move(fields));
  columns_[i] = std::move(column);
  return Status::Ok();
}

Result<Table> Table::Select(const std::vector<std::string>& names) const {
  Table out;
  for (const std::string& name : names) {
    int i = ColumnIndex(name);
    if (i < 0) {
      ASSIGN_OR_RETURN(const Column* missing, GetColumn(name));
      (void)missing;
    }
    RETURN_IF_ERROR(out.AddColumn(schema_.field(i), columns_[i]));
  }
  return out;
}

Table Table::Take(std::span<const int64_t> rows) const {
  Table out;
  out.schema_ = schema_;
  out.columns_.reserve(columns_.size());
  for (const Column& c : columns_) out.columns_.push_back(c.Take(rows));
  return out;
}

Result<Table> Table::Filter(std::span<const uint8_t> mask) const {
  if (static_cast<int64_t>(mask.size()) != num_rows()) {
    return Status::InvalidArgument("filter: mask has " + std::to_string(mask.size()) +
                                   " entries, table has " + std::to_string(num_rows()) + " rows");
  }
  std::vector<int64_t> rows;
  for (size_t i = 0; i < mask.size(); ++i) {
    if (mask[i]) rows.push_back(static_cast<int64_t>(i));
  }
  return Take(rows);
}

Table Table::Slice(int64_t begin, int64_t length) const {
  begin = std::clamp<int64_t>(begin, 0, num_rows());
  length = std::clamp<int64_t>(length, 0, num_rows() - begin);
  Table out;
  out.schema_ = schema_;
  for (const Column& c : columns_) out.columns_.push_back(c.Slice(begin, length));
  return out;
}

Status Table::Append(const Table& other) {
  if (columns_.empty() && schema_.empty()) {
    *this = other;
    return Status::Ok();
  }
  if (other.columns_.size() != columns_.size()) {
    return Status::InvalidArgument("append table: " + std::to_string(other.columns_.size()) +
                                   " columns, expected " + std::to_string(columns_.size()));
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Field& a = schema_.fields()[i];
    const Field& b = other.schema_.fields()[i];
    if (a.name != b.name || a.type != b.type) {
      return Status::InvalidArgument("append table: column " + std::to_string(i + 1) + " is " +
                                     b.name + ":" + std::string(DataTypeName(b.type)) +
                                     ", expected " + a.name + ":" +
                                     std::string(DataTypeName(a.type)));
    }
  }
  for (size_t i = 0; i < columns_.size(); ++i)
    RETURN_IF_ERROR(columns_[i].Append(other.columns_[i]));
  return Status::Ok();
}

Result<Table> Table::Concatenate(std::vector<Table> chunks) {
  if (chunks.empty()) return Table();
  int64_t rows = 0;
  for (const Table& t : chunks) rows += t.num_rows();
  Table out = std::move(chunks[0]);
  if (chunks.size() > 1) out.Reserve(rows);
  for (size_t i = 1; i < chunks.size(); ++i) {
    RETURN_IF_ERROR(out.Append(chunks[i]));
    chunks[i] = Table();
  }
  return out;
}

void Table::Reserve(int64_t rows, double string_bytes_per_row) {
  for (Column& c : columns_) {
    int64_t bytes = static_cast<int64_t>(string_bytes_per_row * static_cast<double>(rows));
    if (c.type() == DataType::kString) bytes = std::max<int64_t>(bytes, c.string_bytes());
    c.Reserve(rows, bytes);
  }
}

bool Table::Equals(const Table& other) const {
  if (!(schema_ == other.schema_) || columns_.size() != other.columns_.size()) return false;
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (!columns_[i].Equals(other.columns_[i])) return false;
  }
  return true;
}

std::string Table::ToString(int64_t max_rows) const {
  std::string out = schema_.ToString() + "\n";
  int64_t n = std::min(num_rows(), max_rows);
  for (int64_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) out += " | ";
      out += columns_[c].ValueToString(r);
    }
    out += '\n';
  }
  if (n < num_rows()) out += "... (" + std::to_string(num_rows()) + " rows)\n";
  return out;
}

}  // namespace ch
