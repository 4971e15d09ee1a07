// RowScanner: line-numbered CSV row splitting for the batch job.
#include "jobs/batch/row_scanner.h"

#include <algorithm>
#include <cstring>

#include "core/interrupt.h"

namespace ch::batch {
namespace {

size_t CountQuotes(const char* begin, const char* end) {
  return static_cast<size_t>(std::count(begin, end, '"'));
}

}  // namespace

RowScanner::RowScanner(std::string source, HeaderHandler on_header, RowHandler on_row)
    : source_(std::move(source)), on_header_(std::move(on_header)), on_row_(std::move(on_row)) {}

Status RowScanner::Write(std::string_view bytes) {
  if (!error_.ok()) return error_;
  // Polled per chunk read, so an interrupt stops a scan within one chunk.
  if (Interrupted()) return error_ = InterruptedStatus("read " + source_);
  bytes_ += bytes.size();
  if (carry_.empty()) {
    Result<size_t> used = Consume(bytes, false);
    if (!used.ok()) return error_ = used.status();
    carry_.assign(bytes.substr(*used));
    return Status::Ok();
  }
  carry_.append(bytes);
  Result<size_t> used = Consume(carry_, false);
  if (!used.ok()) return error_ = used.status();
  carry_.erase(0, *used);
  return Status::Ok();
}

Status RowScanner::Finish() {
  if (!error_.ok()) return error_;
  if (!carry_.empty()) {
    Result<size_t> used = Consume(carry_, true);
    if (!used.ok()) return error_ = used.status();
    carry_.clear();
  }
  if (!header_done_) {
    return error_ = Status::InvalidArgument(source_ + ": empty file (no header row)");
  }
  return Status::Ok();
}

Result<size_t> RowScanner::Consume(std::string_view data, bool final) {
  const char* base = data.data();
  const char* end = base + data.size();
  const char* pos = base;
  if (!bom_checked_ && data.size() >= 3) {
    if (std::memcmp(base, "\xEF\xBB\xBF", 3) == 0) pos += 3;
    bom_checked_ = true;
  }
  while (pos < end) {
    const char* nl = static_cast<const char*>(std::memchr(pos, '\n', end - pos));
    const char* row_end = nl != nullptr ? nl : end;
    int64_t lines = 1;
    if (std::memchr(pos, '"', row_end - pos) != nullptr) {
      size_t quotes = CountQuotes(pos, row_end);
      while (quotes % 2 == 1 && nl != nullptr) {
        const char* next = static_cast<const char*>(std::memchr(nl + 1, '\n', end - nl - 1));
        quotes += CountQuotes(nl, next != nullptr ? next : end);
        nl = next;
        row_end = nl != nullptr ? nl : end;
        ++lines;
      }
      if (quotes % 2 == 1 && final) {
        return Status::InvalidArgument(source_ + ": line " + std::to_string(line_ + 1) +
                                       ": unterminated quoted field");
      }
    }
    if (nl == nullptr && !final) break;
    std::string_view row(pos, row_end - pos);
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    const int64_t first_line = line_ + 1;
    line_ += lines;
    pos = nl != nullptr ? nl + 1 : end;
    if (row.empty()) continue;
    RETURN_IF_ERROR(SplitRow(row, first_line));
    RETURN_IF_ERROR(Emit(first_line));
  }
  return static_cast<size_t>(pos - base);
}

Status RowScanner::SplitRow(std::string_view row, int64_t line) {
  (void)line;
  fields_.clear();
  unquoted_.clear();
  malformed_ = {};
  const char* p = row.data();
  const char* end = p + row.size();
  if (std::memchr(p, '"', row.size()) == nullptr) {
    while (true) {
      const char* comma = static_cast<const char*>(std::memchr(p, ',', end - p));
      if (comma == nullptr) {
        fields_.emplace_back(p, end - p);
        return Status::Ok();
      }
      fields_.emplace_back(p, comma - p);
      p = comma + 1;
    }
  }
  while (true) {
    if (p < end && *p == '"') {
      std::string& value = unquoted_.emplace_back();
      ++p;
      while (true) {
        const char* q = static_cast<const char*>(std::memchr(p, '"', end - p));
        if (q == nullptr) {
          malformed_ = "unterminated quoted field";
          return Status::Ok();
        }
        value.append(p, q - p);
        if (q + 1 < end && q[1] == '"') {
          value.push_back('"');
          p = q + 2;
          continue;
        }
        p = q + 1;
        break;
      }
      fields_.emplace_back(value);
      if (p == end) return Status::Ok();
      if (*p != ',') {
        malformed_ = "characters after a closing quote";
        return Status::Ok();
      }
      ++p;
      continue;
    }
    const char* comma = static_cast<const char*>(std::memchr(p, ',', end - p));
    const char* field_end = comma != nullptr ? comma : end;
    if (std::memchr(p, '"', field_end - p) != nullptr) {
      malformed_ = "a quote inside an unquoted field";
      return Status::Ok();
    }
    fields_.emplace_back(p, field_end - p);
    if (comma == nullptr) return Status::Ok();
    p = comma + 1;
  }
}

Status RowScanner::Emit(int64_t line) {
  if (!header_done_) {
    header_done_ = true;
    if (!malformed_.empty()) {
      return Status::InvalidArgument(source_ + ": line " + std::to_string(line) +
                                     ": header is not CSV (" + std::string(malformed_) + ")");
    }
    return on_header_(fields_);
  }
  return on_row_(RawRow{fields_, line, malformed_});
}

}  // namespace ch::batch
