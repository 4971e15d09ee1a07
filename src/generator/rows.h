// Fast CSV text for the generator: a growable byte buffer, fixed-point
// numbers, RFC 4180 quoting, and one row writer per raw file.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "generator/calendar.h"
#include "generator/dataset.h"
#include "generator/health.h"
#include "generator/regions.h"
#include "generator/weather.h"

namespace ch::gen {

// A byte buffer that grows without zero-filling; clear() keeps the memory.
class TextBuffer {
 public:
  // Returns room for at least `n` more bytes at the end; Advance commits them.
  char* Room(size_t n) {
    if (size_ + n > capacity_) Grow(size_ + n);
    return data_.get() + size_;
  }
  void Advance(size_t n) { size_ += n; }
  void Append(std::string_view s) {
    std::memcpy(Room(s.size()), s.data(), s.size());
    size_ += s.size();
  }
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  const char* data() const { return data_.get(); }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  void Grow(size_t need);

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Writes `value` rounded to `decimals` (1..4) places, e.g. "-3.5", "0.0";
// returns the end. Needs 24 bytes of room.
char* WriteFixed(char* out, double value, int decimals);
// Writes an integer; returns the end. Needs 20 bytes of room.
char* WriteInt(char* out, int64_t value);

// Appends `field` quoted per RFC 4180 when it holds a comma, quote, CR or LF.
void AppendCsvField(std::string_view field, std::string& out);

// The header line of `dataset`, ended by `eol`.
std::string HeaderLine(Dataset dataset, std::string_view eol);

// The whole of locations.csv ("\n" line ends).
std::string LocationsCsv(const std::vector<Location>& locations);

// One simulated location-day.
struct DayRecord {
  ClimateDay climate;
  HealthDay health;
  HospitalDay hospital;
};

// Appends one row of a daily dataset (climate, health or hospital), ended by `eol`.
void AppendRow(Dataset dataset, const DayInfo& day, std::string_view code, const DayRecord& record,
               std::string_view eol, TextBuffer& out);

}  // namespace ch::gen
