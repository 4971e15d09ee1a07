// Tests of the pure alert rules: IMD heat waves, CHAP/EWARS outbreak thresholds,
// bed occupancy projection, risk levels and the quiet period.
#include "jobs/predict/alert_rules.h"

#include <gtest/gtest.h>

#include <cmath>

#include "table/date.h"

namespace ch::jobs {
namespace {

const int32_t kDay = DaysFromCivil(2024, 5, 20);

TEST(HeatWaveTest, PlainsNeedFortyDegreesAndDeparture) {
  AlertOptions o;
  EXPECT_EQ(ClassifyHeatWave(39.9, 6.0, Terrain::kPlains, o), Severity::kNone);
  EXPECT_EQ(ClassifyHeatWave(40.0, 4.5, Terrain::kPlains, o), Severity::kHigh);
  EXPECT_EQ(ClassifyHeatWave(41.0, 6.4, Terrain::kPlains, o), Severity::kHigh);
  EXPECT_EQ(ClassifyHeatWave(41.0, 6.5, Terrain::kPlains, o), Severity::kSevere);
  EXPECT_EQ(ClassifyHeatWave(42.0, 4.4, Terrain::kPlains, o), Severity::kNone);
}

TEST(HeatWaveTest, CoastalAndHillsHaveLowerMinimums) {
  AlertOptions o;
  EXPECT_EQ(ClassifyHeatWave(37.0, 5.0, Terrain::kCoastal, o), Severity::kHigh);
  EXPECT_EQ(ClassifyHeatWave(36.9, 5.0, Terrain::kCoastal, o), Severity::kNone);
  EXPECT_EQ(ClassifyHeatWave(30.0, 7.0, Terrain::kHills, o), Severity::kSevere);
  EXPECT_EQ(ClassifyHeatWave(29.9, 7.0, Terrain::kHills, o), Severity::kNone);
  EXPECT_EQ(ClassifyHeatWave(37.5, 5.0, Terrain::kPlains, o), Severity::kNone);
}

TEST(HeatWaveTest, AbsoluteTemperatureAloneRaisesWithoutNormal) {
  AlertOptions o;
  EXPECT_EQ(ClassifyHeatWave(44.9, std::nullopt, Terrain::kPlains, o), Severity::kNone);
  EXPECT_EQ(ClassifyHeatWave(45.0, std::nullopt, Terrain::kPlains, o), Severity::kHigh);
  EXPECT_EQ(ClassifyHeatWave(47.0, 0.0, Terrain::kPlains, o), Severity::kSevere);
  // The stronger of the two rules wins.
  EXPECT_EQ(ClassifyHeatWave(45.5, 7.0, Terrain::kPlains, o), Severity::kSevere);
}

TEST(HeatWaveTest, ThresholdsComeFromOptions) {
  AlertOptions o;
  o.heat_plains_min_c = 35;
  o.heat_departure_c = 3;
  EXPECT_EQ(ClassifyHeatWave(36.0, 3.0, Terrain::kPlains, o), Severity::kHigh);
}

TEST(HeatWaveTest, AlertNamesValueAndThreshold) {
  AlertOptions o;
  auto a = HeatWaveAlert("RJ-001", 46.2, 5.1, Terrain::kPlains, kDay, o);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, AlertKind::kHeatWave);
  EXPECT_EQ(a->severity, Severity::kHigh);
  EXPECT_TRUE(a->disease.empty());
  EXPECT_DOUBLE_EQ(a->value, 46.2);
  EXPECT_DOUBLE_EQ(*a->threshold, 45.0);
  EXPECT_NE(a->message.find("RJ-001"), std::string::npos);
  EXPECT_FALSE(HeatWaveAlert("RJ-001", 38, 5.1, Terrain::kPlains, kDay, o));
}

TEST(TerrainTest, ParsesKnownClassesAndNamesBadOnes) {
  EXPECT_EQ(*ParseTerrain("hills"), Terrain::kHills);
  auto bad = ParseTerrain("desert");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("desert"), std::string::npos);
}

// Three past years; on the same day-of-year windows the values are 10, 12, 14.
DailySeries ThreeYearHistory(int32_t target) {
  DailySeries s;
  s.first_date = target - 3 * 366 - 30;
  s.values.assign(static_cast<size_t>(target - s.first_date), 100.0);
  for (int year = 1; year <= 3; ++year) {
    auto center = static_cast<int32_t>(target - std::lround(365.25 * year));
    for (int d = -7; d <= 7; ++d) {
      s.values[static_cast<size_t>(center + d - s.first_date)] = 8.0 + 2 * year;
    }
  }
  return s;
}

TEST(OutbreakThresholdTest, IsSeasonalMeanPlusKStandardDeviations) {
  AlertOptions o;
  DailySeries s = ThreeYearHistory(kDay);
  auto t = SeasonalThreshold(s, kDay, o);
  ASSERT_TRUE(t);
  // 45 samples: 15 each of 10, 12, 14. Mean 12, sample variance 8*15/44*... computed:
  double var = (15 * 4.0 + 15 * 0.0 + 15 * 4.0) / 44.0;
  EXPECT_NEAR(*t, 12.0 + 2.0 * std::sqrt(var), 1e-9);
  o.outbreak_k = 3;
  EXPECT_NEAR(*SeasonalThreshold(s, kDay, o), 12.0 + 3.0 * std::sqrt(var), 1e-9);
}

TEST(OutbreakThresholdTest, ShortOrMissingHistoryGivesNoThreshold) {
  AlertOptions o;
  DailySeries s;
  s.first_date = kDay - 100;
  s.values.assign(100, 5.0);
  EXPECT_FALSE(SeasonalThreshold(s, kDay, o));
  DailySeries gaps = ThreeYearHistory(kDay);
  for (double& v : gaps.values) v = std::nan("");
  EXPECT_FALSE(SeasonalThreshold(gaps, kDay, o));
}

TEST(OutbreakThresholdTest, AZeroBaselineStillNeedsWholeCases) {
  AlertOptions o;
  DailySeries zeros = ThreeYearHistory(kDay);
  for (double& v : zeros.values) v = 0.0;
  ASSERT_TRUE(SeasonalThreshold(zeros, kDay, o));
  EXPECT_DOUBLE_EQ(*SeasonalThreshold(zeros, kDay, o), 1.0);
  // A forecast of a few hundredths of a case is no outbreak...
  std::vector<ForecastDay> quiet = {{kDay + 1, 0.02, 0.0, 0.05}};
  EXPECT_FALSE(OutbreakAlert("RJ", "heat_illness", zeros, quiet, 0.8, kDay, o));
  // ... but several cases where there are usually none is.
  std::vector<ForecastDay> cases = {{kDay + 1, 4.0, 2.5, 5.5}};
  EXPECT_TRUE(OutbreakAlert("RJ", "heat_illness", zeros, cases, 0.8, kDay, o));
  o.outbreak_min_cases = -1;
  EXPECT_FALSE(ValidateAlertOptions(o).ok());
}

TEST(OutbreakProbabilityTest, FollowsTheNormalImpliedByTheInterval) {
  // 80% interval ±1.2816 sigma: sigma = 1 here.
  double z = NormalQuantile(0.9);
  EXPECT_NEAR(z, 1.2815515655, 1e-8);
  EXPECT_NEAR(ExceedanceProbability(10, 10 - z, 10 + z, 0.8, 10), 0.5, 1e-9);
  EXPECT_NEAR(ExceedanceProbability(10, 10 - z, 10 + z, 0.8, 11), 0.158655254, 1e-6);
  EXPECT_EQ(ExceedanceProbability(10, 10, 10, 0.8, 9), 1.0);
  EXPECT_EQ(ExceedanceProbability(10, 10, 10, 0.8, 11), 0.0);
}

TEST(OutbreakAlertTest, RaisedForTheMostLikelyDayWithSeverityByProbability) {
  AlertOptions o;
  DailySeries s = ThreeYearHistory(kDay);
  double threshold = *SeasonalThreshold(s, kDay + 2, o);
  std::vector<ForecastDay> days = {{kDay + 1, 1, 0, 2},
                                   {kDay + 2, threshold + 3, threshold + 1.5, threshold + 4.5}};
  auto a = OutbreakAlert("KA-001", "dengue", s, days, 0.8, kDay, o);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, AlertKind::kOutbreakThreshold);
  EXPECT_EQ(a->disease, "dengue");
  EXPECT_GT(a->value, 0.95);
  EXPECT_EQ(a->severity, Severity::kSevere);
  EXPECT_DOUBLE_EQ(*a->threshold, 0.5);
  days.pop_back();
  EXPECT_FALSE(OutbreakAlert("KA-001", "dengue", s, days, 0.8, kDay, o));
}

TEST(OutbreakAlertTest, SeverityLevelsAreConfigurable) {
  AlertOptions o;
  EXPECT_EQ(OutbreakSeverity(0.5, o), Severity::kNone);
  EXPECT_EQ(OutbreakSeverity(0.6, o), Severity::kModerate);
  EXPECT_EQ(OutbreakSeverity(0.85, o), Severity::kHigh);
  o.outbreak_probability = 0.9;
  o.outbreak_high_probability = 0.95;
  o.outbreak_severe_probability = 0.99;
  EXPECT_EQ(OutbreakSeverity(0.85, o), Severity::kNone);
}

TEST(BedOccupancyTest, ProjectsTheLinearTrend) {
  AlertOptions o;
  DailySeries s;
  s.first_date = kDay - 13;
  for (int i = 0; i < 14; ++i) s.values.push_back(0.68 + 0.01 * i);  // 0.81 on kDay
  auto p = ProjectBedOccupancy(s, kDay, o);
  ASSERT_TRUE(p);
  EXPECT_NEAR(*p, 0.88, 1e-9);
  auto a = BedOccupancyAlert("DL", s, kDay, o);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->severity, Severity::kModerate);
  EXPECT_NEAR(a->value, 0.88, 1e-9);
  EXPECT_DOUBLE_EQ(*a->threshold, 0.85);
}

TEST(BedOccupancyTest, FlatLowOccupancyAndSparseDataRaiseNothing) {
  AlertOptions o;
  DailySeries flat{kDay - 13, std::vector<double>(14, 0.5)};
  EXPECT_FALSE(BedOccupancyAlert("DL", flat, kDay, o));
  DailySeries one{kDay, {0.99}};
  EXPECT_FALSE(ProjectBedOccupancy(one, kDay, o));
  EXPECT_EQ(BedSeverity(0.96, o), Severity::kSevere);
  EXPECT_EQ(BedSeverity(0.91, o), Severity::kHigh);
}

TEST(RiskLevelTest, RaisedAtTheConfiguredMinimumLevel) {
  AlertOptions o;
  EXPECT_FALSE(RiskLevelAlert("KA", "malaria", Severity::kModerate, 0.4, kDay, o));
  auto a = RiskLevelAlert("KA", "malaria", Severity::kSevere, 0.9, kDay, o);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->severity, Severity::kSevere);
  EXPECT_FALSE(a->threshold);
  o.risk_min_level = Severity::kModerate;
  EXPECT_TRUE(RiskLevelAlert("KA", "malaria", Severity::kModerate, 0.4, kDay, o));
}

Alert Make(std::string loc, std::string disease, AlertKind kind, Severity s, int32_t date,
           int32_t first) {
  Alert a{loc, disease, kind, s};
  a.date = date;
  a.first_raised = first;
  return a;
}

TEST(QuietPeriodTest, SuppressesRepeatsWithinSevenDays) {
  AlertOptions o;
  std::vector<Alert> previous = {
      Make("KA", "dengue", AlertKind::kRiskLevel, Severity::kHigh, kDay - 6, kDay - 8)};
  std::vector<Alert> candidates = {
      Make("KA", "dengue", AlertKind::kRiskLevel, Severity::kHigh, kDay, kDay),
      Make("KA", "malaria", AlertKind::kRiskLevel, Severity::kHigh, kDay, kDay),
      Make("KA", "dengue", AlertKind::kOutbreakThreshold, Severity::kHigh, kDay, kDay)};
  auto kept = ApplyQuietPeriod(candidates, previous, kDay, o);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].disease, "malaria");
  EXPECT_EQ(kept[1].kind, AlertKind::kOutbreakThreshold);
  EXPECT_EQ(kept[1].first_raised, kDay);
}

TEST(QuietPeriodTest, ReRaisesAfterTheQuietDaysAndOnEscalation) {
  AlertOptions o;
  std::vector<Alert> week_ago = {
      Make("KA", "", AlertKind::kHeatWave, Severity::kHigh, kDay - 7, kDay - 7)};
  auto kept = ApplyQuietPeriod({Make("KA", "", AlertKind::kHeatWave, Severity::kHigh, kDay, kDay)},
                               week_ago, kDay, o);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].first_raised, kDay);

  std::vector<Alert> recent = {
      Make("KA", "", AlertKind::kHeatWave, Severity::kHigh, kDay - 3, kDay - 5),
      Make("KA", "", AlertKind::kHeatWave, Severity::kHigh, kDay - 5, kDay - 5)};
  kept = ApplyQuietPeriod({Make("KA", "", AlertKind::kHeatWave, Severity::kSevere, kDay, kDay)},
                          recent, kDay, o);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].first_raised, kDay - 5);
  // A severe alert two days ago keeps today's high one quiet.
  recent.push_back(Make("KA", "", AlertKind::kHeatWave, Severity::kSevere, kDay - 2, kDay - 5));
  EXPECT_TRUE(
      ApplyQuietPeriod({Make("KA", "", AlertKind::kHeatWave, Severity::kSevere, kDay, kDay)},
                       recent, kDay, o)
          .empty());
}

TEST(QuietPeriodTest, IgnoresAlertsOfTheSameOrLaterRuns) {
  AlertOptions o;
  std::vector<Alert> same_day = {
      Make("KA", "dengue", AlertKind::kRiskLevel, Severity::kHigh, kDay, kDay)};
  auto kept =
      ApplyQuietPeriod({Make("KA", "dengue", AlertKind::kRiskLevel, Severity::kHigh, kDay, kDay)},
                       same_day, kDay, o);
  EXPECT_EQ(kept.size(), 1u);
}

TEST(AlertOptionsTest, DefaultsAreValidAndBadValuesNameTheKey) {
  EXPECT_TRUE(ValidateAlertOptions(AlertOptions{}).ok());
  AlertOptions o;
  o.outbreak_probability = 1.5;
  Status s = ValidateAlertOptions(o);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("alerts.outbreak_probability"), std::string::npos);
  o = AlertOptions{};
  o.bed_high_share = 0.5;
  EXPECT_NE(ValidateAlertOptions(o).message().find("alerts.bed_high_share"), std::string::npos);
  o = AlertOptions{};
  o.heat_severe_departure_c = 3;
  EXPECT_FALSE(ValidateAlertOptions(o).ok());
}

TEST(AlertOptionsTest, ConfigurationSetsFieldsAndNamesBadKeysWithTheirLine) {
  Config config;
  config.source = "ch.toml";
  config.alerts = {
      {"outbreak_k", 3.0, "ch.toml:2:14: alerts.outbreak_k"},
      {"quiet_days", 3.0, "ch.toml:3:14: alerts.quiet_days"},
      {"risk_min_level", std::string("severe"), "ch.toml:4:18: alerts.risk_min_level"}};
  auto o = AlertOptionsFromConfig(config);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->outbreak_k, 3.0);
  EXPECT_EQ(o->quiet_days, 3);
  EXPECT_EQ(o->risk_min_level, Severity::kSevere);

  config.alerts = {{"outbreak_kk", 3.0, "ch.toml:2:15: alerts.outbreak_kk"}};
  auto unknown = AlertOptionsFromConfig(config);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("ch.toml:2:15"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("unknown key 'alerts.outbreak_kk'"), std::string::npos)
      << unknown.status().message();

  config.alerts = {{"quiet_days", 2.5, "ch.toml:5:14: alerts.quiet_days"}};
  EXPECT_FALSE(AlertOptionsFromConfig(config).ok());
  config.alerts = {{"heat_absolute_c", std::string("hot"), "ch.toml:6:1: alerts.heat_absolute_c"}};
  EXPECT_FALSE(AlertOptionsFromConfig(config).ok());
  // Each value alone is fine, but the levels must stay ordered.
  config.alerts = {{"outbreak_probability", 0.9, "ch.toml:7:1: alerts.outbreak_probability"}};
  auto unordered = AlertOptionsFromConfig(config);
  ASSERT_FALSE(unordered.ok());
  EXPECT_NE(unordered.status().message().find("ch.toml"), std::string::npos);
}

TEST(AlertNamesTest, RoundTrip) {
  for (auto k : {AlertKind::kRiskLevel, AlertKind::kOutbreakThreshold, AlertKind::kBedOccupancy,
                 AlertKind::kHeatWave}) {
    EXPECT_EQ(*ParseAlertKind(AlertKindName(k)), k);
  }
  EXPECT_EQ(*ParseSeverity("severe"), Severity::kSevere);
  EXPECT_FALSE(ParseSeverity("none").ok());
}

}  // namespace
}  // namespace ch::jobs
