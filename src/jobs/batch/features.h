// The model features of one location (docs/DATA.md, feature table), from its
// cleaned climate, health and hospital rows joined by date.
#pragma once

#include <string>

#include "jobs/batch/clean.h"

namespace ch::batch {

// NOAA heat index (Rothfusz regression with its low/high humidity
// adjustments; the simple Steadman formula below 80 °F), in °C.
double HeatIndexC(double temp_c, double humidity_pct);

// Appends one CSV line per date present in any of the three series (a full
// outer join; absent values are empty), ascending, in FeatureColumnNames()
// order. Rolling means/sums cover the `w` calendar days ending that day and
// are empty unless all `w` values exist; lags are the value `L` days before.
// Features are rounded to 4 decimals. Returns the number of lines appended.
int64_t AppendFeatureRows(const std::string& code, const CleanSeries& climate,
                          const CleanSeries& health, const CleanSeries& hospital, std::string* out);

}  // namespace ch::batch
