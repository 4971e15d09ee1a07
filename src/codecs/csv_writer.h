// CSV writing (RFC 4180) of Tables: to a string, or streamed as a ByteSource.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "codecs/csv_options.h"
#include "core/status.h"
#include "storage/object_store.h"
#include "table/table.h"

namespace ch {

// Output that CsvStreamParser reads back to an equal table (given the same
// schema): fields are quoted only when they contain the delimiter, a quote
// or a line break, or are empty strings ("" distinguishes them from null);
// nulls are empty fields; floats use the shortest text that round-trips;
// dates are YYYY-MM-DD; bools are true/false.

// Appends the header line (the column names).
void AppendCsvHeader(const Schema& schema, const CsvWriteOptions& options, std::string* out);
// Appends rows [begin, end) of `table`, each ended by a line end.
void AppendCsvRows(const Table& table, int64_t begin, int64_t end, const CsvWriteOptions& options,
                   std::string* out);
// The whole table as CSV text (header included if options.header).
std::string FormatCsv(const Table& table, const CsvWriteOptions& options = {});

// Yields a table's CSV text in batches of about options.batch_bytes, so a
// large table can go to ObjectStore::PutStream without the whole text in
// memory. `table` is borrowed and must outlive the source. Not thread-safe.
class CsvTableSource : public ByteSource {
 public:
  explicit CsvTableSource(const Table& table, CsvWriteOptions options = {});
  Result<size_t> Read(char* buf, size_t n) override;

 private:
  void Refill();

  const Table& table_;
  CsvWriteOptions options_;
  int64_t next_row_ = 0;
  int64_t rows_per_batch_ = 1024;
  bool header_done_ = false;
  std::string batch_;
  size_t batch_pos_ = 0;
};

// Writes `table` as CSV to a local file (gzip/zstd by ".gz"/".zst" suffix),
// via a temporary file renamed into place, so the file appears whole or not at all.
Status WriteCsvFile(const Table& table, const std::filesystem::path& path,
                    const CsvWriteOptions& options = {});

}  // namespace ch
