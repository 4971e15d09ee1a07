// The interrupt flag and its signal handlers.
#include "core/interrupt.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>

namespace ch {
namespace {

// Lock-free, so the handler may touch it (async-signal-safe).
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

thread_local bool t_in_cleanup = false;  // inside a CleanupScope

void WriteStderr(const char* text) {
  // write(2) is async-signal-safe; a short write only shortens the notice.
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

extern "C" void OnInterruptSignal(int signal) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, signal)) {
    WriteStderr("\nclimahealth: interrupted again; quitting now\n");
    ::_exit(128 + signal);
  }
  WriteStderr(
      "\nclimahealth: interrupted; stopping transfers and cleaning up (interrupt again to "
      "quit at once)\n");
}

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = OnInterruptSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking calls carry on; the flag is polled
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

bool Interrupted() { return !t_in_cleanup && g_signal.load(std::memory_order_relaxed) != 0; }

CleanupScope::CleanupScope() : outer_(t_in_cleanup) { t_in_cleanup = true; }

CleanupScope::~CleanupScope() { t_in_cleanup = outer_; }

int InterruptSignal() { return g_signal.load(std::memory_order_relaxed); }

void RequestInterrupt(int signal) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, signal);
}

void ClearInterruptForTest() { g_signal.store(0); }

Status InterruptedStatus(std::string_view context) {
  const int signal = InterruptSignal();
  const char* name = signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "requested";
  return Status::Cancelled(std::string(context) + ": interrupted (" + name + ")");
}

bool SleepUnlessInterrupted(std::chrono::milliseconds duration) {
  // Polled in short slices: a condition variable cannot be signalled from a handler.
  constexpr std::chrono::milliseconds kSlice{50};
  auto end = std::chrono::steady_clock::now() + duration;
  while (!Interrupted()) {
    auto now = std::chrono::steady_clock::now();
    if (now >= end) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(end - now, kSlice));
  }
  return false;
}

}  // namespace ch
