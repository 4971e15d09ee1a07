// ScanDataset on generator output: what a long series holds does not depend
// on the size hint, and with the hint each series is sized once instead of
// doubling its way up.
#include "jobs/batch/validate.h"

#include <gtest/gtest.h>

#include "batch_test_util.h"
#include "jobs/batch/locations.h"

namespace ch::batch {
namespace {

using testing::kBuckets;

class ScanDatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::MakeStore();
    // 12 years: each location has more rows than the scan sizes series at.
    testing::Generate(*store_, 12, 0, 5, true);
    Result<LocationsResult> locations =
        LoadLocations(*store_, {kBuckets.raw, std::string(FileKey(kLocationsFile)), ""});
    ASSERT_TRUE(locations.ok()) << locations.status().ToString();
    locations_ = std::move(locations->index);
    scope_.last = static_cast<int>(locations_.codes.size());
    scope_.owns_unlocated = true;
  }

  DatasetScan Scan(uint64_t size_hint) {
    DailyFile file{{kBuckets.raw, std::string(FileKey(kClimateFile)), ""}, size_hint};
    DatasetScan scan;
    Status st = ScanDataset(*store_, file, services::Dataset::kClimate, locations_, scope_, &scan);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return scan;
  }

  std::unique_ptr<MemoryStore> store_;
  LocationIndex locations_;
  PassScope scope_;
};

TEST_F(ScanDatasetTest, SizeHintSizesEachSeriesOnceAndChangesNoRow) {
  const uint64_t size = store_->Head({kBuckets.raw, std::string(FileKey(kClimateFile)), ""})->size;
  const DatasetScan plain = Scan(0);
  const DatasetScan sized = Scan(size);
  ASSERT_EQ(plain.series.size(), sized.series.size());
  EXPECT_EQ(plain.rows_in, sized.rows_in);
  EXPECT_EQ(plain.issues.size(), sized.issues.size());
  size_t long_series = 0;
  for (size_t i = 0; i < plain.series.size(); ++i) {
    const Series& p = plain.series[i];
    const Series& s = sized.series[i];
    EXPECT_EQ(p.dates, s.dates) << locations_.codes[i];
    EXPECT_EQ(p.lines, s.lines) << locations_.codes[i];
    EXPECT_EQ(p.values, s.values) << locations_.codes[i];
    if (s.dates.size() <= 4096) continue;
    ++long_series;
    // Doubling from 4096 leaves 8192 slots for ~4,400 rows; sizing from the
    // file leaves a few percent of slack (more where faults removed rows).
    EXPECT_LT(s.dates.capacity(), s.dates.size() * 11 / 10) << locations_.codes[i];
    EXPECT_EQ(s.values.capacity(), s.dates.capacity() * (s.values.size() / s.dates.size()));
  }
  EXPECT_EQ(long_series, plain.series.size());
}

}  // namespace
}  // namespace ch::batch
