// SeasonalProfile: each location's own same-time-of-year history of one disease,
// the baseline that defines risk levels.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "codecs/json.h"
#include "core/status.h"
#include "ml/case_index.h"

namespace ch::ml {

// Risk levels, in order; a level is an index into this array.
inline constexpr std::array<const char*, 4> kRiskLevels = {"low", "moderate", "high", "severe"};

// For every location and week-of-year bucket b (see SeasonBucket), from the
// history up to a cut-off day:
// - mean_daily: the mean daily count over the days in buckets b-1, b, b+1
//   (circular over the year), all years pooled;
// - p50/p80/p95: percentiles (linear interpolation) of the W-day sums
//   S(t) = cases(t+1) + ... + cases(t+W) over every origin t whose first
//   window day t+1 falls in buckets b-1..b+1 and whose window ends by the
//   cut-off.
// Risk level of a W-day sum S at origin t (bucket of t+1): low if S <= p50,
// moderate if S <= max(p80, p50 + 1), high if S <= max(p95, that + 1),
// severe above (the "+1" keeps levels distinct where counts are mostly 0).
// Immutable once built; thread-safe to read.
class SeasonalProfile {
 public:
  struct Entry {
    float mean_daily = NAN;
    float p50 = NAN, p80 = NAN, p95 = NAN;
  };

  // Fits from the days <= `last_day` of `idx`, windows of `window_days`.
  static SeasonalProfile Fit(const CaseIndex& idx, int32_t last_day, int window_days = 14);

  int window_days() const { return window_days_; }
  // The entry of `location` at the bucket of `day`; all NaN for an unknown location.
  Entry At(const std::string& location, int32_t day) const;
  // The level (index into kRiskLevels) of sum `sum` against `e`; -1 for NaN input.
  static int Level(double sum, const Entry& e);

  // {"window_days": W, "buckets": 52, "encoding": "f32le-base64", "fields":
  //  ["mean_daily", "p50", "p80", "p95"], "locations": {"KA": "<base64 of the
  //  52 values of each field in turn, float32 little-endian, NaN for none>"}}.
  // FromJson also reads the earlier form without "encoding", where each
  // location is {"mean_daily": [52 numbers or null], "p50": [...], ...}.
  Json ToJson() const;
  static Result<SeasonalProfile> FromJson(const Json& doc);

 private:
  int window_days_ = 14;
  std::unordered_map<std::string, std::vector<Entry>> locations_;
};

}  // namespace ch::ml
