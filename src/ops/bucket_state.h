// Small helpers shared by `buckets check` and `buckets init` (internal to ch_ops).
#pragma once

#include <string>

#include "ops/bucket_policy.h"

namespace ch::ops {

inline bool IsNotSupported(const Status& status) {
  return status.code() == StatusCode::kNotSupported;
}

// "AES256", "aws:kms (key …)".
std::string DescribeEncryption(const std::string& algorithm, const std::string& kms_key_id);
// Whether `actual` is the encryption `want` asks for (any KMS key when none is named).
bool EncryptionMatches(const ExpectedBucket& want, const BucketEncryption& actual);

// "all four blocks on", or the flags that are off.
std::string DescribeBlock(const PublicAccessBlock& block);
bool BlocksEverything(const PublicAccessBlock& block);

}  // namespace ch::ops
