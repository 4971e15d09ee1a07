// Column: one typed, nullable column of a Table, stored contiguously.
#pragma once

#include <cassert>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "table/buffer_allocator.h"
#include "table/schema.h"

namespace ch {

// A column of values of one DataType, with nulls.
//
// Storage: fixed-width values in one vector (int64, double, int32 days, or a
// byte 0/1 for bool); strings Arrow-style as one character buffer plus
// size()+1 offsets or, once UseDictionary() is called, as a 4-byte code per
// row into a dictionary of the distinct values (a location code column of
// 11 million rows: 44 MB instead of 149); float64 columns, once UseDecimal()
// is called, as 2-byte integers scaled by a power of ten for as long as every
// value is such a short decimal (a temperature column of 11 million rows:
// 22 MB instead of 88). Validity is a byte per row
// (1 = present), materialised only once the first null is appended, so a
// column without nulls pays nothing for it. A null slot holds 0 / the empty
// string. The representation never changes what a column holds: values,
// Equals and every operation are the same for both.
//
// Typed accessors and appenders have the precondition that the column has
// that type (checked by assert). Not synchronised: concurrent reads are safe,
// a write needs exclusive access.
class Column {
 public:
  explicit Column(DataType type = DataType::kString) : type_(type) {
    if (type == DataType::kString) offsets_.push_back(0);
  }

  // Whole-column constructors; `validity` (optional) has one byte per value.
  static Column FromInt64(std::vector<int64_t> values, std::vector<uint8_t> validity = {});
  static Column FromFloat64(std::vector<double> values, std::vector<uint8_t> validity = {});
  static Column FromDate(std::vector<int32_t> days, std::vector<uint8_t> validity = {});
  static Column FromBool(const std::vector<bool>& values, std::vector<uint8_t> validity = {});
  static Column FromStrings(const std::vector<std::string_view>& values,
                            std::vector<uint8_t> validity = {});
  // A column of `n` nulls.
  static Column Nulls(DataType type, int64_t n);

  DataType type() const { return type_; }
  int64_t size() const { return size_; }
  int64_t null_count() const { return null_count_; }
  bool IsNull(int64_t i) const { return !valid_.empty() && valid_[i] == 0; }
  bool IsValid(int64_t i) const { return !IsNull(i); }

  int64_t Int64(int64_t i) const { return (assert(type_ == DataType::kInt64), i64_[i]); }
  double Float64(int64_t i) const {
    assert(type_ == DataType::kFloat64);
    // One IEEE division of two exact numbers: the value a parse of the
    // decimal text gives, bit for bit.
    if (dec_) return static_cast<double>(d16_[i]) / kPow10[dec_scale_];
    return f64_[i];
  }
  int32_t Date(int64_t i) const { return (assert(type_ == DataType::kDate), i32_[i]); }
  bool Bool(int64_t i) const { return (assert(type_ == DataType::kBool), u8_[i] != 0); }
  std::string_view String(int64_t i) const {
    assert(type_ == DataType::kString);
    if (dict_) return DictValue(codes_[i]);
    return {chars_.data() + offsets_[i], static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
  }

  std::span<const int64_t> int64_values() const { return i64_; }
  std::span<const int32_t> date_values() const { return i32_; }
  std::span<const uint8_t> bool_values() const { return u8_; }
  // All string bytes, and size()+1 offsets into them. Plain string columns
  // only (see dictionary_encoded()).
  std::string_view string_data() const {
    assert(!dict_);
    return {chars_.data(), chars_.size()};
  }
  std::span<const int64_t> string_offsets() const {
    assert(!dict_);
    return offsets_;
  }
  // The bytes of all string values together, as a plain column holds them.
  int64_t string_bytes() const;

  // String columns: from now on (and after Truncate) values are stored as
  // codes into a dictionary of the distinct ones, for as long as they stay
  // few. A column whose distinct values grow past kMaxDictionaryValues, or
  // past half its rows once it has had 65,536, turns plain again for good.
  // Precondition: an empty string column.
  static constexpr int64_t kMaxDictionaryValues = int64_t{1} << 20;
  void UseDictionary();
  bool dictionary_encoded() const { return dict_; }
  // Turns a dictionary-encoded column plain; no-op for a plain one.
  void DecodeDictionary();
  // For WriteAt from a dictionary-encoded `src` into this dictionary-encoded
  // column: adds src's distinct values to this column's dictionary and sets
  // `code_map` to this column's code for each of src's codes. False, with
  // nothing to use, if the dictionary outgrows the limits UseDictionary
  // states, counting src's rows as coded (the caller then decodes this column).
  bool MergeDictionary(const Column& src, std::vector<int32_t>* code_map);
  // Float64 columns: from now on (and after Truncate) values are stored as
  // integers v in [-kMaxDecimalUnits, kMaxDecimalUnits] standing for
  // v / 10^decimal_scale(), for as long as every value appended is one
  // exactly (a decimal of at most kMaxDecimalScale places, not -0, inf or
  // nan); the scale grows as values with more places come. Any other value
  // turns the column plain for good. Precondition: an empty float64 column.
  static constexpr int kMaxDecimalScale = 9;
  static constexpr uint64_t kMaxDecimalUnits = 32767;
  void UseDecimal();
  bool decimal_encoded() const { return dec_; }
  int decimal_scale() const { return dec_scale_; }
  // Turns a decimal-encoded column plain; no-op for a plain one.
  void DecodeDecimal();
  // For WriteAt from a decimal-encoded `src` into this decimal-encoded
  // column: raises this column's scale to src's if src's is greater. False,
  // with nothing changed, if this column's values or src's would then not
  // fit (the caller then decodes this column).
  bool MergeDecimal(const Column& src);
  // One byte per row (1 = present); empty when the column has no nulls.
  std::span<const uint8_t> validity() const { return valid_; }

  void AppendInt64(int64_t v) {
    assert(type_ == DataType::kInt64);
    i64_.push_back(v);
    AppendValid();
  }
  void AppendFloat64(double v) {
    assert(type_ == DataType::kFloat64);
    if (dec_) return AppendFloat64ToDecimal(v);
    f64_.push_back(v);
    AppendValid();
  }
  // Appends the number -digits / 10^frac_digits if `negative`, else
  // +digits / 10^frac_digits, as a parser of decimal text has it: digits
  // below 2^53 and frac_digits <= 15, so one division gives the double.
  // Inlined by force: the CSV reader calls it for most of a file's values.
  [[gnu::always_inline]] void AppendDecimal(uint64_t digits, int frac_digits, bool negative) {
    assert(type_ == DataType::kFloat64 && frac_digits >= 0 && frac_digits <= 15);
    if (!dec_) return AppendFloat64(DecimalToDouble(digits, frac_digits, negative));
    if (frac_digits <= dec_scale_ && digits <= kMaxDecimalUnits && (digits != 0 || !negative)) {
      uint64_t units =
          frac_digits == dec_scale_ ? digits : digits * kPow10Units[dec_scale_ - frac_digits];
      if (units <= kMaxDecimalUnits) {
        auto magnitude = static_cast<int16_t>(units);
        NextDecimalSlot() = negative ? static_cast<int16_t>(-magnitude) : magnitude;
        if (units > dec_max_units_) dec_max_units_ = units;
        AppendValid();
        return;
      }
    }
    AppendDecimalSlow(digits, frac_digits, negative);
  }
  void AppendDate(int32_t days) {
    assert(type_ == DataType::kDate);
    i32_.push_back(days);
    AppendValid();
  }
  void AppendBool(bool v) {
    assert(type_ == DataType::kBool);
    u8_.push_back(v ? 1 : 0);
    AppendValid();
  }
  void AppendString(std::string_view v) {
    assert(type_ == DataType::kString);
    if (dict_) return AppendCoded(v);
    chars_.insert(chars_.end(), v.begin(), v.end());
    offsets_.push_back(static_cast<int64_t>(chars_.size()));
    AppendValid();
  }
  void AppendNull() { AppendNulls(1); }
  void AppendNulls(int64_t n);
  // Appends row `row` of `other` (same type), null or not.
  void AppendFrom(const Column& other, int64_t row);
  // Appends all of `other`. InvalidArgument if the types differ.
  Status Append(const Column& other);

  // For builders that fill a column from several threads: grows the column
  // to `rows` rows (plain string columns to `string_bytes` characters)
  // leaving the new values unwritten, and adds `added_nulls` to null_count().
  // Every new row must then be written exactly once by WriteAt before the
  // column is used.
  void GrowForWrite(int64_t rows, int64_t string_bytes, int64_t added_nulls);
  // Copies all of `src` (same type) to rows [row, row + src.size()) and, for
  // plain strings, to characters from `char_pos` on. Into a
  // dictionary-encoded column, `src` must be dictionary-encoded too and
  // `code_map` come from MergeDictionary(src). Writes to disjoint ranges may
  // run concurrently.
  void WriteAt(int64_t row, int64_t char_pos, const Column& src,
               std::span<const int32_t> code_map = {});

  // Reserves room for `rows` values and, for strings, `string_bytes` characters.
  void Reserve(int64_t rows, int64_t string_bytes = 0);
  // Drops rows from `rows` on. Precondition: rows <= size().
  void Truncate(int64_t rows);

  // The rows at `indices` (each in [0, size())), in that order.
  Column Take(std::span<const int64_t> indices) const;
  Column Slice(int64_t begin, int64_t length) const;

  // Same type, size, nulls and values (floats compared bit for bit, so NaN equals NaN).
  bool Equals(const Column& other) const;
  // The value as text ("null" for a null), for messages and tests.
  std::string ValueToString(int64_t i) const;

 private:
  void AppendValid() {
    ++size_;
    if (!valid_.empty()) valid_.push_back(1);
  }
  void MaterializeValidity();
  std::string_view DictValue(int32_t code) const {
    return {dict_chars_.data() + dict_offsets_[code],
            static_cast<size_t>(dict_offsets_[code + 1] - dict_offsets_[code])};
  }
  void AppendCoded(std::string_view v);
  // The slot of the next row's value in d16_, made room for if need be.
  // (A vector's own push_back here would not be inlined into the CSV
  // reader's parse loop, and the call cost a fifth of the parse.)
  [[gnu::always_inline]] int16_t& NextDecimalSlot() {
    if (static_cast<size_t>(size_) == d16_.size()) MakeDecimalRoom(size_ + 1);
    return d16_[static_cast<size_t>(size_)];
  }
  // Makes d16_ hold at least `rows` slots, at least doubling it.
  void MakeDecimalRoom(int64_t rows);
  static double DecimalToDouble(uint64_t digits, int frac_digits, bool negative) {
    double v = static_cast<double>(digits) / kPow10[frac_digits];
    return negative ? -v : v;
  }
  // The appends a decimal-encoded column cannot take on its fast path.
  void AppendDecimalSlow(uint64_t digits, int frac_digits, bool negative);
  void AppendFloat64ToDecimal(double v);
  // Multiplies every stored value by 10^(scale - decimal_scale()); the
  // caller has checked that they fit.
  void RaiseDecimalScale(int scale);
  // Append for float64 columns of which one or both are decimal-encoded.
  void AppendFloats(const Column& other);
  // Append for string columns of which one or both are dictionary-encoded.
  void AppendStrings(const Column& other);
  // Extends validity by other's (materialising it if either has nulls);
  // before size_ grows.
  void AppendValidityOf(const Column& other);
  // The code of `v`, added to the dictionary if new; -1 if that would
  // outgrow kMaxDictionaryValues.
  int32_t FindOrAddCode(std::string_view v);
  void RehashDictionary(size_t slots);

  template <typename T>
  using Buffer = std::vector<T, BufferAllocator<T>>;

  // Powers of ten: exact as doubles up to 10^22, as integers to 10^19.
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  static constexpr uint64_t kPow10Units[] = {
      1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000};

  DataType type_;
  int64_t size_ = 0;
  int64_t null_count_ = 0;
  Buffer<int64_t> i64_;
  Buffer<double> f64_;
  Buffer<int32_t> i32_;
  Buffer<uint8_t> u8_;
  Buffer<char> chars_;
  Buffer<int64_t> offsets_;
  Buffer<uint8_t> valid_;
  // Dictionary encoding: codes_ index the distinct values, kept Arrow-style
  // in dict_chars_ / dict_offsets_ (code 0 is the empty string, which null
  // slots use); dict_slots_ is an open-addressing hash of codes (-1: empty).
  bool dict_ = false;
  int64_t dict_rows_ = 0;  // rows appended since UseDictionary, Truncate or not
  int32_t last_code_ = 0;  // the code AppendString gave last
  Buffer<int32_t> codes_;
  std::vector<char> dict_chars_;
  std::vector<int64_t> dict_offsets_;
  std::vector<int32_t> dict_slots_;
  // Decimal encoding: d16_ holds the values in units of 10^-dec_scale_ in
  // its first size_ slots; slots past those (zeros, or values truncated
  // away) are room for the next rows. dec_max_units_ bounds the values'
  // magnitudes (so a scale can be raised without a scan).
  bool dec_ = false;
  int dec_scale_ = 0;
  uint64_t dec_max_units_ = 0;
  Buffer<int16_t> d16_;
};

}  // namespace ch
