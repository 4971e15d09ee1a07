// JointEnd: a countdown that any member can break.
#include "jobs/batch/joint_end.h"

namespace ch::batch {

Status JointEnd::Arrive() {
  std::unique_lock lock(mu_);
  if (--waiting_for_ <= 0) changed_.notify_all();
  changed_.wait(lock, [&] { return !failure_.ok() || waiting_for_ <= 0; });
  return failure_;
}

void JointEnd::Fail(const Status& why) {
  std::lock_guard lock(mu_);
  if (failure_.ok()) failure_ = why.ok() ? Status::Internal("batch: an output failed") : why;
  changed_.notify_all();
}

Status JointEnd::failure() {
  std::lock_guard lock(mu_);
  return failure_;
}

}  // namespace ch::batch
