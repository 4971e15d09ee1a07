// Table columns to a row-major float32 matrix.
#include "ml/matrix.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ch::ml {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

Status FillColumn(const Column& col, const std::string& name, int c, DenseMatrix& m) {
  const int64_t n = m.rows;
  auto put = [&](int64_t r, double v) {
    m.at(r, c) = (col.IsNull(r) || !std::isfinite(v)) ? kMissing : static_cast<float>(v);
  };
  switch (col.type()) {
    case DataType::kFloat64:
      for (int64_t r = 0; r < n; ++r) put(r, col.Float64(r));
      return Status::Ok();
    case DataType::kInt64:
      for (int64_t r = 0; r < n; ++r) put(r, static_cast<double>(col.Int64(r)));
      return Status::Ok();
    case DataType::kDate:
      for (int64_t r = 0; r < n; ++r) put(r, col.Date(r));
      return Status::Ok();
    case DataType::kBool:
      for (int64_t r = 0; r < n; ++r) put(r, col.Bool(r) ? 1.0 : 0.0);
      return Status::Ok();
    case DataType::kString:
      break;
  }
  return Status::InvalidArgument("feature matrix: column '" + name + "' is " +
                                 std::string(DataTypeName(col.type())) + ", not numeric");
}

}  // namespace

Result<DenseMatrix> MatrixFromTable(const Table& table, const std::vector<std::string>& features) {
  DenseMatrix m;
  m.rows = table.num_rows();
  m.cols = static_cast<int>(features.size());
  m.feature_names = features;
  m.values.assign(static_cast<size_t>(m.rows) * m.cols, kMissing);
  for (int c = 0; c < m.cols; ++c) {
    auto col = table.GetColumn(features[c]);
    if (!col.ok()) return col.status().WithContext("feature matrix");
    RETURN_IF_ERROR(FillColumn(**col, features[c], c, m));
  }
  return m;
}

DenseMatrix TakeRows(const DenseMatrix& m, const std::vector<int64_t>& rows) {
  DenseMatrix out;
  out.rows = static_cast<int64_t>(rows.size());
  out.cols = m.cols;
  out.feature_names = m.feature_names;
  out.values.resize(rows.size() * m.cols);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(m.values.begin() + rows[i] * m.cols, m.cols, out.values.begin() + i * m.cols);
  }
  return out;
}

std::vector<std::string> NumericColumns(const Table& table,
                                        const std::vector<std::string>& exclude) {
  std::vector<std::string> names;
  for (const Field& f : table.schema().fields()) {
    if (f.type != DataType::kInt64 && f.type != DataType::kFloat64) continue;
    if (std::find(exclude.begin(), exclude.end(), f.name) != exclude.end()) continue;
    names.push_back(f.name);
  }
  return names;
}

}  // namespace ch::ml
