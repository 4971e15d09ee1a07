// GenerationReport::ManifestJson: the record of what a run wrote and injected.
#include <nlohmann/json.hpp>

#include "generator/generator.h"

namespace ch::gen {
namespace {

nlohmann::ordered_json FileJson(const FileReport& file) {
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (int k = 0; k < kFaultKindCount; ++k) {
    counts[std::string(FaultKindName(static_cast<FaultKind>(k)))] = file.fault_counts[k];
  }
  return {{"rows", file.rows},
          {"bytes", file.bytes},
          {"line_end", file.line_end == "\r\n" ? "crlf" : "lf"},
          {"fault_counts", std::move(counts)}};
}

nlohmann::ordered_json FaultJson(const FaultRecord& fault) {
  nlohmann::ordered_json out = {{"file", DatasetKey(fault.dataset)},
                                {"line", fault.line},
                                {"kind", FaultKindName(fault.kind)},
                                {"date", fault.date},
                                {"location_code", fault.location_code}};
  if (!fault.column.empty()) {
    out["column"] = fault.column;
    out["value"] = fault.value;
  }
  if (fault.original_line != 0) out["original_line"] = fault.original_line;
  return out;
}

}  // namespace

std::string GenerationReport::ManifestJson() const {
  nlohmann::ordered_json files_json = nlohmann::ordered_json::object();
  for (const FileReport& file : files)
    files_json[std::string(DatasetKey(file.dataset))] = FileJson(file);
  nlohmann::ordered_json faults_json = nlohmann::ordered_json::array();
  for (const FaultRecord& fault : faults) faults_json.push_back(FaultJson(fault));
  nlohmann::ordered_json doc = {
      {"generator", "climahealth generate"},
      {"format_version", 1},
      {"seed", options.seed},
      {"years", options.years},
      {"districts_per_state", options.districts_per_state},
      {"start_date", options.start_date},
      {"end_date", end_date},
      {"days", days},
      {"locations", locations},
      {"dirty", options.dirty},
      {"fault_rate", options.dirty ? options.fault_rate : 0.0},
      {"files", std::move(files_json)},
      {"faults", std::move(faults_json)},
  };
  return doc.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace ch::gen
