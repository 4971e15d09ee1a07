// S3Store: bucket configuration (lifecycle, default encryption, public-access block)
// and presigned GET URLs.
#include <string>

#include "storage/s3/errors.h"
#include "storage/s3/s3_store.h"
#include "storage/s3/s3_store_internal.h"

namespace ch::s3 {
namespace {

// A missing configuration is expected absence; a missing bucket is not.
bool IsMissingConfig(const Status& st) {
  return st.IsNotFound() && st.message().find("NoSuchBucket") == std::string::npos;
}

}  // namespace

Status S3Store::Unsupported(std::string_view context, std::string_view feature) const {
  return Status::NotSupported(std::string(context) + ": " + std::string(feature) +
                              " is not supported by this server (" + Describe() + ")");
}

Result<net::HttpResponse> S3Store::BucketConfig(std::string method, std::string_view bucket,
                                                std::string_view subresource, std::string_view body,
                                                std::string_view context) {
  Call call{std::move(method), std::string(bucket)};
  call.query = {{std::string(subresource), ""}};
  if (!body.empty()) {
    call.headers = {{"content-md5", internal::Base64Md5(body)},
                    {"content-type", "application/xml"}};
    call.body = body;
    call.sign_body = true;
  }
  Result<net::HttpResponse> r = Execute(call, context);
  if (!r.ok() && r.status().code() == StatusCode::kNotSupported) {
    return Status::NotSupported(r.status().message() + ": not supported by this server");
  }
  // A server that does not know the sub-resource may ignore it and list the bucket.
  if (r.ok() && r->body.find("<ListBucketResult") != std::string::npos) {
    return Status::NotSupported(
        std::string(context) + ": the server ignored ?" + std::string(subresource) +
        " and listed the bucket: " + "not supported by this server (" + Describe() + ")");
  }
  return r;
}

Status S3Store::DeleteBucket(std::string_view bucket) {
  Call call{"DELETE", std::string(bucket)};
  Status st = Execute(call, "delete bucket " + std::string(bucket)).status();
  return st.IsNotFound() ? Status::Ok() : st;
}

Result<std::string> S3Store::PresignGet(const ObjectRef& ref, std::chrono::seconds expires) {
  return Presign("GET", ref, expires);
}

Result<std::vector<LifecycleRule>> S3Store::GetLifecycle(std::string_view bucket) {
  std::string context = "get lifecycle of " + std::string(bucket);
  if (!options_.lifecycle) return Unsupported(context, "lifecycle configuration");
  Result<net::HttpResponse> r = BucketConfig("GET", bucket, "lifecycle", {}, context);
  if (!r.ok() && IsMissingConfig(r.status())) return std::vector<LifecycleRule>{};
  if (!r.ok()) return r.status();
  Result<std::vector<LifecycleRule>> rules = ParseLifecycle(r->body);
  if (!rules.ok()) return rules.status().WithContext(context);
  return rules;
}

Status S3Store::PutLifecycle(std::string_view bucket, const std::vector<LifecycleRule>& rules) {
  std::string context = "put lifecycle of " + std::string(bucket);
  if (!options_.lifecycle) return Unsupported(context, "lifecycle configuration");
  for (const LifecycleRule& rule : rules) {
    const bool negative = rule.expiration_days < 0 || rule.transition_days < 0 ||
                          rule.noncurrent_expiration_days < 0 ||
                          rule.abort_incomplete_multipart_days < 0;
    const bool no_action = rule.expiration_days == 0 && rule.transition_days == 0 &&
                           rule.noncurrent_expiration_days == 0 &&
                           rule.abort_incomplete_multipart_days == 0;
    if (negative || no_action ||
        (rule.transition_days > 0 && rule.transition_storage_class.empty())) {
      return Status::InvalidArgument(context + ": rule '" + rule.id +
                                     "' needs an action: expiration, transition (with a "
                                     "storage class), noncurrent-version expiration or "
                                     "abort of incomplete multipart uploads, in days > 0");
    }
  }
  // S3 rejects an empty LifecycleConfiguration: removing all rules is a DELETE.
  if (rules.empty()) return BucketConfig("DELETE", bucket, "lifecycle", {}, context).status();
  return BucketConfig("PUT", bucket, "lifecycle", BuildLifecycle(rules), context).status();
}

Result<std::optional<BucketEncryption>> S3Store::GetBucketEncryption(std::string_view bucket) {
  std::string context = "get encryption of " + std::string(bucket);
  if (!options_.bucket_encryption) return Unsupported(context, "bucket encryption");
  Result<net::HttpResponse> r = BucketConfig("GET", bucket, "encryption", {}, context);
  if (!r.ok() && IsMissingConfig(r.status())) return std::optional<BucketEncryption>();
  if (!r.ok()) return r.status();
  Result<BucketEncryption> enc = ParseEncryption(r->body);
  if (!enc.ok()) return enc.status().WithContext(context);
  return std::optional<BucketEncryption>(*enc);
}

Status S3Store::PutBucketEncryption(std::string_view bucket, const BucketEncryption& encryption) {
  std::string context = "put encryption of " + std::string(bucket);
  if (!options_.bucket_encryption) return Unsupported(context, "bucket encryption");
  if (encryption.algorithm != "AES256" && encryption.algorithm != "aws:kms") {
    return Status::InvalidArgument(context + ": algorithm must be AES256 or aws:kms, got '" +
                                   encryption.algorithm + "'");
  }
  return BucketConfig("PUT", bucket, "encryption", BuildEncryption(encryption), context).status();
}

Result<std::optional<PublicAccessBlock>> S3Store::GetPublicAccessBlock(std::string_view bucket) {
  std::string context = "get public access block of " + std::string(bucket);
  if (!options_.public_access_block) return Unsupported(context, "public access block");
  Result<net::HttpResponse> r = BucketConfig("GET", bucket, "publicAccessBlock", {}, context);
  if (!r.ok() && IsMissingConfig(r.status())) return std::optional<PublicAccessBlock>();
  if (!r.ok()) return r.status();
  Result<PublicAccessBlock> block = ParsePublicAccessBlock(r->body);
  if (!block.ok()) return block.status().WithContext(context);
  return std::optional<PublicAccessBlock>(*block);
}

Status S3Store::PutPublicAccessBlock(std::string_view bucket, const PublicAccessBlock& block) {
  std::string context = "put public access block of " + std::string(bucket);
  if (!options_.public_access_block) return Unsupported(context, "public access block");
  return BucketConfig("PUT", bucket, "publicAccessBlock", BuildPublicAccessBlock(block), context)
      .status();
}

}  // namespace ch::s3
