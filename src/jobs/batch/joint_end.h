// The end of several uploads written side by side, held until all of them
// got there: a source hands over its last bytes (after which a store may
// commit) only once every source has read to its end, and fails instead when
// another one failed. So an error or an interrupt in one output keeps the
// others from committing, as far as a client can decide that.
#pragma once

#include <condition_variable>
#include <mutex>

#include "core/status.h"

namespace ch::batch {

class JointEnd {
 public:
  explicit JointEnd(int members) : waiting_for_(members) {}

  // A member read to its end: waits for the others. OK when all did, else
  // the first member's failure.
  Status Arrive();
  // A member failed (its read or its store's write): releases the others
  // with `why`, unless one failed before.
  void Fail(const Status& why);
  // The first failure, or OK: what went wrong, where the others only echo it.
  Status failure();

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int waiting_for_;
  Status failure_;
};

}  // namespace ch::batch
