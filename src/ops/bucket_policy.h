// The bucket policy the platform relies on (versioning, default encryption,
// public-access block, lifecycle rules), and `buckets init` / `buckets check`
// as library functions over any ObjectStore.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "storage/object_store.h"

namespace ch::ops {

struct BucketPolicyOptions {
  // Versioning is always on for the models bucket; these add the others.
  bool version_raw = false;
  bool version_processed = false;
  // Default server-side encryption: "AES256" (SSE-S3), "aws:kms" (SSE-KMS) or
  // "" for none. kms_key_id only with "aws:kms" (empty: the account's key).
  std::string sse_algorithm = "AES256";
  std::string kms_key_id;
  bool block_public_access = true;
  // Noncurrent versions of models/… expire this many days after being replaced.
  int noncurrent_model_days = 90;
  // predictions/, forecasts/ and alerts/ objects move to `archive_storage_class`
  // after `archive_days`; with an empty storage class (servers without storage
  // classes) they expire after `expire_days` instead.
  int archive_days = 90;
  std::string archive_storage_class = "GLACIER";
  int expire_days = 365;
  // Multipart uploads left incomplete are aborted after this many days.
  int abort_multipart_days = 7;
};

// InvalidArgument naming the option when a value is out of range.
Status ValidatePolicyOptions(const BucketPolicyOptions& options);

// One lifecycle rule as the policy states it: a superset of what one
// LifecycleRule of the store interface can hold.
struct PolicyRule {
  std::string id;      // "climahealth-…"; rules with other ids are the operator's own
  std::string prefix;  // "" for the whole bucket
  int expiration_days = 0;
  int transition_days = 0;
  std::string transition_storage_class;
  int noncurrent_expiration_days = 0;
  int abort_multipart_days = 0;
  bool enabled = true;
  // For a transition rule: the expiration that replaces it on servers without
  // storage classes (0: no fallback). Not an action of its own.
  int fallback_expiration_days = 0;

  // "transition to GLACIER after 90 days (prefix 'alerts/')", …
  std::string Describe() const;
};

enum class RuleMatch {
  kSame,                     // every action as expected
  kSameWithoutStorageClass,  // the fallback expiration in place of the transition
  kDifferent,
};
// Compares prefix, status and actions (not ids). Pure.
RuleMatch MatchRule(const PolicyRule& expected, const PolicyRule& actual);

// What one bucket should look like.
struct ExpectedBucket {
  std::string logical;  // raw, processed, models
  std::string name;     // the real bucket name
  bool versioning = false;
  std::string sse_algorithm;  // empty: no default encryption expected
  std::string kms_key_id;
  bool block_public_access = false;
  std::vector<PolicyRule> rules;
};

// The expected state of the three buckets, raw first. Pure.
std::vector<ExpectedBucket> ExpectedPolicy(const BucketNames& names,
                                           const BucketPolicyOptions& options);

// The rule ids this policy owns start with this prefix; init replaces only them.
inline constexpr char kRuleIdPrefix[] = "climahealth-";

// Conversion between the policy's rules and the store interface's.
Result<LifecycleRule> ToStoreRule(const PolicyRule& rule);
PolicyRule FromStoreRule(const LifecycleRule& rule);

// `wanted` for servers without storage classes: a transition rule becomes an
// expiration after its fallback_expiration_days; other rules are unchanged.
PolicyRule WithoutStorageClass(const PolicyRule& wanted);

// ---- buckets check ---------------------------------------------------------

enum class ItemState {
  kOk,           // present and as expected
  kMissing,      // required and absent
  kDifferent,    // present, but not as expected
  kUnsupported,  // the backend or server cannot do it (said, not failed)
  kExtra,        // present, not part of the policy (kept as it is)
};
std::string_view ItemStateName(ItemState state);  // "ok", "missing", …

struct CheckItem {
  std::string bucket;   // real name
  std::string logical;  // raw, processed, models
  std::string item;     // "bucket", "versioning", "encryption", "public access", "rule <id>"
  std::string expected;
  std::string actual;
  ItemState state = ItemState::kOk;
};

struct CheckReport {
  std::string store;  // ObjectStore::Describe()
  std::vector<CheckItem> items;

  size_t Count(ItemState state) const;
  // Ok when nothing is missing or different; NotFound naming the missing items
  // first, else PreconditionFailed naming the different ones.
  Status Verdict() const;
};

// Reads each bucket's configuration and compares it with `expected`. Errors
// other than NotSupported (unreachable server, denied access) stop the check.
Result<CheckReport> CheckBuckets(ObjectStore& store, const std::vector<ExpectedBucket>& expected);

// ---- buckets init ----------------------------------------------------------

enum class ActionKind {
  kCreated,      // the bucket was made
  kChanged,      // a setting was applied, verified by reading it back
  kUnchanged,    // already as expected
  kUnsupported,  // the backend or server cannot do it
};
std::string_view ActionKindName(ActionKind kind);

struct InitAction {
  std::string bucket;
  std::string item;
  ActionKind kind = ActionKind::kUnchanged;
  std::string detail;  // what was applied, or why it could not be
};

struct InitReport {
  std::string store;
  std::vector<InitAction> actions;
  // Whether anything was created or changed (false on an idempotent re-run).
  bool Changed() const;
};

// Creates missing buckets and applies the policy, leaving settings that
// already match alone and keeping lifecycle rules whose ids are not ours.
// Every applied setting is read back; a server that accepts a setting but does
// not keep it is reported as unsupported, so a second run changes nothing.
Result<InitReport> InitBuckets(ObjectStore& store, const std::vector<ExpectedBucket>& expected);

}  // namespace ch::ops
