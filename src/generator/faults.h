// Deterministic placement and writing of the faults --dirty injects.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "generator/calendar.h"
#include "generator/dataset.h"
#include "generator/rows.h"

namespace ch::gen {

// Decides which fault (if any) goes at a (dataset, day, location) slot, from
// those values and the seed alone, so any thread can ask in any order.
//
// A slot is faulty with probability `rate`, its kind uniform over the eight
// kinds. So that small runs exercise everything, kind k is also placed at day
// k + 1, location (5k + 1) mod n, whenever there are at least 10 days. An
// out-of-order slot needs the next day in the same block and a location other
// than the first (so the move really breaks the order); elsewhere it becomes
// an exact duplicate.
class FaultPlanner {
 public:
  FaultPlanner(bool dirty, uint64_t seed, double rate, int64_t total_days, int locations,
               int days_per_block);

  std::optional<FaultKind> At(Dataset dataset, int64_t day, int location) const;
  // Random bits choosing the details (column, value) of the fault at a slot.
  uint64_t Detail(Dataset dataset, int64_t day, int location) const;

 private:
  bool dirty_;
  uint64_t seed_;
  double rate_;
  int64_t total_days_;
  int locations_;
  int days_per_block_;
};

// A fault whose line is still relative to the text fragment it was written in.
struct PendingFault {
  FaultRecord record;
  int fragment = 0;           // which of the caller's text fragments it is in
  uint64_t row = 0;           // 0-based data row within the fragment
  bool has_original = false;  // record.original_line is the row before `row`
};

// Writes the rows of a faulty slot (not kOutOfOrder, which the caller moves):
// the row altered in place, or the row plus an added copy. `first_row` is the
// fragment row index the first written row gets. Returns the rows written and
// appends what was done to `faults` (fragment left 0 for the caller to set).
int WriteFaultyRows(Dataset dataset, FaultKind kind, uint64_t detail, const DayInfo& day,
                    std::string_view code, const DayRecord& record, std::string_view eol,
                    uint64_t first_row, TextBuffer& out, std::vector<PendingFault>& faults);

}  // namespace ch::gen
