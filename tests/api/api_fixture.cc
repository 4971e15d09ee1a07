// The shared API test fixture: store contents, server start-up, HTTP helpers.
#include "api_fixture.h"

#include "codecs/csv_reader.h"
#include "codecs/csv_writer.h"
#include "codecs/object_io.h"
#include "generator/generator.h"
#include "services/data/data_service.h"
#include "services/data/processed_layout.h"
#include "table/date.h"
#include "table/table_ops.h"

namespace ch::api::testing {
namespace {

#define ASSERT_OK_VALUE(lhs, expr)                                                          \
  auto CH_CONCAT(r_, __LINE__) = (expr);                                                    \
  ASSERT_TRUE(CH_CONCAT(r_, __LINE__).ok()) << CH_CONCAT(r_, __LINE__).status().ToString(); \
  lhs = std::move(CH_CONCAT(r_, __LINE__)).value()

// `schema` with the named fields made optional (raw files lack them).
Schema Optional(const Schema& schema, std::initializer_list<std::string_view> names) {
  std::vector<Field> fields = schema.fields();
  for (Field& f : fields) {
    for (std::string_view n : names) {
      if (f.name == n) {
        f.required = false;
        f.nullable = true;
      }
    }
  }
  return Schema(fields);
}

// Writes one cleaned, sorted dataset and returns its manifest entry.
void WriteDataset(ObjectStore& store, const BucketNames& buckets, services::Dataset dataset,
                  int32_t last_day, Json* entry) {
  CsvReadOptions options;
  options.schema = Optional(services::CleanedSchema(dataset), {"repaired"});
  std::string raw_key(services::RawDatasetKey(dataset));
  ASSERT_OK_VALUE(Table raw, LoadCsv(store, {buckets.raw, raw_key, ""}, options));
  ASSERT_OK_VALUE(Table table, SortTable(raw, {{"location_code"}, {"date"}}));
  int repaired = table.ColumnIndex("repaired");
  ASSERT_GE(repaired, 0);
  ASSERT_TRUE(table
                  .ReplaceColumn(repaired, table.schema().field(repaired),
                                 Column::FromBool(std::vector<bool>(table.num_rows(), false)))
                  .ok());
  std::string text;
  AppendCsvHeader(table.schema(), {}, &text);
  uint64_t header_bytes = text.size();
  Json ranges = Json::object();
  const Column& codes = *table.FindColumn("location_code");
  for (int64_t begin = 0; begin < table.num_rows();) {
    int64_t end = begin;
    while (end < table.num_rows() && codes.String(end) == codes.String(begin)) ++end;
    uint64_t offset = text.size();
    AppendCsvRows(table, begin, end, {}, &text);
    ranges[std::string(codes.String(begin))] = {offset, text.size() - offset};
    begin = end;
  }
  std::string key = services::ProcessedCsvKey(services::DatasetName(dataset), last_day);
  ASSERT_OK_VALUE(ObjectInfo info, store.Put({buckets.processed, key, ""}, text));
  *entry = {{"key", key},
            {"etag", info.etag},
            {"size", info.size},
            {"rows", table.num_rows()},
            {"header_bytes", header_bytes},
            {"ranges", ranges}};
}

void WriteLocations(ObjectStore& store, const BucketNames& buckets, int32_t last_day, Json* entry) {
  CsvReadOptions options;
  options.schema = Optional(services::ProcessedLocationsSchema(), {"state_code", "terrain"});
  ASSERT_OK_VALUE(Table table, LoadCsv(store, {buckets.raw, "raw/locations.csv", ""}, options));
  std::vector<std::string_view> codes, terrain;
  const Column& code = *table.FindColumn("location_code");
  for (int64_t r = 0; r < table.num_rows(); ++r) {
    codes.push_back(code.String(r));
    terrain.push_back("plains");
  }
  int state = table.ColumnIndex("state_code");
  int terr = table.ColumnIndex("terrain");
  ASSERT_TRUE(
      table.ReplaceColumn(state, table.schema().field(state), Column::FromStrings(codes)).ok());
  ASSERT_TRUE(
      table.ReplaceColumn(terr, table.schema().field(terr), Column::FromStrings(terrain)).ok());
  std::string key = services::ProcessedCsvKey("locations", last_day);
  ASSERT_OK_VALUE(ObjectInfo info, store.Put({buckets.processed, key, ""}, FormatCsv(table)));
  *entry = {{"key", key}, {"etag", info.etag}, {"size", info.size}};
}

Json Header(const char* kind, int32_t date) {
  return {{"kind", kind},
          {"date", FormatIsoDate(date)},
          {"generated_at", "2015-06-02T06:00:00Z"},
          {"models", {{"risk_dengue", "20150601T000000Z-0000abcd"}}},
          {"input", {{"manifest", "processed/manifest.json"}, {"etag", "x"}}}};
}

void WriteOutputs(services::DataService& data) {
  for (int32_t date : {kFirstRunDate, kLatestRunDate}) {
    Json risk = Header("predictions", date);
    risk["predictions"] = Json::array();
    for (const char* location : {"KA", "MH", "DL"}) {
      for (const char* disease : {"dengue", "malaria"}) {
        risk["predictions"].push_back(
            {{"location_code", location},
             {"disease", disease},
             {"risk_score", date == kLatestRunDate ? 0.7 : 0.2},
             {"risk_level", date == kLatestRunDate ? "high" : "low"},
             {"probabilities", {{"low", 0.1}, {"moderate", 0.2}, {"high", 0.6}, {"severe", 0.1}}}});
      }
    }
    ASSERT_TRUE(data.SavePredictions(date, risk).ok());
  }
  Json cases = Header("forecasts", kLatestRunDate);
  cases["horizon_days"] = 14;
  cases["interval"] = 0.8;
  cases["forecasts"] = Json::array();
  for (const char* location : {"KA", "MH"}) {
    Json days = Json::array();
    for (int d = 1; d <= 14; ++d) {
      days.push_back({{"date", FormatIsoDate(kLatestRunDate + d)},
                      {"expected", 3.5},
                      {"lower", 1.0},
                      {"upper", 6.0}});
    }
    cases["forecasts"].push_back(
        {{"location_code", location}, {"disease", "dengue"}, {"days", days}});
  }
  ASSERT_TRUE(data.SaveForecasts(kLatestRunDate, cases).ok());
  Json alerts = Header("alerts", kLatestRunDate);
  alerts["alerts"] = {{{"id", "a1"},
                       {"location_code", "KA"},
                       {"disease", "dengue"},
                       {"kind", "risk_level"},
                       {"severity", "high"},
                       {"message", "dengue risk high in KA"},
                       {"value", 0.7},
                       {"threshold", 0.5},
                       {"first_raised", "2015-06-02"}},
                      {{"id", "a2"},
                       {"location_code", "DL"},
                       {"disease", nullptr},
                       {"kind", "heat_wave"},
                       {"severity", "severe"},
                       {"message", "heat wave in DL"},
                       {"value", 46.5},
                       {"threshold", 45.0},
                       {"first_raised", "2015-06-01"}}};
  ASSERT_TRUE(data.SaveAlerts(kLatestRunDate, alerts).ok());
}

}  // namespace

void FillStore(ObjectStore& store, const BucketNames& buckets) {
  for (const std::string* b : {&buckets.raw, &buckets.processed, &buckets.models}) {
    ASSERT_TRUE(store.CreateBucket(*b).ok());
  }
  gen::GeneratorOptions options;
  options.seed = 7;
  options.years = 1;
  auto report = gen::GenerateToStore(options, store, buckets.raw);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  int32_t last_day = DaysFromCivil(2015, 12, 31);
  Json manifest = {{"format_version", services::kManifestFormatVersion},
                   {"outputs", Json::object()}};
  for (auto dataset :
       {services::Dataset::kClimate, services::Dataset::kHealth, services::Dataset::kHospital}) {
    Json entry;
    WriteDataset(store, buckets, dataset, last_day, &entry);
    manifest["outputs"][std::string(services::DatasetName(dataset))] = entry;
  }
  WriteLocations(store, buckets, last_day, &manifest["outputs"]["locations"]);
  ASSERT_TRUE(SaveJson(store, {buckets.processed, "processed/manifest.json", ""}, manifest).ok());
  services::DataService data(store, buckets);
  WriteOutputs(data);
}

std::string Answer::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

Json Answer::JsonBody() const {
  Json doc = Json::parse(body, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << "not JSON: " << body.substr(0, 200);
  return doc.is_discarded() ? Json(nullptr) : doc;
}

ApiFixture::Shared* ApiFixture::shared_ = nullptr;

ApiServerOptions ApiFixture::DefaultOptions() {
  ApiServerOptions options;
  options.listener.port = 0;
  options.listener.worker_threads = 8;
  options.api_key_sha256 = {Sha256Hex(kApiKey)};
  options.cors_origins = {"http://dashboard.test"};
  options.response_ttl = std::chrono::milliseconds(200);
  options.file_piece_bytes = 64 << 10;
  options.object_cache.ttl = std::chrono::milliseconds(200);
  options.static_dir = std::filesystem::path(CH_SOURCE_DIR) / "tests/api/testdata/static";
  return options;
}

void ApiFixture::SetUpTestSuite() {
  shared_ = new Shared;
  auto local = LocalStore::Make({shared_->dir.path(), true, false});
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  shared_->local = std::move(*local);
  shared_->store = std::make_unique<obs::MeteredStore>(*shared_->local, shared_->registry);
  FillStore(*shared_->store, shared_->buckets);
  shared_->models = std::make_unique<services::ModelService>(*shared_->store, shared_->buckets);
  Json metadata = {{"features", {"rainfall_mm_sum7", "temp_mean_c_mean7"}},
                   {"training_window", {{"start", "2015-01-01"}, {"end", "2015-05-31"}}},
                   {"metrics", {{"auc", 0.81}}}};
  auto record = shared_->models->SaveModel("risk_dengue", "{\"learner\":{}}", "json", metadata);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  ASSERT_TRUE(shared_->models->SetCurrent("risk_dengue", record->version, std::nullopt).ok());

  ApiServerOptions options = DefaultOptions();
  options.access_log = [](std::string_view line) {
    std::lock_guard<std::mutex> lock(shared_->log_mu);
    shared_->access_log.emplace_back(line);
  };
  JobRegistry jobs;
  jobs["predict"] = [](const Json& params) -> Result<std::string> {
    shared_->jobs_run++;
    if (params.value("fail", false)) return Status::Unavailable("injected failure");
    return std::string("predicted ") + params.value("date", "latest");
  };
  auto* models = shared_->models.get();
  auto server = ApiServer::Start(
      options, *shared_->store, shared_->buckets, shared_->registry,
      [models] { return models->ListModels(); }, std::move(jobs));
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  shared_->server = std::move(*server);
  auto client = net::HttpClient::Make({});
  ASSERT_TRUE(client.ok());
  shared_->client = std::move(*client);
}

void ApiFixture::TearDownTestSuite() {
  delete shared_;
  shared_ = nullptr;
}

void ApiFixture::SetUp() { ASSERT_NE(shared_->server, nullptr); }

std::string ApiFixture::BaseUrl() {
  return "http://127.0.0.1:" + std::to_string(shared_->server->port());
}

Answer ApiFixture::Send(const std::string& method, const std::string& target,
                        std::vector<std::string> headers, std::string body) {
  net::HttpRequest request;
  request.method = method;
  request.url = BaseUrl() + target;
  for (const std::string& h : headers) {
    size_t colon = h.find(':');
    request.headers.emplace_back(h.substr(0, colon), h.substr(colon + 2));
  }
  request.body = body;
  request.timeout = std::chrono::milliseconds(20000);
  auto response = shared_->client->Send(request);
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  if (!response.ok()) return {};
  return {response->status, response->headers, response->body};
}

Answer ApiFixture::Get(const std::string& target, std::vector<std::string> headers) {
  return Send("GET", target, std::move(headers));
}

}  // namespace ch::api::testing
