// Parsing Lambda events and running the prediction jobs for them.
#include "lambda/job_handler.h"

#include "codecs/json_codec.h"
#include "table/date.h"

namespace ch::lambda {
namespace {

Status Bad(const std::string& key, const std::string& why) {
  return Status::InvalidArgument("event." + key + ": " + why);
}

Status ParseJobs(const Json& job, JobEvent& e) {
  if (job.is_string()) {
    e.jobs.push_back(job.get<std::string>());
  } else if (job.is_array() && !job.empty()) {
    for (const Json& j : job) {
      if (!j.is_string()) return Bad("job", "every entry must be a string");
      e.jobs.push_back(j.get<std::string>());
    }
  } else {
    return Bad("job", "expected \"predict\", \"forecast\", \"alerts\", \"merge\" or a list");
  }
  for (const std::string& j : e.jobs) {
    if (j != "predict" && j != "forecast" && j != "alerts" && j != "merge") {
      return Bad("job", "'" + j + "' is not one of predict, forecast, alerts, merge");
    }
    if (j == "merge" && e.jobs.size() != 1) return Bad("job", "merge runs alone");
  }
  return Status::Ok();
}

Status ParseOptions(const Json& doc, JobEvent& e) {
  if (auto it = doc.find("date"); it != doc.end()) {
    int32_t days = 0;
    if (!it->is_string()) return Bad("date", "expected \"YYYY-MM-DD\"");
    if (!ParseIsoDate(it->get<std::string>(), &days)) {
      return Bad("date", DescribeBadDate(it->get<std::string>()));
    }
    e.options.date = days;
  }
  if (auto it = doc.find("shard"); it != doc.end()) {
    if (!it->is_string()) return Bad("shard", "expected \"i/n\"");
    auto shard = jobs::ParseShard(it->get<std::string>());
    if (!shard.ok()) return Bad("shard", shard.status().message());
    e.options.shard = *shard;
  }
  if (auto it = doc.find("diseases"); it != doc.end()) {
    if (!it->is_array()) return Bad("diseases", "expected a list of disease names");
    for (const Json& d : *it) {
      if (!d.is_string()) return Bad("diseases", "every entry must be a string");
      e.options.diseases.push_back(d.get<std::string>());
    }
  }
  return Status::Ok();
}

Status ParseMerge(const Json& doc, JobEvent& e) {
  auto kind = doc.find("kind");
  if (kind == doc.end() || !kind->is_string()) {
    return Bad("kind", "merge needs \"kind\": predictions, forecasts or alerts");
  }
  e.merge_kind = kind->get<std::string>();
  auto shards = doc.find("shards");
  if (shards == doc.end() || !shards->is_number_integer() || shards->get<int>() < 1) {
    return Bad("shards", "merge needs \"shards\": the shard count (>= 1)");
  }
  e.merge_shards = shards->get<int>();
  return Status::Ok();
}

}  // namespace

Result<JobEvent> ParseJobEvent(std::string_view payload) {
  auto parsed = ParseJson(payload);
  if (!parsed.ok()) return parsed.status().WithContext("event");
  const Json& doc = *parsed;
  if (!doc.is_object()) return Status::InvalidArgument("event: expected a JSON object");
  auto job = doc.find("job");
  if (job == doc.end()) return Bad("job", "missing");
  JobEvent e;
  RETURN_IF_ERROR(ParseJobs(*job, e));
  RETURN_IF_ERROR(ParseOptions(doc, e));
  if (e.jobs.front() == "merge") RETURN_IF_ERROR(ParseMerge(doc, e));
  return e;
}

JobHandler::JobHandler(ObjectStore& store, BucketNames buckets, jobs::ModelCache& cache,
                       jobs::AlertOptions alert_defaults)
    : store_(store), buckets_(std::move(buckets)), cache_(cache), alert_defaults_(alert_defaults) {}

Result<std::string> JobHandler::Handle(const Invocation& invocation) {
  ASSIGN_OR_RETURN(JobEvent event, ParseJobEvent(invocation.payload));
  event.options.cache = &cache_;
  event.options.alerts = alert_defaults_;
  Json results = Json::array();
  if (!event.merge_kind.empty()) {
    ASSIGN_OR_RETURN(jobs::JobResult r, jobs::MergeShards(store_, buckets_, event.merge_kind,
                                                          event.options.date, event.merge_shards));
    results.push_back(r.ToJson());
  }
  for (const std::string& job : event.jobs) {
    if (job == "merge") continue;
    ASSIGN_OR_RETURN(jobs::JobResult r, jobs::RunJob(job, store_, buckets_, event.options));
    results.push_back(r.ToJson());
  }
  return Json{{"results", std::move(results)}}.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Handler JobHandler::AsHandler() {
  return [this](const Invocation& i) { return Handle(i); };
}

}  // namespace ch::lambda
