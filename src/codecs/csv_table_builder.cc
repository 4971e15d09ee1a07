// Whole-table CSV reading: CsvTableBuilder, ParseCsv and ReadCsvFile.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "codecs/compression.h"
#include "codecs/csv_parse.h"
#include "codecs/csv_reader.h"
#include "core/fork_join.h"
#include "core/os_error.h"

namespace ch {
namespace {

bool IsPlainString(const Column& column) {
  return column.type() == DataType::kString && !column.dictionary_encoded();
}

// Reserves `table` for about `rows` rows, string columns in proportion to
// what `sample` holds. Reserved but unused memory is never touched, so
// overestimating costs address space, not resident memory.
void ReserveLike(Table* table, const Table& sample, int64_t rows) {
  int64_t have = std::max<int64_t>(sample.num_rows(), 1);
  for (int i = 0; i < table->num_columns(); ++i) {
    const Column& column = sample.column(i);
    double chars = IsPlainString(column) ? static_cast<double>(column.string_bytes()) : 0.0;
    table->mutable_column(i).Reserve(
        rows, static_cast<int64_t>(chars / static_cast<double>(have) * static_cast<double>(rows)));
  }
}

}  // namespace

CsvTableBuilder::CsvTableBuilder(CsvReadOptions options, uint64_t expected_bytes)
    : pool_(std::make_unique<ForkJoin>(options.num_threads > 0 ? options.num_threads
                                                               : csv_internal::DefaultThreads())),
      expected_bytes_(expected_bytes),
      parser_(std::make_unique<CsvStreamParser>(
          std::move(options), [this](std::span<Table> chunks) { return OnBlock(chunks); })) {}

CsvTableBuilder::~CsvTableBuilder() = default;

Status CsvTableBuilder::Write(std::string_view bytes) { return parser_->Feed(bytes); }

void CsvTableBuilder::ReserveForInput(const Table& first) {
  uint64_t parsed = parser_->bytes_parsed();
  if (expected_bytes_ <= parsed || parsed == 0 || first.num_rows() == 0) return;
  // Rows of the first block over its bytes, scaled to the whole input, plus 10%.
  double rows_per_byte = static_cast<double>(parser_->report().rows) / static_cast<double>(parsed);
  auto estimate = static_cast<int64_t>(rows_per_byte * static_cast<double>(expected_bytes_) * 1.1);
  ReserveLike(&table_, first, estimate + 1024);
}

// Appends a block's chunks, spread over the pool's threads: the columns are
// grown once, then each column of every chunk is copied to its own rows, so
// the copy and the first touch of the new memory are spread over the threads.
Status CsvTableBuilder::OnBlock(std::span<Table> chunks) {
  if (chunks.empty()) return Status::Ok();
  if (!reserved_) {
    reserved_ = true;
    table_ = Table(chunks[0].schema());
    for (int c = 0; c < table_.num_columns(); ++c) {
      if (chunks[0].column(c).dictionary_encoded()) table_.mutable_column(c).UseDictionary();
      if (chunks[0].column(c).decimal_encoded()) table_.mutable_column(c).UseDecimal();
    }
    ReserveForInput(chunks[0]);
  }
  const int ncols = table_.num_columns();
  // Dictionary columns take the chunks' new values first (serially); a
  // column whose dictionary outgrows its limit, or gets a chunk that turned
  // plain, turns plain.
  std::vector<std::vector<std::vector<int32_t>>> code_maps(
      chunks.size(), std::vector<std::vector<int32_t>>(ncols));
  for (int c = 0; c < ncols; ++c) {
    Column& column = table_.mutable_column(c);
    if (!column.dictionary_encoded()) continue;
    bool merged = true;
    for (size_t j = 0; j < chunks.size() && merged; ++j) {
      const Column& from = chunks[j].column(c);
      merged = from.dictionary_encoded() && column.MergeDictionary(from, &code_maps[j][c]);
    }
    if (!merged) column.DecodeDictionary();
  }
  // Decimal columns take the greatest scale of the chunks' (serially, so the
  // copies below only widen); one whose values would then not fit, or that
  // gets a chunk that turned plain, turns plain.
  for (int c = 0; c < ncols; ++c) {
    Column& column = table_.mutable_column(c);
    if (!column.decimal_encoded()) continue;
    bool merged = true;
    for (size_t j = 0; j < chunks.size() && merged; ++j) {
      const Column& from = chunks[j].column(c);
      merged = from.decimal_encoded() && column.MergeDecimal(from);
    }
    if (!merged) column.DecodeDecimal();
  }
  std::vector<int64_t> row_at(chunks.size());
  std::vector<std::vector<int64_t>> char_at(chunks.size(), std::vector<int64_t>(ncols));
  std::vector<int64_t> rows(1, table_.num_rows()), chars(ncols), nulls(ncols);
  std::vector<bool> plain_string(ncols);
  for (int c = 0; c < ncols; ++c) {
    const Column& column = table_.column(c);
    plain_string[c] = IsPlainString(column);
    chars[c] = plain_string[c] ? column.string_bytes() : 0;
  }
  for (size_t j = 0; j < chunks.size(); ++j) {
    if (!(chunks[j].schema() == table_.schema())) {
      return Status::Internal("csv table builder: chunk schema differs from the table's");
    }
    row_at[j] = rows[0];
    rows[0] += chunks[j].num_rows();
    for (int c = 0; c < ncols; ++c) {
      const Column& col = chunks[j].column(c);
      char_at[j][c] = chars[c];
      if (plain_string[c]) chars[c] += col.string_bytes();
      nulls[c] += col.null_count();
    }
  }
  for (int c = 0; c < ncols; ++c)
    table_.mutable_column(c).GrowForWrite(rows[0], chars[c], nulls[c]);
  // Tasks handed out as threads come free: a thread held up by a fault on
  // fresh memory delays one column's copy, not half the block's.
  auto copy = [&](size_t task) {
    size_t j = task / static_cast<size_t>(ncols);
    int c = static_cast<int>(task % static_cast<size_t>(ncols));
    const Column& from = chunks[j].column(c);
    Column& to = table_.mutable_column(c);
    to.WriteAt(row_at[j], char_at[j][c], from,
               to.dictionary_encoded() ? std::span<const int32_t>(code_maps[j][c])
                                       : std::span<const int32_t>());
  };
  pool_->Run(chunks.size() * static_cast<size_t>(ncols), copy);
  return Status::Ok();
}

Result<Table> CsvTableBuilder::Finish(CsvReport* report) {
  RETURN_IF_ERROR(parser_->Finish());
  if (report != nullptr) *report = parser_->report();
  return std::move(table_);
}

Result<Table> ParseCsv(std::string_view text, const CsvReadOptions& options, CsvReport* report) {
  CsvTableBuilder builder(options, text.size());
  RETURN_IF_ERROR(builder.Write(text));
  return builder.Finish(report);
}

Result<Table> ReadCsvFile(const std::filesystem::path& path, const CsvReadOptions& options,
                          CsvReport* report) {
  std::string what = "read csv " + path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return StatusFromErrno(errno, what);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return StatusFromErrno(err, what);
  }
  CsvReadOptions opts = options;
  if (opts.source_name.empty()) opts.source_name = path.string();
  Compression compression = CompressionFromPath(path.string());
  uint64_t expected = compression == Compression::kNone ? static_cast<uint64_t>(st.st_size) : 0;
  CsvTableBuilder builder(std::move(opts), expected);
  DecompressingSink sink(builder, compression, what);
  std::string buf(std::max<size_t>(options.block_size, 1 << 16), '\0');
  Status status;
  while (status.ok()) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) status = StatusFromErrno(errno, what);
    if (n <= 0) break;
    status = sink.Write(std::string_view(buf.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  if (status.ok()) status = sink.Close();
  RETURN_IF_ERROR(status);
  return builder.Finish(report);
}

}  // namespace ch
