// S3's XML documents: parsing responses and building request bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch::s3 {

// An S3 <Error> document.
struct S3Error {
  std::string code;  // "NoSuchKey", …
  std::string message;
  std::string request_id;
  std::string resource;
};

// Parses an <Error> document; nullopt when `body` is not one (empty, HTML, other XML).
std::optional<S3Error> ParseError(std::string_view body);

// ListObjectsV2 result. page.next_token is NextContinuationToken when truncated.
Result<ListPage> ParseListObjectsV2(std::string_view body);

// ListObjectVersions result. page.next_token encodes the key and version-id markers
// (see EncodeVersionToken) when truncated.
Result<VersionPage> ParseListObjectVersions(std::string_view body);
std::string EncodeVersionToken(std::string_view key_marker, std::string_view version_marker);
// InvalidArgument when `token` was not made by EncodeVersionToken.
Result<std::pair<std::string, std::string>> DecodeVersionToken(std::string_view token);

// DeleteObjects: the request body (Quiet mode) and the per-key errors of the answer.
std::string BuildDeleteObjects(const std::vector<std::string>& keys);
struct DeleteError {
  std::string key;
  std::string code;
  std::string message;
};
Result<std::vector<DeleteError>> ParseDeleteResult(std::string_view body);

// Multipart: UploadId of InitiateMultipartUpload; the CompleteMultipartUpload body
// from the parts' ETags (part numbers 1..N); the ETag of its answer (unquoted; may be
// empty: Ceph answers <ETag></ETag>). An <Error> body is an error, even under 200.
Result<std::string> ParseInitiateMultipart(std::string_view body);
std::string BuildCompleteMultipart(const std::vector<std::string>& etags);
Result<std::string> ParseCompleteMultipart(std::string_view body);

// ListMultipartUploads: the keys of the open uploads.
Result<std::vector<std::string>> ParseListUploads(std::string_view body);

// ListMultipartUploads in full: key, upload id and start time of each open upload.
struct OpenUpload {
  std::string key;
  std::string upload_id;
  TimePoint initiated{};
};
Result<std::vector<OpenUpload>> ParseOpenUploads(std::string_view body);

// CopyObject answer: ETag and LastModified. An <Error> body is an error, even under 200.
Result<ObjectInfo> ParseCopyResult(std::string_view body);

// Bucket versioning: "Enabled" → true; "Suspended" or never set → false.
Result<bool> ParseVersioning(std::string_view body);
std::string BuildVersioning(bool enabled);

// Lifecycle rules (LifecycleRule is in storage/object_store.h).
std::string BuildLifecycle(const std::vector<LifecycleRule>& rules);
Result<std::vector<LifecycleRule>> ParseLifecycle(std::string_view body);

// Bucket default encryption (ServerSideEncryptionConfiguration); the first rule.
std::string BuildEncryption(const BucketEncryption& encryption);
Result<BucketEncryption> ParseEncryption(std::string_view body);

// PublicAccessBlockConfiguration.
std::string BuildPublicAccessBlock(const PublicAccessBlock& block);
Result<PublicAccessBlock> ParsePublicAccessBlock(std::string_view body);

}  // namespace ch::s3
