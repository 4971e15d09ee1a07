// OpenAPI 3.1 document for the climahealth API (docs/api.md is its overview),
// and the human page at /docs generated from it.
#include "api/openapi.h"

#include "api/api_service.h"

namespace ch::api {
namespace {

Json Ref(const char* name) { return {{"$ref", std::string("#/components/schemas/") + name}}; }
Json Type(const char* type) { return {{"type", type}}; }
Json Nullable(const char* type) { return {{"type", {type, "null"}}}; }
Json Object(Json properties, std::vector<std::string> required) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", required}};
}
Json ArrayOf(Json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
Json Enum(std::vector<std::string> values) { return {{"type", "string"}, {"enum", values}}; }

Json Schemas() {
  Json s;
  s["Error"] =
      Object({{"error", Object({{"code", Enum({"invalid_argument", "not_found", "unavailable",
                                               "unauthorized", "internal"})},
                                {"message", Type("string")},
                                {"parameter", Nullable("string")}},
                               {"code", "message", "parameter"})}},
             {"error"});
  s["Health"] = Object({{"status", Enum({"ok"})}}, {"status"});
  s["Ready"] = Object({{"status", Enum({"ready", "not_ready"})},
                       {"storage", Type("boolean")},
                       {"models", Type("boolean")}},
                      {"status", "storage", "models"});
  s["Location"] = Object({{"location_code", Type("string")},
                          {"name", Type("string")},
                          {"state_code", Nullable("string")},
                          {"latitude", Nullable("number")},
                          {"longitude", Nullable("number")},
                          {"population", Nullable("number")},
                          {"elevation_m", Nullable("number")},
                          {"terrain", Nullable("string")}},
                         {"location_code", "name"});
  s["Locations"] = Object({{"locations", ArrayOf(Ref("Location"))}}, {"locations"});
  s["Series"] =
      Object({{"location", Type("string")},
              {"start", Nullable("string")},
              {"end", Nullable("string")},
              {"columns",
               {{"type", "object"},
                {"description", "One array per column, all of the same length; `date` first."},
                {"additionalProperties", Type("array")}}}},
             {"location", "start", "end", "columns"});
  Json header = {{"kind", Type("string")},
                 {"date", Type("string")},
                 {"generated_at", Type("string")},
                 {"models", {{"type", "object"}, {"additionalProperties", Type("string")}}},
                 {"input", Type("object")}};
  std::vector<std::string> header_required = {"kind", "date", "generated_at", "models"};
  auto with = [&](const char* field, Json rows, std::vector<std::string> extra_required,
                  Json extra = Json::object()) {
    Json props = header;
    props[field] = ArrayOf(std::move(rows));
    for (auto& [k, v] : extra.items()) props[k] = v;
    std::vector<std::string> required = header_required;
    required.push_back(field);
    required.insert(required.end(), extra_required.begin(), extra_required.end());
    return Object(props, required);
  };
  Json levels = Enum({"low", "moderate", "high", "severe"});
  s["Prediction"] = Object({{"location_code", Type("string")},
                            {"disease", Type("string")},
                            {"risk_score", Type("number")},
                            {"risk_level", levels},
                            {"probabilities", Type("object")}},
                           {"location_code", "disease", "risk_score", "risk_level"});
  s["Predictions"] = with("predictions", Ref("Prediction"), {});
  s["ForecastDay"] = Object({{"date", Type("string")},
                             {"expected", Type("number")},
                             {"lower", Type("number")},
                             {"upper", Type("number")}},
                            {"date", "expected", "lower", "upper"});
  s["Forecast"] = Object({{"location_code", Type("string")},
                          {"disease", Type("string")},
                          {"days", ArrayOf(Ref("ForecastDay"))}},
                         {"location_code", "disease", "days"});
  s["Forecasts"] = with("forecasts", Ref("Forecast"), {"horizon_days", "interval"},
                        {{"horizon_days", Type("integer")}, {"interval", Type("number")}});
  s["Alert"] =
      Object({{"id", Type("string")},
              {"location_code", Type("string")},
              {"disease", Nullable("string")},
              {"kind", Enum({"risk_level", "outbreak_threshold", "bed_occupancy", "heat_wave"})},
              {"severity", Enum({"moderate", "high", "severe"})},
              {"message", Type("string")},
              {"value", Nullable("number")},
              {"threshold", Nullable("number")},
              {"first_raised", Nullable("string")}},
             {"id", "location_code", "disease", "kind", "severity", "message"});
  s["Alerts"] = with("alerts", Ref("Alert"), {});
  s["Model"] = Object(
      {{"name", Type("string")},
       {"version", Type("string")},
       {"current", Type("boolean")},
       {"created_at", Nullable("string")},
       {"training_window",
        Object({{"start", Nullable("string")}, {"end", Nullable("string")}}, {"start", "end"})},
       {"metrics", Type("object")},
       {"features", ArrayOf(Type("string"))}},
      {"name", "version", "current", "created_at", "training_window", "metrics", "features"});
  s["Models"] = Object({{"models", ArrayOf(Ref("Model"))}}, {"models"});
  s["BucketStats"] =
      Object({{"logical", Enum({"raw", "processed", "models"})},
              {"name", Type("string")},
              {"objects", Type("integer")},
              {"bytes", Type("integer")},
              {"newest_object",
               {{"type", {"object", "null"}},
                {"properties", {{"key", Type("string")}, {"last_modified", Type("string")}}},
                {"required", {"key", "last_modified"}}}}},
             {"logical", "name", "objects", "bytes", "newest_object"});
  s["StorageStats"] = Object(
      {{"buckets", ArrayOf(Ref("BucketStats"))}, {"newest_prediction_date", Nullable("string")}},
      {"buckets", "newest_prediction_date"});
  s["FileUrl"] =
      Object({{"url", Type("string")}, {"expires_in", Nullable("integer")}}, {"url", "expires_in"});
  Json job_status = Enum({"queued", "running", "succeeded", "failed"});
  s["JobAccepted"] =
      Object({{"id", Type("string")}, {"kind", Type("string")}, {"status", job_status}},
             {"id", "kind", "status"});
  s["Job"] = Object({{"id", Type("string")},
                     {"kind", Type("string")},
                     {"status", job_status},
                     {"started_at", Nullable("string")},
                     {"finished_at", Nullable("string")},
                     {"message", Type("string")}},
                    {"id", "kind", "status", "started_at", "finished_at", "message"});
  return s;
}

Json Param(const char* name, const char* in, bool required, Json schema, const char* description) {
  return {{"name", name},
          {"in", in},
          {"required", required},
          {"schema", std::move(schema)},
          {"description", description}};
}

Json JsonBody(const char* description, const char* schema) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", Ref(schema)}}}}}};
}

Json Responses(const char* ok_schema, const char* ok_description, const std::vector<int>& errors) {
  Json r = {{"200", JsonBody(ok_description, ok_schema)}};
  static const std::map<int, const char*> kText = {
      {304, "Not modified (If-None-Match matched the ETag)"},
      {400, "Invalid parameter; `error.parameter` names it"},
      {401, "Missing or wrong X-API-Key"},
      {404, "No such data"},
      {503, "Storage unavailable (see Retry-After)"}};
  for (int code : errors) {
    r[std::to_string(code)] =
        code == 304 ? Json{{"description", kText.at(code)}} : JsonBody(kText.at(code), "Error");
  }
  return r;
}

Json Get(const char* summary, std::vector<Json> params, Json responses) {
  return {{"get", {{"summary", summary}, {"parameters", params}, {"responses", responses}}}};
}

Json Paths() {
  Json location = Param("location", "query", true, Type("string"), "Location code, e.g. KA");
  Json location_opt = Param("location", "query", false, Type("string"), "Only this location");
  Json start = Param("start", "query", false, {{"type", "string"}, {"format", "date"}},
                     "First day (YYYY-MM-DD), inclusive");
  Json end = Param("end", "query", false, {{"type", "string"}, {"format", "date"}},
                   "Last day (YYYY-MM-DD), inclusive; not before start");
  Json format = Param("format", "query", false, Enum({"json", "csv"}), "json (default) or csv");
  Json date = Param("date", "path", true, Type("string"), "YYYY-MM-DD or latest");
  Json disease = Param("disease", "query", false,
                       Enum({"dengue", "malaria", "heat_illness", "respiratory", "diarrhoea"}),
                       "Only this disease");
  std::vector<int> data_errors = {304, 400, 404, 503};
  Json p;
  p["/health"] = Get("Liveness", {}, Responses("Health", "Alive", {}));
  p["/ready"] = Get("Readiness: storage reachable; whether current models exist", {},
                    Responses("Ready", "Ready", {}));
  p["/ready"]["get"]["responses"]["503"] = JsonBody("Not ready", "Ready");
  p["/api/locations"] =
      Get("Every location", {}, Responses("Locations", "The locations", {304, 400, 404, 503}));
  for (const char* dataset : {"climate", "health", "hospital"}) {
    Json op =
        Get("Cleaned daily rows of one location, columnar (or CSV)", {location, start, end, format},
            Responses("Series", "The rows, one array per column", data_errors));
    op["get"]["responses"]["200"]["content"]["text/csv"] = {{"schema", Type("string")}};
    p[std::string("/api/") + dataset] = op;
  }
  p["/api/predictions/{date}"] = Get("Risk predictions of one run", {date, location_opt, disease},
                                     Responses("Predictions", "risk.json, filtered", data_errors));
  p["/api/forecasts/{date}"] = Get("Case forecasts of one run", {date, location_opt, disease},
                                   Responses("Forecasts", "cases.json, filtered", data_errors));
  p["/api/alerts/{date}"] = Get("Alerts of one run", {date, location_opt, disease},
                                Responses("Alerts", "alerts.json, filtered", data_errors));
  p["/api/models"] = Get("Every model version, newest first", {},
                         Responses("Models", "The models", {304, 400, 503}));
  p["/api/storage/stats"] = Get("Objects and bytes per bucket", {},
                                Responses("StorageStats", "The statistics", {304, 400, 503}));
  Json file =
      Get("Download an object: its bytes (local store) or a 307 to a presigned URL (S3)",
          {Param("bucket", "path", true, Enum({"raw", "processed", "models"}), "Logical bucket"),
           Param("key", "path", true, Type("string"), "Object key; may contain /"),
           Param("redirect", "query", false, Enum({"true", "false"}),
                 "false: answer {url, expires_in} instead of redirecting")},
          Responses("FileUrl", "With redirect=false: where to download", {304, 400, 404, 503}));
  file["get"]["responses"]["200"]["content"]["application/octet-stream"] = {
      {"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}};
  file["get"]["responses"]["307"] = {{"description", "Redirect to a presigned URL (S3)"}};
  p["/api/files/{bucket}/{key}"] = file;
  Json kind = Param("kind", "path", true, Enum({"batch", "train", "predict", "forecast", "alerts"}),
                    "Job kind");
  Json post_responses = {{"202", JsonBody("Queued", "JobAccepted")},
                         {"400", JsonBody("Unknown or unavailable kind, or bad body", "Error")},
                         {"401", JsonBody("Missing or wrong X-API-Key", "Error")},
                         {"413", JsonBody("Request body too large", "Error")}};
  p["/api/jobs/{kind}"] = {
      {"post",
       {{"summary", "Run a job (needs X-API-Key)"},
        {"parameters", {kind}},
        {"security", {{{"ApiKey", Json::array()}}}},
        {"requestBody",
         {{"required", false}, {"content", {{"application/json", {{"schema", Type("object")}}}}}}},
        {"responses", post_responses}}}};
  p["/api/jobs/{id}"] = Get("A job's status", {Param("id", "path", true, Type("string"), "Job id")},
                            Responses("Job", "The job", {400, 404}));
  p["/openapi.json"] = {
      {"get",
       {{"summary", "This document"},
        {"responses",
         {{"200",
           {{"description", "OpenAPI 3.1"},
            {"content", {{"application/json", {{"schema", Type("object")}}}}}}}}}}}};
  p["/docs"] = {{"get",
                 {{"summary", "Human-readable API page"},
                  {"responses",
                   {{"200",
                     {{"description", "HTML"},
                      {"content", {{"text/html", {{"schema", Type("string")}}}}}}}}}}}};
  p["/metrics"] = {{"get",
                    {{"summary", "Prometheus metrics"},
                     {"responses",
                      {{"200",
                        {{"description", "Text exposition format 0.0.4"},
                         {"content", {{"text/plain", {{"schema", Type("string")}}}}}}}}}}}};
  p["/"] = {{"get",
             {{"summary", "The dashboard (static files; unknown paths get index.html)"},
              {"responses",
               {{"200",
                 {{"description", "HTML"},
                  {"content", {{"text/html", {{"schema", Type("string")}}}}}}}}}}}};
  return p;
}

}  // namespace

const Json& OpenApiDocument() {
  static const Json* doc = new Json{
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "climahealth API"},
        {"version", "0.1.0"},
        {"description",
         "Climate-health early warning: data, predictions, forecasts, alerts and models. Errors "
         "share one shape (Error). GET answers carry an ETag and honour If-None-Match; gzip when "
         "accepted."}}},
      {"servers", {{{"url", "/"}}}},
      {"paths", Paths()},
      {"components",
       {{"schemas", Schemas()},
        {"securitySchemes",
         {{"ApiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}}}}}};
  return *doc;
}

HttpResponse ApiService::GetOpenApi(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {})) return *bad;
  HttpResponse response;
  response.body = OpenApiDocument().dump(2);
  response.SetHeader("Content-Type", "application/json");
  return response;
}

namespace {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

HttpResponse ApiService::GetDocs(const HttpRequest& request, const PathParams&) {
  if (auto bad = CheckParams(request, {})) return *bad;
  const Json& doc = OpenApiDocument();
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>climahealth "
      "API</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
      "code{background:#eee;padding:0 .2em}td,th{text-align:left;padding:.2em .6em;"
      "vertical-align:top}</style></head><body><h1>climahealth API</h1><p>" +
      HtmlEscape(doc["info"]["description"].get<std::string>()) +
      "</p><p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI 3.1).</p>";
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      html += "<h2><code>" + HtmlEscape(method) + " " + HtmlEscape(path) + "</code></h2><p>" +
              HtmlEscape(op.value("summary", "")) + "</p>";
      if (op.contains("parameters") && !op["parameters"].empty()) {
        html += "<table><tr><th>parameter</th><th>in</th><th>required</th><th>meaning</th></tr>";
        for (const Json& p : op["parameters"]) {
          html += "<tr><td><code>" + HtmlEscape(p["name"].get<std::string>()) + "</code></td><td>" +
                  HtmlEscape(p["in"].get<std::string>()) + "</td><td>" +
                  (p["required"].get<bool>() ? "yes" : "no") + "</td><td>" +
                  HtmlEscape(p["description"].get<std::string>()) + "</td></tr>";
        }
        html += "</table>";
      }
      html += "<p>Answers: ";
      for (const auto& [code, r] : op["responses"].items()) {
        html += "<code>" + code + "</code> " + HtmlEscape(r.value("description", "")) + "; ";
      }
      html += "</p>";
    }
  }
  html += "</body></html>\n";
  HttpResponse response;
  response.body = std::move(html);
  response.SetHeader("Content-Type", "text/html; charset=utf-8");
  return response;
}

}  // namespace ch::api
