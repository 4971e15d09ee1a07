// The metrics registry and its text exposition.
#include "obs/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ch::obs {
namespace {

bool ValidName(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `{a="x",b="y"}` (with `extra` appended, e.g. le="0.5"); empty when no labels.
std::string LabelText(const Labels& labels, std::string_view extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += name + "=\"" + EscapeLabelValue(value) + "\"";
  }
  if (!extra.empty()) {
    if (out.size() > 1) out += ',';
    out += extra;
  }
  return out + "}";
}

void AtomicAdd(std::atomic<double>& target, double amount) {
  double old = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(old, old + amount, std::memory_order_relaxed)) {
  }
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Counter::Increment(double amount) {
  if (amount > 0) AtomicAdd(value_, amount);
}

void Gauge::Add(double amount) { AtomicAdd(value_, amount); }

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  counts_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::Observe(double value) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, value);
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

struct MetricsRegistry::Family {
  Kind kind;
  std::string help;
  std::vector<double> bounds;
  struct Series {
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };
  std::map<Labels, Series> series;
};

MetricsRegistry::MetricsRegistry() {
  registration_errors_ =
      &GetCounter("ch_metrics_registration_errors_total",
                  "Metrics asked for with an invalid name or a conflicting type.");
}

MetricsRegistry::~MetricsRegistry() = default;

void* MetricsRegistry::Find(Kind kind, std::string_view name, std::string_view help,
                            const Labels& labels, std::vector<double>* bounds) {
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  bool valid = ValidName(name, true);
  for (const auto& [label, value] : sorted) valid = valid && ValidName(label, false);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(name);
  if (valid && it == families_.end()) {
    auto family = std::make_unique<Family>();
    family->kind = kind;
    family->help = std::string(help);
    if (bounds != nullptr) family->bounds = *bounds;
    it = families_.emplace(std::string(name), std::move(family)).first;
  }
  if (!valid || it->second->kind != kind) {
    if (registration_errors_ != nullptr) registration_errors_->Increment();
    switch (kind) {
      case Kind::kCounter:
        return detached_counters_.emplace_back(std::make_unique<Counter>()).get();
      case Kind::kGauge:
        return detached_gauges_.emplace_back(std::make_unique<Gauge>()).get();
      case Kind::kHistogram:
        return detached_histograms_
            .emplace_back(std::make_unique<Histogram>(bounds ? *bounds : std::vector<double>{}))
            .get();
    }
  }
  Family& family = *it->second;
  Family::Series& series = family.series[sorted];
  switch (kind) {
    case Kind::kCounter:
      if (!series.counter) series.counter = std::make_unique<Counter>();
      return series.counter.get();
    case Kind::kGauge:
      if (!series.gauge) series.gauge = std::make_unique<Gauge>();
      return series.gauge.get();
    case Kind::kHistogram:
      if (!series.histogram) series.histogram = std::make_unique<Histogram>(family.bounds);
      return series.histogram.get();
  }
  return nullptr;
}

Counter& MetricsRegistry::GetCounter(std::string_view name, std::string_view help,
                                     const Labels& labels) {
  return *static_cast<Counter*>(Find(Kind::kCounter, name, help, labels, nullptr));
}

Gauge& MetricsRegistry::GetGauge(std::string_view name, std::string_view help,
                                 const Labels& labels) {
  return *static_cast<Gauge*>(Find(Kind::kGauge, name, help, labels, nullptr));
}

Histogram& MetricsRegistry::GetHistogram(std::string_view name, std::string_view help,
                                         const Labels& labels, std::vector<double> bounds) {
  return *static_cast<Histogram*>(Find(Kind::kHistogram, name, help, labels, &bounds));
}

namespace {

void ExposeHistogram(const std::string& name, const Labels& labels, const Histogram& h,
                     std::string& out) {
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= h.bounds().size(); ++i) {
    cumulative += h.BucketCount(i);
    std::string le = i < h.bounds().size() ? FormatValue(h.bounds()[i]) : "+Inf";
    out += name + "_bucket" + LabelText(labels, "le=\"" + le + "\"") + " " +
           std::to_string(cumulative) + "\n";
  }
  out += name + "_sum" + LabelText(labels) + " " + FormatValue(h.Sum()) + "\n";
  out += name + "_count" + LabelText(labels) + " " + std::to_string(cumulative) + "\n";
}

}  // namespace

std::string MetricsRegistry::Expose() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, family] : families_) {
    static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + name + " " + EscapeHelp(family->help) + "\n";
    out += "# TYPE " + name + " " + kTypes[static_cast<int>(family->kind)] + "\n";
    for (const auto& [labels, series] : family->series) {
      if (series.counter) {
        out += name + LabelText(labels) + " " + FormatValue(series.counter->Value()) + "\n";
      } else if (series.gauge) {
        out += name + LabelText(labels) + " " + FormatValue(series.gauge->Value()) + "\n";
      } else if (series.histogram) {
        ExposeHistogram(name, labels, *series.histogram, out);
      }
    }
  }
  return out;
}

}  // namespace ch::obs
