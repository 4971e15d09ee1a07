// StandardScaler fit, transform and its scikit-learn-shaped JSON.
#include "ml/scaler.h"

#include <cmath>
#include <limits>

namespace ch::ml {
namespace {

Result<std::vector<double>> ReadVector(const Json& doc, const char* key, size_t n) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) {
    return Status::InvalidArgument(std::string("scaler json: key '") + key +
                                   "' missing or not an array");
  }
  if (it->size() != n) {
    return Status::InvalidArgument(std::string("scaler json: key '") + key + "' has " +
                                   std::to_string(it->size()) + " values, n_features_in_ is " +
                                   std::to_string(n));
  }
  std::vector<double> out;
  for (const Json& v : *it) {
    if (v.is_null()) {  // how nlohmann prints NaN (an all-missing feature)
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    if (!v.is_number()) {
      return Status::InvalidArgument(std::string("scaler json: key '") + key +
                                     "' holds a non-number");
    }
    out.push_back(v.get<double>());
  }
  return out;
}

}  // namespace

Result<StandardScaler> StandardScaler::Fit(const DenseMatrix& x) {
  if (x.rows == 0 || x.cols == 0) return Status::InvalidArgument("scaler fit: empty matrix");
  StandardScaler s;
  s.feature_names_ = x.feature_names;
  s.n_samples_seen_ = x.rows;
  s.mean_.assign(x.cols, 0);
  s.var_.assign(x.cols, 0);
  s.scale_.assign(x.cols, 1);
  for (int c = 0; c < x.cols; ++c) {
    double sum = 0;
    int64_t n = 0;
    for (int64_t r = 0; r < x.rows; ++r) {
      float v = x.at(r, c);
      if (!std::isnan(v)) sum += v, ++n;
    }
    double mean = n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
    double ss = 0;
    for (int64_t r = 0; r < x.rows; ++r) {
      float v = x.at(r, c);
      if (!std::isnan(v)) ss += (v - mean) * (v - mean);
    }
    s.mean_[c] = mean;
    s.var_[c] = n > 0 ? ss / n : std::numeric_limits<double>::quiet_NaN();
    double scale = std::sqrt(s.var_[c]);
    // sklearn treats a scale below 10 * machine epsilon as zero and uses 1.
    s.scale_[c] =
        (std::isnan(scale) || scale < 10 * std::numeric_limits<double>::epsilon()) ? 1.0 : scale;
  }
  return s;
}

Status StandardScaler::Transform(DenseMatrix& x) const {
  bool names_match = x.feature_names.empty() ? x.cols == static_cast<int>(mean_.size())
                                             : x.feature_names == feature_names_;
  if (!names_match) {
    return Status::InvalidArgument("scaler transform: the matrix's features differ from the " +
                                   std::to_string(mean_.size()) + " fitted ones");
  }
  for (int64_t r = 0; r < x.rows; ++r) {
    for (int c = 0; c < x.cols; ++c) {
      float& v = x.at(r, c);
      if (!std::isnan(v)) v = static_cast<float>((v - mean_[c]) / scale_[c]);
    }
  }
  return Status::Ok();
}

Json StandardScaler::ToJson() const {
  Json doc = Json::object();
  doc["mean_"] = mean_;
  doc["scale_"] = scale_;
  doc["var_"] = var_;
  doc["n_features_in_"] = mean_.size();
  doc["n_samples_seen_"] = n_samples_seen_;
  doc["feature_names_in_"] = feature_names_;
  doc["with_mean"] = true;
  doc["with_std"] = true;
  return doc;
}

Result<StandardScaler> StandardScaler::FromJson(const Json& doc) {
  if (!doc.is_object()) return Status::InvalidArgument("scaler json: not an object");
  auto n_it = doc.find("n_features_in_");
  if (n_it == doc.end() || !n_it->is_number_integer() || n_it->get<int64_t>() < 0) {
    return Status::InvalidArgument("scaler json: key 'n_features_in_' missing or not a count");
  }
  const size_t n = n_it->get<size_t>();
  StandardScaler s;
  ASSIGN_OR_RETURN(s.mean_, ReadVector(doc, "mean_", n));
  ASSIGN_OR_RETURN(s.scale_, ReadVector(doc, "scale_", n));
  ASSIGN_OR_RETURN(s.var_, ReadVector(doc, "var_", n));
  auto names = doc.find("feature_names_in_");
  if (names != doc.end()) {
    if (!names->is_array() || names->size() != n) {
      return Status::InvalidArgument("scaler json: key 'feature_names_in_' must list " +
                                     std::to_string(n) + " names");
    }
    for (const Json& name : *names) {
      if (!name.is_string()) {
        return Status::InvalidArgument("scaler json: key 'feature_names_in_' holds a non-string");
      }
      s.feature_names_.push_back(name.get<std::string>());
    }
  }
  auto seen = doc.find("n_samples_seen_");
  if (seen != doc.end() && seen->is_number_integer()) s.n_samples_seen_ = seen->get<int64_t>();
  return s;
}

}  // namespace ch::ml
