// CsvStreamParser: buffering, header, parallel block parsing and chunk delivery.
#include "codecs/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "codecs/compression.h"
#include "codecs/csv_parse.h"
#include "core/fork_join.h"
#include "core/os_error.h"

namespace ch {

using csv_internal::ParsePlan;
using csv_internal::SegmentResult;

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Below this a block is parsed by one thread: splitting costs more than it gains.
constexpr size_t kMinParallelBytes = 1 << 20;

}  // namespace

class CsvParserImpl {
 public:
  CsvParserImpl(CsvReadOptions options, CsvStreamParser::BlockHandler on_block)
      : options_(std::move(options)),
        on_block_(std::move(on_block)),
        threshold_(std::max<size_t>(options_.block_size, 1)) {
    threads_ = options_.num_threads > 0 ? options_.num_threads : csv_internal::DefaultThreads();
    pool_ = std::make_unique<ForkJoin>(threads_);
    prefix_ = "parse csv" + (options_.source_name.empty() ? "" : " " + options_.source_name);
  }

  Status Feed(std::string_view data) {
    if (!sticky_.ok()) return sticky_;
    if (finished_) return Status::Internal(prefix_ + ": Feed after Finish");
    if (!data.empty()) last_byte_ = data.back();
    sticky_ = FeedInternal(data);
    return sticky_;
  }

  Status Finish() {
    if (!sticky_.ok()) return sticky_;
    if (finished_) return Status::Ok();
    finished_ = true;
    sticky_ = FinishInternal();
    return sticky_;
  }

  const CsvReport& report() const { return report_; }
  uint64_t bytes_parsed() const { return bytes_parsed_; }

 private:
  Status FeedInternal(std::string_view data);
  Status FinishInternal();
  Status TryHeader(std::string_view data, bool final, size_t* used);
  Status FeedBody(std::string_view data);
  size_t BytesToEndBufferedRow(std::string_view data) const;
  Result<size_t> ProcessBlock(std::string_view block, bool final);
  std::vector<SegmentResult> ParseParallel(std::string_view block, bool final);
  Status Deliver(std::vector<SegmentResult> results, bool final);
  CsvRowError ToRowError(const csv_internal::SegmentError& e) const;
  Status Error(const std::string& message) const {
    return Status::InvalidArgument(prefix_ + ": " + message);
  }

  CsvReadOptions options_;
  CsvStreamParser::BlockHandler on_block_;
  ParsePlan plan_;
  std::string prefix_;
  int threads_ = 1;
  std::unique_ptr<ForkJoin> pool_;
  // Whether any row so far held a quote. Until one does, blocks are split at
  // the first line end past each cut without counting the quotes before it.
  bool quotes_seen_ = false;
  bool header_done_ = false;
  bool emitted_ = false;
  bool finished_ = false;
  char last_byte_ = '\n';
  std::string buffer_;
  std::vector<Table> spare_;  // delivered chunks whose buffers the next block reuses
  size_t threshold_;
  int64_t lines_done_ = 0;  // line ends before the unparsed data
  uint64_t bytes_parsed_ = 0;
  CsvReport report_;
  Status sticky_;
};

Status CsvParserImpl::FeedInternal(std::string_view data) {
  if (!header_done_) {
    size_t used = 0;
    if (buffer_.empty()) {
      RETURN_IF_ERROR(TryHeader(data, false, &used));
      if (!header_done_) {
        buffer_.assign(data);
        return Status::Ok();
      }
      data.remove_prefix(used);
    } else {
      buffer_.append(data);
      RETURN_IF_ERROR(TryHeader(buffer_, false, &used));
      if (!header_done_) return Status::Ok();
      buffer_.erase(0, used);
      data = {};
      if (buffer_.size() >= threshold_) {
        std::string pending = std::move(buffer_);
        buffer_.clear();
        return FeedBody(pending);
      }
    }
  }
  return FeedBody(data);
}

// Keeps only a partial row (and small pieces) in buffer_; whole blocks of
// `data` are parsed in place, so a large Feed is never copied.
Status CsvParserImpl::FeedBody(std::string_view data) {
  while (!data.empty()) {
    if (!buffer_.empty()) {
      if (buffer_.size() + data.size() < threshold_) {
        buffer_.append(data);
        return Status::Ok();
      }
      size_t take = std::min(BytesToEndBufferedRow(data), data.size());
      buffer_.append(data.substr(0, take));
      data.remove_prefix(take);
      ASSIGN_OR_RETURN(size_t used, ProcessBlock(buffer_, false));
      buffer_.erase(0, used);
      if (used == 0) threshold_ = std::max(threshold_, buffer_.size()) * 2;
      continue;
    }
    if (data.size() < threshold_) {
      if (data.size() >= std::max(kMinParallelBytes, threshold_ / 2)) {
        // A large tail (the end of a mapped input): its whole rows in place,
        // so only the partial last row is copied.
        ASSIGN_OR_RETURN(size_t used, ProcessBlock(data, false));
        data.remove_prefix(used);
      }
      buffer_.assign(data);
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(size_t used, ProcessBlock(data.substr(0, threshold_), false));
    if (used == 0) {
      threshold_ *= 2;  // a row longer than a block: look further
    } else {
      threshold_ = std::max<size_t>(options_.block_size, 1);
      data.remove_prefix(used);
    }
  }
  return Status::Ok();
}

// How much of `data` completes the row buffer_ ends in (quotes counted from
// buffer_'s start, a row boundary); npos if it does not end in `data`.
size_t CsvParserImpl::BytesToEndBufferedRow(std::string_view data) const {
  bool in_quotes = false;
  for (const char *p = buffer_.data(), *end = p + buffer_.size();;) {
    p = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
    if (p == nullptr) break;
    in_quotes = !in_quotes;
    ++p;
  }
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '"') in_quotes = !in_quotes;
    if (data[i] == '\n' && !in_quotes) return i + 1;
  }
  return std::string_view::npos;
}

Status CsvParserImpl::FinishInternal() {
  if (!header_done_) {
    size_t used = 0;
    RETURN_IF_ERROR(TryHeader(buffer_, true, &used));
    buffer_.erase(0, used);
  }
  while (!buffer_.empty()) {
    ASSIGN_OR_RETURN(size_t used, ProcessBlock(buffer_, true));
    buffer_.erase(0, used);
  }
  report_.lines = lines_done_ + (last_byte_ != '\n' ? 1 : 0);
  if (!emitted_) {
    if (!plan_.inferred.empty()) csv_internal::InferTypes(&plan_, {});
    emitted_ = true;
    Table empty(plan_.out_schema);
    return on_block_(std::span<Table>(&empty, 1));
  }
  return Status::Ok();
}

Status CsvParserImpl::TryHeader(std::string_view data, bool final, size_t* used) {
  if (!final && data.size() < kBom.size() && kBom.starts_with(data)) return Status::Ok();
  size_t offset = data.starts_with(kBom) ? kBom.size() : 0;
  std::string_view rest = data.substr(offset);
  size_t end = csv_internal::FindRowEnd(rest);
  if (end == std::string_view::npos) {
    if (!final) return Status::Ok();
    if (rest.empty()) return Error("empty input: no header row");
    end = rest.size();
  }
  std::string_view row = rest.substr(0, end);
  lines_done_ = std::count(row.begin(), row.end(), '\n');
  if (row.ends_with('\n')) row.remove_suffix(1);
  if (row.ends_with('\r')) row.remove_suffix(1);
  if (row.empty()) return Error("line 1: the header row is empty");
  Result<std::vector<std::string>> header = csv_internal::SplitHeaderRow(row, options_.delimiter);
  if (!header.ok()) return Error("line 1, " + header.status().message());
  Result<ParsePlan> plan = csv_internal::MakePlan(options_, std::move(header).value(), 1);
  if (!plan.ok()) return Error(plan.status().message());
  plan_ = std::move(plan).value();
  header_done_ = true;
  *used = offset + end;
  bytes_parsed_ += *used;
  return Status::Ok();
}

std::vector<SegmentResult> CsvParserImpl::ParseParallel(std::string_view block, bool final) {
  int parts = block.size() >= kMinParallelBytes ? threads_ : 1;
  std::vector<size_t> points = csv_internal::SplitPoints(block, parts, quotes_seen_);
  size_t k = points.size() - 1;
  std::vector<SegmentResult> results(k);
  spare_.resize(std::max(spare_.size(), k + 1));
  auto parse = [&](size_t i) {
    results[i] = csv_internal::ParseSegment(
        plan_, block.substr(points[i], points[i + 1] - points[i]), final && i + 1 == k,
        options_.max_reported_errors, std::move(spare_[i]));
  };
  pool_->Run(k, parse);
  // A segment that did not end on its split point means the split fell inside
  // a quoted field: the quotes were not counted (none seen before this block)
  // or a stray quote in a bad row misled the count. Parse the rest sequentially.
  for (size_t i = 0; i + 1 < k; ++i) {
    if (results[i].fatal || points[i] + results[i].consumed == points[i + 1]) continue;
    size_t from = points[i] + results[i].consumed;
    results.resize(i + 1);
    results.push_back(csv_internal::ParseSegment(
        plan_, block.substr(from), final, options_.max_reported_errors, std::move(spare_[k])));
    break;
  }
  for (const SegmentResult& r : results) quotes_seen_ = quotes_seen_ || r.saw_quote;
  return results;
}

Result<size_t> CsvParserImpl::ProcessBlock(std::string_view block, bool final) {
  std::vector<SegmentResult> results = ParseParallel(block, final);
  size_t consumed = 0;
  for (const SegmentResult& r : results) {
    consumed += r.consumed;
    if (r.fatal) break;
  }
  bytes_parsed_ += consumed;
  RETURN_IF_ERROR(Deliver(std::move(results), final));
  return consumed;
}

CsvRowError CsvParserImpl::ToRowError(const csv_internal::SegmentError& e) const {
  CsvRowError out;
  out.line = lines_done_ + e.line + 1;
  out.column = e.column;
  if (e.column > 0 && e.column <= static_cast<int>(plan_.header.size())) {
    out.column_name = plan_.header[e.column - 1];
  }
  out.reason = e.reason;
  return out;
}

Status CsvParserImpl::Deliver(std::vector<SegmentResult> results, bool final) {
  int64_t rows = 0;
  for (SegmentResult& r : results) {
    for (const csv_internal::SegmentError& e : r.errors) {
      if (report_.errors.size() < options_.max_reported_errors) {
        report_.errors.push_back(ToRowError(e));
      }
    }
    report_.rows_rejected += r.rejected;
    if (r.fatal) return Error(ToRowError(*r.fatal).ToString());
    lines_done_ += r.lines;
    rows += r.table.num_rows();
  }
  if (!plan_.inferred.empty() && (rows > 0 || final)) {
    std::vector<Table*> tables;
    tables.reserve(results.size());
    for (SegmentResult& r : results) tables.push_back(&r.table);
    csv_internal::InferTypes(&plan_, tables);
  }
  report_.rows += rows;
  std::vector<Table> chunks;
  for (SegmentResult& r : results) {
    if (r.table.num_rows() > 0) chunks.push_back(std::move(r.table));
  }
  Status status = Status::Ok();
  if (!chunks.empty()) {
    emitted_ = true;
    status = on_block_(chunks);
  }
  for (size_t i = 0; i < chunks.size(); ++i) spare_[i] = std::move(chunks[i]);
  return status;
}

CsvStreamParser::CsvStreamParser(CsvReadOptions options, ChunkHandler on_chunk)
    : CsvStreamParser(std::move(options),
                      [on_chunk = std::move(on_chunk)](std::span<Table> chunks) {
                        for (Table& chunk : chunks) RETURN_IF_ERROR(on_chunk(chunk));
                        return Status::Ok();
                      }) {}
CsvStreamParser::CsvStreamParser(CsvReadOptions options, BlockHandler on_block)
    : impl_(std::make_unique<CsvParserImpl>(std::move(options), std::move(on_block))) {}
CsvStreamParser::~CsvStreamParser() = default;
Status CsvStreamParser::Feed(std::string_view bytes) { return impl_->Feed(bytes); }
Status CsvStreamParser::Finish() { return impl_->Finish(); }
const CsvReport& CsvStreamParser::report() const { return impl_->report(); }
uint64_t CsvStreamParser::bytes_parsed() const { return impl_->bytes_parsed(); }

}  // namespace ch
