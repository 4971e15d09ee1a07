// DenseMatrix: row-major float32 features, the input of every model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "table/table.h"

namespace ch::ml {

// Row-major float32 values; NaN marks a missing value (XGBoost's default).
// A value type; not synchronised.
struct DenseMatrix {
  std::vector<float> values;  // rows * cols
  int64_t rows = 0;
  int cols = 0;
  std::vector<std::string> feature_names;  // cols names, in column order

  float at(int64_t r, int c) const { return values[static_cast<size_t>(r) * cols + c]; }
  float& at(int64_t r, int c) { return values[static_cast<size_t>(r) * cols + c]; }
};

// Builds a matrix of `features` (in that order) from `table`: int64, float64,
// date (days) and bool columns convert to float; nulls and non-finite values
// become NaN. NotFound naming the missing feature (and the table's columns);
// InvalidArgument for a string column.
Result<DenseMatrix> MatrixFromTable(const Table& table, const std::vector<std::string>& features);

// The rows of `m` at `rows`, in that order.
DenseMatrix TakeRows(const DenseMatrix& m, const std::vector<int64_t>& rows);

// The names of the numeric (int64/float64) columns of `table`, in order,
// leaving out `exclude`.
std::vector<std::string> NumericColumns(const Table& table,
                                        const std::vector<std::string>& exclude = {});

}  // namespace ch::ml
