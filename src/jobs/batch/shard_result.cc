// JSON form of a shard's result, and the output headers.
#include "jobs/batch/shard_result.h"

#include "services/data/data_service.h"
#include "services/data/processed_layout.h"
#include "table/date.h"

namespace ch::batch {
namespace {

Json Counts(const std::array<int64_t, kFileCount>& counts) {
  return Json(std::vector<int64_t>(counts.begin(), counts.end()));
}

void ReadCounts(const Json& doc, std::array<int64_t, kFileCount>* counts) {
  for (int f = 0; f < kFileCount; ++f) (*counts)[f] = doc.at(f).get<int64_t>();
}

Result<Rule> RuleFromName(const std::string& name) {
  for (int r = 0; r < kRuleCount; ++r) {
    if (RuleName(static_cast<Rule>(r)) == name) return static_cast<Rule>(r);
  }
  return Status::Corruption("unknown rule '" + name + "'");
}

}  // namespace

std::string_view OutputName(int output) {
  static constexpr std::string_view kNames[kOutputCount] = {"climate", "health", "hospital",
                                                            "features"};
  return kNames[output];
}

std::string OutputHeader(int output) {
  std::vector<std::string> names;
  if (output == 3) {
    names = services::FeatureColumnNames();
  } else {
    const auto dataset = static_cast<services::Dataset>(output);
    const Schema schema = services::CleanedSchema(dataset);
    for (const Field& f : schema.fields()) names.push_back(f.name);
  }
  std::string line;
  for (const std::string& n : names) {
    if (!line.empty()) line.push_back(',');
    line += n;
  }
  return line + "\n";
}

Json IssueToJson(const Issue& issue) {
  Json out = {{"file", std::string(FileKey(issue.file))},
              {"rule", std::string(RuleName(issue.rule))},
              {"action", std::string(RuleAction(issue.rule))}};
  if (issue.line > 0) out["line"] = issue.line;
  if (!issue.location.empty()) out["location_code"] = issue.location;
  if (issue.date != INT32_MIN) out["date"] = FormatIsoDate(issue.date);
  if (!issue.column.empty()) out["column"] = issue.column;
  if (!issue.detail.empty()) out["detail"] = issue.detail;
  return out;
}

Result<Issue> IssueFromJson(const Json& doc) {
  Issue issue;
  const std::string file = doc.at("file").get<std::string>();
  issue.file = -1;
  for (int f = 0; f < kFileCount; ++f) {
    if (FileKey(f) == file) issue.file = f;
  }
  if (issue.file < 0) return Status::Corruption("unknown file '" + file + "'");
  ASSIGN_OR_RETURN(issue.rule, RuleFromName(doc.at("rule").get<std::string>()));
  issue.line = doc.value("line", int64_t{0});
  issue.location = doc.value("location_code", std::string());
  if (doc.contains("date")) {
    if (!ParseIsoDate(doc["date"].get<std::string>(), &issue.date)) {
      return Status::Corruption("bad issue date");
    }
  }
  issue.column = doc.value("column", std::string());
  issue.detail = doc.value("detail", std::string());
  return issue;
}

Json ShardToJson(const ShardResult& shard, const std::string& fingerprint) {
  Json parts = Json::object();
  for (int o = 0; o < kOutputCount; ++o) {
    Json list = Json::array();
    for (const Part& p : shard.parts[o]) {
      Json ranges = Json::array();
      for (const auto& [code, r] : p.ranges) ranges.push_back({code, r.first, r.second});
      list.push_back({{"key", p.key}, {"size", p.size}, {"rows", p.rows}, {"ranges", ranges}});
    }
    parts[std::string(OutputName(o))] = std::move(list);
  }
  Json issues = Json::array();
  for (const Issue& i : shard.issues) issues.push_back(IssueToJson(i));
  return {{"fingerprint", fingerprint},
          {"shard", shard.index},
          {"of", shard.count},
          {"max_date", shard.max_date},
          {"rows_in", Counts(shard.rows_in)},
          {"rows_kept", Counts(shard.rows_kept)},
          {"rows_interpolated", Counts(shard.rows_interpolated)},
          {"parts", std::move(parts)},
          {"issues", std::move(issues)}};
}

Result<ShardResult> ShardFromJson(const Json& doc, const std::string& source) {
  try {
    ShardResult shard;
    shard.index = doc.at("shard").get<int>();
    shard.count = doc.at("of").get<int>();
    shard.max_date = doc.at("max_date").get<int32_t>();
    ReadCounts(doc.at("rows_in"), &shard.rows_in);
    ReadCounts(doc.at("rows_kept"), &shard.rows_kept);
    ReadCounts(doc.at("rows_interpolated"), &shard.rows_interpolated);
    for (int o = 0; o < kOutputCount; ++o) {
      for (const Json& p : doc.at("parts").at(std::string(OutputName(o)))) {
        Part part;
        part.key = p.at("key").get<std::string>();
        part.size = p.at("size").get<uint64_t>();
        part.rows = p.at("rows").get<int64_t>();
        for (const Json& r : p.at("ranges")) {
          part.ranges.push_back(
              {r.at(0).get<std::string>(), {r.at(1).get<uint64_t>(), r.at(2).get<uint64_t>()}});
        }
        shard.parts[o].push_back(std::move(part));
      }
    }
    for (const Json& i : doc.at("issues")) {
      Result<Issue> issue = IssueFromJson(i);
      if (!issue.ok()) return issue.status().WithContext(source);
      shard.issues.push_back(std::move(*issue));
    }
    return shard;
  } catch (const Json::exception& e) {
    return Status::Corruption(source + ": not a batch shard document (" + e.what() + ")");
  }
}

}  // namespace ch::batch
