// Options and reports of the CSV reader and writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "table/schema.h"

namespace ch {

// What to do with a row that cannot be parsed (bad number or date, wrong
// field count, bad quoting, invalid UTF-8, null in a non-nullable column).
enum class BadRowPolicy {
  kError,  // stop at the first bad row: InvalidArgument naming line, column and reason
  kSkip,   // leave the row out, count it and list it in the CsvReport
};

// What to do with header columns the schema does not name.
enum class ExtraColumns {
  kInfer,   // keep, typed by inference over the first block (see CsvReadOptions)
  kString,  // keep as string columns
  kDrop,    // leave out of the table (values are still checked for CSV syntax)
};

struct CsvReadOptions {
  // Columns looked up by header name, with their types and null rules. Column
  // order in the file does not matter. Empty: every column is an extra column.
  Schema schema;
  ExtraColumns extra_columns = ExtraColumns::kInfer;
  BadRowPolicy bad_rows = BadRowPolicy::kError;
  // In kSkip mode, how many rejected rows are listed (all are counted).
  size_t max_reported_errors = 1000;
  // Parser threads; 0 means one per hardware thread.
  int num_threads = 0;
  // Bytes parsed as one unit: split across threads and emitted as chunks.
  // Inferred column types are decided from the first block (so from the whole
  // input when it is smaller). A later value that does not fit an inferred
  // type is a bad row; give such a column a type in `schema`. The default
  // keeps each thread's parsed rows in its cache until they are copied on
  // (8 MiB blocks loaded a 566 MB file about 10% slower).
  size_t block_size = 2 << 20;
  char delimiter = ',';
  bool validate_utf8 = true;  // string fields must be valid UTF-8
  // Names the input in error messages: "parse csv <source_name>: line 3, ...".
  std::string source_name;
};

// One rejected row: where and why.
struct CsvRowError {
  int64_t line = 0;         // 1-based physical line of the offending field
  int column = 0;           // 1-based field position in the row; 0 if not about one field
  std::string column_name;  // the header name at that position, if any
  std::string reason;       // "'abc' is not a number"

  // "line 17, column 4 (rainfall_mm): 'abc' is not a number".
  std::string ToString() const;
};

// What a read did. Rows rejected in kSkip mode are never silently lost:
// they are counted here and the first max_reported_errors are listed.
struct CsvReport {
  int64_t rows = 0;           // data rows in the table
  int64_t rows_rejected = 0;  // rows left out (kSkip mode)
  int64_t lines = 0;          // physical lines read, header included
  std::vector<CsvRowError> errors;

  // "12 rows, 2 rejected (line 3, column 2 (x): ...; ...)".
  std::string Summary() const;
};

struct CsvWriteOptions {
  bool header = true;
  char delimiter = ',';
  bool crlf = false;  // "\r\n" line ends instead of "\n"
  // Bytes formatted per step when streaming (CsvTableSource).
  size_t batch_bytes = 1 << 20;
};

}  // namespace ch
