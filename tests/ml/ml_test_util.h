// Helpers shared by the ml tests: synthetic matrices and float32 files.
#pragma once

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "ml/matrix.h"

namespace ch::ml::testing {

// rows x cols of N(0,1) values, ~5% NaN, names f0..f<cols-1>.
inline DenseMatrix RandomMatrix(int64_t rows, int cols, uint32_t seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> unit;
  DenseMatrix m;
  m.rows = rows;
  m.cols = cols;
  for (int c = 0; c < cols; ++c) m.feature_names.push_back("f" + std::to_string(c));
  m.values.resize(rows * cols);
  for (float& v : m.values) v = unit(gen) < 0.05f ? NAN : normal(gen);
  return m;
}

inline float Clean(float v) { return std::isnan(v) ? 0.0f : v; }

inline void WriteFloats(const std::filesystem::path& path, const std::vector<float>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
}

inline std::vector<float> ReadFloats(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<float> v(std::filesystem::file_size(path) / 4);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
  return v;
}

}  // namespace ch::ml::testing
