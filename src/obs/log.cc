// The structured logger: formatting of human and JSON lines, and the one
// process-wide sink.
#include "obs/log.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <shared_mutex>

namespace ch::obs {
namespace {

struct LoggerState {
  std::shared_mutex mu;  // guards options
  LoggerOptions options;
  std::mutex write_mu;  // one line at a time
};

LoggerState& State() {
  static LoggerState state;
  return state;
}

thread_local std::string tls_request_id;

std::string FormatTime(std::chrono::system_clock::time_point time) {
  const auto since = time.time_since_epoch();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since - secs).count();
  const std::time_t t = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis < 0 ? 0 : millis));
  return buf;
}

// Human lines quote values only when they would otherwise be ambiguous.
std::string HumanValue(const LogField::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    const bool plain = !s->empty() && s->find_first_of(" \t\n\r\"=") == std::string::npos;
    return plain
               ? *s
               : nlohmann::json(*s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", std::get<double>(value));
  return buf;
}

nlohmann::ordered_json JsonValue(const LogField::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<int64_t>(&value)) return *i;
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  const double d = std::get<double>(value);
  if (!std::isfinite(d)) return nullptr;  // JSON has no NaN or infinity
  return d;
}

std::string HumanLine(std::string_view time, LogLevel level, std::string_view command,
                      std::string_view request_id, std::string_view message,
                      const LogFields& fields) {
  std::string line(time);
  line += ' ';
  std::string level_name(LogLevelName(level));
  for (char& c : level_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  line += level_name;
  if (!command.empty()) line.append(" ").append(command);
  if (!request_id.empty()) line.append(" [").append(request_id).append("]");
  line.append(": ").append(message);
  for (const LogField& field : fields) {
    line.append(" ").append(field.key).append("=").append(HumanValue(field.value));
  }
  return line;
}

std::string JsonLine(std::string_view time, LogLevel level, std::string_view command,
                     std::string_view request_id, std::string_view message,
                     const LogFields& fields) {
  nlohmann::ordered_json line;
  line["time"] = time;
  line["level"] = LogLevelName(level);
  if (!command.empty()) line["command"] = command;
  if (!request_id.empty()) line["request_id"] = request_id;
  line["msg"] = message;
  for (const LogField& field : fields) {
    // The fixed keys win; a field that reuses one is renamed rather than lost.
    std::string key = field.key;
    while (line.contains(key)) key.insert(0, "field.");
    line[key] = JsonValue(field.value);
  }
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void WriteStderr(std::string_view line) {
  std::string buf(line);
  buf += '\n';
  const char* p = buf.data();
  size_t left = buf.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

Result<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "human") return LogFormat::kHuman;
  if (text == "json") return LogFormat::kJson;
  return Status::InvalidArgument("log format '" + std::string(text) +
                                 "': expected 'human' or 'json'");
}

Result<LogLevel> ParseLogLevel(std::string_view text) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LogLevelName(level)) return level;
  }
  return Status::InvalidArgument("log level '" + std::string(text) +
                                 "': expected debug, info, warn or error");
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void ConfigureLogging(LoggerOptions options) {
  LoggerState& state = State();
  std::unique_lock lock(state.mu);
  state.options = std::move(options);
}

LogFormat CurrentLogFormat() {
  LoggerState& state = State();
  std::shared_lock lock(state.mu);
  return state.options.format;
}

bool LogEnabled(LogLevel level) {
  LoggerState& state = State();
  std::shared_lock lock(state.mu);
  return level >= state.options.min_level;
}

std::string FormatLogLine(LogFormat format, std::chrono::system_clock::time_point time,
                          LogLevel level, std::string_view command, std::string_view request_id,
                          std::string_view message, const LogFields& fields) {
  const std::string stamp = FormatTime(time);
  return format == LogFormat::kJson ? JsonLine(stamp, level, command, request_id, message, fields)
                                    : HumanLine(stamp, level, command, request_id, message, fields);
}

void Log(LogLevel level, std::string_view message, const LogFields& fields) {
  LoggerState& state = State();
  std::string line;
  LogSink sink;
  {
    std::shared_lock lock(state.mu);
    if (level < state.options.min_level) return;
    line = FormatLogLine(state.options.format, std::chrono::system_clock::now(), level,
                         state.options.command, tls_request_id, message, fields);
    sink = state.options.sink;
  }
  std::lock_guard write_lock(state.write_mu);
  if (sink) {
    sink(line);
  } else {
    WriteStderr(line);
  }
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

RequestScope::RequestScope(std::string request_id) : previous_(std::move(tls_request_id)) {
  tls_request_id = std::move(request_id);
}

RequestScope::~RequestScope() { tls_request_id = std::move(previous_); }

const std::string& CurrentRequestId() { return tls_request_id; }

TimedEvent::TimedEvent(std::string message, LogFields fields, LogLevel level)
    : message_(std::move(message)),
      fields_(std::move(fields)),
      level_(level),
      start_(std::chrono::steady_clock::now()) {}

TimedEvent::~TimedEvent() {
  if (!done_) Finish();
}

std::chrono::duration<double> TimedEvent::Finish(const Status& status) {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  if (done_) return elapsed;
  done_ = true;
  fields_.emplace_back("duration_ms", elapsed.count() * 1000.0);
  LogLevel level = level_;
  if (!status.ok()) {
    fields_.emplace_back("error", status.ToString());
    if (level < LogLevel::kWarn) level = LogLevel::kWarn;
  }
  Log(level, message_, fields_);
  return elapsed;
}

}  // namespace ch::obs
