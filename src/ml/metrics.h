// Evaluation metrics for the risk classifier and the case forecast.
#pragma once

#include <span>

namespace ch::ml {

// Area under the ROC curve of `scores` for binary `labels` (0/1), ties
// counted half (the Mann-Whitney statistic). NaN when one class is absent.
double RocAuc(std::span<const float> scores, std::span<const int> labels);

// Mean squared difference between probabilities and 0/1 outcomes.
double BrierScore(std::span<const float> probabilities, std::span<const int> labels);

// Mean absolute error.
double MeanAbsoluteError(std::span<const float> predicted, std::span<const float> actual);

// Interval score of one central (1 - alpha) interval [lower, upper] for `y`:
// (upper - lower) + 2/alpha * (lower - y)+ + 2/alpha * (y - upper)+.
double IntervalScore(double lower, double upper, double y, double alpha);

// Weighted interval score (Bracher et al. 2021) with the median `median` and
// one central (1 - alpha) interval: (0.5 |y - median| + alpha/2 * IS) / 1.5.
double WeightedIntervalScore(double median, double lower, double upper, double y, double alpha);

}  // namespace ch::ml
