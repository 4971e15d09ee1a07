// The output documents of predict / forecast / alerts (docs/DATA.md, "Output
// documents"): the shared header, alert records, and shard merging.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "codecs/json.h"
#include "core/status.h"
#include "jobs/predict/alert_rules.h"

namespace ch::jobs {

// What every document names: its inputs and the model versions used.
struct DocumentHeader {
  std::string kind;  // "predictions" | "forecasts" | "alerts"
  int32_t date = 0;
  std::map<std::string, std::string> models;  // name -> version
  std::string manifest_key;                   // processed/manifest.json
  std::string manifest_etag;
};

// {"kind", "date", "generated_at" (now, RFC 3339 UTC), "models", "input"}.
Json HeaderJson(const DocumentHeader& header);

// The alert as the document's record ("disease" null for heat and beds; "id" is
// "<date>/<location>/<disease or ->/<kind>", unique within a run).
Json AlertToJson(const Alert& alert);
// Reads an alert record of a stored document dated `date`. InvalidArgument
// naming `where` and the key that is missing or malformed.
Result<Alert> AlertFromJson(const Json& record, int32_t date, const std::string& where);

// The array member of each document kind: "predictions", "forecasts", "alerts".
std::string_view DocumentListKey(std::string_view kind);

// Sorts document records by (location_code, disease, kind), the order of every
// document the jobs write.
void SortDocumentRecords(Json& items);

// Joins shard documents (all of one kind and date) into the final one: the
// lists concatenated and sorted by (location_code, disease, kind), "models"
// united, "shards" dropped. InvalidArgument naming the shard key when the kind,
// date, shard count or input manifest ETag disagree or a shard is missing.
Result<Json> MergeShardDocuments(const std::vector<Json>& shards,
                                 const std::vector<std::string>& keys);

}  // namespace ch::jobs
