// Helpers for the generator tests: generate into memory and parse CSV strictly.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "generator/generator.h"

namespace ch::gen::testing {

// The whole text of one file; fails the test on error.
std::string Generate(const GeneratorOptions& options, Dataset dataset);

// A parsed CSV: header plus rows of fields.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Index of a header column; fails the test if absent.
  size_t Column(std::string_view name) const;
};

// A small, strict RFC 4180 parser (quoted fields with commas, doubled quotes
// and line breaks; "\n" or "\r\n" line ends). Fails the test on malformed
// input or ragged rows.
Csv ParseCsv(std::string_view text);

// The lines of `text` without their line ends ("\r\n" or "\n").
std::vector<std::string> SplitLines(std::string_view text);

// Numeric daily series keyed by location code then day index, for the
// climate or health file of a clean run (one row per location per day).
using Series = std::map<std::string, std::vector<double>>;
Series ColumnSeries(const Csv& csv, std::string_view column);

// Pearson correlation of two equal-length series.
double Correlation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace ch::gen::testing
