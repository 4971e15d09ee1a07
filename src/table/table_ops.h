// Sorting and grouping of Tables.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "table/table.h"

namespace ch {

// One sort criterion. Nulls sort after all values (before them if nulls_first).
// Floats order by value; NaN sorts after every number and before null.
struct SortKey {
  std::string column;
  bool ascending = true;
  bool nulls_first = false;
};

// Row indices that put `table` in order by `keys` (first key most
// significant). Stable: rows that compare equal keep their relative order.
// NotFound for an unknown column; InvalidArgument for no keys.
Result<std::vector<int64_t>> SortIndices(const Table& table, const std::vector<SortKey>& keys);
// The table's rows reordered by SortIndices.
Result<Table> SortTable(const Table& table, const std::vector<SortKey>& keys);

// The rows sharing one key value; the key is the column value at rows[0].
struct RowGroup {
  std::vector<int64_t> rows;  // ascending
};

// Partitions rows by the value of column `key` (nulls form one group of
// their own). Groups are in order of first appearance. NotFound for an
// unknown column.
Result<std::vector<RowGroup>> GroupRows(const Table& table, std::string_view key);

// One sub-table per group, in GroupRows order.
Result<std::vector<Table>> SplitByKey(const Table& table, std::string_view key);

}  // namespace ch
