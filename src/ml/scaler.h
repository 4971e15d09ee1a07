// StandardScaler: per-feature centring and scaling, stored as scikit-learn names it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codecs/json.h"
#include "core/status.h"
#include "ml/matrix.h"

namespace ch::ml {

// z = (x - mean_) / scale_ per feature, as sklearn.preprocessing.StandardScaler
// (with_mean and with_std true): var_ is the population variance (ddof 0)
// over the non-missing values, scale_ = sqrt(var_) with 0 replaced by 1, and
// NaN passes through. A value type; const methods are thread-safe.
class StandardScaler {
 public:
  // Fits on every column of `x`. InvalidArgument for an empty matrix.
  static Result<StandardScaler> Fit(const DenseMatrix& x);

  // Scales `x` in place. InvalidArgument unless its feature names (or, when
  // it has none, its column count) match the fitted ones.
  Status Transform(DenseMatrix& x) const;

  // {"mean_": [...], "scale_": [...], "var_": [...], "n_features_in_": n,
  //  "n_samples_seen_": n, "feature_names_in_": [...], "with_mean": true,
  //  "with_std": true}
  Json ToJson() const;
  // Reads ToJson's document (extra keys ignored). InvalidArgument naming the
  // key that is missing, mistyped or of the wrong length.
  static Result<StandardScaler> FromJson(const Json& doc);

  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& scale() const { return scale_; }
  const std::vector<double>& var() const { return var_; }
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  int64_t n_samples_seen() const { return n_samples_seen_; }

 private:
  std::vector<double> mean_, scale_, var_;
  std::vector<std::string> feature_names_;
  int64_t n_samples_seen_ = 0;
};

}  // namespace ch::ml
