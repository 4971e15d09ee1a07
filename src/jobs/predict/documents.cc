// Building, reading and merging the prediction jobs' output documents.
#include "jobs/predict/documents.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>
#include <utility>
#include <vector>

#include "table/date.h"

namespace ch::jobs {
namespace {

std::string NowRfc3339() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<const Json*> Member(const Json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) {
    return Status::InvalidArgument(fmt::format("{}: missing key \"{}\"", where, key));
  }
  return &*it;
}

Result<std::string> StringMember(const Json& object, const char* key, const std::string& where) {
  ASSIGN_OR_RETURN(const Json* v, Member(object, key, where));
  if (!v->is_string()) {
    return Status::InvalidArgument(fmt::format("{}: \"{}\" is not a string", where, key));
  }
  return v->get<std::string>();
}

Result<int32_t> DateMember(const Json& object, const char* key, const std::string& where) {
  ASSIGN_OR_RETURN(std::string text, StringMember(object, key, where));
  int32_t days = 0;
  if (!ParseIsoDate(text, &days)) {
    return Status::InvalidArgument(
        fmt::format("{}: \"{}\": {}", where, key, DescribeBadDate(text)));
  }
  return days;
}

std::string SortKey(const Json& record) {
  auto text = [&](const char* key) {
    auto it = record.find(key);
    return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return text("location_code") + '\x1f' + text("disease") + '\x1f' + text("kind");
}

const Json& Field(const Json& doc, const char* key) {
  static const Json kNull;
  if (!doc.is_object()) return kNull;
  auto it = doc.find(key);
  return it == doc.end() ? kNull : *it;
}

int IntField(const Json& doc, const char* key, int fallback) {
  const Json& v = Field(doc, key);
  return v.is_number_integer() ? v.get<int>() : fallback;
}

Status CheckShardHeader(const Json& doc, const Json& first, const std::string& key) {
  for (const char* field : {"kind", "date"}) {
    if (Field(doc, field) != Field(first, field)) {
      return Status::InvalidArgument(
          fmt::format("merge: {} has a different \"{}\" than the first shard", key, field));
    }
  }
  if (Field(doc, "input") != Field(first, "input")) {
    return Status::InvalidArgument(fmt::format(
        "merge: {} was computed from another input manifest than the first shard (re-run it)",
        key));
  }
  return Status::Ok();
}

}  // namespace

Json HeaderJson(const DocumentHeader& h) {
  Json models = Json::object();
  for (const auto& [name, version] : h.models) models[name] = version;
  return Json{{"kind", h.kind},
              {"date", FormatIsoDate(h.date)},
              {"generated_at", NowRfc3339()},
              {"models", models},
              {"input", {{"manifest", h.manifest_key}, {"etag", h.manifest_etag}}}};
}

Json AlertToJson(const Alert& a) {
  Json record{{"id", fmt::format("{}/{}/{}/{}", FormatIsoDate(a.date), a.location_code,
                                 a.disease.empty() ? "-" : a.disease, AlertKindName(a.kind))},
              {"location_code", a.location_code},
              {"disease", a.disease.empty() ? Json() : Json(a.disease)},
              {"kind", AlertKindName(a.kind)},
              {"severity", SeverityName(a.severity)},
              {"message", a.message},
              {"value", a.value},
              {"threshold", a.threshold ? Json(*a.threshold) : Json()},
              {"first_raised", FormatIsoDate(a.first_raised)}};
  return record;
}

Result<Alert> AlertFromJson(const Json& r, int32_t date, const std::string& where) {
  if (!r.is_object()) return Status::InvalidArgument(where + ": alert is not an object");
  Alert a;
  a.date = date;
  ASSIGN_OR_RETURN(a.location_code, StringMember(r, "location_code", where));
  ASSIGN_OR_RETURN(const Json* disease, Member(r, "disease", where));
  if (disease->is_string()) a.disease = disease->get<std::string>();
  ASSIGN_OR_RETURN(std::string kind, StringMember(r, "kind", where));
  ASSIGN_OR_RETURN(a.kind, ParseAlertKind(kind));
  ASSIGN_OR_RETURN(std::string severity, StringMember(r, "severity", where));
  {
    auto parsed = ParseSeverity(severity);
    if (!parsed.ok()) return parsed.status().WithContext(where);
    a.severity = *parsed;
  }
  ASSIGN_OR_RETURN(a.first_raised, DateMember(r, "first_raised", where));
  a.message = r.value("message", std::string());
  auto value = r.find("value");
  if (value != r.end() && value->is_number()) a.value = value->get<double>();
  auto threshold = r.find("threshold");
  if (threshold != r.end() && threshold->is_number()) a.threshold = threshold->get<double>();
  return a;
}

std::string_view DocumentListKey(std::string_view kind) {
  if (kind == "predictions") return "predictions";
  if (kind == "forecasts") return "forecasts";
  return "alerts";
}

// Each key is built once, not once per comparison: a document holds
// thousands of records and this runs on every cold start.
void SortDocumentRecords(Json& items) {
  if (!items.is_array()) return;
  std::vector<std::pair<std::string, size_t>> order;
  order.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) order.emplace_back(SortKey(items[i]), i);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Json sorted = Json::array();
  sorted.get_ref<Json::array_t&>().reserve(order.size());
  for (const auto& [key, i] : order) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

Result<Json> MergeShardDocuments(const std::vector<Json>& shards,
                                 const std::vector<std::string>& keys) {
  if (shards.empty()) return Status::InvalidArgument("merge: no shard documents");
  const Json& first = shards.front();
  const int count = IntField(Field(first, "shard"), "count", 0);
  std::set<int> seen;
  Json merged = first;
  merged.erase("shard");
  const Json& kind = Field(first, "kind");
  const std::string list_key(DocumentListKey(kind.is_string() ? kind.get<std::string>() : ""));
  Json items = Json::array();
  for (size_t i = 0; i < shards.size(); ++i) {
    const Json& doc = shards[i];
    RETURN_IF_ERROR(CheckShardHeader(doc, first, keys[i]));
    const Json& shard = Field(doc, "shard");
    if (IntField(shard, "count", 0) != count || !seen.insert(IntField(shard, "index", -1)).second) {
      return Status::InvalidArgument(fmt::format(
          "merge: {} has a bad or repeated \"shard\" (expected i of {})", keys[i], count));
    }
    const Json& models = Field(doc, "models");
    if (models.is_object()) {
      for (const auto& [name, version] : models.items()) merged["models"][name] = version;
    }
    const Json& list = Field(doc, list_key.c_str());
    if (list.is_array()) {
      for (const Json& item : list) items.push_back(item);
    }
  }
  if (static_cast<int>(seen.size()) != count) {
    return Status::InvalidArgument(fmt::format(
        "merge: {} of {} shards present (run the missing ones first)", seen.size(), count));
  }
  SortDocumentRecords(items);
  merged[list_key] = std::move(items);
  merged["generated_at"] = HeaderJson({}).at("generated_at");
  return merged;
}

}  // namespace ch::jobs
