// Booster: an XGBoost model (train, predict, save, load) behind an RAII handle.
//
// Wraps Debian's libxgboost (C API, 1.7). Models are stored in XGBoost's own
// JSON or UBJSON formats, so a model saved by Python's xgboost 1.7 loads here
// and predicts the same, and vice versa.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ml/matrix.h"

namespace ch::ml {

enum class ModelFormat { kUbj, kJson };

// "ubj" / "json": the file extension used for the format.
std::string_view ModelFormatExtension(ModelFormat format);
// The format of serialised model bytes: JSON text starts with '{' followed by
// whitespace or '"'; anything else starting with '{' is UBJSON.
// InvalidArgument for bytes that are neither.
Result<ModelFormat> DetectModelFormat(std::string_view bytes);

struct TrainOptions {
  // XGBoost parameters as strings, e.g. {"objective", "multi:softprob"},
  // {"num_class", "4"}, {"max_depth", "6"}. tree_method defaults to "hist"
  // and nthread to 2 unless given.
  std::map<std::string, std::string> params;
  int num_rounds = 100;
  // With a validation set: stop when its last eval metric has not improved
  // for this many rounds and keep the best rounds only. 0: off.
  int early_stopping_rounds = 0;
};

// Predictions: `rows` rows of `outputs` values (the class probabilities for
// multi:softprob, one value otherwise), row-major.
struct Prediction {
  std::vector<float> values;
  int64_t rows = 0;
  int outputs = 1;

  float at(int64_t r, int k = 0) const { return values[static_cast<size_t>(r) * outputs + k]; }
};

// An XGBoost booster. Movable, not copyable. Predict is safe to call from
// many threads at once (XGBoost keeps per-thread prediction buffers); Train,
// Load and SetParam need exclusive access.
class Booster {
 public:
  Booster(Booster&& other) noexcept;
  Booster& operator=(Booster&& other) noexcept;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster();

  // Trains on `x` with labels `y` (x.rows values) and optional per-row
  // `weights`. `valid_x`/`valid_y` (optional) enable early stopping.
  // InvalidArgument for mismatched sizes or parameters XGBoost rejects.
  static Result<Booster> Train(const DenseMatrix& x, std::span<const float> y,
                               const TrainOptions& options, std::span<const float> weights = {},
                               const DenseMatrix* valid_x = nullptr,
                               std::span<const float> valid_y = {});

  // Loads a model from JSON or UBJSON bytes (detected). Corruption for bytes
  // XGBoost cannot read. `nthread` threads predict (0: XGBoost's default).
  static Result<Booster> Load(std::string_view bytes, int nthread = 2);

  // Serialises the model (the whole learner: trees, objective, base score).
  Result<std::string> Save(ModelFormat format) const;

  // Predicts from a row-major float buffer of rows * cols values (NaN =
  // missing) without building a DMatrix: the fast path for 1..100 rows.
  // InvalidArgument unless cols == num_features().
  Result<Prediction> Predict(const float* values, int64_t rows, int cols) const;
  Result<Prediction> Predict(const DenseMatrix& x) const {
    return Predict(x.values.data(), x.rows, x.cols);
  }

  // Sets one XGBoost parameter (e.g. nthread).
  Status SetParam(const std::string& name, const std::string& value);

  int num_features() const { return num_features_; }
  // The feature names stored in the model (set from the training matrix's
  // names; Python sets them from DMatrix(feature_names=...)); may be empty.
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  int boosted_rounds() const { return rounds_; }
  // The best round found by early stopping, or -1 without it.
  int best_iteration() const { return best_iteration_; }

 private:
  explicit Booster(void* handle);
  Status Refresh();
  Status SetFeatureNames(const std::vector<std::string>& names);

  void* handle_ = nullptr;
  int num_features_ = 0;
  std::vector<std::string> feature_names_;
  int rounds_ = 0;
  int best_iteration_ = -1;
};

}  // namespace ch::ml
