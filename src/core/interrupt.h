// Cooperative interruption of a long command by SIGINT or SIGTERM.
//
// A transfer killed outright leaves litter: an open multipart upload that the
// bucket bills for until something aborts it, a half-written temp file beside
// a download. Commands that honour an interrupt install these handlers; the
// first signal then only raises a flag that transfers poll, so they stop
// early and clean up on their ordinary error paths. A second signal ends the
// process at once.
#pragma once

#include <chrono>
#include <string_view>

#include "core/status.h"

namespace ch {

// Installs the SIGINT and SIGTERM handlers for the rest of the process. The
// first signal makes Interrupted() true and says on stderr that the command is
// stopping; a second one exits at once with 128 + its number.
void InstallInterruptHandlers();

// Whether an interrupt was received (or requested), and this thread is not in
// a CleanupScope. Cheap: one thread-local and one atomic load.
bool Interrupted();

// While one is alive on a thread, Interrupted() is false there: the clean-up
// of an interrupted command (deleting what it had staged) must still get
// through code that otherwise stops on an interrupt. A second signal still
// quits at once.
class CleanupScope {
 public:
  CleanupScope();
  ~CleanupScope();
  CleanupScope(const CleanupScope&) = delete;
  CleanupScope& operator=(const CleanupScope&) = delete;

 private:
  bool outer_;  // whether the thread was already in one
};

// The signal that interrupted (SIGINT, SIGTERM), or 0.
int InterruptSignal();

// As if `signal` had been received once (for tests and for callers that stop
// a command for their own reasons).
void RequestInterrupt(int signal);

// Forgets an interrupt (tests only: one process runs many cases).
void ClearInterruptForTest();

// Cancelled: "<context>: interrupted (SIGINT)".
Status InterruptedStatus(std::string_view context);

// Sleeps for `duration`, waking early when an interrupt arrives; returns
// false if it did.
bool SleepUnlessInterrupted(std::chrono::milliseconds duration);

}  // namespace ch
