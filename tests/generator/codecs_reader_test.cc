// The platform's own CSV reader (src/codecs) reads what the generator writes:
// every clean file parses with its DATA.md types, names with commas, quotes
// and Devanagari survive, and in a dirty file the reader rejects exactly the
// rows the manifest lists as unparseable.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "codecs/csv_reader.h"
#include "generator/generator.h"
#include "generator/regions.h"
#include "generator/test_util.h"

namespace ch::gen {
namespace {

// The DATA.md types; every column required and non-nullable, so an empty
// field is a bad row.
Schema TypedSchema(Dataset d) {
  std::vector<Field> fields;
  for (std::string_view name : DatasetColumns(d)) {
    DataType type = d == Dataset::kClimate ? DataType::kFloat64 : DataType::kInt64;
    if (name == "date") type = DataType::kDate;
    if (name == "location_code" || name == "name") type = DataType::kString;
    if (name == "latitude" || name == "longitude" || name == "elevation_m") {
      type = DataType::kFloat64;
    }
    fields.push_back(Field{std::string(name), type, true, false});
  }
  return Schema(std::move(fields));
}

Result<Table> Read(const std::string& text, Dataset d, BadRowPolicy policy, CsvReport* report) {
  CsvReadOptions options;
  options.schema = TypedSchema(d);
  options.bad_rows = policy;
  options.max_reported_errors = 1 << 20;
  options.num_threads = 2;
  options.source_name = std::string(DatasetKey(d));
  return ParseCsv(text, options, report);
}

GeneratorOptions Options(bool dirty) {
  GeneratorOptions o;
  o.years = 1;
  o.districts_per_state = 3;
  o.seed = 13;
  o.dirty = dirty;
  return o;
}

TEST(CodecsReaderTest, ParsesEveryCleanFileWithItsDataSpecTypes) {
  const GeneratorOptions o = Options(false);
  for (Dataset d : kAllDatasets) {
    CsvReport report;
    Result<Table> table = Read(testing::Generate(o, d), d, BadRowPolicy::kError, &report);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    const int64_t locations = 36 * 4;
    EXPECT_EQ(table->num_rows(), d == Dataset::kLocations ? locations : 365 * locations)
        << DatasetKey(d);
    EXPECT_EQ(report.rows_rejected, 0);
  }
}

TEST(CodecsReaderTest, ReadsBackNamesWithCommasQuotesAndDevanagari) {
  const GeneratorOptions o = Options(false);
  Result<Table> table = Read(testing::Generate(o, Dataset::kLocations), Dataset::kLocations,
                             BadRowPolicy::kError, nullptr);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const std::vector<Location> locations = BuildLocations(o.districts_per_state, o.seed);
  Result<const Column*> names = table->GetColumn("name");
  ASSERT_TRUE(names.ok());
  ASSERT_EQ((*names)->size(), static_cast<int64_t>(locations.size()));
  for (size_t i = 0; i < locations.size(); ++i) {
    EXPECT_EQ((*names)->String(static_cast<int64_t>(i)), locations[i].name);
  }
}

TEST(CodecsReaderTest, RejectsExactlyTheRowsTheManifestListsAsUnparseable) {
  const GeneratorOptions o = Options(true);
  char tmpl[] = "/tmp/gen_codecs_XXXXXX";
  const std::filesystem::path dir = ::mkdtemp(tmpl);
  Result<GenerationReport> report = GenerateToDirectory(o, dir);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  for (Dataset d : kDailyDatasets) {
    std::set<int64_t> expected;
    for (const FaultRecord& f : report->faults) {
      const bool unparseable = f.kind == FaultKind::kMalformedNumber ||
                               f.kind == FaultKind::kMalformedDate ||
                               f.kind == FaultKind::kMissingValue;
      if (f.dataset == d && unparseable) expected.insert(static_cast<int64_t>(f.line));
    }
    ASSERT_FALSE(expected.empty());
    CsvReport csv;
    Result<Table> table = Read(testing::Generate(o, d), d, BadRowPolicy::kSkip, &csv);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    std::set<int64_t> rejected;
    for (const CsvRowError& e : csv.errors) rejected.insert(e.line);
    EXPECT_EQ(rejected, expected) << DatasetKey(d) << ": " << csv.Summary();
    EXPECT_EQ(csv.rows_rejected, static_cast<int64_t>(expected.size()));
  }
}

}  // namespace
}  // namespace ch::gen
