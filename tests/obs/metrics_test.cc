// Tests of the Prometheus metrics registry and its text exposition.
#include "obs/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace ch::obs {
namespace {

TEST(MetricsTest, CounterIsExposedWithHelpTypeAndLabels) {
  MetricsRegistry registry;
  registry.GetCounter("ch_requests_total", "Requests.", {{"route", "/a"}}).Increment();
  registry.GetCounter("ch_requests_total", "Requests.", {{"route", "/a"}}).Increment(2);
  std::string text = registry.Expose();
  EXPECT_NE(text.find("# HELP ch_requests_total Requests.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE ch_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("ch_requests_total{route=\"/a\"} 3\n"), std::string::npos) << text;
}

TEST(MetricsTest, SameNameAndLabelsInAnyOrderReturnTheSameSeries) {
  MetricsRegistry registry;
  Counter& a = registry.GetCounter("c_total", "h", {{"x", "1"}, {"y", "2"}});
  Counter& b = registry.GetCounter("c_total", "h", {{"y", "2"}, {"x", "1"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &registry.GetCounter("c_total", "h", {{"x", "1"}, {"y", "3"}}));
}

TEST(MetricsTest, CounterIgnoresNegativeIncrements) {
  MetricsRegistry registry;
  Counter& c = registry.GetCounter("c_total", "h");
  c.Increment(5);
  c.Increment(-3);
  EXPECT_EQ(c.Value(), 5);
}

TEST(MetricsTest, GaugeGoesUpAndDownAndPrintsFractions) {
  MetricsRegistry registry;
  Gauge& g = registry.GetGauge("ch_in_flight", "In flight.");
  g.Set(2);
  g.Add(-0.5);
  EXPECT_EQ(g.Value(), 1.5);
  EXPECT_NE(registry.Expose().find("ch_in_flight 1.5\n"), std::string::npos);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry registry;
  Histogram& h = registry.GetHistogram("lat_seconds", "Latency.", {{"op", "get"}}, {0.1, 1});
  h.Observe(0.05);
  h.Observe(0.1);  // le is inclusive
  h.Observe(0.5);
  h.Observe(7);
  std::string text = registry.Expose();
  EXPECT_NE(text.find("lat_seconds_bucket{op=\"get\",le=\"0.10000000000000001\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lat_seconds_bucket{op=\"get\",le=\"1\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{op=\"get\",le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_sum{op=\"get\"} 7.6500000000000004\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count{op=\"get\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE lat_seconds histogram\n"), std::string::npos);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  MetricsRegistry registry;
  registry.GetCounter("c_total", "h", {{"path", "a\"b\\c\nd"}}).Increment();
  EXPECT_NE(registry.Expose().find("c_total{path=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos)
      << registry.Expose();
}

TEST(MetricsTest, ConflictingTypeOrInvalidNameIsDetachedAndCounted) {
  MetricsRegistry registry;
  registry.GetCounter("thing", "h").Increment();
  registry.GetGauge("thing", "h").Set(42);           // conflicting type
  registry.GetCounter("bad-name", "h").Increment();  // invalid name
  registry.GetCounter("ok_total", "h", {{"bad label", "x"}}).Increment();
  std::string text = registry.Expose();
  EXPECT_EQ(text.find("42"), std::string::npos) << text;
  EXPECT_EQ(text.find("bad-name"), std::string::npos);
  EXPECT_EQ(text.find("bad label"), std::string::npos);
  EXPECT_NE(text.find("ch_metrics_registration_errors_total 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("thing 1\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentUpdatesFromManyThreadsAreAllCounted) {
  MetricsRegistry registry;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&registry, t] {
      for (int i = 0; i < 1000; ++i) {
        registry.GetCounter("c_total", "h", {{"shard", std::to_string(t % 2)}}).Increment();
        registry.GetHistogram("h_seconds", "h").Observe(0.001);
        if (i % 100 == 0) (void)registry.Expose();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(registry.GetCounter("c_total", "h", {{"shard", "0"}}).Value(), 4000);
  EXPECT_EQ(registry.GetCounter("c_total", "h", {{"shard", "1"}}).Value(), 4000);
  EXPECT_EQ(registry.GetHistogram("h_seconds", "h").Count(), 8000u);
}

}  // namespace
}  // namespace ch::obs
