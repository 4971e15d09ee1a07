// --dirty: every fault kind is injected, the manifest says exactly where, and
// apart from the listed rows the file is the clean file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "generator/calendar.h"
#include "generator/generator.h"
#include "generator/test_util.h"

namespace ch::gen {
namespace {

using testing::Generate;
using testing::SplitLines;

GeneratorOptions Dirty() {
  GeneratorOptions o;
  o.years = 1;
  o.districts_per_state = 2;
  o.seed = 5;
  o.dirty = true;
  o.threads = 2;
  return o;
}

nlohmann::json Manifest(const GeneratorOptions& o) {
  char tmpl[] = "/tmp/gen_dirty_XXXXXX";
  const std::filesystem::path dir = ::mkdtemp(tmpl);
  Result<GenerationReport> report = GenerateToDirectory(o, dir);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  std::ifstream in(dir / "_generator_manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove_all(dir);
  return nlohmann::json::parse(text.str());
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

size_t ColumnIndex(Dataset d, const std::string& name) {
  const auto columns = DatasetColumns(d);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

bool OutOfRange(const std::string& column, double v) {
  if (column == "humidity_pct") return v < 0 || v > 100;
  if (column == "temp_max_c") return v > 60;
  return v < 0;
}

TEST(DirtyTest, EveryFaultKindIsInjectedIntoEveryDailyFileAndCounted) {
  const nlohmann::json manifest = Manifest(Dirty());
  EXPECT_TRUE(manifest["dirty"].get<bool>());
  for (Dataset d : kDailyDatasets) {
    const nlohmann::json& counts = manifest["files"][std::string(DatasetKey(d))]["fault_counts"];
    for (int k = 0; k < kFaultKindCount; ++k) {
      const std::string kind(FaultKindName(static_cast<FaultKind>(k)));
      EXPECT_GE(counts[kind].get<int>(), 1) << DatasetKey(d) << " " << kind;
    }
  }
  std::map<std::string, int> listed;
  for (const auto& fault : manifest["faults"]) {
    ++listed[fault["file"].get<std::string>() + " " + fault["kind"].get<std::string>()];
  }
  for (Dataset d : kDailyDatasets) {
    const nlohmann::json& counts = manifest["files"][std::string(DatasetKey(d))]["fault_counts"];
    for (const auto& [kind, count] : counts.items()) {
      EXPECT_EQ(listed[std::string(DatasetKey(d)) + " " + kind], count.get<int>());
    }
  }
}

TEST(DirtyTest, OnlyTheHealthFileUsesCrlfLineEnds) {
  const GeneratorOptions o = Dirty();
  const std::string health = Generate(o, Dataset::kHealth);
  EXPECT_EQ(health.substr(health.find('\n') - 1, 2), "\r\n");
  size_t lf = std::count(health.begin(), health.end(), '\n');
  EXPECT_EQ(std::count(health.begin(), health.end(), '\r'), static_cast<std::ptrdiff_t>(lf));
  for (Dataset d : {Dataset::kClimate, Dataset::kHospital, Dataset::kLocations}) {
    EXPECT_EQ(Generate(o, d).find('\r'), std::string::npos) << DatasetKey(d);
  }
  const nlohmann::json manifest = Manifest(o);
  EXPECT_EQ(manifest["files"]["raw/health_data.csv"]["line_end"], "crlf");
  EXPECT_EQ(manifest["files"]["raw/climate_data.csv"]["line_end"], "lf");
}

// Checks the manifest's line, kind, column and value against the file.
void CheckFaultAgainstLines(const nlohmann::json& fault, Dataset d,
                            const std::vector<std::string>& lines,
                            const std::set<std::string>& codes) {
  const size_t line = fault["line"].get<size_t>();
  ASSERT_GE(line, 2u);
  ASSERT_LE(line, lines.size());
  const std::string kind = fault["kind"];
  const std::vector<std::string> f = Fields(lines[line - 1]);
  const std::string where = std::string(DatasetKey(d)) + ":" + std::to_string(line) + " " + kind;
  ASSERT_EQ(f.size(), DatasetColumns(d).size()) << where;
  if (kind != "malformed_date") {
    EXPECT_EQ(f[0], fault["date"]) << where;
  }
  if (kind != "unknown_location") {
    EXPECT_EQ(f[1], fault["location_code"]) << where;
  }
  if (fault.contains("original_line")) {
    EXPECT_EQ(fault["original_line"].get<size_t>(), line - 1) << where;
    const std::vector<std::string> original = Fields(lines[line - 2]);
    EXPECT_EQ(original[0], fault["date"]) << where;
    EXPECT_EQ(original[1], fault["location_code"]) << where;
    if (kind == "exact_duplicate") {
      EXPECT_EQ(lines[line - 2], lines[line - 1]) << where;
    }
    if (kind == "conflicting_duplicate") {
      EXPECT_NE(lines[line - 2], lines[line - 1]) << where;
    }
  }
  if (kind == "unknown_location") {
    EXPECT_EQ(codes.count(f[1]), 0u) << where;
  }
  if (kind == "out_of_order") {
    EXPECT_LT(f[0], Fields(lines[line - 2])[0]) << where;
  }
  if (kind == "malformed_date") {
    EXPECT_EQ(f[0], fault["value"]) << where;
    EXPECT_FALSE(ParseIsoDate(f[0]).ok()) << where;
  }
  if (fault.contains("column") && kind != "malformed_date") {
    const std::string column = fault["column"];
    const std::string value = fault["value"];
    EXPECT_EQ(f[ColumnIndex(d, column)], value) << where;
    if (kind == "missing_value") {
      EXPECT_EQ(value, "") << where;
    }
    if (kind == "malformed_number") {
      EXPECT_EQ(value, "abc") << where;
    }
    if (kind == "out_of_range") {
      EXPECT_TRUE(OutOfRange(column, std::stod(value))) << where;
    }
  }
}

TEST(DirtyTest, ManifestLinesPointAtTheFaultyRows) {
  const GeneratorOptions o = Dirty();
  const nlohmann::json manifest = Manifest(o);
  std::set<std::string> codes;
  for (const auto& row : testing::ParseCsv(Generate(o, Dataset::kLocations)).rows) {
    codes.insert(row[0]);
  }
  for (Dataset d : kDailyDatasets) {
    const std::vector<std::string> lines = SplitLines(Generate(o, d));
    for (const auto& fault : manifest["faults"]) {
      if (fault["file"] == DatasetKey(d)) CheckFaultAgainstLines(fault, d, lines, codes);
    }
  }
}

TEST(DirtyTest, ApartFromTheListedRowsTheDirtyFileIsTheCleanFile) {
  GeneratorOptions dirty = Dirty();
  GeneratorOptions clean = dirty;
  clean.dirty = false;
  const nlohmann::json manifest = Manifest(dirty);
  for (Dataset d : kDailyDatasets) {
    std::set<size_t> added, altered;
    for (const auto& fault : manifest["faults"]) {
      if (fault["file"] != DatasetKey(d)) continue;
      const std::string kind = fault["kind"];
      const bool is_added = fault.contains("original_line") || kind == "out_of_order";
      (is_added ? added : altered).insert(fault["line"].get<size_t>());
    }
    const std::vector<std::string> dirty_lines = SplitLines(Generate(dirty, d));
    std::multiset<std::string> remaining;
    for (size_t i = 1; i < dirty_lines.size(); ++i) {
      if (added.count(i + 1) == 0 && altered.count(i + 1) == 0) remaining.insert(dirty_lines[i]);
    }
    // Each altered row replaced one clean row; moved rows are clean rows elsewhere.
    const std::vector<std::string> clean_lines = SplitLines(Generate(clean, d));
    size_t missing = 0;
    for (size_t i = 1; i < clean_lines.size(); ++i) {
      auto it = remaining.find(clean_lines[i]);
      if (it == remaining.end()) {
        ++missing;
      } else {
        remaining.erase(it);
      }
    }
    EXPECT_TRUE(remaining.empty()) << DatasetKey(d) << ": " << *remaining.begin();
    const size_t out_of_order =
        manifest["files"][std::string(DatasetKey(d))]["fault_counts"]["out_of_order"].get<size_t>();
    EXPECT_EQ(missing, altered.size() + out_of_order) << DatasetKey(d);
  }
}

TEST(DirtyTest, FaultRateIsHonoured) {
  GeneratorOptions o = Dirty();
  o.fault_rate = 0.02;
  o.years = 2;
  const nlohmann::json manifest = Manifest(o);
  const double slots = 2 * 365.0 * 36 * 3;  // days x locations
  for (Dataset d : kDailyDatasets) {
    size_t faults = 0;
    for (const auto& fault : manifest["faults"]) faults += fault["file"] == DatasetKey(d);
    EXPECT_NEAR(faults / slots, 0.02, 0.004) << DatasetKey(d);
  }
}

TEST(DirtyTest, CleanModeInjectsNothing) {
  GeneratorOptions o = Dirty();
  o.dirty = false;
  const nlohmann::json manifest = Manifest(o);
  EXPECT_TRUE(manifest["faults"].empty());
  EXPECT_FALSE(manifest["dirty"].get<bool>());
}

}  // namespace
}  // namespace ch::gen
