// Row formatting of rows.h: integer arithmetic instead of printf, one pass per row.
#include "generator/rows.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ch::gen {
namespace {

constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000};

char* Put(char* out, std::string_view s) {
  std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

char* PutKey(char* out, const DayInfo& day, std::string_view code) {
  out = Put(out, day.DateText());
  *out++ = ',';
  return Put(out, code);
}

char* ClimateFields(char* out, const ClimateDay& c) {
  for (double v : {c.temp_max_c, c.temp_min_c, c.temp_mean_c, c.humidity_pct, c.rainfall_mm,
                   c.wind_speed_kmh, c.pm25_ugm3}) {
    *out++ = ',';
    out = WriteFixed(out, v, 1);
  }
  return out;
}

char* HealthFields(char* out, const HealthDay& h) {
  for (int64_t v : {h.dengue, h.malaria, h.heat_illness, h.respiratory, h.diarrhoea}) {
    *out++ = ',';
    out = WriteInt(out, v);
  }
  return out;
}

char* HospitalFields(char* out, const HospitalDay& h) {
  for (int64_t v :
       {h.hospitals, h.beds_total, h.beds_occupied, h.icu_beds_total, h.icu_beds_occupied}) {
    *out++ = ',';
    out = WriteInt(out, v);
  }
  return out;
}

}  // namespace

void TextBuffer::Grow(size_t need) {
  const size_t capacity = std::max({need, 2 * capacity_, size_t{1} << 16});
  auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = capacity;
}

char* WriteFixed(char* out, double value, int decimals) {
  if (!std::isfinite(value)) value = 0;
  // Round half away from zero by hand: faster than llround, same everywhere.
  const double scaled_double = value * static_cast<double>(kPow10[decimals]);
  int64_t scaled = static_cast<int64_t>(scaled_double + (scaled_double < 0 ? -0.5 : 0.5));
  if (scaled < 0) {
    *out++ = '-';
    scaled = -scaled;
  }
  out = std::to_chars(out, out + 20, scaled / kPow10[decimals]).ptr;
  *out++ = '.';
  int64_t fraction = scaled % kPow10[decimals];
  for (int i = decimals - 1; i >= 0; --i, fraction /= 10) {
    out[i] = static_cast<char>('0' + fraction % 10);
  }
  return out + decimals;
}

char* WriteInt(char* out, int64_t value) { return std::to_chars(out, out + 20, value).ptr; }

void AppendCsvField(std::string_view field, std::string& out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string HeaderLine(Dataset dataset, std::string_view eol) {
  std::string line;
  for (std::string_view column : DatasetColumns(dataset)) {
    if (!line.empty()) line.push_back(',');
    line.append(column);
  }
  line.append(eol);
  return line;
}

std::string LocationsCsv(const std::vector<Location>& locations) {
  std::string out = HeaderLine(Dataset::kLocations, "\n");
  char number[32];
  auto append_number = [&](char* end) {
    out.push_back(',');
    out.append(number, end);
  };
  for (const Location& loc : locations) {
    AppendCsvField(loc.code, out);
    out.push_back(',');
    AppendCsvField(loc.name, out);
    append_number(WriteFixed(number, loc.latitude, 4));
    append_number(WriteFixed(number, loc.longitude, 4));
    append_number(WriteInt(number, loc.population));
    append_number(WriteFixed(number, loc.elevation_m, 1));
    out.push_back('\n');
  }
  return out;
}

void AppendRow(Dataset dataset, const DayInfo& day, std::string_view code, const DayRecord& record,
               std::string_view eol, TextBuffer& out) {
  char* const begin = out.Room(sizeof day.date + code.size() + eol.size() + size_t{8} * 26);
  char* p = PutKey(begin, day, code);
  switch (dataset) {
    case Dataset::kClimate:
      p = ClimateFields(p, record.climate);
      break;
    case Dataset::kHealth:
      p = HealthFields(p, record.health);
      break;
    case Dataset::kHospital:
      p = HospitalFields(p, record.hospital);
      break;
    case Dataset::kLocations:
      break;
  }
  p = Put(p, eol);
  out.Advance(static_cast<size_t>(p - begin));
}

}  // namespace ch::gen
