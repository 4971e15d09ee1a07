// Descriptions and comparisons of bucket settings, shared by check and init.
#include "ops/bucket_state.h"

namespace ch::ops {

std::string DescribeEncryption(const std::string& algorithm, const std::string& kms_key_id) {
  if (algorithm.empty()) return "none";
  if (kms_key_id.empty()) return algorithm;
  return algorithm + " (key " + kms_key_id + ")";
}

bool EncryptionMatches(const ExpectedBucket& want, const BucketEncryption& actual) {
  if (actual.algorithm != want.sse_algorithm) return false;
  return want.kms_key_id.empty() || actual.kms_key_id == want.kms_key_id;
}

std::string DescribeBlock(const PublicAccessBlock& b) {
  if (BlocksEverything(b)) return "all public access blocked";
  std::string off;
  auto add = [&off](bool on, const char* name) {
    if (!on) off += (off.empty() ? "" : ", ") + std::string(name);
  };
  add(b.block_public_acls, "BlockPublicAcls");
  add(b.ignore_public_acls, "IgnorePublicAcls");
  add(b.block_public_policy, "BlockPublicPolicy");
  add(b.restrict_public_buckets, "RestrictPublicBuckets");
  return "off: " + off;
}

bool BlocksEverything(const PublicAccessBlock& b) {
  return b.block_public_acls && b.ignore_public_acls && b.block_public_policy &&
         b.restrict_public_buckets;
}

}  // namespace ch::ops
