// The platform's bucket policy: what each bucket should hold, and conversion of
// its lifecycle rules to and from the store interface's.
#include "ops/bucket_policy.h"

namespace ch::ops {
namespace {

Status CheckDays(std::string_view name, int days, int min) {
  if (days < min || days > 36500) {
    return Status::InvalidArgument(std::string(name) + " must be between " + std::to_string(min) +
                                   " and 36500 days, got " + std::to_string(days));
  }
  return Status::Ok();
}

PolicyRule AbortRule(int days) {
  PolicyRule r;
  r.id = std::string(kRuleIdPrefix) + "abort-incomplete-multipart";
  r.abort_multipart_days = days;
  return r;
}

}  // namespace

Status ValidatePolicyOptions(const BucketPolicyOptions& o) {
  RETURN_IF_ERROR(CheckDays("--noncurrent-model-days", o.noncurrent_model_days, 1));
  RETURN_IF_ERROR(CheckDays("--archive-days", o.archive_days, 1));
  RETURN_IF_ERROR(CheckDays("--expire-days", o.expire_days, 1));
  RETURN_IF_ERROR(CheckDays("--abort-multipart-days", o.abort_multipart_days, 1));
  if (!o.sse_algorithm.empty() && o.sse_algorithm != "AES256" && o.sse_algorithm != "aws:kms") {
    return Status::InvalidArgument("--sse must be AES256, aws:kms or none, got '" +
                                   o.sse_algorithm + "'");
  }
  if (!o.kms_key_id.empty() && o.sse_algorithm != "aws:kms") {
    return Status::InvalidArgument("--kms-key-id needs --sse aws:kms");
  }
  return Status::Ok();
}

std::string PolicyRule::Describe() const {
  std::string text;
  auto add = [&text](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (transition_days > 0) {
    add("transition to " + transition_storage_class + " after " + std::to_string(transition_days) +
        " days");
  }
  if (expiration_days > 0) add("expire after " + std::to_string(expiration_days) + " days");
  if (noncurrent_expiration_days > 0) {
    add("expire noncurrent versions after " + std::to_string(noncurrent_expiration_days) + " days");
  }
  if (abort_multipart_days > 0) {
    add("abort incomplete multipart uploads after " + std::to_string(abort_multipart_days) +
        " days");
  }
  if (text.empty()) text = "no action";
  return text + " (prefix '" + prefix + "'" + (enabled ? ")" : ", disabled)");
}

std::vector<ExpectedBucket> ExpectedPolicy(const BucketNames& names, const BucketPolicyOptions& o) {
  auto base = [&o](std::string logical, std::string name, bool versioning) {
    ExpectedBucket b;
    b.logical = std::move(logical);
    b.name = std::move(name);
    b.versioning = versioning;
    b.sse_algorithm = o.sse_algorithm;
    b.kms_key_id = o.kms_key_id;
    b.block_public_access = o.block_public_access;
    b.rules.push_back(AbortRule(o.abort_multipart_days));
    return b;
  };
  ExpectedBucket raw = base("raw", names.raw, o.version_raw);
  ExpectedBucket processed = base("processed", names.processed, o.version_processed);
  for (const char* kind : {"predictions", "forecasts", "alerts"}) {
    PolicyRule r;
    r.id = std::string(kRuleIdPrefix) + "archive-" + kind;
    r.prefix = std::string(kind) + "/";
    if (o.archive_storage_class.empty()) {
      r.expiration_days = o.expire_days;
    } else {
      r.transition_days = o.archive_days;
      r.transition_storage_class = o.archive_storage_class;
      r.fallback_expiration_days = o.expire_days;
    }
    processed.rules.push_back(std::move(r));
  }
  ExpectedBucket models = base("models", names.models, true);
  PolicyRule noncurrent;
  noncurrent.id = std::string(kRuleIdPrefix) + "expire-noncurrent-models";
  noncurrent.prefix = "models/";
  noncurrent.noncurrent_expiration_days = o.noncurrent_model_days;
  models.rules.push_back(std::move(noncurrent));
  return {std::move(raw), std::move(processed), std::move(models)};
}

Result<LifecycleRule> ToStoreRule(const PolicyRule& rule) {
  LifecycleRule out;
  out.id = rule.id;
  out.prefix = rule.prefix;
  out.enabled = rule.enabled;
  out.expiration_days = rule.expiration_days;
  out.transition_days = rule.transition_days;
  out.transition_storage_class = rule.transition_storage_class;
  out.noncurrent_expiration_days = rule.noncurrent_expiration_days;
  out.abort_incomplete_multipart_days = rule.abort_multipart_days;
  return out;
}

PolicyRule FromStoreRule(const LifecycleRule& rule) {
  PolicyRule out;
  out.id = rule.id;
  out.prefix = rule.prefix;
  out.enabled = rule.enabled;
  out.expiration_days = rule.expiration_days;
  out.transition_days = rule.transition_days;
  out.transition_storage_class = rule.transition_storage_class;
  out.noncurrent_expiration_days = rule.noncurrent_expiration_days;
  out.abort_multipart_days = rule.abort_incomplete_multipart_days;
  return out;
}

PolicyRule WithoutStorageClass(const PolicyRule& wanted) {
  PolicyRule r = wanted;
  if (r.transition_days > 0 && r.fallback_expiration_days > 0) {
    r.transition_days = 0;
    r.transition_storage_class.clear();
    r.expiration_days = wanted.fallback_expiration_days;
  }
  return r;
}

RuleMatch MatchRule(const PolicyRule& expected, const PolicyRule& actual) {
  auto same = [](const PolicyRule& a, const PolicyRule& b) {
    return a.prefix == b.prefix && a.enabled == b.enabled &&
           a.expiration_days == b.expiration_days && a.transition_days == b.transition_days &&
           a.transition_storage_class == b.transition_storage_class &&
           a.noncurrent_expiration_days == b.noncurrent_expiration_days &&
           a.abort_multipart_days == b.abort_multipart_days;
  };
  if (same(expected, actual)) return RuleMatch::kSame;
  if (expected.transition_days > 0 && expected.fallback_expiration_days > 0 &&
      same(WithoutStorageClass(expected), actual)) {
    return RuleMatch::kSameWithoutStorageClass;
  }
  return RuleMatch::kDifferent;
}

std::string_view ItemStateName(ItemState state) {
  switch (state) {
    case ItemState::kOk:
      return "ok";
    case ItemState::kMissing:
      return "missing";
    case ItemState::kDifferent:
      return "different";
    case ItemState::kUnsupported:
      return "unsupported";
    case ItemState::kExtra:
      return "extra";
  }
  return "?";
}

std::string_view ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kCreated:
      return "created";
    case ActionKind::kChanged:
      return "changed";
    case ActionKind::kUnchanged:
      return "unchanged";
    case ActionKind::kUnsupported:
      return "unsupported";
  }
  return "?";
}

}  // namespace ch::ops
