// CSV formatting: minimal quoting, shortest round-trip floats, ISO dates.
#include "codecs/csv_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "codecs/compression.h"
#include "codecs/number_format.h"
#include "core/os_error.h"
#include "table/date.h"

namespace ch {
namespace {

void AppendString(std::string_view v, char delimiter, std::string* out) {
  bool quote = v.empty();
  for (char c : v) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char c : v) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendValue(const Column& c, int64_t row, char delimiter, std::string* out) {
  if (c.IsNull(row)) return;
  char buf[64];
  switch (c.type()) {
    case DataType::kInt64: {
      auto r = std::to_chars(buf, buf + sizeof(buf), c.Int64(row));
      out->append(buf, r.ptr);
      return;
    }
    case DataType::kFloat64:
      out->append(buf, FormatShortest(c.Float64(row), buf));
      return;
    case DataType::kDate:
      AppendIsoDate(c.Date(row), out);
      return;
    case DataType::kBool:
      out->append(c.Bool(row) ? "true" : "false");
      return;
    case DataType::kString:
      AppendString(c.String(row), delimiter, out);
      return;
  }
}

std::string_view LineEnd(const CsvWriteOptions& options) { return options.crlf ? "\r\n" : "\n"; }

}  // namespace

void AppendCsvHeader(const Schema& schema, const CsvWriteOptions& options, std::string* out) {
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (i > 0) out->push_back(options.delimiter);
    AppendString(schema.field(i).name, options.delimiter, out);
  }
  out->append(LineEnd(options));
}

void AppendCsvRows(const Table& table, int64_t begin, int64_t end, const CsvWriteOptions& options,
                   std::string* out) {
  const int ncols = table.num_columns();
  std::string_view line_end = LineEnd(options);
  for (int64_t r = begin; r < end; ++r) {
    for (int c = 0; c < ncols; ++c) {
      if (c > 0) out->push_back(options.delimiter);
      AppendValue(table.column(c), r, options.delimiter, out);
    }
    out->append(line_end);
  }
}

std::string FormatCsv(const Table& table, const CsvWriteOptions& options) {
  std::string out;
  if (options.header) AppendCsvHeader(table.schema(), options, &out);
  AppendCsvRows(table, 0, table.num_rows(), options, &out);
  return out;
}

CsvTableSource::CsvTableSource(const Table& table, CsvWriteOptions options)
    : table_(table), options_(options) {}

void CsvTableSource::Refill() {
  batch_.clear();
  batch_pos_ = 0;
  if (!header_done_) {
    header_done_ = true;
    if (options_.header) AppendCsvHeader(table_.schema(), options_, &batch_);
  }
  while (batch_.size() < options_.batch_bytes && next_row_ < table_.num_rows()) {
    int64_t end = std::min(table_.num_rows(), next_row_ + rows_per_batch_);
    size_t before = batch_.size();
    AppendCsvRows(table_, next_row_, end, options_, &batch_);
    // Aim the next step at the batch size from the bytes per row just seen.
    double per_row =
        static_cast<double>(batch_.size() - before + 1) / static_cast<double>(end - next_row_);
    rows_per_batch_ =
        std::max<int64_t>(1, static_cast<int64_t>(options_.batch_bytes / per_row / 2));
    next_row_ = end;
  }
}

Result<size_t> CsvTableSource::Read(char* buf, size_t n) {
  if (batch_pos_ == batch_.size()) Refill();
  size_t take = std::min(n, batch_.size() - batch_pos_);
  std::memcpy(buf, batch_.data() + batch_pos_, take);
  batch_pos_ += take;
  return take;
}

Status WriteCsvFile(const Table& table, const std::filesystem::path& path,
                    const CsvWriteOptions& options) {
  std::string what = "write csv " + path.string();
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return StatusFromErrno(errno, what);
  CsvTableSource plain(table, options);
  CompressingSource compressed(plain, CompressionFromPath(path.string()));
  std::string buf(1 << 20, '\0');
  Status status;
  while (status.ok()) {
    Result<size_t> got = compressed.Read(buf.data(), buf.size());
    if (!got.ok()) status = got.status();
    if (!got.ok() || *got == 0) break;
    for (size_t off = 0; off < *got && status.ok();) {
      ssize_t w = ::write(fd, buf.data() + off, *got - off);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) status = StatusFromErrno(errno, what);
      if (w > 0) off += static_cast<size_t>(w);
    }
  }
  if (status.ok() && ::fsync(fd) != 0) status = StatusFromErrno(errno, what);
  if (::close(fd) != 0 && status.ok()) status = StatusFromErrno(errno, what);
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
    status = StatusFromErrno(errno, what);
  if (!status.ok()) ::unlink(tmp.c_str());
  return status;
}

}  // namespace ch
