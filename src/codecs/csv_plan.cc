// CSV header handling, block splitting, type inference and error texts.
#include <sched.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <unordered_map>

#include "codecs/csv_fields.h"
#include "codecs/csv_parse.h"
#include "table/date.h"

namespace ch::csv_internal {
namespace {

size_t CountQuotes(std::string_view data, size_t from, size_t to) {
  size_t n = 0;
  const char* p = data.data() + from;
  const char* end = data.data() + to;
  while (p < end) {
    const void* hit = std::memchr(p, '"', static_cast<size_t>(end - p));
    if (hit == nullptr) break;
    ++n;
    p = static_cast<const char*>(hit) + 1;
  }
  return n;
}

enum Candidate : uint8_t { kCanBool = 1, kCanInt = 2, kCanFloat = 4, kCanDate = 8 };

uint8_t Candidates(std::string_view v, uint8_t still) {
  uint8_t out = 0;
  int64_t i;
  double d;
  int32_t days;
  if ((still & kCanBool) && (EqualsIgnoreCase(v, "true") || EqualsIgnoreCase(v, "false"))) {
    out |= kCanBool;
  }
  if ((still & kCanInt) && ParseInt64(v, &i)) out |= kCanInt;
  if ((still & kCanFloat) && ParseDouble(v, &d)) out |= kCanFloat;
  if ((still & kCanDate) && ParseIsoDate(v, &days)) out |= kCanDate;
  return out;
}

DataType ChooseType(uint8_t candidates, bool any_value) {
  if (!any_value) return DataType::kString;
  if (candidates & kCanBool) return DataType::kBool;
  if (candidates & kCanInt) return DataType::kInt64;
  if (candidates & kCanDate) return DataType::kDate;
  if (candidates & kCanFloat) return DataType::kFloat64;
  return DataType::kString;
}

// Converts strings already known to parse as `type`.
Column ConvertStrings(const Column& in, DataType type) {
  Column out(type);
  out.Reserve(in.size());
  for (int64_t r = 0; r < in.size(); ++r) {
    std::string_view v = in.IsNull(r) ? std::string_view() : TrimBlanks(in.String(r));
    if (v.empty()) {
      out.AppendNull();
      continue;
    }
    int64_t i = 0;
    double d = 0;
    int32_t days = 0;
    bool b = false;
    switch (type) {
      case DataType::kBool:
        ParseBool(v, &b);
        out.AppendBool(b);
        break;
      case DataType::kInt64:
        ParseInt64(v, &i);
        out.AppendInt64(i);
        break;
      case DataType::kFloat64:
        ParseDouble(v, &d);
        out.AppendFloat64(d);
        break;
      case DataType::kDate:
        ParseIsoDate(v, &days);
        out.AppendDate(days);
        break;
      case DataType::kString:
        break;
    }
  }
  return out;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::vector<size_t> SplitPoints(std::string_view data, int parts, bool count_quotes) {
  std::vector<size_t> points = {0};
  size_t pos = 0;
  bool odd = false;
  for (int i = 1; i < parts; ++i) {
    size_t target = data.size() / parts * i;
    if (target <= pos) continue;
    if (count_quotes) odd ^= (CountQuotes(data, pos, target) & 1) != 0;
    pos = target;
    while (true) {
      const void* hit = std::memchr(data.data() + pos, '\n', data.size() - pos);
      if (hit == nullptr) {
        points.push_back(data.size());
        return points;
      }
      size_t nl = static_cast<size_t>(static_cast<const char*>(hit) - data.data());
      if (count_quotes) odd ^= (CountQuotes(data, pos, nl) & 1) != 0;
      pos = nl + 1;
      if (!odd) break;
    }
    if (pos < data.size()) points.push_back(pos);
  }
  if (points.back() != data.size()) points.push_back(data.size());
  return points;
}

size_t FindRowEnd(std::string_view data) {
  bool in_quotes = false;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '"') in_quotes = !in_quotes;
    if (data[i] == '\n' && !in_quotes) return i + 1;
  }
  return std::string_view::npos;
}

Result<std::vector<std::string>> SplitHeaderRow(std::string_view row, char delimiter) {
  std::vector<std::string> fields;
  size_t i = 0;
  while (true) {
    std::string field;
    int column = static_cast<int>(fields.size()) + 1;
    if (i < row.size() && row[i] == '"') {
      size_t j = i + 1;
      while (true) {
        if (j >= row.size()) {
          return Status::InvalidArgument("column " + std::to_string(column) +
                                         ": unterminated quoted field in the header");
        }
        if (row[j] == '"') {
          if (j + 1 < row.size() && row[j + 1] == '"') {
            field.push_back('"');
            j += 2;
            continue;
          }
          break;
        }
        field.push_back(row[j++]);
      }
      i = j + 1;
      if (i < row.size() && row[i] != delimiter) {
        return Status::InvalidArgument("column " + std::to_string(column) +
                                       ": unexpected character after the closing quote");
      }
    } else {
      size_t j = row.find(delimiter, i);
      if (j == std::string_view::npos) j = row.size();
      field.assign(row.substr(i, j - i));
      if (field.find('"') != std::string::npos) {
        return Status::InvalidArgument("column " + std::to_string(column) +
                                       ": quote character inside an unquoted field");
      }
      i = j;
    }
    fields.push_back(std::move(field));
    if (i >= row.size()) break;
    ++i;  // the delimiter
  }
  return fields;
}

namespace {

// Names empty header cells "column_N" and maps names to positions;
// InvalidArgument for a duplicate.
Status IndexHeader(std::vector<std::string>* header, const std::string& where,
                   std::unordered_map<std::string, int>* position) {
  for (size_t i = 0; i < header->size(); ++i) {
    std::string& name = (*header)[i];
    if (name.empty()) name = "column_" + std::to_string(i + 1);
    auto [it, inserted] = position->emplace(name, static_cast<int>(i));
    if (!inserted) {
      std::string message = where;
      message += ", column " + std::to_string(i + 1) + " (" + name;
      message += "): duplicate column name '" + name;
      message += "' (also column " + std::to_string(it->second + 1) + ")";
      return Status::InvalidArgument(message);
    }
  }
  return Status::Ok();
}

// Header columns the schema does not name, per options.extra_columns.
Status AddExtraColumns(const CsvReadOptions& options, const std::vector<std::string>& header,
                       ParsePlan* plan) {
  if (options.extra_columns == ExtraColumns::kDrop) return Status::Ok();
  for (size_t i = 0; i < header.size(); ++i) {
    if (options.schema.FindField(header[i]) != nullptr) continue;
    int out = plan->out_schema.num_fields();
    plan->fields[i] = FieldPlan{out, DataType::kString, true};
    if (options.extra_columns == ExtraColumns::kInfer) plan->inferred.push_back(out);
    RETURN_IF_ERROR(plan->out_schema.AddField(Field{header[i], DataType::kString, false, true}));
  }
  return Status::Ok();
}

}  // namespace

Result<ParsePlan> MakePlan(const CsvReadOptions& options, std::vector<std::string> header,
                           int64_t header_line) {
  ParsePlan plan;
  plan.delimiter = options.delimiter;
  plan.validate_utf8 = options.validate_utf8;
  plan.skip_bad_rows = options.bad_rows == BadRowPolicy::kSkip;
  std::string where = "line " + std::to_string(header_line);
  std::unordered_map<std::string, int> position;
  RETURN_IF_ERROR(IndexHeader(&header, where, &position));
  plan.fields.resize(header.size());
  std::vector<std::string> missing;
  for (const Field& f : options.schema.fields()) {
    int out = plan.out_schema.num_fields();
    auto it = position.find(f.name);
    if (it == position.end()) {
      if (f.required || !f.nullable) missing.push_back("'" + f.name + "'");
      plan.absent.push_back(out);
    } else {
      plan.fields[it->second] = FieldPlan{out, f.type, f.nullable};
    }
    RETURN_IF_ERROR(plan.out_schema.AddField(f));
  }
  if (!missing.empty()) {
    return Status::InvalidArgument(where + ": missing required column" +
                                   (missing.size() > 1 ? "s " : " ") + JoinNames(missing) +
                                   " (the header has: " + JoinNames(header) + ")");
  }
  RETURN_IF_ERROR(AddExtraColumns(options, header, &plan));
  plan.header = std::move(header);
  for (char c : {plan.delimiter, '\n', '\r', '"'}) {
    plan.special[static_cast<unsigned char>(c)] = true;
  }
  return plan;
}

void InferTypes(ParsePlan* plan, const std::vector<Table*>& tables) {
  for (int out : plan->inferred) {
    uint8_t candidates = kCanBool | kCanInt | kCanFloat | kCanDate;
    bool any_value = false;
    for (Table* t : tables) {
      const Column& c = t->column(out);
      for (int64_t r = 0; r < c.size() && candidates != 0; ++r) {
        std::string_view v = c.IsNull(r) ? std::string_view() : TrimBlanks(c.String(r));
        if (v.empty()) continue;
        any_value = true;
        candidates = Candidates(v, candidates);
      }
    }
    DataType type = ChooseType(candidates, any_value);
    if (type == DataType::kString) continue;
    Field field = plan->out_schema.field(out);
    field.type = type;
    for (Table* t : tables) {
      Status s = t->ReplaceColumn(out, field, ConvertStrings(t->column(out), type));
      s.IgnoreError();  // same length and matching type by construction
    }
    std::vector<Field> fields = plan->out_schema.fields();
    fields[out].type = type;
    plan->out_schema = Schema(std::move(fields));
    for (FieldPlan& fp : plan->fields) {
      if (fp.out == out) fp.type = type;
    }
  }
  plan->inferred.clear();
}

int DefaultThreads() {
  cpu_set_t set;
  CPU_ZERO(&set);
  int n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 0;
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(n, 1, 16);
}

std::string QuoteValue(std::string_view value) {
  constexpr size_t kMax = 40;
  if (value.size() <= kMax) return "'" + std::string(value) + "'";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(value.substr(0, cut)) + "...'";
}

bool IsValidUtf8Slow(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace ch::csv_internal

namespace ch {

std::string CsvRowError::ToString() const {
  std::string out = "line " + std::to_string(line);
  if (column > 0) {
    out += ", column " + std::to_string(column);
    if (!column_name.empty()) out += " (" + column_name + ")";
  }
  return out + ": " + reason;
}

std::string CsvReport::Summary() const {
  std::string out = std::to_string(rows) + " rows, " + std::to_string(rows_rejected) + " rejected";
  if (!errors.empty()) {
    out += " (";
    for (size_t i = 0; i < errors.size() && i < 5; ++i)
      out += (i ? "; " : "") + errors[i].ToString();
    if (rows_rejected > 5) out += "; ...";
    out += ")";
  }
  return out;
}

}  // namespace ch
