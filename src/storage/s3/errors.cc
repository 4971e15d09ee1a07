// S3 error codes and HTTP statuses → the ObjectStore error kinds.
#include "storage/s3/errors.h"

#include <string>

#include "storage/s3/xml.h"

namespace ch::s3 {
namespace {

StatusCode CodeFor(int http_status, std::string_view code) {
  if (code == "NoSuchKey" || code == "NoSuchBucket" || code == "NoSuchVersion" ||
      code == "NoSuchUpload" || code == "NoSuchLifecycleConfiguration") {
    return StatusCode::kNotFound;
  }
  if (code == "AccessDenied" || code == "SignatureDoesNotMatch" || code == "InvalidAccessKeyId" ||
      code == "ExpiredToken" || code == "InvalidToken" || code == "RequestTimeTooSkewed") {
    return StatusCode::kPermissionDenied;
  }
  if (code == "PreconditionFailed" || http_status == 412) return StatusCode::kPreconditionFailed;
  if (code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" ||
      code == "ServiceUnavailable" || code == "BadDigest" || code == "IncompleteBody" ||
      code == "XAmzContentSHA256Mismatch" || http_status == 429 || http_status == 408 ||
      (http_status >= 500 && http_status != 501)) {
    return StatusCode::kUnavailable;
  }
  if (code == "NotImplemented" || http_status == 501) return StatusCode::kNotSupported;
  if (code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists") {
    return StatusCode::kAlreadyExists;
  }
  if (http_status == 404) return StatusCode::kNotFound;
  if (http_status == 403 || http_status == 401) return StatusCode::kPermissionDenied;
  if (http_status == 409) return StatusCode::kPreconditionFailed;
  return StatusCode::kInvalidArgument;
}

}  // namespace

Status StatusFromS3Error(int http_status, std::string_view body, std::string_view request_id,
                         std::string_view context) {
  std::optional<S3Error> err = ParseError(body);
  if (!err) return StatusFromS3Code(http_status, "", "", request_id, context);
  return StatusFromS3Code(http_status, err->code, err->message,
                          err->request_id.empty() ? request_id : err->request_id, context);
}

Status StatusFromS3Code(int http_status, std::string_view code, std::string_view message,
                        std::string_view request_id, std::string_view context) {
  std::string id(request_id);
  std::string msg = std::string(context) + ": ";
  if (!code.empty()) {
    msg += std::string(code);
    if (!message.empty()) msg += ": " + std::string(message);
  } else {
    msg += http_status == 404 ? "not found" : "request failed";
  }
  msg += " (HTTP " + std::to_string(http_status);
  if (!id.empty()) msg += ", request id " + id;
  msg += ")";
  return Status(CodeFor(http_status, code), msg);
}

}  // namespace ch::s3
