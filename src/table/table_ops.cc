// Sorting (stable, multi-key) and hash grouping of Tables.
#include "table/table_ops.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <numeric>
#include <unordered_map>

namespace ch {
namespace {

// -1, 0, 1 ordering of two non-null values of a column.
template <typename T>
int Compare3(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareFloat(double a, double b) {
  bool na = std::isnan(a), nb = std::isnan(b);
  if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  return Compare3(a, b);
}

int CompareValues(const Column& c, int64_t a, int64_t b) {
  switch (c.type()) {
    case DataType::kInt64:
      return Compare3(c.Int64(a), c.Int64(b));
    case DataType::kFloat64:
      return CompareFloat(c.Float64(a), c.Float64(b));
    case DataType::kDate:
      return Compare3(c.Date(a), c.Date(b));
    case DataType::kBool:
      return Compare3(c.Bool(a), c.Bool(b));
    case DataType::kString:
      return c.String(a).compare(c.String(b)) < 0 ? -1 : (c.String(a) == c.String(b) ? 0 : 1);
  }
  return 0;
}

struct BoundKey {
  const Column* column;
  bool ascending;
  bool nulls_first;
};

// Negative if row a sorts before row b under one key.
int CompareRows(const BoundKey& k, int64_t a, int64_t b) {
  bool null_a = k.column->IsNull(a), null_b = k.column->IsNull(b);
  if (null_a || null_b) {
    if (null_a == null_b) return 0;
    return (null_a == k.nulls_first) ? -1 : 1;
  }
  int c = CompareValues(*k.column, a, b);
  return k.ascending ? c : -c;
}

// A hashable identity of one non-null value.
uint64_t ValueBits(const Column& c, int64_t row) {
  switch (c.type()) {
    case DataType::kInt64:
      return static_cast<uint64_t>(c.Int64(row));
    case DataType::kFloat64: {
      double v = c.Float64(row);
      if (v == 0) v = 0;  // -0.0 and 0.0 are one key
      if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
      return std::bit_cast<uint64_t>(v);
    }
    case DataType::kDate:
      return static_cast<uint64_t>(static_cast<int64_t>(c.Date(row)));
    case DataType::kBool:
      return c.Bool(row) ? 1 : 0;
    case DataType::kString:
      break;
  }
  return 0;
}

template <typename Key, typename KeyOf>
std::vector<RowGroup> GroupBy(const Column& c, KeyOf key_of) {
  std::unordered_map<Key, size_t> index;
  std::vector<RowGroup> groups;
  std::optional<size_t> null_group;
  for (int64_t r = 0; r < c.size(); ++r) {
    size_t g;
    if (c.IsNull(r)) {
      if (!null_group) {
        null_group = groups.size();
        groups.emplace_back();
      }
      g = *null_group;
    } else {
      auto [it, inserted] = index.try_emplace(key_of(r), groups.size());
      if (inserted) groups.emplace_back();
      g = it->second;
    }
    groups[g].rows.push_back(r);
  }
  return groups;
}

}  // namespace

Result<std::vector<int64_t>> SortIndices(const Table& table, const std::vector<SortKey>& keys) {
  if (keys.empty()) return Status::InvalidArgument("sort: no sort keys");
  std::vector<BoundKey> bound;
  for (const SortKey& k : keys) {
    ASSIGN_OR_RETURN(const Column* column, table.GetColumn(k.column));
    bound.push_back({column, k.ascending, k.nulls_first});
  }
  std::vector<int64_t> rows(static_cast<size_t>(table.num_rows()));
  std::iota(rows.begin(), rows.end(), 0);
  std::stable_sort(rows.begin(), rows.end(), [&](int64_t a, int64_t b) {
    for (const BoundKey& k : bound) {
      int c = CompareRows(k, a, b);
      if (c != 0) return c < 0;
    }
    return false;
  });
  return rows;
}

Result<Table> SortTable(const Table& table, const std::vector<SortKey>& keys) {
  ASSIGN_OR_RETURN(std::vector<int64_t> rows, SortIndices(table, keys));
  return table.Take(rows);
}

Result<std::vector<RowGroup>> GroupRows(const Table& table, std::string_view key) {
  ASSIGN_OR_RETURN(const Column* c, table.GetColumn(key));
  if (c->type() == DataType::kString) {
    return GroupBy<std::string_view>(*c, [c](int64_t r) { return c->String(r); });
  }
  return GroupBy<uint64_t>(*c, [c](int64_t r) { return ValueBits(*c, r); });
}

Result<std::vector<Table>> SplitByKey(const Table& table, std::string_view key) {
  ASSIGN_OR_RETURN(std::vector<RowGroup> groups, GroupRows(table, key));
  std::vector<Table> out;
  out.reserve(groups.size());
  for (const RowGroup& g : groups) out.push_back(table.Take(g.rows));
  return out;
}

}  // namespace ch
