// Prediction throughput of the risk booster through ch::ml::Booster: 1M feature
// rows in one call, then small batches of 1..100 rows. Writes the model and the
// rows for the Python peer (predict_throughput.py) so both use the same inputs.
//
//   bench_predict_throughput DIR [rows]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "ml/booster.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_predict_throughput DIR [rows]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const int64_t rows = argc > 2 ? std::stoll(argv[2]) : 1000000;
  const int cols = 60;  // about the width of the risk model's matrix
  ch::ml::DenseMatrix x;
  x.rows = rows;
  x.cols = cols;
  x.values.resize(static_cast<size_t>(rows) * cols);
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  for (float& v : x.values) v = normal(rng);
  std::vector<float> y(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    float s = x.at(r, 0) + 0.5f * x.at(r, 1) - x.at(r, 2) * x.at(r, 3);
    y[static_cast<size_t>(r)] = s < -1 ? 0 : s < 0 ? 1 : s < 1 ? 2 : 3;
  }
  ch::ml::DenseMatrix train = x;
  train.rows = std::min<int64_t>(rows, 50000);
  train.values.resize(static_cast<size_t>(train.rows) * cols);
  ch::ml::TrainOptions options;
  options.params = {{"objective", "multi:softprob"}, {"num_class", "4"}, {"max_depth", "6"}};
  options.num_rounds = 100;
  auto booster = ch::ml::Booster::Train(train, std::span(y).first(train.rows), options);
  if (!booster.ok()) {
    std::fprintf(stderr, "train: %s\n", booster.status().ToString().c_str());
    return 1;
  }
  auto bytes = booster->Save(ch::ml::ModelFormat::kUbj);
  std::ofstream(dir + "/model.ubj", std::ios::binary).write(bytes->data(), bytes->size());
  std::ofstream(dir + "/rows.f32", std::ios::binary)
      .write(reinterpret_cast<const char*>(x.values.data()), x.values.size() * sizeof(float));
  auto loaded = ch::ml::Booster::Load(*bytes, 2);
  // Best of three here and for each batch size, as the Python peer does: one
  // run is at the mercy of the machine.
  double big = 1e300;
  for (int run = 0; run < 3; ++run) {
    auto start = Clock::now();
    auto p = loaded->Predict(x);
    big = std::min(big, Seconds(start));
    if (!p.ok()) return 1;
  }
  std::printf("{\"impl\": \"climahealth\", \"rows\": %lld, \"bulk_rows_per_s\": %.0f",
              static_cast<long long>(rows), rows / big);
  for (int batch : {1, 10, 100}) {
    const int64_t calls = batch == 1 ? 20000 : batch == 10 ? 10000 : 3000;
    double best = 1e300;
    for (int run = 0; run < 3; ++run) {
      auto start = Clock::now();
      for (int64_t c = 0; c < calls; ++c) {
        auto q = loaded->Predict(x.values.data() + (c % 1000) * batch * cols, batch, cols);
        if (!q.ok()) return 1;
      }
      best = std::min(best, Seconds(start));
    }
    std::printf(", \"batch%d_rows_per_s\": %.0f", batch, calls * batch / best);
  }
  std::printf("}\n");
  return 0;
}
