// Internal to the CSV codec: the parse plan and the parser of one row-aligned segment.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/csv_options.h"
#include "core/status.h"
#include "table/table.h"

namespace ch::csv_internal {

// How one CSV column (by position in the header) is parsed.
struct FieldPlan {
  int out = -1;  // index of the output column; -1: dropped
  DataType type = DataType::kString;
  bool nullable = true;
};

// Everything a segment parser needs; fixed once the header is read.
struct ParsePlan {
  char delimiter = ',';
  bool validate_utf8 = true;
  bool skip_bad_rows = false;
  std::vector<std::string> header;  // names by CSV position
  std::vector<FieldPlan> fields;    // by CSV position
  Schema out_schema;                // schema of parsed tables (inferred columns: string)
  std::vector<int> absent;          // output columns missing from the file: all null
  std::vector<int> inferred;        // output columns whose type is still to be inferred
  std::array<bool, 256> special{};  // bytes that end an unquoted run
};

// A bad row, with its line counted from the start of the segment (0-based).
struct SegmentError {
  int64_t line = 0;
  int column = 0;  // 1-based CSV position; 0 for the whole row
  std::string reason;
};

struct SegmentResult {
  Table table;
  size_t consumed = 0;  // bytes of complete rows parsed (a partial last row is left)
  int64_t lines = 0;    // line ends within the consumed bytes
  int64_t rejected = 0;
  bool saw_quote = false;             // a row held (or may have held) a quote character
  std::vector<SegmentError> errors;   // rejected rows (first max_errors)
  std::optional<SegmentError> fatal;  // the first bad row when not skipping
};

// Parses the rows of `data`, which starts at a row boundary. Unless `final`,
// a row not ended by a line end is left unparsed (consumed stops before it).
// The rows go into `reuse` (emptied first) when it has the plan's schema, so
// its buffers are recycled; otherwise into a new table.
SegmentResult ParseSegment(const ParsePlan& plan, std::string_view data, bool final,
                           size_t max_errors, Table reuse = Table());

// Row boundaries for splitting `data` (starting at a row boundary) into at
// most `parts` pieces: offsets just after a line end with an even number of
// quotes before it. Includes 0 and data.size(). Without `count_quotes`, the
// first line end past each cut, unchecked: a serial pass over the data saved
// for input that has shown no quotes, at the price of a re-parse (see
// ParseSegment's `consumed`) if a cut lands inside a quoted field after all.
std::vector<size_t> SplitPoints(std::string_view data, int parts, bool count_quotes = true);

// Offset just past the first row's line end, honouring quotes; npos if the
// row does not end within `data`.
size_t FindRowEnd(std::string_view data);

// Splits one row (without its line end) into unquoted field values.
// InvalidArgument on bad quoting.
Result<std::vector<std::string>> SplitHeaderRow(std::string_view row, char delimiter);

// Builds the plan from the header names. InvalidArgument ("line N, ...")
// for a missing required column or a duplicate name; `header_line` is the
// 1-based line of the header.
Result<ParsePlan> MakePlan(const CsvReadOptions& options, std::vector<std::string> header,
                           int64_t header_line);

// Decides the types of plan.inferred columns from the (string) values parsed
// so far, converts those columns in every table, and fixes the plan for the
// rest of the input.
void InferTypes(ParsePlan* plan, const std::vector<Table*>& tables);

// Threads for options.num_threads == 0: the CPUs this process may run on
// (its affinity mask, which containers narrow), at most 16.
int DefaultThreads();

// "'abc'" quoted for a message, shortened when long.
std::string QuoteValue(std::string_view value);

}  // namespace ch::csv_internal
