// Hand-made processed data and models for the prediction job tests.
#include "predict_fixture.h"

#include <cmath>
#include <tuple>

#include "codecs/csv_writer.h"
#include "codecs/object_io.h"
#include "ml/booster.h"
#include "ml/case_index.h"
#include "ml/case_models.h"
#include "ml/seasonal_profile.h"
#include "services/data/processed_layout.h"
#include "services/models/model_service.h"
#include "table/date.h"

namespace ch::testing {
namespace {

double Noise(uint64_t& state) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return static_cast<double>(state >> 11) / static_cast<double>(1ull << 53);
}

void Defaults(FixtureOptions& o) {
  if (o.last_date == 0) o.last_date = DaysFromCivil(2024, 5, 31);
  if (o.first_date == 0) o.first_date = o.last_date - 3 * 365;
}

double FeatureValue(const std::string& name, int loc, int32_t day, int32_t last, uint64_t& rng,
                    bool extremes) {
  const double doy = 2 * M_PI * ((day % 365) / 365.0);
  if (name == "doy_sin") return std::sin(doy);
  if (name == "doy_cos") return std::cos(doy);
  if (name == "temp_max_c") {
    if (extremes && loc == 0 && day == last) return 46.5;
    return 31 + 6 * std::sin(doy - 1.2) + 2 * Noise(rng);
  }
  if (name == "temp_max_anomaly_c") return extremes && loc == 0 && day == last ? 5.0 : Noise(rng);
  if (name == "bed_occupancy") {
    if (extremes && loc == 1 && last - day < 14) return 0.82 + 0.01 * (13 - (last - day));
    return 0.55 + 0.1 * std::sin(doy) + 0.02 * Noise(rng);
  }
  if (name.ends_with("_cases")) {
    const double base = 4.0 + loc + static_cast<double>(name.size() % 3);
    return std::round(base * (1 + 0.8 * std::sin(doy + loc)) + 3 * Noise(rng));
  }
  return 1.0 + Noise(rng);
}

}  // namespace

Table MakeFeatureTable(const FixtureOptions& options) {
  FixtureOptions o = options;
  Defaults(o);
  Schema schema = services::FeatureSchema();
  Table t(schema);
  uint64_t rng = 42;
  for (size_t l = 0; l < o.locations.size(); ++l) {
    for (int32_t day = o.first_date; day <= o.last_date; ++day) {
      for (int c = 0; c < schema.num_fields(); ++c) {
        const Field& f = schema.field(c);
        Column& col = t.mutable_column(c);
        if (f.name == "location_code") {
          col.AppendString(o.locations[l].code);
        } else if (f.name == "date") {
          col.AppendDate(day);
        } else if (f.type == DataType::kBool) {
          col.AppendBool(false);
        } else {
          col.AppendFloat64(
              FeatureValue(f.name, static_cast<int>(l), day, o.last_date, rng, o.extremes_at_end));
        }
      }
    }
  }
  return t;
}

Status WriteProcessedData(ObjectStore& store, const BucketNames& buckets, const Table& features,
                          const FixtureOptions& options) {
  FixtureOptions o = options;
  Defaults(o);
  for (const std::string& bucket : {buckets.raw, buckets.processed, buckets.models}) {
    ASSIGN_OR_RETURN(bool exists, store.BucketExists(bucket));
    if (!exists) RETURN_IF_ERROR(store.CreateBucket(bucket));
  }
  std::string csv;
  AppendCsvHeader(features.schema(), {}, &csv);
  const uint64_t header_bytes = csv.size();
  Json ranges = Json::object();
  const Column& codes = features.column(features.ColumnIndex("location_code"));
  for (int64_t begin = 0; begin < features.num_rows();) {
    int64_t end = begin;
    while (end < features.num_rows() && codes.String(end) == codes.String(begin)) ++end;
    const uint64_t offset = csv.size();
    AppendCsvRows(features, begin, end, {}, &csv);
    ranges[std::string(codes.String(begin))] = {offset, csv.size() - offset};
    begin = end;
  }
  const std::string features_key = services::ProcessedCsvKey("features", o.last_date);
  ASSIGN_OR_RETURN(ObjectInfo info, store.Put({buckets.processed, features_key, ""}, csv));
  std::string loc_csv =
      "location_code,name,latitude,longitude,population,elevation_m,"
      "state_code,terrain\n";
  for (const FixtureLocation& l : o.locations) {
    loc_csv += l.code + ",Place " + l.code + ",20,78,100000,300," + l.code.substr(0, 2) + "," +
               l.terrain + "\n";
  }
  const std::string locations_key = services::ProcessedCsvKey("locations", o.last_date);
  RETURN_IF_ERROR(store.Put({buckets.processed, locations_key, ""}, loc_csv).status());
  Json manifest{{"format_version", 1},
                {"outputs",
                 {{"features",
                   {{"key", features_key},
                    {"etag", info.etag},
                    {"size", csv.size()},
                    {"header_bytes", header_bytes},
                    {"ranges", ranges}}},
                  {"locations", {{"key", locations_key}}}}}};
  return SaveJson(store, {buckets.processed, std::string(services::kProcessedManifestKey), ""},
                  manifest)
      .status();
}

namespace {

using services::ModelService;

struct TrainingSet {
  std::vector<int64_t> rows;
  std::vector<float> risk_labels;
};

int32_t LastDay(const ml::CaseIndex& idx) {
  int32_t last = INT32_MIN;
  for (size_t l = 0; l < idx.locations().size(); ++l) {
    last = std::max(last, idx.last_day(static_cast<int>(l)));
  }
  return last;
}

Status Publish(ModelService& models, const std::string& name, const std::string& bytes,
               Json metadata) {
  ASSIGN_OR_RETURN(services::ModelRecord record,
                   models.SaveModel(name, bytes, "ubj", std::move(metadata)));
  std::optional<std::string> current;
  ASSIGN_OR_RETURN(auto records, models.ListModels(name));
  for (const auto& r : records) {
    if (r.current) current = r.version;
  }
  return models.SetCurrent(name, record.version, current);
}

Result<std::string> TrainRisk(const Table& features, const std::vector<std::string>& inputs,
                              const ml::SeasonalProfile& profile, const ml::CaseIndex& idx,
                              int rounds) {
  TrainingSet set;
  for (int64_t r = 0; r < idx.rows(); ++r) {
    const int loc = idx.row_location(r);
    const int32_t day = idx.row_day(r);
    int level = ml::SeasonalProfile::Level(idx.FutureSum(loc, day, 14),
                                           profile.At(idx.locations()[loc], day + 1));
    if (level < 0) continue;
    set.rows.push_back(r);
    set.risk_labels.push_back(static_cast<float>(level));
  }
  ASSIGN_OR_RETURN(ml::DenseMatrix x, ml::BuildRiskMatrix(features, inputs, profile, set.rows));
  ml::TrainOptions t;
  t.params = {{"objective", "multi:softprob"}, {"num_class", "4"}, {"max_depth", "3"}};
  t.num_rounds = rounds;
  ASSIGN_OR_RETURN(ml::Booster b, ml::Booster::Train(x, set.risk_labels, t));
  return b.Save(ml::ModelFormat::kUbj);
}

Result<std::string> TrainForecast(const Table& features, const std::vector<std::string>& inputs,
                                  const ml::SeasonalProfile& profile, const ml::CaseIndex& idx,
                                  int rounds) {
  std::vector<int64_t> rows;
  std::vector<float> y;
  for (int64_t r = 0; r < idx.rows(); r += 3) {
    const int loc = idx.row_location(r);
    if (std::isnan(idx.FutureSum(loc, idx.row_day(r), 14))) continue;
    rows.push_back(r);
    for (int h = 1; h <= 14; ++h) {
      y.push_back(static_cast<float>(idx.CasesAt(loc, idx.row_day(r) + h)));
    }
  }
  ASSIGN_OR_RETURN(ml::DenseMatrix x, ml::BuildForecastMatrix(features, inputs, profile, 14, rows));
  ml::TrainOptions t;
  t.params = {{"objective", "reg:squarederror"}, {"max_depth", "3"}};
  t.num_rounds = rounds;
  ASSIGN_OR_RETURN(ml::Booster b, ml::Booster::Train(x, y, t));
  return b.Save(ml::ModelFormat::kUbj);
}

struct TrainedModel {
  std::string name;
  std::string bytes;
  Json metadata;
};

Result<std::vector<TrainedModel>> TrainAll(const Table& features, int rounds) {
  std::vector<TrainedModel> out;
  for (std::string_view d : services::kDiseases) {
    const std::string disease(d);
    const std::vector<std::string> inputs = {disease + "_cases", "temp_max_c", "doy_sin",
                                             "doy_cos"};
    ASSIGN_OR_RETURN(ml::CaseIndex idx, ml::CaseIndex::Build(features, disease + "_cases"));
    ml::SeasonalProfile profile = ml::SeasonalProfile::Fit(idx, LastDay(idx), 14);
    ASSIGN_OR_RETURN(std::string risk, TrainRisk(features, inputs, profile, idx, rounds));
    Json risk_meta{{"input_features", inputs},
                   {"features", ml::RiskFeatureNames(inputs)},
                   {"profile", profile.ToJson()}};
    out.push_back({"risk_" + disease, std::move(risk), std::move(risk_meta)});
    ASSIGN_OR_RETURN(std::string fc, TrainForecast(features, inputs, profile, idx, rounds));
    Json q{{"lower", std::vector<double>(14, -0.4)}, {"upper", std::vector<double>(14, 0.4)}};
    Json fc_meta{{"input_features", inputs},
                 {"features", ml::ForecastFeatureNames(inputs)},
                 {"profile", profile.ToJson()},
                 {"residual_log_quantiles", q},
                 {"interval", 0.8}};
    out.push_back({"forecast_" + disease, std::move(fc), std::move(fc_meta)});
  }
  return out;
}

}  // namespace

// Training dominates the tests' time, so each (table, rounds) is trained once.
Result<std::vector<std::string>> PublishModels(ObjectStore& store, const BucketNames& buckets,
                                               const Table& features, int rounds) {
  static std::vector<std::tuple<Table, int, std::vector<TrainedModel>>> trained;
  const std::vector<TrainedModel>* models_to_save = nullptr;
  for (const auto& [table, r, set] : trained) {
    if (r == rounds && table.Equals(features)) models_to_save = &set;
  }
  if (models_to_save == nullptr) {
    ASSIGN_OR_RETURN(auto set, TrainAll(features, rounds));
    trained.emplace_back(features, rounds, std::move(set));
    models_to_save = &std::get<2>(trained.back());
  }
  ModelService models(store, buckets);
  std::vector<std::string> names;
  for (const TrainedModel& m : *models_to_save) {
    RETURN_IF_ERROR(Publish(models, m.name, m.bytes, m.metadata));
    names.push_back(m.name);
  }
  return names;
}

}  // namespace ch::testing
