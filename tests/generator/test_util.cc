// Helpers for the generator tests.
#include "generator/test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace ch::gen::testing {

std::string Generate(const GeneratorOptions& options, Dataset dataset) {
  Result<std::unique_ptr<DatasetSource>> source = OpenDataset(options, dataset);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return "";
  std::string out;
  char buf[1 << 16];
  for (;;) {
    Result<size_t> got = (*source)->Read(buf, sizeof buf);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok() || *got == 0) break;
    out.append(buf, *got);
  }
  return out;
}

size_t Csv::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

Csv ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, field_started = false;
  size_t i = 0;
  auto end_record = [&] {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
    record.clear();
    field.clear();
    field_started = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        i += 2;
      } else if (c == '"') {
        quoted = false;
        ++i;
        const bool at_end = i == text.size() || text[i] == ',' || text[i] == '\n' ||
                            (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
        if (!at_end) ADD_FAILURE() << "text after closing quote at byte " << i;
      } else {
        field.push_back(c);
        ++i;
      }
    } else if (c == '"' && !field_started && field.empty()) {
      quoted = field_started = true;
      ++i;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
      ++i;
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      end_record();
      i += c == '\n' ? 1 : 2;
    } else {
      if (c == '"' || c == '\r') ADD_FAILURE() << "stray quote or CR at byte " << i;
      field.push_back(c);
      field_started = true;
      ++i;
    }
  }
  if (quoted) ADD_FAILURE() << "unterminated quoted field";
  if (field_started || !record.empty()) end_record();
  Csv csv;
  if (records.empty()) return csv;
  csv.header = std::move(records.front());
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != csv.header.size()) {
      ADD_FAILURE() << "record " << r << " has " << records[r].size() << " fields, header has "
                    << csv.header.size();
    }
    csv.rows.push_back(std::move(records[r]));
  }
  return csv;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

Series ColumnSeries(const Csv& csv, std::string_view column) {
  const size_t code = csv.Column("location_code");
  const size_t value = csv.Column(column);
  Series series;
  for (const std::vector<std::string>& row : csv.rows) {
    series[row[code]].push_back(std::strtod(row[value].c_str(), nullptr));
  }
  return series;
}

double Correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = std::min(a.size(), b.size());
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0;
}

}  // namespace ch::gen::testing
