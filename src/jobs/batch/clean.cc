// Duplicate resolution, ordering and gap filling of one location's rows.
#include "jobs/batch/clean.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "codecs/number_format.h"
#include "services/data/processed_layout.h"
#include "table/date.h"

namespace ch::batch {
namespace {

bool SameValues(const Series& s, int width, int64_t a, int64_t b) {
  return std::equal(s.values.begin() + a * width, s.values.begin() + (a + 1) * width,
                    s.values.begin() + b * width);
}

void AddIssue(std::vector<Issue>* issues, services::Dataset dataset, Rule rule, int64_t line,
              int32_t date, const std::string& code, std::string detail) {
  issues->push_back(Issue{FileOf(dataset), rule, line, date, code, "", std::move(detail)});
}

// Appends `days` rows between rows `a` and `b` of `out` (already holding a
// at its end), linearly interpolated.
void FillGap(CleanSeries* out, const std::vector<services::ValueColumn>& columns, int32_t from,
             const double* a, const double* b, int days) {
  const int w = out->width;
  for (int k = 1; k <= days; ++k) {
    const double t = static_cast<double>(k) / (days + 1);
    out->dates.push_back(from + k);
    out->repaired.push_back(1);
    for (int c = 0; c < w; ++c) {
      double v = a[c] + (b[c] - a[c]) * t;
      v = columns[c].integer ? std::round(v) : std::round(v * 100) / 100;
      out->values.push_back(v);
    }
  }
}

}  // namespace

CleanSeries CleanLocation(const Series& raw, services::Dataset dataset, const std::string& code,
                          int max_gap, std::vector<Issue>* issues, CleanStats* stats) {
  const auto& columns = services::DatasetValueColumns(dataset);
  const int w = static_cast<int>(columns.size());
  const int64_t n = static_cast<int64_t>(raw.dates.size());
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return raw.dates[a] < raw.dates[b]; });
  // Rows that survive duplicate resolution, by date.
  std::vector<int64_t> keep;
  keep.reserve(n);
  for (int64_t i = 0; i < n;) {
    int64_t j = i + 1;
    while (j < n && raw.dates[order[j]] == raw.dates[order[i]]) ++j;
    bool all_same = true;
    for (int64_t k = i + 1; k < j; ++k) all_same &= SameValues(raw, w, order[i], order[k]);
    if (all_same) {
      keep.push_back(order[i]);
      for (int64_t k = i + 1; k < j; ++k) {
        AddIssue(issues, dataset, Rule::kExactDuplicate, raw.lines[order[k]], raw.dates[order[k]],
                 code, "copy of line " + std::to_string(raw.lines[order[i]]));
      }
    } else {
      for (int64_t k = i; k < j; ++k) {
        AddIssue(issues, dataset, Rule::kConflictingDuplicate, raw.lines[order[k]],
                 raw.dates[order[k]], code, std::to_string(j - i) + " rows with this date differ");
      }
    }
    i = j;
  }
  CleanSeries out;
  out.width = w;
  out.dates.reserve(keep.size());
  out.values.reserve(keep.size() * w);
  for (size_t r = 0; r < keep.size(); ++r) {
    const double* row = raw.values.data() + keep[r] * w;
    if (r > 0) {
      const int32_t prev = raw.dates[keep[r - 1]];
      const int gap = raw.dates[keep[r]] - prev - 1;
      if (gap > 0 && gap <= max_gap) {
        const double* before = raw.values.data() + keep[r - 1] * w;
        FillGap(&out, columns, prev, before, row, gap);
        for (int k = 1; k <= gap; ++k) {
          AddIssue(issues, dataset, Rule::kGapInterpolated, 0, prev + k, code,
                   "between " + FormatIsoDate(prev) + " and " + FormatIsoDate(raw.dates[keep[r]]));
        }
        stats->interpolated += gap;
      } else if (gap > max_gap) {
        AddIssue(
            issues, dataset, Rule::kGapLeft, 0, prev + 1, code,
            std::to_string(gap) + " days missing until " + FormatIsoDate(raw.dates[keep[r]] - 1));
      }
    }
    out.dates.push_back(raw.dates[keep[r]]);
    out.repaired.push_back(0);
    out.values.insert(out.values.end(), row, row + w);
  }
  stats->kept += static_cast<int64_t>(keep.size());
  return out;
}

char* WriteShortest(double v, char* out) {
  if (std::isnan(v)) return out;
  if (v == 0) v = 0;  // no "-0"
  return FormatShortest(v, out);
}

char* WriteRounded(double v, int decimals, char* out) {
  static constexpr double kScale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
  if (std::isnan(v)) return out;
  const double scaled = std::round(v * kScale[decimals]);
  // The digits of `scaled` are already the shortest text of the quotient.
  if (std::fabs(scaled) < 1e15) return FormatScaled(static_cast<int64_t>(scaled), decimals, out);
  return WriteShortest(scaled / kScale[decimals], out);
}

void AppendShortest(double v, std::string* out) {
  char buf[kShortestDoubleChars];
  out->append(buf, WriteShortest(v, buf));
}

void AppendInteger(double v, std::string* out) {
  if (std::isnan(v)) return;
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
  out->append(buf, r.ptr);
}

void AppendCleanedRows(const CleanSeries& series, services::Dataset dataset,
                       const std::string& code, std::string* out) {
  const auto& columns = services::DatasetValueColumns(dataset);
  const int w = series.width;
  for (size_t r = 0; r < series.dates.size(); ++r) {
    AppendIsoDate(series.dates[r], out);
    out->push_back(',');
    out->append(code);
    const double* row = series.values.data() + r * w;
    for (int c = 0; c < w; ++c) {
      out->push_back(',');
      if (columns[c].integer) {
        AppendInteger(row[c], out);
      } else {
        AppendShortest(row[c], out);
      }
    }
    out->append(series.repaired[r] ? ",true\n" : ",false\n");
  }
}

}  // namespace ch::batch
