// The CSV hot path: parses the rows of one row-aligned segment straight into column buffers.
#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "codecs/csv_fields.h"
#include "codecs/csv_parse.h"
#include "table/date.h"

namespace ch::csv_internal {
namespace {

enum class FieldEnd { kOk, kIncomplete, kBad };
enum class RowEnd { kComplete, kIncomplete, kBad };

// Line ends in [begin, end). Sixteen bytes a step: rows are short, so a
// memchr per line (as before) paid its call overhead every 50 bytes.
int64_t CountNewlines(const char* begin, const char* end) {
  int64_t n = 0;
#ifdef __SSE2__
  const __m128i newline = _mm_set1_epi8('\n');
  while (end - begin >= 16) {
    // Byte counters overflow after 255 steps: sum them up at least that often.
    __m128i counts = _mm_setzero_si128();
    const int64_t steps = std::min<int64_t>((end - begin) / 16, 255);
    for (int64_t i = 0; i < steps; ++i, begin += 16) {
      __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin));
      counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(bytes, newline));  // a match is -1
    }
    __m128i sums = _mm_sad_epu8(counts, _mm_setzero_si128());
    n += _mm_cvtsi128_si64(sums) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
  }
#endif
  return n + std::count(begin, end, '\n');
}

class SegmentParser {
 public:
  SegmentParser(const ParsePlan& plan, std::string_view data, bool final, size_t max_errors,
                Table reuse)
      : plan_(plan),
        begin_(data.data()),
        p_(data.data()),
        end_(data.data() + data.size()),
        final_(final),
        max_errors_(max_errors),
        delimiter_(plan.delimiter) {
    if (reuse.schema() == plan.out_schema) {
      result_.table = std::move(reuse);
      reused_ = true;
      for (int i = 0; i < result_.table.num_columns(); ++i)
        result_.table.mutable_column(i).Truncate(0);
    } else {
      result_.table = Table(plan.out_schema);
      // Strings start as dictionaries: the platform's string columns (location
      // codes, states, diseases) hold few distinct values. Floats start
      // decimal-encoded: its measurements (temperatures, rainfall, PM2.5) are
      // short decimals. A column that turns out otherwise turns plain by itself.
      for (int i = 0; i < result_.table.num_columns(); ++i) {
        Column& column = result_.table.mutable_column(i);
        if (column.type() == DataType::kString) column.UseDictionary();
        if (column.type() == DataType::kFloat64) column.UseDecimal();
      }
    }
    sinks_.resize(plan.fields.size(), nullptr);
    for (size_t i = 0; i < plan.fields.size(); ++i) {
      if (plan.fields[i].out >= 0) sinks_[i] = &result_.table.mutable_column(plan.fields[i].out);
    }
  }

  SegmentResult Run();

 private:
  bool FastRow();
  const char* FastField(int field, const char* p, bool last);
  const char* FastQuoted(int field, const char* p, bool last);
  bool FieldEndsAt(const char* p, bool last) const {
    if (p >= end_) return false;
    if (!last) return *p == delimiter_;
    return *p == '\n' || (*p == '\r' && p + 1 < end_ && p[1] == '\n');
  }
  void Reserve();
  bool FirstLineHoldsQuote(const char* row) const;
  bool HandleBlankLine(bool* incomplete);
  RowEnd ParseRow(int64_t row_line);
  FieldEnd ReadField(std::string_view* value, bool* quoted, int column, int64_t line);
  FieldEnd ReadQuoted(std::string_view* value, int column, int64_t line);
  FieldEnd SkipToFieldEnd(const char* p, int column, int64_t line, std::string reason);
  void Convert(int field, std::string_view value, bool quoted, int64_t line);
  void AppendNull(int field, int64_t line);
  void Fail(int column, int64_t line, std::string reason) {
    if (!row_error_) row_error_ = SegmentError{line, column, std::move(reason)};
  }
  void TruncateRows() {
    for (Column* c : sinks_) {
      if (c != nullptr && c->size() > rows_) c->Truncate(rows_);
    }
  }

  const ParsePlan& plan_;
  const char* begin_;
  const char* p_;
  const char* end_;
  bool final_;
  size_t max_errors_;
  char delimiter_;
  std::vector<Column*> sinks_;
  std::string scratch_;
  bool reused_ = false;     // the table came from an earlier segment
  bool have_date_ = false;  // last_date_ holds the text of a valid date, last_days_ its value
  char last_date_[10] = {};
  // The 10 bytes at p equal last_date_: two overlapping 8-byte compares,
  // inlined (a memcmp call per row cost more than the rest of the field).
  bool SameDateText(const char* p) const {
    uint64_t a[2];
    uint64_t b[2];
    std::memcpy(&a[0], p, 8);
    std::memcpy(&a[1], p + 2, 8);
    std::memcpy(&b[0], last_date_, 8);
    std::memcpy(&b[1], last_date_ + 2, 8);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }
  int32_t last_days_ = 0;
  int64_t lines_ = 0;
  int64_t rows_ = 0;
  std::optional<SegmentError> row_error_;
  SegmentResult result_;
};

void SegmentParser::Reserve() {
  int64_t rows = CountNewlines(begin_, end_) + 1;
  int64_t string_bytes = static_cast<int64_t>(end_ - begin_) / std::max<int64_t>(1, sinks_.size());
  for (Column* c : sinks_) {
    if (c != nullptr) c->Reserve(rows, string_bytes);
  }
}

SegmentResult SegmentParser::Run() {
  // A recycled table has the room of the last segment, enough or nearly: a
  // pass counting this one's lines would cost more than a rare regrowth.
  if (!reused_) Reserve();
  while (p_ < end_) {
    const char* row_start = p_;
    int64_t row_line = lines_;
    if (FastRow()) {
      ++rows_;
      ++lines_;
      continue;
    }
    // A row without a quote ends at its first line end, so a quote-free first
    // line proves the row quote-free. Checked, not assumed: every block's
    // last row is cut short and leaves the fast path, and a false mark would
    // make the reader count the quotes of every later block.
    if (!result_.saw_quote) result_.saw_quote = FirstLineHoldsQuote(row_start);
    bool incomplete = false;
    if ((*p_ == '\n' || *p_ == '\r') && HandleBlankLine(&incomplete)) continue;
    RowEnd end = incomplete ? RowEnd::kIncomplete : ParseRow(row_line);
    if (end == RowEnd::kComplete) {
      ++rows_;
      continue;
    }
    TruncateRows();
    if (end == RowEnd::kIncomplete) {
      p_ = row_start;
      lines_ = row_line;
      break;
    }
    if (!plan_.skip_bad_rows) {
      result_.fatal = std::move(row_error_);
      p_ = row_start;
      lines_ = row_line;
      break;
    }
    ++result_.rejected;
    if (result_.errors.size() < max_errors_) result_.errors.push_back(std::move(*row_error_));
  }
  for (int out : plan_.absent) result_.table.mutable_column(out).AppendNulls(rows_);
  result_.consumed = static_cast<size_t>(p_ - begin_);
  result_.lines = lines_;
  return std::move(result_);
}

// The common case at full speed: one line, no quotes, values that convert
// directly. Returns false (having appended nothing) on anything else, which
// the general path then parses and reports.
bool SegmentParser::FastRow() {
  const char* p = p_;
  const int ncols = static_cast<int>(sinks_.size());
  for (int f = 0; f < ncols; ++f) {
    p = FastField(f, p, f + 1 == ncols);
    if (p == nullptr) {
      TruncateRows();
      return false;
    }
  }
  p_ = p;
  return true;
}

// Parses field `field` at `p` and moves past its delimiter or line end;
// nullptr if the field needs the general path.
const char* SegmentParser::FastField(int field, const char* p, bool last) {
  const FieldPlan& fp = plan_.fields[field];
  Column* col = sinks_[field];
  if (FieldEndsAt(p, last)) {  // empty: null
    if (!fp.nullable) return nullptr;
    if (col != nullptr) col->AppendNull();
  } else if (fp.type == DataType::kFloat64) {
    PlainDecimal d;
    p = ParsePlainDecimal(p, end_, &d);
    if (p == nullptr || !FieldEndsAt(p, last)) return nullptr;
    if (col != nullptr) col->AppendDecimal(d.digits, d.frac_digits, d.negative);
  } else if (fp.type == DataType::kDate) {
    if (end_ - p < 11 || !FieldEndsAt(p + 10, last)) return nullptr;
    // Daily series repeat a date for row after row: compare before parsing.
    if (!have_date_ || !SameDateText(p)) {
      if (!ParseIsoDate(std::string_view(p, 10), &last_days_)) {
        have_date_ = false;
        return nullptr;
      }
      std::memcpy(last_date_, p, 10);
      have_date_ = true;
    }
    if (col != nullptr) col->AppendDate(last_days_);
    p += 10;
  } else if (p < end_ && *p == '"') {
    p = FastQuoted(field, p, last);
    if (p == nullptr) return nullptr;
  } else {
    const char* start = p;
    const bool* special = plan_.special.data();
    while (p < end_ && !special[static_cast<unsigned char>(*p)]) ++p;
    if (!FieldEndsAt(p, last)) return nullptr;
    std::string_view v(start, static_cast<size_t>(p - start));
    if (fp.type == DataType::kString) {
      if (plan_.validate_utf8 && fp.out >= 0 && !IsValidUtf8(v)) return nullptr;
      if (col != nullptr) col->AppendString(v);
    } else {
      Convert(field, v, false, lines_);
      if (row_error_) {
        row_error_.reset();
        return nullptr;
      }
    }
  }
  return p + (last && *p == '\r' ? 2 : 1);
}

// A quoted string without doubled quotes or line breaks; returns the position
// of its delimiter or line end, or nullptr.
const char* SegmentParser::FastQuoted(int field, const char* p, bool last) {
  result_.saw_quote = true;
  if (plan_.fields[field].type != DataType::kString) return nullptr;
  const char* close =
      static_cast<const char*>(std::memchr(p + 1, '"', static_cast<size_t>(end_ - p - 1)));
  if (close == nullptr || !FieldEndsAt(close + 1, last)) return nullptr;
  std::string_view v(p + 1, static_cast<size_t>(close - p - 1));
  if (std::memchr(v.data(), '\n', v.size()) != nullptr) return nullptr;
  if (plan_.validate_utf8 && !IsValidUtf8(v)) return nullptr;
  if (sinks_[field] != nullptr) sinks_[field]->AppendString(v);
  return close + 1;
}

// Whether the line `row` starts (up to its line end or the segment's end)
// holds a quote character.
bool SegmentParser::FirstLineHoldsQuote(const char* row) const {
  const void* nl = std::memchr(row, '\n', static_cast<size_t>(end_ - row));
  const char* line_end = nl != nullptr ? static_cast<const char*>(nl) : end_;
  return std::memchr(row, '"', static_cast<size_t>(line_end - row)) != nullptr;
}

// A blank line: skipped, or one null value in a one-column file. Returns
// false when the line is not blank (a lone '\r' starts a value).
bool SegmentParser::HandleBlankLine(bool* incomplete) {
  size_t len = 1;
  if (*p_ == '\r') {
    if (p_ + 1 == end_) {
      if (!final_) {
        *incomplete = true;
        return false;
      }
    } else if (p_[1] != '\n') {
      return false;
    } else {
      len = 2;
    }
  }
  if (plan_.fields.size() == 1) {
    row_error_.reset();
    AppendNull(0, lines_);
    if (row_error_) return false;  // let ParseRow report it as a bad row
    ++rows_;
  }
  p_ += len;
  ++lines_;
  return true;
}

RowEnd SegmentParser::ParseRow(int64_t row_line) {
  row_error_.reset();
  const int ncols = static_cast<int>(plan_.fields.size());
  int field = 0;
  while (true) {
    int64_t field_line = lines_;
    std::string_view value;
    bool quoted = false;
    FieldEnd fe = ReadField(&value, &quoted, field + 1, field_line);
    if (fe == FieldEnd::kIncomplete) return RowEnd::kIncomplete;
    if (fe == FieldEnd::kOk && !row_error_) {
      if (field < ncols) {
        Convert(field, value, quoted, field_line);
      } else {
        Fail(field + 1, field_line,
             "extra field: the header has " + std::to_string(ncols) + " columns");
      }
    }
    ++field;
    if (row_error_ && !plan_.skip_bad_rows) return RowEnd::kBad;
    if (p_ == end_) break;  // ReadField only ends a field at the data's end when final
    char c = *p_;
    if (c == delimiter_) {
      ++p_;
      continue;
    }
    p_ += (c == '\r' && p_ + 1 < end_ && p_[1] == '\n') ? 2 : 1;
    ++lines_;
    break;
  }
  if (!row_error_ && field < ncols) {
    Fail(field + 1, row_line,
         "missing field: the row has " + std::to_string(field) + " fields, the header has " +
             std::to_string(ncols));
  }
  return row_error_ ? RowEnd::kBad : RowEnd::kComplete;
}

FieldEnd SegmentParser::ReadField(std::string_view* value, bool* quoted, int column, int64_t line) {
  if (p_ < end_ && *p_ == '"') {
    *quoted = true;
    return ReadQuoted(value, column, line);
  }
  const char* start = p_;
  const char* p = p_;
  const bool* special = plan_.special.data();
  while (true) {
    while (p < end_ && !special[static_cast<unsigned char>(*p)]) ++p;
    if (p == end_) {
      if (!final_) return FieldEnd::kIncomplete;
      break;
    }
    char c = *p;
    if (c == delimiter_ || c == '\n') break;
    if (c == '\r') {
      if (p + 1 == end_) {
        if (!final_) return FieldEnd::kIncomplete;
        break;
      }
      if (p[1] == '\n') break;
      ++p;  // a lone '\r' is data
      continue;
    }
    return SkipToFieldEnd(p, column, line,
                          "quote character inside an unquoted field (quote the whole field "
                          "and double the quote)");
  }
  p_ = p;
  *value = std::string_view(start, static_cast<size_t>(p - start));
  return FieldEnd::kOk;
}

FieldEnd SegmentParser::ReadQuoted(std::string_view* value, int column, int64_t line) {
  const char* open = p_;
  const char* q = p_ + 1;
  bool escaped = false;
  const char* close;
  while (true) {
    close = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end_ - q)));
    if (close == nullptr) {
      if (!final_) return FieldEnd::kIncomplete;
      Fail(column, line, "unterminated quoted field (no closing quote before the end of input)");
      lines_ += CountNewlines(open, end_);
      p_ = end_;
      return FieldEnd::kBad;
    }
    if (close + 1 == end_ && !final_) return FieldEnd::kIncomplete;
    if (close + 1 < end_ && close[1] == '"') {
      escaped = true;
      q = close + 2;
      continue;
    }
    break;
  }
  lines_ += CountNewlines(open + 1, close);
  p_ = close + 1;
  if (!escaped) {
    *value = std::string_view(open + 1, static_cast<size_t>(close - open - 1));
  } else {
    scratch_.clear();
    for (const char* c = open + 1; c < close; ++c) {
      scratch_.push_back(*c);
      if (*c == '"') ++c;  // the second quote of a doubled pair
    }
    *value = scratch_;
  }
  if (p_ == end_) return FieldEnd::kOk;
  char c = *p_;
  if (c == delimiter_ || c == '\n') return FieldEnd::kOk;
  if (c == '\r') {
    if (p_ + 1 == end_) return final_ ? FieldEnd::kOk : FieldEnd::kIncomplete;
    if (p_[1] == '\n') return FieldEnd::kOk;
  }
  std::string shown = c == '\r' ? "\\r" : std::string(1, c);
  return SkipToFieldEnd(p_, column, line,
                        "unexpected character '" + shown + "' after the closing quote");
}

// Records `reason` and moves past the rest of the field, quotes taken literally.
FieldEnd SegmentParser::SkipToFieldEnd(const char* p, int column, int64_t line,
                                       std::string reason) {
  while (p < end_ && *p != delimiter_ && *p != '\n' &&
         !(*p == '\r' && (p + 1 == end_ || p[1] == '\n'))) {
    ++p;
  }
  if (p == end_ && !final_) return FieldEnd::kIncomplete;
  if (p + 1 == end_ && *p == '\r' && !final_) return FieldEnd::kIncomplete;
  Fail(column, line, std::move(reason));
  p_ = p;
  return FieldEnd::kBad;
}

void SegmentParser::AppendNull(int field, int64_t line) {
  const FieldPlan& fp = plan_.fields[field];
  if (!fp.nullable) {
    Fail(field + 1, line, "empty value in a column that may not be empty");
    return;
  }
  if (sinks_[field] != nullptr) sinks_[field]->AppendNull();
}

void SegmentParser::Convert(int field, std::string_view value, bool quoted, int64_t line) {
  const FieldPlan& fp = plan_.fields[field];
  Column* col = sinks_[field];
  if (fp.out < 0) return;  // a dropped extra column: only its CSV syntax matters
  if (fp.type == DataType::kString) {
    if (value.empty() && !quoted) return AppendNull(field, line);
    if (plan_.validate_utf8 && !IsValidUtf8(value)) {
      return Fail(field + 1, line, "value is not valid UTF-8");
    }
    if (col != nullptr) col->AppendString(value);
    return;
  }
  std::string_view v = value;
  if (!v.empty() &&
      (v.front() == ' ' || v.back() == ' ' || v.front() == '\t' || v.back() == '\t')) {
    v = TrimBlanks(v);
  }
  if (v.empty()) return AppendNull(field, line);
  switch (fp.type) {
    case DataType::kFloat64: {
      PlainDecimal plain;
      if (ParsePlainDecimal(v.data(), v.data() + v.size(), &plain) == v.data() + v.size()) {
        if (col != nullptr) col->AppendDecimal(plain.digits, plain.frac_digits, plain.negative);
        return;
      }
      double d;
      if (!ParseDouble(v, &d)) return Fail(field + 1, line, QuoteValue(value) + " is not a number");
      if (col != nullptr) col->AppendFloat64(d);
      return;
    }
    case DataType::kInt64: {
      int64_t i;
      if (!ParseInt64(v, &i)) {
        return Fail(field + 1, line, QuoteValue(value) + " is not an integer");
      }
      if (col != nullptr) col->AppendInt64(i);
      return;
    }
    case DataType::kDate: {
      int32_t days;
      if (!ParseIsoDate(v, &days)) return Fail(field + 1, line, DescribeBadDate(value));
      if (col != nullptr) col->AppendDate(days);
      return;
    }
    case DataType::kBool: {
      bool b;
      if (!ParseBool(v, &b)) {
        return Fail(field + 1, line, QuoteValue(value) + " is not a boolean (true/false/1/0)");
      }
      if (col != nullptr) col->AppendBool(b);
      return;
    }
    case DataType::kString:
      break;
  }
}

}  // namespace

SegmentResult ParseSegment(const ParsePlan& plan, std::string_view data, bool final,
                           size_t max_errors, Table reuse) {
  return SegmentParser(plan, data, final, max_errors, std::move(reuse)).Run();
}

}  // namespace ch::csv_internal
