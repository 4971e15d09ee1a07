// Metric implementations (pure functions).
#include "ml/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace ch::ml {

double RocAuc(std::span<const float> scores, std::span<const int> labels) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Sum of the (tie-averaged) ranks of the positives.
  double rank_sum = 0;
  double positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) {
      if (labels[order[k]] != 0) rank_sum += avg_rank, positives += 1;
    }
    i = j;
  }
  double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

double BrierScore(std::span<const float> probabilities, std::span<const int> labels) {
  if (probabilities.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (size_t i = 0; i < probabilities.size(); ++i) {
    double d = probabilities[i] - (labels[i] != 0 ? 1.0 : 0.0);
    sum += d * d;
  }
  return sum / static_cast<double>(probabilities.size());
}

double MeanAbsoluteError(std::span<const float> predicted, std::span<const float> actual) {
  if (predicted.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) sum += std::fabs(predicted[i] - actual[i]);
  return sum / static_cast<double>(predicted.size());
}

double IntervalScore(double lower, double upper, double y, double alpha) {
  return (upper - lower) + 2 / alpha * std::max(0.0, lower - y) +
         2 / alpha * std::max(0.0, y - upper);
}

double WeightedIntervalScore(double median, double lower, double upper, double y, double alpha) {
  return (0.5 * std::fabs(y - median) + alpha / 2 * IntervalScore(lower, upper, y, alpha)) / 1.5;
}

}  // namespace ch::ml
