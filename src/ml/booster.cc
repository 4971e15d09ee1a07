// The one file that calls XGBoost's C API: handles, errors and formats.
#include "ml/booster.h"

#include <xgboost/c_api.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "core/interrupt.h"

namespace ch::ml {
namespace {

Status XgbError(std::string_view what) {
  return Status::InvalidArgument("xgboost " + std::string(what) + ": " + XGBGetLastError());
}

#define CH_XGB(call, what)                  \
  do {                                      \
    if ((call) != 0) return XgbError(what); \
  } while (false)

// Owns a DMatrixHandle.
class DMatrix {
 public:
  DMatrix() = default;
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  ~DMatrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  DMatrixHandle get() const { return handle_; }

  Status Build(const DenseMatrix& x, std::span<const float> y, std::span<const float> weights) {
    if (x.values.size() != static_cast<size_t>(x.rows) * x.cols) {
      return Status::InvalidArgument("xgboost train: matrix holds " +
                                     std::to_string(x.values.size()) + " values, not rows*cols");
    }
    if (y.size() != static_cast<size_t>(x.rows) ||
        (!weights.empty() && weights.size() != y.size())) {
      return Status::InvalidArgument("xgboost train: " + std::to_string(x.rows) + " rows but " +
                                     std::to_string(y.size()) + " labels and " +
                                     std::to_string(weights.size()) + " weights");
    }
    CH_XGB(XGDMatrixCreateFromMat_omp(x.values.data(), x.rows, x.cols, NAN, &handle_, 2),
           "create matrix");
    CH_XGB(XGDMatrixSetFloatInfo(handle_, "label", y.data(), y.size()), "set labels");
    if (!weights.empty()) {
      CH_XGB(XGDMatrixSetFloatInfo(handle_, "weight", weights.data(), weights.size()),
             "set weights");
    }
    return Status::Ok();
  }

 private:
  DMatrixHandle handle_ = nullptr;
};

// "[3]\tvalid-mlogloss:0.51234" → 0.51234 and whether larger is better.
std::pair<double, bool> ParseEval(const std::string& text) {
  size_t colon = text.rfind(':');
  size_t dash = text.rfind('-', colon);
  std::string metric = text.substr(dash + 1, colon - dash - 1);
  bool maximize = metric.rfind("auc", 0) == 0 || metric.rfind("map", 0) == 0 ||
                  metric.rfind("ndcg", 0) == 0 || metric.rfind("pre", 0) == 0;
  return {std::strtod(text.c_str() + colon + 1, nullptr), maximize};
}

}  // namespace

std::string_view ModelFormatExtension(ModelFormat format) {
  return format == ModelFormat::kJson ? "json" : "ubj";
}

Result<ModelFormat> DetectModelFormat(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  if (i >= bytes.size() || bytes[i] != '{') {
    return Status::InvalidArgument("model bytes are neither XGBoost JSON nor UBJSON");
  }
  if (i + 1 < bytes.size() &&
      (bytes[i + 1] == '"' || std::isspace(static_cast<unsigned char>(bytes[i + 1])) ||
       bytes[i + 1] == '}')) {
    return ModelFormat::kJson;
  }
  return ModelFormat::kUbj;
}

Booster::Booster(void* handle) : handle_(handle) {}

Booster::Booster(Booster&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      num_features_(other.num_features_),
      feature_names_(std::move(other.feature_names_)),
      rounds_(other.rounds_),
      best_iteration_(other.best_iteration_) {}

Booster& Booster::operator=(Booster&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    num_features_ = other.num_features_;
    feature_names_ = std::move(other.feature_names_);
    rounds_ = other.rounds_;
    best_iteration_ = other.best_iteration_;
  }
  return *this;
}

Booster::~Booster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

Status Booster::Refresh() {
  bst_ulong features = 0;
  CH_XGB(XGBoosterGetNumFeature(handle_, &features), "number of features");
  int rounds = 0;
  CH_XGB(XGBoosterBoostedRounds(handle_, &rounds), "boosted rounds");
  num_features_ = static_cast<int>(features);
  rounds_ = rounds;
  bst_ulong count = 0;
  const char** names = nullptr;
  CH_XGB(XGBoosterGetStrFeatureInfo(handle_, "feature_name", &count, &names), "feature names");
  feature_names_.assign(names, names + count);
  return Status::Ok();
}

Status Booster::SetParam(const std::string& name, const std::string& value) {
  CH_XGB(XGBoosterSetParam(handle_, name.c_str(), value.c_str()), "set parameter " + name);
  return Status::Ok();
}

Status Booster::SetFeatureNames(const std::vector<std::string>& names) {
  std::vector<const char*> ptrs;
  ptrs.reserve(names.size());
  for (const std::string& n : names) ptrs.push_back(n.c_str());
  CH_XGB(XGBoosterSetStrFeatureInfo(handle_, "feature_name", ptrs.data(), ptrs.size()),
         "set feature names");
  return Status::Ok();
}

Result<Booster> Booster::Train(const DenseMatrix& x, std::span<const float> y,
                               const TrainOptions& options, std::span<const float> weights,
                               const DenseMatrix* valid_x, std::span<const float> valid_y) {
  DMatrix train;
  RETURN_IF_ERROR(train.Build(x, y, weights));
  DMatrix valid;
  if (valid_x != nullptr) RETURN_IF_ERROR(valid.Build(*valid_x, valid_y, {}));
  DMatrixHandle cache[2] = {train.get(), valid.get()};
  BoosterHandle handle = nullptr;
  CH_XGB(XGBoosterCreate(cache, valid_x != nullptr ? 2 : 1, &handle), "create booster");
  Booster booster(handle);
  std::map<std::string, std::string> params = options.params;
  params.emplace("tree_method", "hist");
  params.emplace("nthread", "2");
  for (const auto& [name, value] : params) RETURN_IF_ERROR(booster.SetParam(name, value));
  if (!x.feature_names.empty()) RETURN_IF_ERROR(booster.SetFeatureNames(x.feature_names));

  double best = 0;
  int best_round = -1;
  for (int round = 0; round < options.num_rounds; ++round) {
    // Polled per round: a round takes milliseconds, a whole training minutes.
    if (Interrupted()) return InterruptedStatus("train round " + std::to_string(round));
    CH_XGB(XGBoosterUpdateOneIter(handle, round, train.get()), "train round");
    if (valid_x == nullptr || options.early_stopping_rounds <= 0) continue;
    const char* names[1] = {"valid"};
    const char* eval = nullptr;
    DMatrixHandle valid_handle[1] = {valid.get()};
    CH_XGB(XGBoosterEvalOneIter(handle, round, valid_handle, names, 1, &eval), "evaluate");
    auto [score, maximize] = ParseEval(eval);
    if (best_round < 0 || (maximize ? score > best : score < best)) {
      best = score;
      best_round = round;
    } else if (round - best_round >= options.early_stopping_rounds) {
      break;
    }
  }
  if (best_round >= 0) {
    BoosterHandle sliced = nullptr;
    CH_XGB(XGBoosterSlice(handle, 0, best_round + 1, 1, &sliced), "keep best rounds");
    booster = Booster(sliced);
    booster.best_iteration_ = best_round;
    if (!x.feature_names.empty()) RETURN_IF_ERROR(booster.SetFeatureNames(x.feature_names));
  }
  RETURN_IF_ERROR(booster.Refresh());
  return booster;
}

Result<Booster> Booster::Load(std::string_view bytes, int nthread) {
  ASSIGN_OR_RETURN(ModelFormat format, DetectModelFormat(bytes));
  (void)format;  // XGBoost detects the format itself; checked here for a clear error.
  BoosterHandle handle = nullptr;
  CH_XGB(XGBoosterCreate(nullptr, 0, &handle), "create booster");
  Booster booster(handle);
  if (XGBoosterLoadModelFromBuffer(handle, bytes.data(), bytes.size()) != 0) {
    return Status::Corruption(std::string("xgboost load model: ") + XGBGetLastError());
  }
  if (nthread > 0) RETURN_IF_ERROR(booster.SetParam("nthread", std::to_string(nthread)));
  RETURN_IF_ERROR(booster.Refresh());
  return booster;
}

Result<std::string> Booster::Save(ModelFormat format) const {
  std::string config =
      std::string(R"({"format": ")") + std::string(ModelFormatExtension(format)) + "\"}";
  bst_ulong len = 0;
  const char* data = nullptr;
  CH_XGB(XGBoosterSaveModelToBuffer(handle_, config.c_str(), &len, &data), "save model");
  return std::string(data, len);
}

Result<Prediction> Booster::Predict(const float* values, int64_t rows, int cols) const {
  if (cols != num_features_) {
    return Status::InvalidArgument("xgboost predict: " + std::to_string(cols) +
                                   " feature columns given, the model has " +
                                   std::to_string(num_features_));
  }
  Prediction out;
  out.rows = rows;
  if (rows == 0) return out;
  char array[160];
  std::snprintf(array, sizeof array,
                R"({"data": [%llu, true], "shape": [%lld, %d], "typestr": "<f4", "version": 3})",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(values)),
                static_cast<long long>(rows), cols);
  static constexpr const char* kConfig =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
      R"( "strict_shape": false, "cache_id": 0, "missing": NaN})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  CH_XGB(XGBoosterPredictFromDense(handle_, array, kConfig, nullptr, &shape, &dim, &result),
         "predict");
  out.outputs = dim >= 2 ? static_cast<int>(shape[1]) : 1;
  out.values.assign(result, result + static_cast<size_t>(rows) * out.outputs);
  return out;
}

}  // namespace ch::ml
