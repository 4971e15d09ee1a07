// A small thread-safe Prometheus metrics registry: counters, gauges and
// histograms with labels, exposed in the text format (version 0.0.4).
//
// Usage:
//   obs::MetricsRegistry registry;
//   obs::Counter& requests = registry.GetCounter(
//       "ch_http_requests_total", "HTTP requests served.", {{"route", "/health"}});
//   requests.Increment();
//   std::string text = registry.Expose();  // for GET /metrics or --metrics-file
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ch::obs {

// Label names and values of one series, e.g. {{"method", "GET"}, {"code", "200"}}.
// Order does not matter: series are identified by the sorted set.
using Labels = std::vector<std::pair<std::string, std::string>>;

// A monotonically increasing value. Lock-free; safe from any thread.
class Counter {
 public:
  // Adds `amount`; negative amounts are ignored (counters never go down).
  void Increment(double amount = 1.0);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down. Lock-free; safe from any thread.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double amount);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Observations counted into cumulative buckets with upper bounds `bounds`
// (ascending; +Inf is implicit). Lock-free; safe from any thread.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  // Non-cumulative count of bucket i (i == bounds().size() is the +Inf bucket).
  uint64_t BucketCount(size_t i) const { return counts_[i].load(std::memory_order_relaxed); }
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  double Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

// Latency buckets in seconds, 0.5 ms to 10 s.
std::vector<double> DefaultLatencyBuckets();

// Holds metric families by name; each family holds one series per label set.
//
// Thread-safe. The Get* functions create a series on first use and return the
// same object for the same name and labels afterwards; returned references
// stay valid for the registry's lifetime, so hot paths may keep them.
//
// Names must match [a-zA-Z_:][a-zA-Z0-9_:]* and label names
// [a-zA-Z_][a-zA-Z0-9_]*. Asking for an invalid name, or for a name already
// registered with another type, is a programming error: the call returns a
// detached metric that is never exposed, and the registry counts the mistake
// in `ch_metrics_registration_errors_total` (so it shows up on /metrics).
// The help text of the first registration of a name wins.
class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  Counter& GetCounter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, const Labels& labels = {});
  // `bounds` applies when the family is created; later calls reuse the family's.
  Histogram& GetHistogram(std::string_view name, std::string_view help, const Labels& labels = {},
                          std::vector<double> bounds = DefaultLatencyBuckets());

  // Every family in name order, series in label order, in the Prometheus
  // text exposition format (Content-Type: kContentType).
  std::string Expose() const;

  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Family;
  enum class Kind { kCounter, kGauge, kHistogram };
  void* Find(Kind kind, std::string_view name, std::string_view help, const Labels& labels,
             std::vector<double>* bounds);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
  std::vector<std::unique_ptr<Counter>> detached_counters_;
  std::vector<std::unique_ptr<Gauge>> detached_gauges_;
  std::vector<std::unique_ptr<Histogram>> detached_histograms_;
  Counter* registration_errors_ = nullptr;
};

// Escapes a label value for the text format (backslash, quote, newline).
std::string EscapeLabelValue(std::string_view value);

}  // namespace ch::obs
