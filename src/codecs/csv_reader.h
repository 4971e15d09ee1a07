// CSV reading (RFC 4180) into Tables: a streaming push parser and whole-input helpers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "codecs/csv_options.h"
#include "core/status.h"
#include "storage/object_store.h"
#include "table/table.h"

namespace ch {

class CsvParserImpl;
class ForkJoin;

// A push parser: feed bytes in pieces of any size, receive Tables of parsed
// rows. Handles quoted fields with delimiters, doubled quotes and newlines,
// "\n" and "\r\n" line ends, a UTF-8 BOM, and rows, quotes or CRLFs split
// across Feed calls. The first row is the header; columns are found by name.
// An empty field is null (a quoted empty field "" is an empty string in a
// string column). Blank lines are skipped, except in a one-column file where
// they are null values.
//
// Memory is bounded by about one block (options.block_size) plus the longest
// row, whatever the input size; each block is parsed by options.num_threads
// threads. Every chunk has the same schema: the schema's fields in schema
// order, then the kept extra columns in file order.
//
// Errors are InvalidArgument "parse csv <source>: line L, column C (name):
// reason". After an error, every later call returns the same error. Not
// thread-safe: feed from one thread at a time.
class CsvStreamParser {
 public:
  // Receives each chunk of rows in file order. A non-ok Status stops parsing
  // and is returned from Feed/Finish. To keep a chunk, move it out
  // (`kept.push_back(std::move(chunk))`); a chunk left in place has its
  // memory reused for later chunks, which saves allocating and page-faulting
  // fresh buffers for every block.
  using ChunkHandler = std::function<Status(Table& chunk)>;

  // Receives the chunks of one block together, in file order, so they can be
  // consumed in parallel. Same rule as ChunkHandler: move a chunk out to keep it.
  using BlockHandler = std::function<Status(std::span<Table> chunks)>;

  CsvStreamParser(CsvReadOptions options, ChunkHandler on_chunk);
  CsvStreamParser(CsvReadOptions options, BlockHandler on_block);
  ~CsvStreamParser();
  CsvStreamParser(const CsvStreamParser&) = delete;
  CsvStreamParser& operator=(const CsvStreamParser&) = delete;

  // Parses what complete rows `bytes` adds. May call the handler.
  Status Feed(std::string_view bytes);
  // Parses the rest (a last row without a line end is complete). Calls the
  // handler at least once overall, with an empty table if there are no rows.
  // InvalidArgument for an input without a header row, or an unterminated
  // quoted field.
  Status Finish();

  // Rows, rejected rows and lines so far.
  const CsvReport& report() const;
  // Input bytes whose rows have been delivered (header and BOM included).
  uint64_t bytes_parsed() const;

 private:
  std::unique_ptr<CsvParserImpl> impl_;
};

// Parses a CSV stream into one Table. It is a ByteSink, so it can be handed
// to ObjectStore::GetStream. `expected_bytes` (the input size, if known) lets
// it reserve the table once instead of growing it. Not thread-safe.
class CsvTableBuilder : public ByteSink {
 public:
  explicit CsvTableBuilder(CsvReadOptions options, uint64_t expected_bytes = 0);
  ~CsvTableBuilder() override;

  Status Write(std::string_view bytes) override;
  // Parses the rest and returns the table; fills `report` if given.
  Result<Table> Finish(CsvReport* report = nullptr);

 private:
  Status OnBlock(std::span<Table> chunks);
  void ReserveForInput(const Table& first);

  std::unique_ptr<ForkJoin> pool_;  // copies a block's chunks into table_
  uint64_t expected_bytes_;
  uint64_t bytes_seen_ = 0;
  bool reserved_ = false;
  Table table_;
  std::unique_ptr<CsvStreamParser> parser_;
};

// Parses a whole CSV text. The text is not copied (only a partial last row
// of each block is).
Result<Table> ParseCsv(std::string_view text, const CsvReadOptions& options = {},
                       CsvReport* report = nullptr);

// Reads a local CSV file, decompressing ".gz" / ".zst" by suffix, streaming
// (memory about one block plus the table). NotFound if the file is missing;
// messages name the path.
Result<Table> ReadCsvFile(const std::filesystem::path& path, const CsvReadOptions& options = {},
                          CsvReport* report = nullptr);

}  // namespace ch
