// Column: bulk operations (append, take, slice, compare) over the typed buffers.
#include "table/column.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "table/date.h"

namespace ch {
namespace {

template <typename V>
void TakeInto(const V& from, std::span<const int64_t> indices, V* to) {
  to->resize(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) (*to)[i] = from[indices[i]];
}

template <typename V>
bool SameBytes(const V& a, const V& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0);
}

}  // namespace

Column Column::FromInt64(std::vector<int64_t> values, std::vector<uint8_t> validity) {
  Column c(DataType::kInt64);
  c.i64_.assign(values.begin(), values.end());
  c.size_ = static_cast<int64_t>(c.i64_.size());
  if (!validity.empty()) {
    for (size_t i = 0; i < validity.size(); ++i)
      if (!validity[i]) c.i64_[i] = 0;
  }
  c.valid_.assign(validity.begin(), validity.end());
  for (uint8_t v : c.valid_) c.null_count_ += v ? 0 : 1;
  return c;
}

Column Column::FromFloat64(std::vector<double> values, std::vector<uint8_t> validity) {
  Column c(DataType::kFloat64);
  c.f64_.assign(values.begin(), values.end());
  c.size_ = static_cast<int64_t>(c.f64_.size());
  for (size_t i = 0; i < validity.size(); ++i)
    if (!validity[i]) c.f64_[i] = 0;
  c.valid_.assign(validity.begin(), validity.end());
  for (uint8_t v : c.valid_) c.null_count_ += v ? 0 : 1;
  return c;
}

Column Column::FromDate(std::vector<int32_t> days, std::vector<uint8_t> validity) {
  Column c(DataType::kDate);
  c.i32_.assign(days.begin(), days.end());
  c.size_ = static_cast<int64_t>(c.i32_.size());
  for (size_t i = 0; i < validity.size(); ++i)
    if (!validity[i]) c.i32_[i] = 0;
  c.valid_.assign(validity.begin(), validity.end());
  for (uint8_t v : c.valid_) c.null_count_ += v ? 0 : 1;
  return c;
}

Column Column::FromBool(const std::vector<bool>& values, std::vector<uint8_t> validity) {
  Column c(DataType::kBool);
  for (size_t i = 0; i < values.size(); ++i) {
    bool present = validity.empty() || validity[i];
    if (present) {
      c.AppendBool(values[i]);
    } else {
      c.AppendNull();
    }
  }
  return c;
}

Column Column::FromStrings(const std::vector<std::string_view>& values,
                           std::vector<uint8_t> validity) {
  Column c(DataType::kString);
  for (size_t i = 0; i < values.size(); ++i) {
    if (validity.empty() || validity[i]) {
      c.AppendString(values[i]);
    } else {
      c.AppendNull();
    }
  }
  return c;
}

Column Column::Nulls(DataType type, int64_t n) {
  Column c(type);
  c.AppendNulls(n);
  return c;
}

void Column::MaterializeValidity() {
  if (valid_.empty() && size_ > 0) valid_.assign(static_cast<size_t>(size_), 1);
}

void Column::AppendNulls(int64_t n) {
  if (n <= 0) return;
  MaterializeValidity();
  size_t count = static_cast<size_t>(n);
  switch (type_) {
    case DataType::kInt64:
      i64_.resize(i64_.size() + count, 0);
      break;
    case DataType::kFloat64:
      if (dec_) {
        MakeDecimalRoom(size_ + n);
        std::fill_n(d16_.begin() + size_, count, int16_t{0});
      } else {
        f64_.resize(f64_.size() + count, 0.0);
      }
      break;
    case DataType::kDate:
      i32_.resize(i32_.size() + count, 0);
      break;
    case DataType::kBool:
      u8_.resize(u8_.size() + count, 0);
      break;
    case DataType::kString:
      if (dict_) {
        codes_.resize(codes_.size() + count, 0);  // code 0: the empty string
        dict_rows_ += n;
      } else {
        offsets_.resize(offsets_.size() + count, static_cast<int64_t>(chars_.size()));
      }
      break;
  }
  valid_.resize(valid_.size() + count, 0);
  size_ += n;
  null_count_ += n;
}

void Column::AppendFrom(const Column& other, int64_t row) {
  assert(other.type_ == type_);
  if (other.IsNull(row)) {
    AppendNull();
    return;
  }
  switch (type_) {
    case DataType::kInt64:
      return AppendInt64(other.i64_[row]);
    case DataType::kFloat64:
      if (dec_ && other.dec_ && other.dec_scale_ == dec_scale_) {
        NextDecimalSlot() = other.d16_[row];
        dec_max_units_ = std::max<uint64_t>(dec_max_units_, std::abs(other.d16_[row]));
        return AppendValid();
      }
      return AppendFloat64(other.Float64(row));
    case DataType::kDate:
      return AppendDate(other.i32_[row]);
    case DataType::kBool:
      return AppendBool(other.u8_[row] != 0);
    case DataType::kString:
      return AppendString(other.String(row));
  }
}

Status Column::Append(const Column& other) {
  if (other.type_ != type_) {
    return Status::InvalidArgument(std::string("append column: type ") +
                                   std::string(DataTypeName(other.type_)) + " does not match " +
                                   std::string(DataTypeName(type_)));
  }
  if (&other == this) return Append(Column(other));
  if (dict_ || other.dict_) {
    AppendStrings(other);
    return Status::Ok();
  }
  if (dec_ || other.dec_) {
    AppendFloats(other);
    return Status::Ok();
  }
  i64_.insert(i64_.end(), other.i64_.begin(), other.i64_.end());
  f64_.insert(f64_.end(), other.f64_.begin(), other.f64_.end());
  i32_.insert(i32_.end(), other.i32_.begin(), other.i32_.end());
  u8_.insert(u8_.end(), other.u8_.begin(), other.u8_.end());
  if (type_ == DataType::kString) {
    int64_t base = static_cast<int64_t>(chars_.size());
    chars_.insert(chars_.end(), other.chars_.begin(), other.chars_.end());
    offsets_.reserve(offsets_.size() + other.offsets_.size() - 1);
    for (size_t i = 1; i < other.offsets_.size(); ++i) offsets_.push_back(base + other.offsets_[i]);
  }
  AppendValidityOf(other);
  size_ += other.size_;
  null_count_ += other.null_count_;
  return Status::Ok();
}

void Column::AppendValidityOf(const Column& other) {
  if (other.null_count_ == 0 && valid_.empty()) return;
  MaterializeValidity();
  if (other.valid_.empty()) {
    valid_.resize(valid_.size() + static_cast<size_t>(other.size_), 1);
  } else {
    valid_.insert(valid_.end(), other.valid_.begin(), other.valid_.end());
  }
}

void Column::GrowForWrite(int64_t rows, int64_t string_bytes, int64_t added_nulls) {
  bool with_validity = added_nulls > 0 || !valid_.empty();
  if (with_validity) MaterializeValidity();
  size_t n = static_cast<size_t>(rows);
  switch (type_) {
    case DataType::kInt64:
      i64_.resize(n);
      break;
    case DataType::kFloat64:
      if (dec_) {
        if (d16_.size() < n) d16_.resize(n);
      } else {
        f64_.resize(n);
      }
      break;
    case DataType::kDate:
      i32_.resize(n);
      break;
    case DataType::kBool:
      u8_.resize(n);
      break;
    case DataType::kString:
      if (dict_) {
        dict_rows_ += rows - size_;
        codes_.resize(n);
      } else {
        offsets_.resize(n + 1);
        chars_.resize(static_cast<size_t>(string_bytes));
      }
      break;
  }
  if (with_validity) valid_.resize(n);
  size_ = rows;
  null_count_ += added_nulls;
}

void Column::WriteAt(int64_t row, int64_t char_pos, const Column& src,
                     std::span<const int32_t> code_map) {
  assert(src.type_ == type_ && row + src.size_ <= size_);
  size_t r = static_cast<size_t>(row);
  size_t n = static_cast<size_t>(src.size_);
  auto copy = [&](const auto& from, auto& to) {
    if (n > 0) std::memcpy(to.data() + r, from.data(), n * sizeof(from[0]));
  };
  switch (type_) {
    case DataType::kInt64:
      copy(src.i64_, i64_);
      break;
    case DataType::kFloat64:
      if (dec_) {
        assert(src.dec_ && src.dec_scale_ <= dec_scale_);
        if (src.dec_scale_ == dec_scale_) {
          copy(src.d16_, d16_);
        } else {
          const auto factor = static_cast<int16_t>(kPow10Units[dec_scale_ - src.dec_scale_]);
          for (size_t i = 0; i < n; ++i) d16_[r + i] = static_cast<int16_t>(src.d16_[i] * factor);
        }
      } else if (src.dec_) {
        for (size_t i = 0; i < n; ++i) f64_[r + i] = src.Float64(static_cast<int64_t>(i));
      } else {
        copy(src.f64_, f64_);
      }
      break;
    case DataType::kDate:
      copy(src.i32_, i32_);
      break;
    case DataType::kBool:
      copy(src.u8_, u8_);
      break;
    case DataType::kString:
      if (dict_) {
        assert(src.dict_ && code_map.size() + 1 == src.dict_offsets_.size());
        for (size_t i = 0; i < n; ++i) codes_[r + i] = code_map[src.codes_[i]];
      } else if (src.dict_) {
        for (size_t i = 0; i < n; ++i) {
          std::string_view v = src.DictValue(src.codes_[i]);
          if (!v.empty()) std::memcpy(chars_.data() + char_pos, v.data(), v.size());
          char_pos += static_cast<int64_t>(v.size());
          offsets_[r + i + 1] = char_pos;
        }
      } else {
        if (!src.chars_.empty()) {
          std::memcpy(chars_.data() + char_pos, src.chars_.data(), src.chars_.size());
        }
        for (size_t i = 0; i < n; ++i) offsets_[r + i + 1] = char_pos + src.offsets_[i + 1];
      }
      break;
  }
  if (!valid_.empty()) {
    if (src.valid_.empty()) {
      std::memset(valid_.data() + r, 1, n);
    } else {
      copy(src.valid_, valid_);
    }
  }
}

void Column::Reserve(int64_t rows, int64_t string_bytes) {
  size_t n = static_cast<size_t>(rows);
  switch (type_) {
    case DataType::kInt64:
      return i64_.reserve(n);
    case DataType::kFloat64:
      if (dec_) return d16_.reserve(n);
      return f64_.reserve(n);
    case DataType::kDate:
      return i32_.reserve(n);
    case DataType::kBool:
      return u8_.reserve(n);
    case DataType::kString:
      if (dict_) return codes_.reserve(n);
      offsets_.reserve(n + 1);
      chars_.reserve(static_cast<size_t>(string_bytes));
      return;
  }
}

void Column::Truncate(int64_t rows) {
  assert(rows <= size_);
  size_t n = static_cast<size_t>(rows);
  if (!valid_.empty()) {
    for (size_t i = n; i < valid_.size(); ++i) null_count_ -= valid_[i] ? 0 : 1;
    valid_.resize(n);
  }
  switch (type_) {
    case DataType::kInt64:
      i64_.resize(n);
      break;
    case DataType::kFloat64:
      if (dec_) {      // the slots stay, as room
        if (n == 0) {  // the next rows start from the fewest places again
          dec_scale_ = 0;
          dec_max_units_ = 0;
        }
      } else {
        f64_.resize(n);
      }
      break;
    case DataType::kDate:
      i32_.resize(n);
      break;
    case DataType::kBool:
      u8_.resize(n);
      break;
    case DataType::kString:
      if (dict_) {
        codes_.resize(n);  // the dictionary stays, for the rows appended next
      } else {
        offsets_.resize(n + 1);
        chars_.resize(static_cast<size_t>(offsets_[n]));
      }
      break;
  }
  size_ = rows;
}

Column Column::Take(std::span<const int64_t> indices) const {
  Column c(type_);
  c.size_ = static_cast<int64_t>(indices.size());
  switch (type_) {
    case DataType::kInt64:
      TakeInto(i64_, indices, &c.i64_);
      break;
    case DataType::kFloat64:
      if (dec_) {
        c.dec_ = true;
        c.dec_scale_ = dec_scale_;
        c.dec_max_units_ = dec_max_units_;
        TakeInto(d16_, indices, &c.d16_);  // indices < size_
      } else {
        TakeInto(f64_, indices, &c.f64_);
      }
      break;
    case DataType::kDate:
      TakeInto(i32_, indices, &c.i32_);
      break;
    case DataType::kBool:
      TakeInto(u8_, indices, &c.u8_);
      break;
    case DataType::kString: {
      if (dict_) {
        c.dict_ = true;
        c.dict_rows_ = c.size_;
        c.dict_chars_ = dict_chars_;
        c.dict_offsets_ = dict_offsets_;
        c.dict_slots_ = dict_slots_;
        TakeInto(codes_, indices, &c.codes_);
        break;
      }
      int64_t bytes = 0;
      for (int64_t i : indices) bytes += offsets_[i + 1] - offsets_[i];
      c.chars_.reserve(static_cast<size_t>(bytes));
      c.offsets_.reserve(indices.size() + 1);
      for (int64_t i : indices) {
        c.chars_.insert(c.chars_.end(), chars_.begin() + offsets_[i],
                        chars_.begin() + offsets_[i + 1]);
        c.offsets_.push_back(static_cast<int64_t>(c.chars_.size()));
      }
      break;
    }
  }
  if (null_count_ > 0) {
    TakeInto(valid_, indices, &c.valid_);
    for (uint8_t v : c.valid_) c.null_count_ += v ? 0 : 1;
    if (c.null_count_ == 0) c.valid_.clear();
  }
  return c;
}

Column Column::Slice(int64_t begin, int64_t length) const {
  std::vector<int64_t> indices(static_cast<size_t>(length));
  for (int64_t i = 0; i < length; ++i) indices[static_cast<size_t>(i)] = begin + i;
  return Take(indices);
}

bool Column::Equals(const Column& other) const {
  if (type_ != other.type_ || size_ != other.size_ || null_count_ != other.null_count_)
    return false;
  if (null_count_ > 0 && valid_ != other.valid_) return false;
  if (dict_ || other.dict_) {
    for (int64_t i = 0; i < size_; ++i) {
      if (String(i) != other.String(i)) return false;
    }
    return true;
  }
  if (dec_ || other.dec_) {
    for (int64_t i = 0; i < size_; ++i) {
      if (std::bit_cast<uint64_t>(Float64(i)) != std::bit_cast<uint64_t>(other.Float64(i))) {
        return false;
      }
    }
    return true;
  }
  return SameBytes(i64_, other.i64_) && SameBytes(f64_, other.f64_) &&
         SameBytes(i32_, other.i32_) && SameBytes(u8_, other.u8_) &&
         SameBytes(chars_, other.chars_) && offsets_ == other.offsets_;
}

std::string Column::ValueToString(int64_t i) const {
  if (IsNull(i)) return "null";
  switch (type_) {
    case DataType::kInt64:
      return std::to_string(i64_[i]);
    case DataType::kFloat64: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof(buf), Float64(i));
      return std::string(buf, r.ptr);
    }
    case DataType::kDate:
      return FormatIsoDate(i32_[i]);
    case DataType::kBool:
      return u8_[i] ? "true" : "false";
    case DataType::kString:
      return std::string(String(i));
  }
  return {};
}

}  // namespace ch
