// DataService on MemoryStore and LocalStore: ranged per-location reads through
// the manifest, output documents by date, storage statistics.
#include "services/data/data_service.h"

#include <gtest/gtest.h>

#include <memory>

#include "codecs/csv_writer.h"
#include "codecs/object_io.h"
#include "services/data/processed_layout.h"
#include "storage/forwarding_store.h"
#include "storage/local_store.h"
#include "storage/memory_store.h"
#include "support/temp_dir.h"
#include "table/date.h"

namespace ch::services {
namespace {

const BucketNames kBuckets{"raw-b", "processed-b", "models-b"};

int32_t Day(const char* iso) {
  int32_t d = 0;
  EXPECT_TRUE(ParseIsoDate(iso, &d)) << iso;
  return d;
}

// Counts ranged and whole GETs, to prove one location reads only its bytes.
class CountingStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Result<std::string> Get(const ObjectRef& ref, const GetOptions& options) override {
    Count(ref, options);
    return ForwardingStore::Get(ref, options);
  }
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options) override {
    Count(ref, options);
    return ForwardingStore::GetStream(ref, sink, options);
  }
  void Count(const ObjectRef& ref, const GetOptions& options) {
    if (ref.key.ends_with(".csv")) {
      if (options.range) {
        ++ranged_gets;
        const uint64_t last = options.range->last.value_or(0);
        ranged_bytes += last - options.range->first + 1;
      } else {
        ++whole_gets;
      }
    }
  }
  int ranged_gets = 0;
  int whole_gets = 0;
  uint64_t ranged_bytes = 0;
};

class DataServiceTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      auto local = LocalStore::Make({dir_.path(), true, false});
      ASSERT_TRUE(local.ok()) << local.status().ToString();
      base_ = std::move(*local);
    } else {
      base_ = std::make_unique<MemoryStore>();
    }
    store_ = std::make_unique<CountingStore>(*base_);
    for (const std::string* b : {&kBuckets.raw, &kBuckets.processed, &kBuckets.models}) {
      ASSERT_TRUE(store_->CreateBucket(*b).ok());
    }
  }

  // Writes processed/climate_20240103.csv for KA (3 days) and MH (2 days)
  // and a manifest with the byte ranges, as the batch job does.
  void WriteClimateRun() {
    std::string header =
        "date,location_code,temp_max_c,temp_min_c,temp_mean_c,humidity_pct,"
        "rainfall_mm,wind_speed_kmh,pm25_ugm3,repaired\n";
    std::string ka =
        "2024-01-01,KA,30.5,20,25.25,60,0,10,40,false\n"
        "2024-01-02,KA,31,21,26,61,2.5,11,41,true\n"
        "2024-01-03,KA,32,22,27,62,0,12,42,false\n";
    std::string mh =
        "2024-01-02,MH,33,23,28,70,1,13,43,false\n"
        "2024-01-03,MH,34,24,29,71,,14,44,false\n";
    WriteOutput("climate", ProcessedCsvKey("climate", Day("2024-01-03")), header, ka, mh);
  }

  // Writes a feature table and its manifest: KA every day of `days` from
  // 2023-01-01, MH from the second day and without day 100. Each value
  // column holds the day's index, so a row shows which day it is.
  void WriteFeatureRun(int days) {
    const std::vector<std::string>& names = FeatureColumnNames();
    std::string header;
    for (const std::string& n : names) header += (header.empty() ? "" : ",") + n;
    header += "\n";
    auto rows = [&](const std::string& code, int first, int skip) {
      std::string text;
      for (int i = first; i < days; ++i) {
        if (i == skip) continue;
        std::string row;
        for (const std::string& n : names) {
          std::string v = n == "location_code" ? code
                          : n == "date"        ? FormatIsoDate(Day("2023-01-01") + i)
                          : n == "repaired"    ? "false"
                                               : std::to_string(i);
          row += (row.empty() ? "" : ",") + v;
        }
        text += row + "\n";
      }
      return text;
    };
    const std::string ka = rows("KA", 0, -1);
    const std::string mh = rows("MH", 1, 100);
    WriteOutput("features", ProcessedCsvKey("features", Day("2023-01-01") + days - 1), header, ka,
                mh);
  }

  // Stores header + KA's rows + MH's rows under `key` and a manifest naming
  // it as output `name` with each location's byte range, as the batch job does.
  void WriteOutput(const std::string& name, const std::string& key, const std::string& header,
                   const std::string& ka, const std::string& mh) {
    auto info = base_->Put({kBuckets.processed, key, ""}, header + ka + mh);
    ASSERT_TRUE(info.ok());
    Json manifest = {{"format_version", 1},
                     {"outputs",
                      {{name,
                        {{"key", key},
                         {"etag", info->etag},
                         {"size", info->size},
                         {"header_bytes", header.size()},
                         {"ranges",
                          {{"KA", {header.size(), ka.size()}},
                           {"MH", {header.size() + ka.size(), mh.size()}}}}}}}}};
    ASSERT_TRUE(
        SaveJson(*base_, {kBuckets.processed, std::string(kProcessedManifestKey), ""}, manifest)
            .ok());
  }

  testing::TempDir dir_{"data-service"};
  std::unique_ptr<ObjectStore> base_;
  std::unique_ptr<CountingStore> store_;
};

TEST_P(DataServiceTest, LoadDataBeforeAnyBatchRunIsNotFoundNamingTheManifest) {
  DataService service(*store_, kBuckets);
  Result<Table> t = service.LoadClimateData({});
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsNotFound());
  EXPECT_NE(t.status().message().find("processed/manifest.json"), std::string::npos);
}

TEST_P(DataServiceTest, LoadDataForOneLocationReadsOnlyItsByteRange) {
  WriteClimateRun();
  DataService service(*store_, kBuckets);
  Result<Table> t = service.LoadClimateData({"MH", {}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->num_rows(), 2);
  EXPECT_EQ(t->column(1).String(0), "MH");
  EXPECT_EQ(t->column(0).Date(0), Day("2024-01-02"));
  ASSERT_TRUE(t->FindColumn("rainfall_mm")->IsNull(1));
  EXPECT_DOUBLE_EQ(t->FindColumn("humidity_pct")->Float64(1), 71);
  EXPECT_EQ(store_->whole_gets, 0);
  EXPECT_EQ(store_->ranged_gets, 2);  // header + the location's rows
  EXPECT_LT(store_->ranged_bytes, 200u);
}

TEST_P(DataServiceTest, LoadDataAllLocationsFiltersByDateRange) {
  WriteClimateRun();
  DataService service(*store_, kBuckets);
  Result<Table> t = service.LoadClimateData({"", {Day("2024-01-02"), Day("2024-01-02")}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->num_rows(), 2);
  EXPECT_EQ(t->column(1).String(0), "KA");
  EXPECT_EQ(t->column(1).String(1), "MH");
  EXPECT_TRUE(t->FindColumn("repaired")->Bool(0));
  Result<Table> open_end = service.LoadClimateData({"KA", {Day("2024-01-02"), std::nullopt}});
  ASSERT_TRUE(open_end.ok());
  EXPECT_EQ(open_end->num_rows(), 2);
}

TEST_P(DataServiceTest, UnknownLocationIsNotFoundNamingIt) {
  WriteClimateRun();
  DataService service(*store_, kBuckets);
  Result<Table> t = service.LoadClimateData({"ZZ", {}});
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsNotFound());
  EXPECT_NE(t.status().message().find("ZZ"), std::string::npos);
}

TEST_P(DataServiceTest, ObjectChangedUnderTheManifestIsDetected) {
  WriteClimateRun();
  const std::string key = ProcessedCsvKey("climate", Day("2024-01-03"));
  ASSERT_TRUE(base_->Put({kBuckets.processed, key, ""}, "date,location_code\n").ok());
  DataService service(*store_, kBuckets);
  Result<Table> t = service.LoadClimateData({"KA", {}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kPreconditionFailed) << t.status().ToString();
}

TEST_P(DataServiceTest, FeaturesOnTheLastDateReadOnlyEachLocationsTail) {
  WriteFeatureRun(400);
  DataService service(*store_, kBuckets);
  auto manifest = service.LoadManifest();
  ASSERT_TRUE(manifest.ok());
  auto locations = service.FeatureLocations(*manifest);
  ASSERT_TRUE(locations.ok());
  EXPECT_EQ(*locations, (std::vector<std::string>{"KA", "MH"}));
  store_->ranged_bytes = 0;
  Result<Table> t = service.LoadFeaturesOn(*manifest, Day("2023-01-01") + 399, *locations);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->num_rows(), 2);
  EXPECT_EQ(t->FindColumn("location_code")->String(0), "KA");
  EXPECT_EQ(t->FindColumn("location_code")->String(1), "MH");
  EXPECT_DOUBLE_EQ(t->FindColumn("rainfall_mm_sum7")->Float64(1), 399);
  EXPECT_EQ(store_->whole_gets, 0);
  auto size =
      base_->Head({kBuckets.processed, ProcessedCsvKey("features", Day("2023-01-01") + 399), ""});
  ASSERT_TRUE(size.ok());
  EXPECT_LT(store_->ranged_bytes * 10, size->size) << "read more than each location's tail";
}

TEST_P(DataServiceTest, FeaturesOnAnyDateEqualTheWholeTableFilteredToIt) {
  WriteFeatureRun(400);
  DataService service(*store_, kBuckets);
  auto manifest = service.LoadManifest();
  ASSERT_TRUE(manifest.ok());
  for (int i : {0, 1, 2, 37, 100, 101, 250, 398, 399, 400, -30}) {
    const int32_t day = Day("2023-01-01") + i;
    Result<Table> on = service.LoadFeaturesOn(*manifest, day, {"KA", "MH"});
    ASSERT_TRUE(on.ok()) << i << ": " << on.status().ToString();
    Result<Table> all = service.LoadFeatures({"", {day, day}});
    ASSERT_TRUE(all.ok());
    EXPECT_TRUE(on->Equals(*all)) << "day " << i << "\n" << on->ToString() << all->ToString();
  }
  Result<Table> only_mh = service.LoadFeaturesOn(*manifest, Day("2023-01-01") + 100, {"MH"});
  ASSERT_TRUE(only_mh.ok());
  EXPECT_EQ(only_mh->num_rows(), 0);  // MH has no row on day 100
  EXPECT_TRUE(only_mh->FindColumn("date") != nullptr);
}

TEST_P(DataServiceTest, FeaturesOnForAnUnknownLocationIsNotFoundNamingIt) {
  WriteFeatureRun(30);
  DataService service(*store_, kBuckets);
  auto manifest = service.LoadManifest();
  ASSERT_TRUE(manifest.ok());
  Result<Table> t = service.LoadFeaturesOn(*manifest, Day("2023-01-10"), {"KA", "ZZ"});
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsNotFound());
  EXPECT_NE(t.status().message().find("'ZZ'"), std::string::npos) << t.status().ToString();
}

TEST_P(DataServiceTest, OutputsSaveUnderDatedKeysAndLoadNewestOrGivenDate) {
  DataService service(*store_, kBuckets);
  EXPECT_TRUE(service.LoadOutput(OutputKind::kPredictions, std::nullopt).status().IsNotFound());
  ASSERT_TRUE(service.SavePredictions(Day("2024-03-01"), Json{{"n", 1}}).ok());
  ASSERT_TRUE(service.SavePredictions(Day("2024-03-05"), Json{{"n", 5}}).ok());
  ASSERT_TRUE(service.SaveAlerts(Day("2024-03-09"), Json{{"n", 9}}).ok());
  EXPECT_TRUE(base_->Head({kBuckets.processed, "predictions/2024-03-05/risk.json", ""}).ok());
  EXPECT_TRUE(base_->Head({kBuckets.processed, "alerts/2024-03-09/alerts.json", ""}).ok());
  ObjectInfo info;
  Result<Json> newest = service.LoadOutput(OutputKind::kPredictions, std::nullopt, &info);
  ASSERT_TRUE(newest.ok()) << newest.status().ToString();
  EXPECT_EQ((*newest)["n"], 5);
  EXPECT_FALSE(info.etag.empty());
  Result<Json> given = service.LoadOutput(OutputKind::kPredictions, Day("2024-03-01"));
  ASSERT_TRUE(given.ok());
  EXPECT_EQ((*given)["n"], 1);
  EXPECT_TRUE(service.LoadOutput(OutputKind::kForecasts, Day("2024-03-01")).status().IsNotFound());
  Result<std::vector<int32_t>> dates = service.ListOutputDates(OutputKind::kPredictions);
  ASSERT_TRUE(dates.ok());
  EXPECT_EQ(*dates, (std::vector<int32_t>{Day("2024-03-01"), Day("2024-03-05")}));
}

TEST_P(DataServiceTest, StorageStatsCountEveryBucketAndNewestPrediction) {
  ASSERT_TRUE(base_->Put({kBuckets.raw, "raw/a.csv", ""}, "12345").ok());
  ASSERT_TRUE(base_->Put({kBuckets.raw, "raw/b.csv", ""}, "123").ok());
  DataService service(*store_, kBuckets);
  ASSERT_TRUE(service.SavePredictions(Day("2024-03-05"), Json{{"n", 5}}).ok());
  Result<StorageStats> stats = service.GetStorageStats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(stats->buckets.size(), 3u);
  EXPECT_EQ(stats->buckets[0].logical, "raw");
  EXPECT_EQ(stats->buckets[0].name, "raw-b");
  EXPECT_EQ(stats->buckets[0].objects, 2u);
  EXPECT_EQ(stats->buckets[0].bytes, 8u);
  EXPECT_GT(stats->buckets[0].newest_modified_unix, 0);
  EXPECT_EQ(stats->buckets[1].objects, 1u);
  EXPECT_EQ(stats->buckets[1].newest_key, "predictions/2024-03-05/risk.json");
  EXPECT_EQ(stats->buckets[2].objects, 0u);
  EXPECT_EQ(stats->buckets[2].newest_modified_unix, 0);
  EXPECT_EQ(stats->newest_prediction_date, Day("2024-03-05"));
}

TEST(ProcessedLayoutTest, FeatureColumnsStartWithKeysAndEndWithSeasonality) {
  const std::vector<std::string>& names = FeatureColumnNames();
  ASSERT_GT(names.size(), 50u);
  EXPECT_EQ(names[0], "location_code");
  EXPECT_EQ(names[1], "date");
  EXPECT_EQ(names.back(), "doy_cos");
  EXPECT_EQ(FeatureSchema().num_fields(), static_cast<int>(names.size()));
  EXPECT_EQ(ProcessedCsvKey("features", Day("2024-11-11")), "processed/features_20241111.csv");
  EXPECT_EQ(OutputKey(OutputKind::kForecasts, Day("2024-11-11")),
            "forecasts/2024-11-11/cases.json");
}

INSTANTIATE_TEST_SUITE_P(Stores, DataServiceTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Local" : "Memory"; });

}  // namespace
}  // namespace ch::services
