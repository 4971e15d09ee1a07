// The generated data behave like Indian climate and health data, and carry
// the signals later models must learn (lagged rain → dengue, heat → heat
// illness, PM2.5 → respiratory, cases → bed occupancy).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "generator/generator.h"
#include "generator/test_util.h"

namespace ch::gen {
namespace {

using testing::Correlation;
using testing::Csv;
using testing::Series;

constexpr int kYears = 6;

class ModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GeneratorOptions o;
    o.years = kYears;
    o.seed = 21;
    o.start_date = "2015-01-01";
    climate_ = new Csv(testing::ParseCsv(testing::Generate(o, Dataset::kClimate)));
    health_ = new Csv(testing::ParseCsv(testing::Generate(o, Dataset::kHealth)));
    hospital_ = new Csv(testing::ParseCsv(testing::Generate(o, Dataset::kHospital)));
  }
  static void TearDownTestSuite() {
    delete climate_;
    delete health_;
    delete hospital_;
  }

  static std::vector<double> Climate(const std::string& code, const char* column) {
    return testing::ColumnSeries(*climate_, column)[code];
  }
  static std::vector<double> Health(const std::string& code, const char* column) {
    return testing::ColumnSeries(*health_, column)[code];
  }
  // Month (1..12) of each day index; every location has the same dates.
  static std::vector<int> Months() {
    std::vector<int> months;
    const size_t date = climate_->Column("date");
    const std::string first_code = climate_->rows.front()[1];
    for (const auto& row : climate_->rows) {
      if (row[1] == first_code) months.push_back(std::stoi(row[date].substr(5, 2)));
    }
    return months;
  }
  static double MeanInMonths(const std::vector<double>& v, std::initializer_list<int> months) {
    const std::vector<int> month_of = Months();
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      if (std::find(months.begin(), months.end(), month_of[i]) != months.end()) {
        sum += v[i];
        ++n;
      }
    }
    return n > 0 ? sum / n : 0;
  }
  static std::vector<double> Weekly(const std::vector<double>& daily) {
    std::vector<double> weeks(daily.size() / 7, 0.0);
    for (size_t i = 0; i < weeks.size() * 7; ++i) weeks[i / 7] += daily[i];
    return weeks;
  }
  // corr(a[w], b[w - lag]).
  static double LaggedCorrelation(const std::vector<double>& a, const std::vector<double>& b,
                                  int lag) {
    return Correlation(std::vector<double>(a.begin() + lag, a.end()),
                       std::vector<double>(b.begin(), b.end() - lag));
  }

  static Csv* climate_;
  static Csv* health_;
  static Csv* hospital_;
};

Csv* ModelTest::climate_ = nullptr;
Csv* ModelTest::health_ = nullptr;
Csv* ModelTest::hospital_ = nullptr;

TEST_F(ModelTest, MonsoonMonthsAreFarWetterThanTheDrySeason) {
  for (const char* code : {"KA", "MH", "UP", "DL", "GJ"}) {
    const std::vector<double> rain = Climate(code, "rainfall_mm");
    EXPECT_GT(MeanInMonths(rain, {6, 7, 8, 9}), 4 * MeanInMonths(rain, {12, 1, 2, 3})) << code;
  }
  // Tamil Nadu gets most of its rain from the north-east monsoon.
  const std::vector<double> tn = Climate("TN", "rainfall_mm");
  EXPECT_GT(MeanInMonths(tn, {10, 11, 12}), MeanInMonths(tn, {6, 7, 8}));
}

TEST_F(ModelTest, RainIsSkewedWithManyDryDaysAndSomeHeavyOnes) {
  const std::vector<double> rain = Climate("MH", "rainfall_mm");
  const double dry = std::count(rain.begin(), rain.end(), 0.0);
  const double mean = std::accumulate(rain.begin(), rain.end(), 0.0) / rain.size();
  EXPECT_GT(dry / rain.size(), 0.4);
  EXPECT_GT(*std::max_element(rain.begin(), rain.end()), 12 * mean);
}

TEST_F(ModelTest, WinterPm25IsHighInTheIndoGangeticPlainAndLowInKerala) {
  const std::vector<double> dl = Climate("DL", "pm25_ugm3");
  const std::vector<double> kl = Climate("KL", "pm25_ugm3");
  EXPECT_GT(MeanInMonths(dl, {11, 12, 1}), 3 * MeanInMonths(kl, {11, 12, 1}));
  EXPECT_GT(MeanInMonths(dl, {11, 12, 1}), 150);
  EXPECT_GT(MeanInMonths(dl, {11, 12, 1}), 3 * MeanInMonths(dl, {7, 8}));
}

TEST_F(ModelTest, TheNorthIsHotBeforeTheMonsoonColdInWinterAndHillsAreColder) {
  const std::vector<int> months = Months();
  for (const char* code : {"DL", "RJ", "UP"}) {
    const std::vector<double> tmax = Climate(code, "temp_max_c");
    int hot = 0;
    for (size_t i = 0; i < tmax.size(); ++i)
      hot += tmax[i] >= 40 && months[i] >= 4 && months[i] <= 6;
    EXPECT_GE(hot, 5 * kYears) << code;
  }
  const std::vector<double> kl_max = Climate("KL", "temp_max_c");
  EXPECT_LT(*std::max_element(kl_max.begin(), kl_max.end()), 40);
  const std::vector<double> dl = Climate("DL", "temp_mean_c"), kl = Climate("KL", "temp_mean_c");
  EXPECT_LT(MeanInMonths(dl, {1}), MeanInMonths(kl, {1}) - 8);
  const std::vector<double> la = Climate("LA", "temp_mean_c");
  EXPECT_LT(MeanInMonths(la, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}),
            MeanInMonths(dl, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}) - 15);
}

TEST_F(ModelTest, DayToDayWeatherIsAutocorrelated) {
  // The anomaly from a centred 31-day mean still persists from day to day.
  const std::vector<double> t = Climate("MP", "temp_mean_c");
  std::vector<double> anomaly;
  for (size_t i = 15; i + 15 < t.size(); ++i) {
    anomaly.push_back(t[i] - std::accumulate(t.begin() + i - 15, t.begin() + i + 16, 0.0) / 31);
  }
  EXPECT_GT(LaggedCorrelation(anomaly, anomaly, 1), 0.5);
}

TEST_F(ModelTest, HeatIllnessOccursOnDaysAbove40Degrees) {
  const size_t tmax = climate_->Column("temp_max_c");
  const size_t heat = health_->Column("heat_illness_cases");
  double on_hot = 0, total = 0;
  for (size_t r = 0; r < climate_->rows.size(); ++r) {
    const double cases = std::stod(health_->rows[r][heat]);
    total += cases;
    if (std::stod(climate_->rows[r][tmax]) > 40) on_hot += cases;
  }
  EXPECT_GT(total, 100);
  EXPECT_GT(on_hot / total, 0.85);
}

TEST_F(ModelTest, DengueFollowsRainTwoToSixWeeksLater) {
  for (const char* code : {"MH", "KA", "UP", "WB", "OD"}) {
    const std::vector<double> dengue = Weekly(Health(code, "dengue_cases"));
    const std::vector<double> rain = Weekly(Climate(code, "rainfall_mm"));
    double best = -1;
    for (int lag = 2; lag <= 6; ++lag) best = std::max(best, LaggedCorrelation(dengue, rain, lag));
    EXPECT_GT(best, 0.4) << code;
    EXPECT_GT(best, LaggedCorrelation(dengue, rain, 0) + 0.05) << code;
  }
}

TEST_F(ModelTest, YearToYearDengueTracksThatYearsMonsoon) {
  // Signal beyond the seasonal cycle, which a seasonal-naive forecast misses.
  std::vector<double> rain_ratio, dengue_ratio;
  const std::vector<int> months = Months();
  for (const char* code : {"MH", "KA", "UP", "WB", "OD", "RJ", "GJ", "MP", "BR", "AP", "TS"}) {
    const std::vector<double> rain = Climate(code, "rainfall_mm");
    const std::vector<double> dengue = Health(code, "dengue_cases");
    std::vector<double> season_rain(kYears, 0.0), season_dengue(kYears, 0.0);
    for (size_t i = 0; i < rain.size(); ++i) {
      const size_t year = std::min<size_t>(i / 365, kYears - 1);
      if (months[i] >= 6 && months[i] <= 9) season_rain[year] += rain[i];
      if (months[i] >= 7 && months[i] <= 11) season_dengue[year] += dengue[i];
    }
    const double mean_rain = std::accumulate(season_rain.begin(), season_rain.end(), 0.0) / kYears;
    const double mean_dengue =
        std::accumulate(season_dengue.begin(), season_dengue.end(), 0.0) / kYears;
    for (int y = 0; y < kYears; ++y) {
      rain_ratio.push_back(season_rain[y] / mean_rain);
      dengue_ratio.push_back(season_dengue[y] / mean_dengue);
    }
  }
  EXPECT_GT(Correlation(rain_ratio, dengue_ratio), 0.3);
}

TEST_F(ModelTest, RespiratoryCasesRiseWithPm25) {
  EXPECT_GT(Correlation(Health("DL", "respiratory_cases"), Climate("DL", "pm25_ugm3")), 0.5);
}

TEST_F(ModelTest, BedOccupancyFollowsTheWeeksCases) {
  const size_t code = hospital_->Column("location_code");
  std::vector<double> occupancy;
  for (const auto& row : hospital_->rows) {
    if (row[code] == "KL") occupancy.push_back(std::stod(row[4]) / std::stod(row[3]));
  }
  const std::vector<double> dengue = Health("KL", "dengue_cases");
  std::vector<double> week_cases(dengue.size(), 0.0);
  for (size_t i = 6; i < dengue.size(); ++i) {
    week_cases[i] = std::accumulate(dengue.begin() + i - 6, dengue.begin() + i + 1, 0.0);
  }
  EXPECT_GT(Correlation(occupancy, week_cases), 0.5);
}

}  // namespace
}  // namespace ch::gen
