// Feature engineering over one location's dense daily arrays.
#include "jobs/batch/features.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <vector>

#include "codecs/number_format.h"
#include "services/data/processed_layout.h"
#include "table/date.h"

namespace ch::batch {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kWindows[] = {7, 14, 28};
constexpr int kLags[] = {7, 14, 21, 28};
constexpr int kNormalHalfWindow = 7;  // days each side of the day of year
constexpr int64_t kTileRows = 128;    // rows per row-major block when formatting

// One location's joined values on a dense calendar [first, first + days).
struct Dense {
  int32_t first = 0;
  int64_t days = 0;
  std::vector<uint8_t> present;
  std::vector<uint8_t> repaired;
  std::vector<std::vector<double>> columns;  // climate, health, hospital value columns

  double At(int col, int64_t i) const { return i < 0 ? kNaN : columns[col][i]; }
};

Dense Join(const CleanSeries* parts[3]) {
  Dense d;
  int32_t lo = INT32_MAX;
  int32_t hi = INT32_MIN;
  int width = 0;
  for (int p = 0; p < 3; ++p) {
    width += parts[p]->width;
    if (parts[p]->dates.empty()) continue;
    lo = std::min(lo, parts[p]->dates.front());
    hi = std::max(hi, parts[p]->dates.back());
  }
  d.columns.resize(width);
  if (lo > hi) return d;
  d.first = lo;
  d.days = static_cast<int64_t>(hi) - lo + 1;
  d.present.assign(d.days, 0);
  d.repaired.assign(d.days, 0);
  for (auto& c : d.columns) c.assign(d.days, kNaN);
  int base = 0;
  for (int p = 0; p < 3; ++p) {
    const CleanSeries& s = *parts[p];
    for (size_t r = 0; r < s.dates.size(); ++r) {
      const int64_t i = s.dates[r] - lo;
      d.present[i] = 1;
      d.repaired[i] |= s.repaired[r];
      for (int c = 0; c < s.width; ++c) d.columns[base + c][i] = s.values[r * s.width + c];
    }
    base += s.width;
  }
  return d;
}

// Rolling sums over `w` days ending at each index; NaN unless all w exist.
std::vector<double> RollingSum(const std::vector<double>& x, int w) {
  std::vector<double> out(x.size(), kNaN);
  double sum = 0;
  int64_t valid = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isnan(x[i])) {
      sum += x[i];
      ++valid;
    }
    if (i >= static_cast<size_t>(w) && !std::isnan(x[i - w])) {
      sum -= x[i - w];
      --valid;
    }
    if (valid == w) out[i] = sum;
  }
  return out;
}

// 1-based day of the year. The year comes from an estimate corrected by
// DaysFromCivil, so no calendar arithmetic is repeated here.
int DayOfYear(int32_t days) {
  int year = 1970 + static_cast<int>(std::floor(days / 365.2425));
  while (DaysFromCivil(year, 1, 1) > days) --year;
  while (DaysFromCivil(year + 1, 1, 1) <= days) ++year;
  return days - DaysFromCivil(year, 1, 1) + 1;
}

// temp_max's day-of-year normal: the mean of the location's temp_max over
// all its days within ±7 days of that day of year (circular, any year).
std::vector<double> TempMaxNormal(const Dense& d, int col, const std::vector<int>& doy) {
  double sum[367] = {};
  int64_t count[367] = {};
  for (int64_t i = 0; i < d.days; ++i) {
    const double v = d.columns[col][i];
    if (std::isnan(v)) continue;
    sum[doy[i]] += v;
    ++count[doy[i]];
  }
  double normal[367];
  for (int day = 1; day <= 366; ++day) {
    double s = 0;
    int64_t c = 0;
    for (int k = -kNormalHalfWindow; k <= kNormalHalfWindow; ++k) {
      const int other = (day - 1 + k + 366) % 366 + 1;
      s += sum[other];
      c += count[other];
    }
    normal[day] = c > 0 ? s / static_cast<double>(c) : kNaN;
  }
  std::vector<double> out(d.days);
  for (int64_t i = 0; i < d.days; ++i) out[i] = normal[doy[i]];
  return out;
}

int ColumnOf(std::string_view name) {
  int base = 0;
  for (services::Dataset ds :
       {services::Dataset::kClimate, services::Dataset::kHealth, services::Dataset::kHospital}) {
    const auto& cols = services::DatasetValueColumns(ds);
    for (size_t c = 0; c < cols.size(); ++c) {
      if (cols[c].name == name) return base + static_cast<int>(c);
    }
    base += static_cast<int>(cols.size());
  }
  return -1;
}

double Ratio(double num, double den) { return den > 0 ? num / den : kNaN; }

}  // namespace

double HeatIndexC(double temp_c, double humidity_pct) {
  if (std::isnan(temp_c) || std::isnan(humidity_pct)) return kNaN;
  const double t = temp_c * 9.0 / 5.0 + 32.0;
  const double rh = humidity_pct;
  double hi = 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094);
  if ((hi + t) / 2.0 >= 80.0) {
    hi = -42.379 + 2.04901523 * t + 10.14333127 * rh - 0.22475541 * t * rh - 0.00683783 * t * t -
         0.05481717 * rh * rh + 0.00122874 * t * t * rh + 0.00085282 * t * rh * rh -
         0.00000199 * t * t * rh * rh;
    if (rh < 13 && t >= 80 && t <= 112) {
      hi -= ((13 - rh) / 4) * std::sqrt((17 - std::abs(t - 95)) / 17);
    } else if (rh > 85 && t >= 80 && t <= 87) {
      hi += ((rh - 85) / 10) * ((87 - t) / 5);
    }
  }
  return (hi - 32.0) * 5.0 / 9.0;
}

int64_t AppendFeatureRows(const std::string& code, const CleanSeries& climate,
                          const CleanSeries& health, const CleanSeries& hospital,
                          std::string* out) {
  const CleanSeries* parts[3] = {&climate, &health, &hospital};
  const Dense d = Join(parts);
  int64_t rows = 0;
  if (d.days == 0) return rows;
  const int ncols = static_cast<int>(d.columns.size());
  std::vector<int> doy(d.days);
  for (int64_t i = 0; i < d.days; ++i) doy[i] = DayOfYear(d.first + static_cast<int32_t>(i));

  // Feature columns in FeatureColumnNames() order after the repaired flag.
  std::vector<std::vector<double>> features;
  std::vector<std::string> rolling = {"rainfall_mm", "temp_mean_c", "humidity_pct"};
  for (std::string_view dz : services::kDiseases) rolling.push_back(std::string(dz) + "_cases");
  for (const std::string& x : rolling) {
    const std::vector<double>& col = d.columns[ColumnOf(x)];
    std::vector<std::vector<double>> sums;
    for (int w : kWindows) sums.push_back(RollingSum(col, w));
    for (int k = 0; k < 3; ++k) {
      std::vector<double> mean = sums[k];
      for (double& v : mean) v /= kWindows[k];
      features.push_back(std::move(mean));
    }
    if (x == "temp_mean_c" || x == "humidity_pct") continue;
    for (auto& s : sums) features.push_back(std::move(s));
  }
  std::vector<std::string> lagged = {"rainfall_mm", "temp_mean_c"};
  for (std::string_view dz : services::kDiseases) lagged.push_back(std::string(dz) + "_cases");
  for (const std::string& x : lagged) {
    const int col = ColumnOf(x);
    for (int lag : kLags) {
      std::vector<double> v(d.days);
      for (int64_t i = 0; i < d.days; ++i) v[i] = d.At(col, i - lag);
      features.push_back(std::move(v));
    }
  }
  const int tmax = ColumnOf("temp_max_c");
  const int hum = ColumnOf("humidity_pct");
  const int beds_occupied = ColumnOf("beds_occupied");
  const int beds_total = ColumnOf("beds_total");
  const int icu_occupied = ColumnOf("icu_beds_occupied");
  const int icu_total = ColumnOf("icu_beds_total");
  const std::vector<double> normal = TempMaxNormal(d, tmax, doy);
  std::vector<double> heat(d.days), anomaly(d.days), beds(d.days), icu(d.days), dsin(d.days),
      dcos(d.days);
  for (int64_t i = 0; i < d.days; ++i) {
    heat[i] = HeatIndexC(d.columns[tmax][i], d.columns[hum][i]);
    anomaly[i] = d.columns[tmax][i] - normal[i];
    beds[i] = Ratio(d.columns[beds_occupied][i], d.columns[beds_total][i]);
    icu[i] = Ratio(d.columns[icu_occupied][i], d.columns[icu_total][i]);
    const double angle = 2 * std::numbers::pi * doy[i] / 365.25;
    dsin[i] = std::sin(angle);
    dcos[i] = std::cos(angle);
  }
  for (auto* v : {&heat, &anomaly, &beds, &icu, &dsin, &dcos}) features.push_back(std::move(*v));

  // The values are column-major and the rows row-major: copying a tile of
  // rows into a small row-major block first reads each column in one run
  // (cache lines in order) instead of touching ~100 columns for every row,
  // which left the formatting loop waiting on memory.
  std::vector<const std::vector<double>*> sources;
  for (const auto& c : d.columns) sources.push_back(&c);
  for (const auto& f : features) sources.push_back(&f);
  const size_t width = sources.size();
  const size_t max_row = code.size() + 32 + width * (kShortestDoubleChars + 1) + 8;
  std::vector<double> tile(kTileRows * width);
  auto text = std::make_unique_for_overwrite<char[]>(kTileRows * max_row);
  std::string date;
  for (int64_t i0 = 0; i0 < d.days; i0 += kTileRows) {
    const int64_t n = std::min<int64_t>(kTileRows, d.days - i0);
    for (size_t c = 0; c < width; ++c) {
      const double* src = sources[c]->data() + i0;
      for (int64_t r = 0; r < n; ++r) tile[r * width + c] = src[r];
    }
    char* p = text.get();
    for (int64_t r = 0; r < n; ++r) {
      const int64_t i = i0 + r;
      if (!d.present[i]) continue;
      const double* row = tile.data() + r * width;
      p = std::copy_n(code.data(), code.size(), p);
      *p++ = ',';
      date.clear();
      AppendIsoDate(d.first + static_cast<int32_t>(i), &date);
      p = std::copy_n(date.data(), date.size(), p);
      for (int c = 0; c < ncols; ++c) {
        *p++ = ',';
        p = WriteShortest(row[c], p);
      }
      const std::string_view repaired = d.repaired[i] ? ",true" : ",false";
      p = std::copy_n(repaired.data(), repaired.size(), p);
      for (size_t c = ncols; c < width; ++c) {
        *p++ = ',';
        p = WriteRounded(row[c], 4, p);
      }
      *p++ = '\n';
      ++rows;
    }
    if (i0 == 0) {
      // Room for the whole location at the first tile's bytes per day (+5%),
      // so the string grows once.
      const auto per_day = static_cast<double>(p - text.get()) / static_cast<double>(n);
      out->reserve(out->size() + static_cast<size_t>(per_day * static_cast<double>(d.days) * 1.05));
    }
    out->append(text.get(), p);
  }
  return rows;
}

}  // namespace ch::batch
