// Data handlers: locations, the three datasets (columnar JSON or CSV), and
// the predictions / forecasts / alerts documents.
#include <array>

#include "api/api_service.h"
#include "codecs/csv_writer.h"
#include "table/date.h"

namespace ch::api {
namespace {

constexpr std::array<std::string_view, 5> kDiseases = {"dengue", "malaria", "heat_illness",
                                                       "respiratory", "diarrhoea"};

std::string Param(const HttpRequest& request, std::string_view name) {
  for (const auto& [n, v] : request.query) {
    if (n == name) return v;
  }
  return {};
}

bool HasParam(const HttpRequest& request, std::string_view name) {
  for (const auto& [n, v] : request.query) {
    if (n == name) return true;
  }
  return false;
}

Json CellJson(const Column& column, int64_t row) {
  if (column.IsNull(row)) return nullptr;
  switch (column.type()) {
    case DataType::kInt64:
      return column.Int64(row);
    case DataType::kFloat64:
      return column.Float64(row);
    case DataType::kDate:
      return FormatIsoDate(column.Date(row));
    case DataType::kBool:
      return column.Bool(row);
    case DataType::kString:
      return std::string(column.String(row));
  }
  return nullptr;
}

// {"name": [values...]} for every column except those in `skip`.
Json ColumnsJson(const Table& table, std::string_view skip) {
  Json columns = Json::object();
  for (int c = 0; c < table.num_columns(); ++c) {
    const std::string& name = table.schema().field(c).name;
    if (name == skip) continue;
    Json values = Json::array();
    const Column& column = table.column(c);
    for (int64_t r = 0; r < column.size(); ++r) values.push_back(CellJson(column, r));
    columns[name] = std::move(values);
  }
  return columns;
}

HttpResponse JsonOk(const Json& body) {
  HttpResponse response;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  response.SetHeader("Content-Type", "application/json");
  response.SetHeader("Cache-Control", "no-cache");
  return response;
}

}  // namespace

HttpResponse ApiService::GetLocations(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {})) return *bad;
  Result<Table> table = data_.LoadLocations();
  if (!table.ok()) return ErrorFromStatus(table.status());
  Json rows = Json::array();
  for (int64_t r = 0; r < table->num_rows(); ++r) {
    Json row = Json::object();
    for (int c = 0; c < table->num_columns(); ++c) {
      row[table->schema().field(c).name] = CellJson(table->column(c), r);
    }
    rows.push_back(std::move(row));
  }
  return JsonOk({{"locations", std::move(rows)}});
}

// The location parameter: required or optional, and known.
static std::optional<HttpResponse> CheckLocation(ApiService& service, const std::string& code,
                                                 bool required) {
  if (code.empty()) {
    if (!required) return std::nullopt;
    return service.Error(400, "parameter 'location' is required (a location code such as KA)",
                         "location");
  }
  auto known = service.KnownLocations();
  if (!known.ok()) return service.ErrorFromStatus(known.status());
  if ((*known)->count(code) == 0) {
    return service.Error(400, "unknown location '" + code + "'", "location");
  }
  return std::nullopt;
}

HttpResponse ApiService::GetDataset(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {"location", "start", "end", "format"})) return *bad;
  services::RowFilter filter;
  filter.location_code = Param(request, "location");
  if (auto bad = CheckLocation(*this, filter.location_code, true)) return *bad;
  for (const char* name : {"start", "end"}) {
    if (!HasParam(request, name)) continue;
    std::string text = Param(request, name);
    int32_t days = 0;
    if (!ParseIsoDate(text, &days)) {
      return Error(400, "parameter '" + std::string(name) + "': " + DescribeBadDate(text), name);
    }
    (std::string_view(name) == "start" ? filter.dates.start : filter.dates.end) = days;
  }
  if (filter.dates.start && filter.dates.end && *filter.dates.start > *filter.dates.end) {
    return Error(400,
                 "start " + FormatIsoDate(*filter.dates.start) + " is after end " +
                     FormatIsoDate(*filter.dates.end),
                 "start");
  }
  std::string format = HasParam(request, "format") ? Param(request, "format") : "json";
  if (format != "json" && format != "csv") {
    return Error(400, "parameter 'format' must be json or csv, not '" + format + "'", "format");
  }
  services::Dataset dataset = request.path == "/api/health"     ? services::Dataset::kHealth
                              : request.path == "/api/hospital" ? services::Dataset::kHospital
                                                                : services::Dataset::kClimate;
  Result<Table> table = data_.LoadData(dataset, filter);
  if (!table.ok()) return ErrorFromStatus(table.status());
  if (format == "csv") {
    HttpResponse response;
    response.body = FormatCsv(*table);
    response.SetHeader("Content-Type", "text/csv; charset=utf-8");
    response.SetHeader("Cache-Control", "no-cache");
    return response;
  }
  Json body = {{"location", filter.location_code}, {"start", nullptr}, {"end", nullptr}};
  const Column* dates = table->FindColumn("date");
  if (filter.dates.start) {
    body["start"] = FormatIsoDate(*filter.dates.start);
  } else if (dates && dates->size() > 0) {
    body["start"] = CellJson(*dates, 0);
  }
  if (filter.dates.end) {
    body["end"] = FormatIsoDate(*filter.dates.end);
  } else if (dates && dates->size() > 0) {
    body["end"] = CellJson(*dates, dates->size() - 1);
  }
  body["columns"] = ColumnsJson(*table, "location_code");
  return JsonOk(body);
}

HttpResponse ApiService::GetOutput(const HttpRequest& request, const PathParams& params) {
  if (auto bad = CheckParams(request, {"location", "disease"})) return *bad;
  std::optional<int32_t> date;
  const std::string& date_text = params.at("date");
  if (date_text != "latest") {
    int32_t days = 0;
    if (!ParseIsoDate(date_text, &days)) {
      return Error(400, "date must be YYYY-MM-DD or latest: " + DescribeBadDate(date_text), "date");
    }
    date = days;
  }
  std::string location = Param(request, "location");
  if (auto bad = CheckLocation(*this, location, false)) return *bad;
  std::string disease = Param(request, "disease");
  if (HasParam(request, "disease") &&
      std::find(kDiseases.begin(), kDiseases.end(), disease) == kDiseases.end()) {
    return Error(
        400,
        "unknown disease '" + disease + "' (dengue, malaria, heat_illness, respiratory, diarrhoea)",
        "disease");
  }
  services::OutputKind kind = services::OutputKind::kPredictions;
  std::string rows_field = "predictions";
  if (request.path.starts_with("/api/forecasts/")) {
    kind = services::OutputKind::kForecasts;
    rows_field = "forecasts";
  } else if (request.path.starts_with("/api/alerts/")) {
    kind = services::OutputKind::kAlerts;
    rows_field = "alerts";
  }
  Result<Json> document = data_.LoadOutput(kind, date);
  if (!document.ok()) return ErrorFromStatus(document.status());
  if (!document->is_object())
    return Error(500, "stored " + rows_field + " document is not an object");
  Json& rows = (*document)[rows_field];
  if (rows.is_array() && (!location.empty() || !disease.empty())) {
    Json kept = Json::array();
    for (Json& row : rows) {
      if (!location.empty() && (!row.is_object() || !row.contains("location_code") ||
                                row["location_code"] != location)) {
        continue;
      }
      if (!disease.empty() &&
          (!row.is_object() || !row.contains("disease") || row["disease"] != disease)) {
        continue;
      }
      kept.push_back(std::move(row));
    }
    rows = std::move(kept);
  }
  return JsonOk(*document);
}

}  // namespace ch::api
