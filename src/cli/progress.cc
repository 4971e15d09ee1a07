// Progress bar drawing; silent when stderr is not a terminal.
#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace ch::cli {

std::string HumanBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  if (unit == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", value, kUnits[unit]);
  }
  return buf;
}

ProgressBar::ProgressBar(std::string label, std::optional<uint64_t> total_bytes)
    : label_(std::move(label)),
      total_(total_bytes),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Add(uint64_t bytes) {
  std::lock_guard lock(mu_);
  done_ += bytes;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  DrawLocked(false);
}

uint64_t ProgressBar::done() {
  std::lock_guard lock(mu_);
  return done_;
}

void ProgressBar::Finish() {
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (drawn_) {
    DrawLocked(true);
    std::fputc('\n', stderr);
  }
}

void ProgressBar::DrawLocked(bool final) {
  if (!enabled_) return;
  uint64_t size = total_.value_or(done_);
  if (!drawn_ && size < kMinBytes && done_ < kMinBytes) return;
  drawn_ = true;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  std::string line = "\r" + label_ + "  ";
  if (total_ && *total_ > 0) {
    int pct = static_cast<int>(100.0 * static_cast<double>(done_) / static_cast<double>(*total_));
    int filled = pct / 5;
    char head[48];
    std::snprintf(head, sizeof head, "%3d%% |%-20s| ", pct, std::string(filled, '#').c_str());
    line += head;
    line += HumanBytes(done_) + "/" + HumanBytes(*total_);
  } else {
    line += HumanBytes(done_);
  }
  line += "  " + HumanBytes(static_cast<uint64_t>(rate)) + "/s";
  if (total_ && rate > 0 && !final) {
    auto eta = static_cast<int>(static_cast<double>(*total_ - std::min(done_, *total_)) / rate);
    char buf[32];
    std::snprintf(buf, sizeof buf, "  ETA %d:%02d", eta / 60, eta % 60);
    line += buf;
  }
  line += "\x1b[K";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace ch::cli
