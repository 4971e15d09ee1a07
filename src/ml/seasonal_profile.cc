// Fitting, applying and serialising seasonal baselines.
#include "ml/seasonal_profile.h"

#include <algorithm>
#include <cmath>

namespace ch::ml {
namespace {

double Percentile(std::vector<double>& v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Per bucket, the values of buckets b-1..b+1.
std::vector<double> Pooled(const std::vector<std::vector<double>>& by_bucket, int b) {
  std::vector<double> out;
  for (int d = -1; d <= 1; ++d) {
    const auto& v = by_bucket[(b + d + kSeasonBuckets) % kSeasonBuckets];
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

Json FloatArray(const std::vector<SeasonalProfile::Entry>& entries,
                float SeasonalProfile::Entry::*f) {
  Json a = Json::array();
  for (const auto& e : entries) {
    float v = e.*f;
    a.push_back(std::isnan(v) ? Json(nullptr) : Json(v));
  }
  return a;
}

}  // namespace

SeasonalProfile SeasonalProfile::Fit(const CaseIndex& idx, int32_t last_day, int window_days) {
  SeasonalProfile p;
  p.window_days_ = window_days;
  for (size_t loc = 0; loc < idx.locations().size(); ++loc) {
    const int l = static_cast<int>(loc);
    std::vector<std::vector<double>> daily(kSeasonBuckets), sums(kSeasonBuckets);
    const int32_t end = std::min(last_day, idx.last_day(l));
    for (int32_t day = idx.first_day(l); day <= end; ++day) {
      double c = idx.CasesAt(l, day);
      if (!std::isnan(c)) daily[SeasonBucket(day)].push_back(c);
      if (day + window_days <= end) {
        double s = idx.FutureSum(l, day, window_days);
        if (!std::isnan(s)) sums[SeasonBucket(day + 1)].push_back(s);
      }
    }
    std::vector<Entry> entries(kSeasonBuckets);
    for (int b = 0; b < kSeasonBuckets; ++b) {
      std::vector<double> d = Pooled(daily, b);
      double total = 0;
      for (double v : d) total += v;
      entries[b].mean_daily = d.empty() ? NAN : static_cast<float>(total / d.size());
      std::vector<double> s = Pooled(sums, b);
      entries[b].p50 = static_cast<float>(Percentile(s, 0.50));
      entries[b].p80 = static_cast<float>(Percentile(s, 0.80));
      entries[b].p95 = static_cast<float>(Percentile(s, 0.95));
    }
    p.locations_[idx.locations()[loc]] = std::move(entries);
  }
  return p;
}

SeasonalProfile::Entry SeasonalProfile::At(const std::string& location, int32_t day) const {
  auto it = locations_.find(location);
  if (it == locations_.end()) return {};
  return it->second[SeasonBucket(day)];
}

int SeasonalProfile::Level(double sum, const Entry& e) {
  if (std::isnan(sum) || std::isnan(e.p50)) return -1;
  double moderate = e.p50;
  double high = std::max<double>(e.p80, moderate + 1);
  double severe = std::max<double>(e.p95, high + 1);
  if (sum <= moderate) return 0;
  if (sum <= high) return 1;
  if (sum <= severe) return 2;
  return 3;
}

Json SeasonalProfile::ToJson() const {
  Json locations = Json::object();
  for (const auto& [code, entries] : locations_) {
    locations[code] = {{"mean_daily", FloatArray(entries, &Entry::mean_daily)},
                       {"p50", FloatArray(entries, &Entry::p50)},
                       {"p80", FloatArray(entries, &Entry::p80)},
                       {"p95", FloatArray(entries, &Entry::p95)}};
  }
  return {{"window_days", window_days_}, {"buckets", kSeasonBuckets}, {"locations", locations}};
}

Result<SeasonalProfile> SeasonalProfile::FromJson(const Json& doc) {
  if (!doc.is_object() || !doc.contains("locations") || !doc["locations"].is_object() ||
      !doc.contains("window_days") || !doc["window_days"].is_number_integer()) {
    return Status::InvalidArgument("seasonal profile: needs 'window_days' and 'locations'");
  }
  SeasonalProfile p;
  p.window_days_ = doc["window_days"].get<int>();
  for (const auto& [code, loc] : doc["locations"].items()) {
    std::vector<Entry> entries(kSeasonBuckets);
    for (auto [key, field] :
         {std::pair{"mean_daily", &Entry::mean_daily}, std::pair{"p50", &Entry::p50},
          std::pair{"p80", &Entry::p80}, std::pair{"p95", &Entry::p95}}) {
      if (!loc.contains(key) || !loc[key].is_array() || loc[key].size() != kSeasonBuckets) {
        return Status::InvalidArgument("seasonal profile: location '" + code + "' key '" + key +
                                       "' must hold 52 values");
      }
      for (int b = 0; b < kSeasonBuckets; ++b) {
        const Json& v = loc[key][b];
        entries[b].*field = v.is_number() ? v.get<float>() : NAN;
      }
    }
    p.locations_[code] = std::move(entries);
  }
  return p;
}

}  // namespace ch::ml
