// The generator's output contract: reproducible bytes, the DATA.md headers,
// one row per location per day in (date, location) order, physical ranges,
// and the same bytes through every output path.
#include "generator/generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "generator/test_util.h"
#include "storage/memory_store.h"
#include "support/failing_put_store.h"
#include "support/interrupting_store.h"
#include "support/temp_dir.h"

namespace ch::gen {
namespace {

using ch::testing::ReadFile;
using testing::Csv;
using testing::Generate;
using testing::ParseCsv;

GeneratorOptions Small(uint64_t seed = 7) {
  GeneratorOptions o;
  o.years = 1;
  o.districts_per_state = 1;
  o.seed = seed;
  o.threads = 2;
  return o;
}

// Keeps what is put, so a test can see what the generator sends to a store.
// Only the calls the generator makes are supported.
class CapturingStore final : public ObjectStore {
 public:
  std::map<std::string, std::string> objects;  // "bucket/key" → bytes
  size_t largest_read = 0;

  std::string Describe() const override { return "capture"; }
  StoreCapabilities Capabilities() const override { return {}; }
  Status CreateBucket(std::string_view) override { return Status::Ok(); }
  Result<bool> BucketExists(std::string_view) override { return true; }
  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes, const PutOptions&) override {
    std::lock_guard lock(mu_);  // the daily files are uploaded concurrently
    objects[ref.bucket + "/" + ref.key] = std::string(bytes);
    return ObjectInfo{ref.key, bytes.size()};
  }
  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions&) override {
    std::string bytes;
    std::string buf(1 << 20, '\0');
    for (;;) {
      ASSIGN_OR_RETURN(size_t got, source.Read(buf.data(), buf.size()));
      if (got == 0) break;
      {
        std::lock_guard lock(mu_);
        largest_read = std::max(largest_read, got);
      }
      bytes.append(buf.data(), got);
    }
    return Put(ref, bytes, {});
  }
  Result<ObjectInfo> GetStream(const ObjectRef&, ByteSink&, const GetOptions&) override {
    return Status::NotSupported("capture store");
  }
  Result<ObjectInfo> Head(const ObjectRef&) override { return Status::NotSupported("capture"); }
  Result<ListPage> List(std::string_view, const ListOptions&) override {
    return Status::NotSupported("capture store");
  }
  Status Delete(const ObjectRef&) override { return Status::NotSupported("capture store"); }
  Result<ObjectInfo> Copy(const ObjectRef&, const ObjectRef&, const PutOptions&) override {
    return Status::NotSupported("capture store");
  }

 private:
  std::mutex mu_;
};

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/gen_test_XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(GeneratorTest, SameSeedGivesIdenticalBytesForEveryFile) {
  GeneratorOptions o = Small();
  o.dirty = true;
  for (Dataset d : kAllDatasets) {
    EXPECT_EQ(Generate(o, d), Generate(o, d)) << DatasetKey(d);
  }
}

TEST(GeneratorTest, DifferentSeedGivesDifferentDataAndDistricts) {
  for (Dataset d : kAllDatasets) {
    EXPECT_NE(Generate(Small(1), d), Generate(Small(2), d)) << DatasetKey(d);
  }
}

TEST(GeneratorTest, OutputDoesNotDependOnTheThreadCount) {
  GeneratorOptions one = Small(), three = Small();
  one.threads = 1;
  three.threads = 3;
  one.dirty = three.dirty = true;
  for (Dataset d : kDailyDatasets) EXPECT_EQ(Generate(one, d), Generate(three, d)) << DatasetKey(d);
}

TEST(GeneratorTest, ALocationsNumbersDoNotDependOnTheOtherLocations) {
  // Delhi's rows are the same whether or not districts exist around it.
  GeneratorOptions states_only = Small(), with_districts = Small();
  states_only.districts_per_state = 0;
  with_districts.districts_per_state = 3;
  auto delhi_rows = [](const std::string& text) {
    std::string rows;
    for (const std::string& line : testing::SplitLines(text)) {
      if (line.find(",DL,") != std::string::npos) rows += line + "\n";
    }
    return rows;
  };
  for (Dataset d : kDailyDatasets) {
    const std::string a = delhi_rows(Generate(states_only, d));
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, delhi_rows(Generate(with_districts, d))) << DatasetKey(d);
  }
}

TEST(GeneratorTest, HeadersAreExactlyThoseOfDataSpec) {
  const std::map<Dataset, std::string> expected = {
      {Dataset::kLocations, "location_code,name,latitude,longitude,population,elevation_m"},
      {Dataset::kClimate,
       "date,location_code,temp_max_c,temp_min_c,temp_mean_c,humidity_pct,rainfall_mm,"
       "wind_speed_kmh,pm25_ugm3"},
      {Dataset::kHealth,
       "date,location_code,dengue_cases,malaria_cases,heat_illness_cases,respiratory_cases,"
       "diarrhoea_cases"},
      {Dataset::kHospital,
       "date,location_code,hospitals,beds_total,beds_occupied,icu_beds_total,icu_beds_occupied"},
  };
  for (const auto& [dataset, header] : expected) {
    const std::string text = Generate(Small(), dataset);
    EXPECT_EQ(text.substr(0, text.find('\n')), header) << DatasetKey(dataset);
  }
}

TEST(GeneratorTest, CleanFilesHaveOneRowPerLocationPerDayInDateThenLocationOrder) {
  GeneratorOptions o = Small();
  o.start_date = "2016-02-29";  // a leap day: one year later is 2017-02-28
  const Csv locations = ParseCsv(Generate(o, Dataset::kLocations));
  ASSERT_EQ(locations.rows.size(), 72u);
  std::vector<std::string> codes;
  for (const auto& row : locations.rows) codes.push_back(row[0]);
  for (Dataset d : kDailyDatasets) {
    const Csv csv = ParseCsv(Generate(o, d));
    ASSERT_EQ(csv.rows.size(), 365u * codes.size()) << DatasetKey(d);
    EXPECT_EQ(csv.rows.front()[0], "2016-02-29");
    EXPECT_EQ(csv.rows.back()[0], "2017-02-27");
    for (size_t i = 0; i < csv.rows.size(); ++i) {
      ASSERT_EQ(csv.rows[i][1], codes[i % codes.size()]) << DatasetKey(d) << " row " << i;
      if (i % codes.size() != 0) {
        ASSERT_EQ(csv.rows[i][0], csv.rows[i - 1][0]);
      }
      if (i > 0 && i % codes.size() == 0) {
        ASSERT_LT(csv.rows[i - 1][0], csv.rows[i][0]);
      }
    }
  }
}

TEST(GeneratorTest, CleanValuesAreWithinPhysicalRanges) {
  GeneratorOptions o = Small(11);
  o.years = 2;
  o.districts_per_state = 2;
  const Csv climate = ParseCsv(Generate(o, Dataset::kClimate));
  for (const auto& row : climate.rows) {
    const double tmax = std::stod(row[2]), tmin = std::stod(row[3]), tmean = std::stod(row[4]);
    ASSERT_LE(tmin, tmean) << row[0] << " " << row[1];
    ASSERT_LE(tmean, tmax) << row[0] << " " << row[1];
    ASSERT_GT(tmin, -45);
    ASSERT_LT(tmax, 52);
    ASSERT_GE(std::stod(row[5]), 0);
    ASSERT_LE(std::stod(row[5]), 100);
    ASSERT_GE(std::stod(row[6]), 0);
    ASSERT_LT(std::stod(row[6]), 1000);
    ASSERT_GE(std::stod(row[7]), 0);
    ASSERT_LT(std::stod(row[7]), 150);
    ASSERT_GE(std::stod(row[8]), 0);
    ASSERT_LT(std::stod(row[8]), 1000);
  }
  const Csv health = ParseCsv(Generate(o, Dataset::kHealth));
  for (const auto& row : health.rows) {
    for (size_t c = 2; c < row.size(); ++c) {
      ASSERT_EQ(row[c].find_first_not_of("0123456789"), std::string::npos) << row[c];
    }
  }
  const Csv hospital = ParseCsv(Generate(o, Dataset::kHospital));
  for (const auto& row : hospital.rows) {
    const long long hospitals = std::stoll(row[2]), beds = std::stoll(row[3]),
                    occupied = std::stoll(row[4]), icu = std::stoll(row[5]),
                    icu_occupied = std::stoll(row[6]);
    ASSERT_GE(hospitals, 1);
    ASSERT_GE(beds, hospitals);
    ASSERT_GE(occupied, 0);
    ASSERT_LE(occupied, beds);
    ASSERT_GE(icu, 0);
    ASSERT_LE(icu, beds);
    ASSERT_GE(icu_occupied, 0);
    ASSERT_LE(icu_occupied, icu);
  }
}

TEST(GeneratorTest, DirectoryOutputEqualsTheStreamedFilesPlusAManifest) {
  TempDir dir;
  GeneratorOptions o = Small();
  o.dirty = true;
  Result<GenerationReport> report = GenerateToDirectory(o, dir.path() / "data" / "raw");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  for (Dataset d : kAllDatasets) {
    EXPECT_EQ(ReadFile(dir.path() / "data" / "raw" / DatasetFileName(d)), Generate(o, d))
        << DatasetKey(d);
  }
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "data/raw/_generator_manifest.json"));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "data" / "raw")) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
  ASSERT_EQ(report->files.size(), 4u);
  EXPECT_EQ(report->locations, 72u);
  EXPECT_EQ(report->days, 365);
  EXPECT_EQ(report->end_date, "2015-12-31");
  EXPECT_EQ(report->TotalBytes(), [&] {
    uint64_t sum = 0;
    for (Dataset d : kAllDatasets) sum += Generate(o, d).size();
    return sum;
  }());
}

TEST(GeneratorTest, StoreOutputStreamsTheSameBytesUnderRawKeys) {
  CapturingStore store;
  GeneratorOptions o = Small();
  uint64_t progressed = 0;
  Result<GenerationReport> report =
      GenerateToStore(o, store, "my-raw", [&](uint64_t n) { progressed += n; });
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  for (Dataset d : kAllDatasets) {
    EXPECT_EQ(store.objects["my-raw/" + std::string(DatasetKey(d))], Generate(o, d));
  }
  EXPECT_EQ(store.objects.count("my-raw/raw/_generator_manifest.json"), 1u);
  EXPECT_EQ(store.objects.size(), 5u);
  EXPECT_EQ(progressed, report->TotalBytes());
}

TEST(GeneratorTest, AFailedUploadCommitsNoneOfTheOtherDailyFilesShort) {
  MemoryStore memory;
  ASSERT_TRUE(memory.CreateBucket("raw-bucket").ok());
  // Fails the upload of one daily file after its first block.
  ch::testing::FailingPutStore store(
      memory, "raw/health_data.csv",
      Status::IOError("put raw/health_data.csv: disk full (injected)"), 4096);
  GeneratorOptions o = Small();
  o.years = 3;  // several blocks, so the failure comes mid-stream
  Result<GenerationReport> report = GenerateToStore(o, store, "raw-bucket");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kIOError) << report.status().ToString();
  EXPECT_NE(report.status().ToString().find("raw/health_data.csv"), std::string::npos)
      << report.status().ToString();
  for (const char* key : {"raw/climate_data.csv", "raw/hospital_data.csv", "raw/health_data.csv",
                          "raw/_generator_manifest.json"}) {
    EXPECT_FALSE(memory.Exists(ObjectRef{"raw-bucket", key, {}}).value()) << key;
  }
}

// Every object of `bucket`: key and bytes.
std::map<std::string, std::string> ObjectsOf(ObjectStore& store, const std::string& bucket) {
  std::map<std::string, std::string> objects;
  ListOptions list;
  list.max_keys = 1000;
  const ListPage page = store.List(bucket, list).value();
  for (const ObjectInfo& o : page.objects) {
    objects[o.key] = store.Get(ObjectRef{bucket, o.key, {}}).value();
  }
  return objects;
}

// Every file of `dir`: name and bytes.
std::map<std::string, std::string> FilesIn(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    files[e.path().filename().string()] = ReadFile(e.path());
  }
  return files;
}

TEST(GeneratorTest, AnInterruptMidStreamLeavesThePreviousDataSetWhole) {
  ch::testing::ClearInterruptAtEnd clear;
  MemoryStore memory;
  ASSERT_TRUE(memory.CreateBucket("raw-bucket").ok());
  ASSERT_TRUE(GenerateToStore(Small(1), memory, "raw-bucket").ok());
  const auto before = ObjectsOf(memory, "raw-bucket");
  ASSERT_EQ(before.size(), 5u);
  GeneratorOptions o = Small(2);
  o.years = 3;
  o.districts_per_state = 2;  // another locations.csv too
  ch::testing::InterruptingStore interrupting(memory, "raw/climate_data.csv");
  Result<GenerationReport> report = GenerateToStore(o, interrupting, "raw-bucket");
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(report.status().IsCancelled()) << report.status().ToString();
  EXPECT_EQ(ObjectsOf(memory, "raw-bucket"), before);
}

TEST(GeneratorTest, AnInterruptedRunIntoADirectoryLeavesItsFilesAsTheyWere) {
  ch::testing::ClearInterruptAtEnd clear;
  ch::testing::TempDir dir("gen-interrupt");
  ASSERT_TRUE(GenerateToDirectory(Small(1), dir.path()).ok());
  const auto before = FilesIn(dir.path());
  RequestInterrupt(SIGINT);
  Result<GenerationReport> report = GenerateToDirectory(Small(2), dir.path());
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(report.status().IsCancelled()) << report.status().ToString();
  EXPECT_EQ(FilesIn(dir.path()), before);  // no temp file either
}

TEST(GeneratorTest, BadOptionsAreRejectedNamingTheOption) {
  auto error = [](GeneratorOptions o) {
    Result<std::unique_ptr<DatasetSource>> r = OpenDataset(o, Dataset::kClimate);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return r.status().message();
  };
  GeneratorOptions o = Small();
  o.years = 0;
  EXPECT_NE(error(o).find("--years"), std::string::npos);
  o = Small();
  o.districts_per_state = 1000;
  EXPECT_NE(error(o).find("--districts-per-state"), std::string::npos);
  o = Small();
  o.start_date = "2015-02-30";
  EXPECT_NE(error(o).find("--start-date"), std::string::npos);
  o = Small();
  o.start_date = "15-01-2015";
  EXPECT_NE(error(o).find("15-01-2015"), std::string::npos);
  o = Small();
  o.fault_rate = 0.5;
  EXPECT_NE(error(o).find("--fault-rate"), std::string::npos);
}

}  // namespace
}  // namespace ch::gen
