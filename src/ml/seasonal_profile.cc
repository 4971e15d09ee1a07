// Fitting, applying and serialising seasonal baselines.
#include "ml/seasonal_profile.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <utility>

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

// A location's entries as the profile stores them: the 52 values of each
// field in kFields order, float32 little-endian (NaN for none), base64. A
// JSON array per field made a model's metadata ~30,000 JSON numbers, whose
// parsing dominated a cold start; one string per location parses at memcpy speed.
constexpr const char* kEncoding = "f32le-base64";
constexpr std::array<std::pair<const char*, float SeasonalProfile::Entry::*>, 4> kFields = {{
    {"mean_daily", &SeasonalProfile::Entry::mean_daily},
    {"p50", &SeasonalProfile::Entry::p50},
    {"p80", &SeasonalProfile::Entry::p80},
    {"p95", &SeasonalProfile::Entry::p95},
}};
constexpr size_t kPackedBytes = kFields.size() * kSeasonBuckets * sizeof(float);

std::string PackEntries(const std::vector<SeasonalProfile::Entry>& entries) {
  std::string raw;
  raw.reserve(kPackedBytes);
  for (const auto& [name, field] : kFields) {
    for (const auto& e : entries) {
      const uint32_t bits = std::bit_cast<uint32_t>(e.*field);
      for (int shift = 0; shift < 32; shift += 8) raw.push_back(static_cast<char>(bits >> shift));
    }
  }
  std::string text(4 * ((raw.size() + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                  reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  return text;
}

Result<std::vector<SeasonalProfile::Entry>> UnpackEntries(const std::string& code,
                                                          const std::string& text) {
  std::string raw(3 * (text.size() / 4), '\0');
  const int n = text.size() == 4 * ((kPackedBytes + 2) / 3)
                    ? EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()))
                    : -1;
  if (n < static_cast<int>(kPackedBytes)) {
    return Status::InvalidArgument("seasonal profile: location '" + code + "' must hold " +
                                   std::to_string(kPackedBytes) + " bytes of " + kEncoding);
  }
  std::vector<SeasonalProfile::Entry> entries(kSeasonBuckets);
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  for (const auto& [name, field] : kFields) {
    for (auto& e : entries) {
      uint32_t bits = 0;
      for (int shift = 0; shift < 32; shift += 8) bits |= static_cast<uint32_t>(*bytes++) << shift;
      e.*field = std::bit_cast<float>(bits);
    }
  }
  return entries;
}

// The earlier form: {"mean_daily": [52 numbers or null], "p50": [...], ...}.
Result<std::vector<SeasonalProfile::Entry>> EntriesFromArrays(const std::string& code,
                                                              const Json& loc) {
  std::vector<SeasonalProfile::Entry> entries(kSeasonBuckets);
  for (const auto& [key, field] : kFields) {
    if (!loc.contains(key) || !loc[key].is_array() || loc[key].size() != kSeasonBuckets) {
      return Status::InvalidArgument("seasonal profile: location '" + code + "' key '" + key +
                                     "' must hold 52 values");
    }
    for (int b = 0; b < kSeasonBuckets; ++b) {
      const Json& v = loc[key][b];
      entries[b].*field = v.is_number() ? v.get<float>() : NAN;
    }
  }
  return entries;
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
  for (const auto& [code, entries] : locations_) locations[code] = PackEntries(entries);
  Json fields = Json::array();
  for (const auto& [name, field] : kFields) fields.push_back(name);
  return {{"window_days", window_days_},
          {"buckets", kSeasonBuckets},
          {"encoding", kEncoding},
          {"fields", fields},
          {"locations", locations}};
}

Result<SeasonalProfile> SeasonalProfile::FromJson(const Json& doc) {
  if (!doc.is_object() || !doc.contains("locations") || !doc["locations"].is_object() ||
      !doc.contains("window_days") || !doc["window_days"].is_number_integer()) {
    return Status::InvalidArgument("seasonal profile: needs 'window_days' and 'locations'");
  }
  const std::string encoding = doc.value("encoding", "");
  if (!encoding.empty() && encoding != kEncoding) {
    return Status::InvalidArgument("seasonal profile: unknown encoding '" + encoding + "' (" +
                                   kEncoding + ")");
  }
  SeasonalProfile p;
  p.window_days_ = doc["window_days"].get<int>();
  for (const auto& [code, loc] : doc["locations"].items()) {
    Result<std::vector<Entry>> entries =
        loc.is_string() && !encoding.empty()
            ? UnpackEntries(code, loc.get_ref<const std::string&>())
            : EntriesFromArrays(code, loc);
    if (!entries.ok()) return entries.status();
    p.locations_[code] = std::move(*entries);
  }
  return p;
}

}  // namespace ch::ml
