// Status and Result<T>: the one error vocabulary of every library layer.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ch {

// A small closed set. kUnavailable is the only code a retry loop retries.
enum class StatusCode {
  kOk = 0,
  kNotFound,
  kAlreadyExists,
  kPreconditionFailed,
  kInvalidArgument,
  kPermissionDenied,
  kUnavailable,   // transient: network, throttling, 5xx, a busy resource
  kCorruption,    // data that does not match its checksum or its format
  kIOError,       // permanent failure of the underlying medium
  kNotSupported,  // the backend or server lacks this feature
  kInternal,
  kCancelled,  // the user interrupted the command (SIGINT/SIGTERM); never retried
};

// Returns a stable name such as "NotFound".
std::string_view StatusCodeName(StatusCode code);

// The outcome of an operation: ok, or a code with a message naming the
// operation and the object ("put raw/x.csv: ..."). Cheap to copy when ok.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) {
    return {StatusCode::kAlreadyExists, std::move(msg)};
  }
  static Status PreconditionFailed(std::string msg) {
    return {StatusCode::kPreconditionFailed, std::move(msg)};
  }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status NotSupported(std::string msg) {
    return {StatusCode::kNotSupported, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsCancelled() const { return code_ == StatusCode::kCancelled; }
  bool IsRetryable() const { return code_ == StatusCode::kUnavailable; }

  // "NotFound: get raw/x.csv: no such object", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; ok stays ok.
  Status WithContext(std::string_view context) const;

  // Marks a status as deliberately ignored, where ignoring is correct (e.g.
  // best-effort cleanup after another error). Says so at the call site.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or an error Status (never an ok Status without a value).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "Result built from an ok Status has no value");
    if (status_.ok())
      status_ = Status::Internal("Result constructed from ok Status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

  // The value, or `fallback` when this holds an error.
  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace ch

#define CH_CONCAT_INNER(a, b) a##b
#define CH_CONCAT(a, b) CH_CONCAT_INNER(a, b)

// Returns the status from the enclosing function if `expr` is not ok.
#define RETURN_IF_ERROR(expr)                \
  do {                                       \
    ::ch::Status ch_status_ = (expr);        \
    if (!ch_status_.ok()) return ch_status_; \
  } while (false)

// `tmp` is an identifier and `lhs` may be a declaration ("Type name"), so
// neither can be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

// `lhs = value of expr`, or returns the error from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  CH_ASSIGN_OR_RETURN_IMPL(CH_CONCAT(ch_result_, __LINE__), lhs, expr)
