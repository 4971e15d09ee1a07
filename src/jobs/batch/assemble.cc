// Concatenation of parts into the final objects, the report and the manifest.
#include "jobs/batch/assemble.h"

#include <algorithm>
#include <thread>

#include "codecs/json_codec.h"
#include "jobs/batch/joint_end.h"
#include "jobs/batch/part_source.h"
#include "services/data/processed_layout.h"
#include "table/date.h"

namespace ch::batch {
namespace {

Json InfoJson(const ObjectInfo& info) {
  return {{"key", info.key}, {"etag", info.etag}, {"size", info.size}};
}

// The manifest entry of an output made of `parts` after a header.
Json OutputEntry(const ObjectInfo& info, uint64_t header_bytes,
                 const std::vector<const Part*>& parts) {
  Json ranges = Json::object();
  uint64_t offset = header_bytes;
  int64_t rows = 0;
  for (const Part* p : parts) {
    for (const auto& [code, r] : p->ranges) ranges[code] = {offset + r.first, r.second};
    offset += p->size;
    rows += p->rows;
  }
  Json entry = InfoJson(info);
  entry["rows"] = rows;
  entry["header_bytes"] = header_bytes;
  entry["ranges"] = std::move(ranges);
  return entry;
}

// The part that already is the whole output (a single-pass run), or null.
const Part* WholeOutput(const std::vector<ShardResult>& shards, int output) {
  if (shards.size() != 1 || shards[0].parts[output].size() != 1) return nullptr;
  const Part& part = shards[0].parts[output][0];
  return part.header_bytes > 0 ? &part : nullptr;
}

// Writes one per-location output (or takes the one the pass wrote) and
// returns its manifest entry.
Result<Json> WriteOutput(ObjectStore& store, const std::string& bucket, int output, int32_t date,
                         const std::vector<ShardResult>& shards, JointEnd& end) {
  std::vector<const Part*> parts;
  for (const ShardResult& s : shards) {
    for (const Part& p : s.parts[output]) parts.push_back(&p);
  }
  if (const Part* whole = WholeOutput(shards, output)) {
    ObjectInfo info;
    info.key = whole->key;
    info.etag = whole->etag;
    info.size = whole->header_bytes + whole->size;
    return OutputEntry(info, whole->header_bytes, parts);
  }
  const std::string header = OutputHeader(output);
  const std::string key = services::ProcessedCsvKey(OutputName(output), date);
  PartSource source(store, bucket, header, parts, &end);
  PutOptions put;
  put.content_type = "text/csv";
  Result<ObjectInfo> info = store.PutStream({bucket, key, ""}, source, put);
  if (!info.ok()) {
    end.Fail(info.status());  // the store's own failure: the others must not wait for it
    return info.status();
  }
  return OutputEntry(*info, header.size(), parts);
}

void CountRules(const std::vector<Issue>& issues, BatchSummary* summary) {
  for (const Issue& i : issues) ++summary->rule_counts[i.file][static_cast<int>(i.rule)];
}

Json ReportFiles(const BatchSummary& s) {
  Json files = Json::object();
  for (int f = 0; f < kFileCount; ++f) {
    Json rules = Json::object();
    for (int r = 0; r < kRuleCount; ++r) {
      rules[std::string(RuleName(static_cast<Rule>(r)))] = s.rule_counts[f][r];
    }
    files[std::string(FileKey(f))] = {{"rows_in", s.rows_in[f]},
                                      {"rows_kept", s.rows_kept[f]},
                                      {"rows_rejected", s.Rejected(f)},
                                      {"rows_interpolated", s.rows_interpolated[f]},
                                      {"rows_out", s.rows_kept[f] + s.rows_interpolated[f]},
                                      {"rules", std::move(rules)}};
  }
  return files;
}

Result<ObjectInfo> PutJson(ObjectStore& store, const ObjectRef& ref, const Json& doc) {
  ASSIGN_OR_RETURN(std::string text, FormatJson(doc, 1));
  PutOptions put;
  put.content_type = "application/json";
  return store.Put(ref, text, put);
}

void Announce(const BatchOptions& options, const std::string& key) {
  if (options.progress) options.progress("write", key);
}

}  // namespace

Status NoValidRows() {
  return Status::InvalidArgument(
      "batch: the raw daily files hold no valid row of a known location; nothing written");
}

Json RunInputs::ToJson() const {
  Json list = Json::array();
  for (const ObjectInfo& i : info) list.push_back(InfoJson(i));
  return list;
}

Status Assemble(ObjectStore& store, const BucketNames& buckets,
                const std::vector<ShardResult>& shards, const LocationsResult& locations,
                const RunInputs& inputs, const BatchOptions& options, BatchSummary* summary) {
  int32_t date = INT32_MIN;
  std::vector<Issue> issues = locations.issues;
  summary->rows_in[kLocationsFile] = locations.rows_in;
  summary->rows_kept[kLocationsFile] = locations.rows_out;
  for (const ShardResult& s : shards) {
    date = std::max(date, s.max_date);
    for (int f = 0; f < kFileCount; ++f) {
      summary->rows_in[f] += s.rows_in[f];
      summary->rows_kept[f] += s.rows_kept[f];
      summary->rows_interpolated[f] += s.rows_interpolated[f];
    }
    issues.insert(issues.end(), s.issues.begin(), s.issues.end());
  }
  if (date == INT32_MIN) return NoValidRows();
  std::sort(issues.begin(), issues.end());
  CountRules(issues, summary);
  summary->data_date = FormatIsoDate(date);
  const std::string& bucket = buckets.processed;
  Json outputs = Json::object();
  // The outputs are written side by side: each one's MD5 and copying is
  // serial, and the feature table alone is most of the bytes.
  // They end together (joint_end.h): one failing or interrupted keeps the
  // others from committing.
  std::vector<Result<Json>> entries(kOutputCount, Status::Internal("batch: output not written"));
  int joined = 0;
  for (int o = 0; o < kOutputCount; ++o) {
    if (WholeOutput(shards, o) == nullptr) {
      Announce(options, services::ProcessedCsvKey(OutputName(o), date));
      ++joined;
    }
  }
  JointEnd end(joined);
  {
    std::vector<std::jthread> writers;
    writers.reserve(kOutputCount);
    for (int o = 0; o < kOutputCount; ++o) {
      writers.emplace_back(
          [&, o] { entries[o] = WriteOutput(store, bucket, o, date, shards, end); });
    }
  }
  RETURN_IF_ERROR(end.failure());
  for (int o = 0; o < kOutputCount; ++o) {
    ASSIGN_OR_RETURN(outputs[std::string(OutputName(o))], std::move(entries[o]));
    summary->written.push_back(outputs[std::string(OutputName(o))]["key"]);
  }
  const std::string loc_key = services::ProcessedCsvKey("locations", date);
  ASSIGN_OR_RETURN(ObjectInfo loc_info, store.Put({bucket, loc_key, ""}, locations.csv,
                                                  PutOptions{.content_type = "text/csv"}));
  outputs["locations"] = InfoJson(loc_info);
  outputs["locations"]["rows"] = locations.rows_out;
  summary->written.push_back(loc_key);

  Json issue_list = Json::array();
  for (const Issue& i : issues) issue_list.push_back(IssueToJson(i));
  const Json files = ReportFiles(*summary);
  const Json report = {
      {"data_date", summary->data_date},      {"code_version", std::string(kCodeVersion)},
      {"fingerprint", inputs.fingerprint},    {"inputs", inputs.ToJson()},
      {"max_gap_days", options.max_gap_days}, {"files", files},
      {"issues", std::move(issue_list)}};
  const std::string report_key = services::ValidationKey(date);
  Announce(options, report_key);
  ASSIGN_OR_RETURN(ObjectInfo report_info, PutJson(store, {bucket, report_key, ""}, report));
  outputs["validation"] = InfoJson(report_info);
  summary->written.push_back(report_key);

  const Json manifest = {{"format_version", services::kManifestFormatVersion},
                         {"code_version", std::string(kCodeVersion)},
                         {"fingerprint", inputs.fingerprint},
                         {"data_date", summary->data_date},
                         {"inputs", inputs.ToJson()},
                         {"options", {{"max_gap_days", options.max_gap_days}}},
                         {"outputs", std::move(outputs)},
                         {"files", files}};
  const std::string manifest_key(services::kProcessedManifestKey);
  Announce(options, manifest_key);
  RETURN_IF_ERROR(PutJson(store, {bucket, manifest_key, ""}, manifest).status());
  summary->written.push_back(manifest_key);
  return Status::Ok();
}

}  // namespace ch::batch
