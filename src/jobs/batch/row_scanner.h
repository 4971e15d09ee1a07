// A streaming RFC 4180 row splitter that keeps each row's physical line
// number, so the batch job can name the line of every row it rejects.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch::batch {

// One data row: its fields (unquoted) and the 1-based physical line it starts on.
struct RawRow {
  const std::vector<std::string_view>& fields;
  int64_t line;
  // Non-empty when the row is not valid CSV (bad quoting); fields are then
  // what could be split before the problem.
  std::string_view malformed;
};

// Splits CSV bytes fed in pieces of any size into rows. Handles quoted fields
// (delimiters, doubled quotes and line breaks inside), "\n" and "\r\n", a
// UTF-8 BOM, and rows split across Write calls. Blank lines are skipped
// (but counted). The first row is the header. Memory: the longest row plus
// one piece. Not thread-safe. It is a ByteSink, for ObjectStore::GetStream.
class RowScanner : public ByteSink {
 public:
  using HeaderHandler = std::function<Status(const std::vector<std::string_view>& names)>;
  using RowHandler = std::function<Status(const RawRow& row)>;

  // `source` names the input in errors ("raw/climate_data.csv: line 3: ...").
  RowScanner(std::string source, HeaderHandler on_header, RowHandler on_row);

  Status Write(std::string_view bytes) override;
  // Handles a last row without a line end. InvalidArgument for an input
  // with no header row or an unterminated quoted field.
  Status Finish();

  int64_t lines() const { return line_; }
  uint64_t bytes() const { return bytes_; }

 private:
  // Parses complete rows from `data`; returns the bytes consumed.
  Result<size_t> Consume(std::string_view data, bool final);
  // Splits one row [begin, end) (no line end) into fields_.
  Status SplitRow(std::string_view row, int64_t line);
  Status Emit(int64_t line);

  std::string source_;
  HeaderHandler on_header_;
  RowHandler on_row_;
  std::string carry_;
  std::vector<std::string_view> fields_;
  std::deque<std::string> unquoted_;
  std::string_view malformed_;
  int64_t line_ = 0;  // physical lines fully consumed
  uint64_t bytes_ = 0;
  bool header_done_ = false;
  bool bom_checked_ = false;
  Status error_;
};

}  // namespace ch::batch
