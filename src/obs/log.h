// Process-wide structured logging: one line per event on stderr, human-readable
// by default or one JSON object per line (`--log-format json`).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/status.h"

namespace ch::obs {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class LogFormat { kHuman, kJson };

// "human" / "json" → the format; InvalidArgument naming the value otherwise.
Result<LogFormat> ParseLogFormat(std::string_view text);
// "debug" / "info" / "warn" / "error" → the level; InvalidArgument otherwise.
Result<LogLevel> ParseLogLevel(std::string_view text);
std::string_view LogLevelName(LogLevel level);

// One named value of an event. Strings are escaped in JSON; doubles print with
// up to 6 significant digits after the point in human lines.
struct LogField {
  using Value = std::variant<std::string, int64_t, double, bool>;
  LogField(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  template <typename T>
  requires std::is_integral_v<T> LogField(std::string_view k, T v)
      : key(k), value(static_cast<int64_t>(v)) {}

  std::string key;
  Value value;
};

using LogFields = std::vector<LogField>;

// Receives each finished line without its trailing newline. Used by tests and
// by anything that wants the lines elsewhere than stderr.
using LogSink = std::function<void(std::string_view line)>;

struct LoggerOptions {
  LogFormat format = LogFormat::kHuman;
  LogLevel min_level = LogLevel::kInfo;  // events below it are dropped
  std::string command;                   // "batch", "store cp", ...; empty: none
  LogSink sink;                          // empty: stderr, one write(2) per line
};

// Replaces the process-wide logger settings. Thread-safe, but meant to be
// called once at start-up, before events are logged.
void ConfigureLogging(LoggerOptions options);

// The current settings' format (for callers that print their own output).
LogFormat CurrentLogFormat();

// Whether an event at `level` would be written (to skip building costly fields).
bool LogEnabled(LogLevel level);

// Writes one event: time (RFC 3339, UTC, milliseconds), level, command,
// request id (when a RequestScope is active on this thread), message, fields.
// Thread-safe: lines from many threads never interleave. Never fails: a write
// error on stderr is ignored, as there is nowhere left to report it.
void Log(LogLevel level, std::string_view message, const LogFields& fields = {});

inline void LogDebug(std::string_view message, const LogFields& fields = {}) {
  Log(LogLevel::kDebug, message, fields);
}
inline void LogInfo(std::string_view message, const LogFields& fields = {}) {
  Log(LogLevel::kInfo, message, fields);
}
inline void LogWarn(std::string_view message, const LogFields& fields = {}) {
  Log(LogLevel::kWarn, message, fields);
}
inline void LogError(std::string_view message, const LogFields& fields = {}) {
  Log(LogLevel::kError, message, fields);
}

// Formats one event the way Log would (without writing it); exposed for tests
// and for servers that build lines themselves.
std::string FormatLogLine(LogFormat format, std::chrono::system_clock::time_point time,
                          LogLevel level, std::string_view command, std::string_view request_id,
                          std::string_view message, const LogFields& fields);

// A fresh random request id: 16 lower-case hex digits.
std::string NewRequestId();

// Sets this thread's request id for its lifetime (events logged on the thread
// carry it); restores the previous id on destruction. Not movable.
class RequestScope {
 public:
  explicit RequestScope(std::string request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};

// This thread's request id, empty outside any RequestScope.
const std::string& CurrentRequestId();

// Times one operation and logs it when Finish is called (or on destruction,
// as "ok" unless Finish said otherwise) with a `duration_ms` field, plus
// `error` and level warn when the status is not ok. Not thread-safe.
class TimedEvent {
 public:
  TimedEvent(std::string message, LogFields fields, LogLevel level = LogLevel::kInfo);
  ~TimedEvent();
  TimedEvent(const TimedEvent&) = delete;
  TimedEvent& operator=(const TimedEvent&) = delete;

  // Adds a field to the final line (e.g. bytes transferred).
  void Add(LogField field) { fields_.push_back(std::move(field)); }
  // Logs now; later calls and the destructor do nothing. Returns the elapsed time.
  std::chrono::duration<double> Finish(const Status& status = Status::Ok());

 private:
  std::string message_;
  LogFields fields_;
  LogLevel level_;
  std::chrono::steady_clock::time_point start_;
  bool done_ = false;
};

}  // namespace ch::obs
