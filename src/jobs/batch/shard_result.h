// What one shard (or one unsharded pass) of the batch job produced: its
// output parts with per-location byte ranges, its issues and counts; and the
// JSON form that carries it from a shard to the merge step.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "codecs/json.h"
#include "core/status.h"
#include "jobs/batch/validate.h"

namespace ch::batch {

// The per-location CSV outputs: cleaned climate, health, hospital; features.
inline constexpr int kOutputCount = 4;
std::string_view OutputName(int output);  // "climate", "health", "hospital", "features"
// The header line of each output (with its "\n").
std::string OutputHeader(int output);

// A piece of one output: rows of consecutive locations, stored under `key`.
// A pass that is the whole run stores the final output itself: then the
// object starts with the header (`header_bytes` of it) and has `etag`.
struct Part {
  std::string key;
  uint64_t header_bytes = 0;  // nonzero: the part is the whole output
  std::string etag;           // of the whole output
  uint64_t size = 0;          // bytes of rows (without the header)
  int64_t rows = 0;
  // location_code → (offset in the part, length), ascending by code.
  std::vector<std::pair<std::string, std::pair<uint64_t, uint64_t>>> ranges;
};

struct ShardResult {
  int index = 0;
  int count = 1;
  int32_t max_date = INT32_MIN;
  std::array<std::vector<Part>, kOutputCount> parts;
  std::vector<Issue> issues;
  std::array<int64_t, kFileCount> rows_in{};
  std::array<int64_t, kFileCount> rows_kept{};
  std::array<int64_t, kFileCount> rows_interpolated{};
};

Json IssueToJson(const Issue& issue);
Result<Issue> IssueFromJson(const Json& doc);

// The shard document (parts must be stored, i.e. have keys).
Json ShardToJson(const ShardResult& shard, const std::string& fingerprint);
// Corruption naming `source` for a malformed document.
Result<ShardResult> ShardFromJson(const Json& doc, const std::string& source);

}  // namespace ch::batch
