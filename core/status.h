// Status and StatusOr: how every public function of newsclaim reports failure.
// Codes follow Abseil's canonical ones; no exception escapes a public function.
#ifndef NEWSCLAIM_CORE_STATUS_H_
#define NEWSCLAIM_CORE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace newsclaim {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the input itself is bad (bad flag, malformed rule, binary file)
  kNotFound,            // a named file, row or rule does not exist
  kAlreadyExists,       // the thing is stored already
  kFailedPrecondition,  // the system is not in a state to do this (read-only db, locked)
  kResourceExhausted,   // a size cap was hit (page too large, disk full)
  kUnavailable,         // transient: retry later (HTTP 503, busy database)
  kDataLoss,            // bytes were lost or corrupted (truncated input, invalid encoding)
  kInternal,            // a bug or a third-party library failure
};

// Returns a stable lower-case name ("invalid_argument", ...) used in error records.
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: message" (or "ok").
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status ResourceExhaustedError(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
inline Status UnavailableError(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status DataLossError(std::string m) { return Status(StatusCode::kDataLoss, std::move(m)); }
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

// Holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = InternalError("StatusOr built from an OK status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace newsclaim

#define NC_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::newsclaim::Status nc_status_ = (expr); \
    if (!nc_status_.ok()) return nc_status_; \
  } while (0)

#endif  // NEWSCLAIM_CORE_STATUS_H_
