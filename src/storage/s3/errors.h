// The one mapping from an S3 error answer (HTTP status + <Error> body) to a Status.
#pragma once

#include <string_view>

#include "core/status.h"

namespace ch::s3 {

// Maps a non-2xx answer to a Status whose message is "<context>: <Code>: <Message>
// (HTTP <status>, request id <id>)". NoSuchKey/NoSuchBucket/NoSuchVersion/NoSuchUpload
// → NotFound; AccessDenied/SignatureDoesNotMatch/InvalidAccessKeyId/ExpiredToken →
// PermissionDenied; PreconditionFailed (412) → PreconditionFailed; SlowDown, 429,
// RequestTimeout, InternalError, 5xx and BadDigest (the body was damaged on the way, so
// the upload is retried) → Unavailable; NotImplemented (501) → NotSupported; other 4xx →
// InvalidArgument.
// `request_id` is the x-amz-request-id header, used when the body has none.
Status StatusFromS3Error(int http_status, std::string_view body, std::string_view request_id,
                         std::string_view context);

// The same mapping for an error code known without a document (DeleteObjects entries).
Status StatusFromS3Code(int http_status, std::string_view code, std::string_view message,
                        std::string_view request_id, std::string_view context);

}  // namespace ch::s3
