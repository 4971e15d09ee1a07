// Column: the dictionary encoding of string columns.
#include <cstring>
#include <functional>

#include "table/column.h"

namespace ch {
namespace {

// A dictionary is worth keeping while its values are at most half the rows
// coded. Judged only from this many rows on, so a column whose values all
// first appear within its first few thousand rows (every district of a day)
// is not judged on those alone.
constexpr int64_t kJudgeFromRows = 1 << 16;

bool WorthKeeping(int64_t distinct, int64_t rows_coded) {
  return rows_coded < kJudgeFromRows || distinct * 2 <= rows_coded;
}

size_t HashOf(std::string_view v) { return std::hash<std::string_view>{}(v); }

}  // namespace

void Column::UseDictionary() {
  assert(type_ == DataType::kString && size_ == 0);
  dict_ = true;
  dict_rows_ = 0;
  chars_.clear();
  offsets_.assign(1, 0);
  dict_chars_.clear();
  dict_offsets_.assign(1, 0);
  dict_slots_.assign(16, -1);
  last_code_ = 0;
  FindOrAddCode("");  // code 0: the value null slots hold
}

void Column::RehashDictionary(size_t slots) {
  dict_slots_.assign(slots, -1);
  const size_t mask = slots - 1;
  const auto count = static_cast<int32_t>(dict_offsets_.size() - 1);
  for (int32_t code = 0; code < count; ++code) {
    size_t at = HashOf(DictValue(code)) & mask;
    while (dict_slots_[at] >= 0) at = (at + 1) & mask;
    dict_slots_[at] = code;
  }
}

int32_t Column::FindOrAddCode(std::string_view v) {
  const size_t mask = dict_slots_.size() - 1;
  size_t at = HashOf(v) & mask;
  for (; dict_slots_[at] >= 0; at = (at + 1) & mask) {
    if (DictValue(dict_slots_[at]) == v) return dict_slots_[at];
  }
  const auto count = static_cast<int64_t>(dict_offsets_.size() - 1);
  if (count >= kMaxDictionaryValues) return -1;
  dict_chars_.insert(dict_chars_.end(), v.begin(), v.end());
  dict_offsets_.push_back(static_cast<int64_t>(dict_chars_.size()));
  dict_slots_[at] = static_cast<int32_t>(count);
  // At most half full, so probes stay short and always end at an empty slot.
  if (static_cast<size_t>(count + 1) * 2 > dict_slots_.size()) {
    RehashDictionary(dict_slots_.size() * 2);
  }
  return static_cast<int32_t>(count);
}

void Column::AppendCoded(std::string_view v) {
  const auto before = static_cast<int64_t>(dict_offsets_.size());
  // Rows often repeat a sequence (every district, day after day), so the
  // value after the last one is tried before the hash.
  const int32_t next = last_code_ + 1;
  const int32_t code = next + 1 < before && DictValue(next) == v ? next : FindOrAddCode(v);
  last_code_ = code;
  const auto distinct = static_cast<int64_t>(dict_offsets_.size() - 1);
  const bool added = static_cast<int64_t>(dict_offsets_.size()) > before;
  if (code < 0 || (added && !WorthKeeping(distinct, dict_rows_))) {
    DecodeDictionary();  // mostly distinct values: plain is smaller and faster
    AppendString(v);
    return;
  }
  codes_.push_back(code);
  ++dict_rows_;
  AppendValid();
}

int64_t Column::string_bytes() const {
  assert(type_ == DataType::kString);
  if (!dict_) return static_cast<int64_t>(chars_.size());
  int64_t bytes = 0;
  for (int32_t code : codes_) bytes += dict_offsets_[code + 1] - dict_offsets_[code];
  return bytes;
}

void Column::DecodeDictionary() {
  if (!dict_) return;
  Buffer<char> chars;
  Buffer<int64_t> offsets;
  chars.reserve(static_cast<size_t>(string_bytes()));
  offsets.reserve(static_cast<size_t>(size_) + 1);
  offsets.push_back(0);
  for (int32_t code : codes_) {
    std::string_view v = DictValue(code);
    chars.insert(chars.end(), v.begin(), v.end());
    offsets.push_back(static_cast<int64_t>(chars.size()));
  }
  chars_ = std::move(chars);
  offsets_ = std::move(offsets);
  dict_ = false;
  dict_rows_ = 0;
  Buffer<int32_t>().swap(codes_);
  std::vector<char>().swap(dict_chars_);
  std::vector<int64_t>().swap(dict_offsets_);
  std::vector<int32_t>().swap(dict_slots_);
}

bool Column::MergeDictionary(const Column& src, std::vector<int32_t>* code_map) {
  assert(dict_ && src.dict_);
  const size_t n = src.dict_offsets_.size() - 1;
  code_map->resize(n);
  for (size_t k = 0; k < n; ++k) {
    int32_t code = FindOrAddCode(src.DictValue(static_cast<int32_t>(k)));
    if (code < 0) return false;
    (*code_map)[k] = code;
  }
  // The rule AppendString keeps, over the rows this column will have coded.
  return WorthKeeping(static_cast<int64_t>(dict_offsets_.size() - 1), dict_rows_ + src.size_);
}

void Column::AppendStrings(const Column& other) {
  std::vector<int32_t> code_map;
  if (dict_ && other.dict_) {
    if (MergeDictionary(other, &code_map)) {
      codes_.reserve(codes_.size() + other.codes_.size());
      for (int32_t code : other.codes_) codes_.push_back(code_map[code]);
      AppendValidityOf(other);
      size_ += other.size_;
      null_count_ += other.null_count_;
      dict_rows_ += other.size_;
      return;
    }
    DecodeDictionary();
  }
  for (int64_t i = 0; i < other.size_; ++i) AppendFrom(other, i);
}

}  // namespace ch
