// Per-location cleaning: duplicates resolved, days ordered, short gaps
// interpolated (and flagged); the cleaned rows formatted as CSV.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jobs/batch/validate.h"

namespace ch::batch {

// One location's cleaned daily rows of one dataset, ascending by date.
struct CleanSeries {
  int width = 0;
  std::vector<int32_t> dates;
  std::vector<double> values;     // width per row
  std::vector<uint8_t> repaired;  // 1: interpolated
};

struct CleanStats {
  int64_t kept = 0;          // input rows written
  int64_t interpolated = 0;  // rows added by gap filling
};

// Resolves duplicates (an exact copy is dropped; conflicting copies are all
// rejected), sorts by date and fills each gap of at most `max_gap` days by
// linear interpolation between its neighbours (integer columns rounded);
// longer gaps are reported, not filled. Appends the issues for this location.
CleanSeries CleanLocation(const Series& raw, services::Dataset dataset, const std::string& code,
                          int max_gap, std::vector<Issue>* issues, CleanStats* stats);

// Appends "date,location_code,<values>,repaired" lines (docs/DATA.md).
void AppendCleanedRows(const CleanSeries& series, services::Dataset dataset,
                       const std::string& code, std::string* out);

// Number formatting shared by the outputs: the shortest text that reads back
// to the same double ("-0" as "0"); an integer; a value rounded to
// `decimals` places first. NaN is an empty field. The Write forms fill a
// buffer with kShortestDoubleChars free and return the end.
void AppendShortest(double v, std::string* out);
void AppendInteger(double v, std::string* out);
char* WriteShortest(double v, char* out);
char* WriteRounded(double v, int decimals, char* out);

}  // namespace ch::batch
