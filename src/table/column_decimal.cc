// Column: the decimal encoding of float64 columns.
#include <algorithm>
#include <cmath>

#include "table/column.h"

namespace ch {

void Column::UseDecimal() {
  assert(type_ == DataType::kFloat64 && size_ == 0);
  dec_ = true;
  dec_scale_ = 0;
  dec_max_units_ = 0;
  f64_.clear();
}

void Column::DecodeDecimal() {
  if (!dec_) return;
  Buffer<double> values;
  // Keep the room reserved for the rows still to come.
  values.reserve(d16_.capacity());
  const auto rows = static_cast<size_t>(size_);
  values.resize(rows);
  const double unit = kPow10[dec_scale_];
  for (size_t i = 0; i < rows; ++i) values[i] = static_cast<double>(d16_[i]) / unit;
  f64_ = std::move(values);
  Buffer<int16_t>().swap(d16_);
  dec_ = false;
  dec_scale_ = 0;
  dec_max_units_ = 0;
}

void Column::MakeDecimalRoom(int64_t rows) {
  auto want = static_cast<size_t>(rows);
  if (want <= d16_.size()) return;
  size_t grown = std::max({want, d16_.size() * 2, size_t{16}});
  if (d16_.capacity() >= want) grown = std::min(grown, d16_.capacity());  // no move
  // Zeroed, so a copy of the column reads only values that were set.
  d16_.resize(grown, 0);
}

void Column::RaiseDecimalScale(int scale) {
  assert(dec_ && scale >= dec_scale_ && scale <= kMaxDecimalScale);
  if (scale == dec_scale_) return;
  const auto factor = static_cast<int16_t>(kPow10Units[scale - dec_scale_]);
  for (int64_t i = 0; i < size_; ++i) d16_[i] = static_cast<int16_t>(d16_[i] * factor);
  dec_max_units_ *= kPow10Units[scale - dec_scale_];
  dec_scale_ = scale;
}

bool Column::MergeDecimal(const Column& src) {
  assert(dec_ && src.dec_);
  int scale = std::max(dec_scale_, src.dec_scale_);
  uint64_t mine = dec_max_units_ * kPow10Units[scale - dec_scale_];
  uint64_t theirs = src.dec_max_units_ * kPow10Units[scale - src.dec_scale_];
  if (mine > kMaxDecimalUnits || theirs > kMaxDecimalUnits) return false;
  RaiseDecimalScale(scale);
  dec_max_units_ = std::max(mine, theirs);
  return true;
}

void Column::AppendDecimalSlow(uint64_t digits, int frac_digits, bool negative) {
  assert(dec_);
  if (frac_digits > dec_scale_ && frac_digits <= kMaxDecimalScale && digits <= kMaxDecimalUnits &&
      (digits != 0 || !negative) &&
      dec_max_units_ * kPow10Units[frac_digits - dec_scale_] <= kMaxDecimalUnits) {
    // More places than the column had so far, and everything still fits.
    RaiseDecimalScale(frac_digits);
    return AppendDecimal(digits, frac_digits, negative);
  }
  DecodeDecimal();
  AppendFloat64(DecimalToDouble(digits, frac_digits, negative));
}

void Column::AppendFloat64ToDecimal(double v) {
  // The fewest places, from the column's scale on, at which v is a whole
  // number of units whose division gives v back exactly. -0 has no integer
  // of its own.
  const bool negative_zero = v == 0.0 && std::signbit(v);
  for (int scale = dec_scale_; scale <= kMaxDecimalScale && !negative_zero; ++scale) {
    double units = std::nearbyint(v * kPow10[scale]);
    if (!(std::fabs(units) <= static_cast<double>(kMaxDecimalUnits))) break;  // also nan
    if (units / kPow10[scale] != v) continue;
    auto magnitude = static_cast<uint64_t>(std::fabs(units));
    if (dec_max_units_ * kPow10Units[scale - dec_scale_] > kMaxDecimalUnits) break;
    RaiseDecimalScale(scale);
    NextDecimalSlot() = static_cast<int16_t>(units);
    dec_max_units_ = std::max(dec_max_units_, magnitude);
    AppendValid();
    return;
  }
  DecodeDecimal();
  f64_.push_back(v);
  AppendValid();
}

void Column::AppendFloats(const Column& other) {
  if (dec_ && other.dec_ && MergeDecimal(other)) {
    const auto factor = static_cast<int16_t>(kPow10Units[dec_scale_ - other.dec_scale_]);
    MakeDecimalRoom(size_ + other.size_);
    for (int64_t i = 0; i < other.size_; ++i) {
      d16_[size_ + i] = static_cast<int16_t>(other.d16_[i] * factor);
    }
  } else {
    DecodeDecimal();
    f64_.reserve(f64_.size() + static_cast<size_t>(other.size_));
    for (int64_t i = 0; i < other.size_; ++i) f64_.push_back(other.Float64(i));
  }
  AppendValidityOf(other);
  size_ += other.size_;
  null_count_ += other.null_count_;
}

}  // namespace ch
