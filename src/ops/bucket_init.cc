// `buckets init`: creates the buckets and applies the policy, idempotently.
#include <map>

#include "ops/bucket_policy.h"
#include "ops/bucket_state.h"

namespace ch::ops {
namespace {

class BucketInit {
 public:
  BucketInit(ObjectStore& store, const ExpectedBucket& want, InitReport& report)
      : store_(store), want_(want), report_(report) {}

  Status Run() {
    ASSIGN_OR_RETURN(bool exists, store_.BucketExists(want_.name));
    if (exists) {
      Add("bucket", ActionKind::kUnchanged, "exists");
    } else {
      RETURN_IF_ERROR(store_.CreateBucket(want_.name));
      Add("bucket", ActionKind::kCreated, "created");
    }
    RETURN_IF_ERROR(Versioning());
    RETURN_IF_ERROR(Encryption());
    RETURN_IF_ERROR(PublicAccess());
    return Lifecycle();
  }

 private:
  void Add(std::string item, ActionKind kind, std::string detail) {
    report_.actions.push_back(InitAction{want_.name, std::move(item), kind, std::move(detail)});
  }
  void Unsupported(std::string item, const Status& why) {
    Add(std::move(item), ActionKind::kUnsupported, why.message());
  }

  Status Versioning() {
    if (!want_.versioning) return Status::Ok();  // never switched off by us
    Result<bool> on = store_.GetVersioning(want_.name);
    if (IsNotSupported(on.status())) return Unsupported("versioning", on.status()), Status::Ok();
    RETURN_IF_ERROR(on.status());
    if (*on) return Add("versioning", ActionKind::kUnchanged, "enabled"), Status::Ok();
    Status set = store_.SetVersioning(want_.name, true);
    if (IsNotSupported(set)) return Unsupported("versioning", set), Status::Ok();
    RETURN_IF_ERROR(set);
    ASSIGN_OR_RETURN(bool now, store_.GetVersioning(want_.name));
    if (now) {
      Add("versioning", ActionKind::kChanged, "enabled");
    } else {
      Add("versioning", ActionKind::kUnsupported,
          "the server accepted versioning but still reports it off");
    }
    return Status::Ok();
  }

  Status Encryption() {
    if (want_.sse_algorithm.empty()) return Status::Ok();
    const std::string wanted = DescribeEncryption(want_.sse_algorithm, want_.kms_key_id);
    Result<std::optional<BucketEncryption>> enc = store_.GetBucketEncryption(want_.name);
    if (IsNotSupported(enc.status())) return Unsupported("encryption", enc.status()), Status::Ok();
    RETURN_IF_ERROR(enc.status());
    if (enc->has_value() && EncryptionMatches(want_, **enc)) {
      return Add("encryption", ActionKind::kUnchanged, wanted), Status::Ok();
    }
    Status put = store_.PutBucketEncryption(
        want_.name, BucketEncryption{want_.sse_algorithm, want_.kms_key_id});
    if (IsNotSupported(put)) return Unsupported("encryption", put), Status::Ok();
    RETURN_IF_ERROR(put);
    ASSIGN_OR_RETURN(enc, store_.GetBucketEncryption(want_.name));
    if (enc->has_value() && EncryptionMatches(want_, **enc)) {
      Add("encryption", ActionKind::kChanged, wanted);
    } else {
      Add("encryption", ActionKind::kUnsupported,
          "the server accepted default encryption " + wanted + " but reports " +
              (enc->has_value() ? DescribeEncryption((*enc)->algorithm, (*enc)->kms_key_id)
                                : std::string("none")));
    }
    return Status::Ok();
  }

  Status PublicAccess() {
    if (!want_.block_public_access) return Status::Ok();
    const std::string item = "public access";
    Result<std::optional<PublicAccessBlock>> block = store_.GetPublicAccessBlock(want_.name);
    if (IsNotSupported(block.status())) return Unsupported(item, block.status()), Status::Ok();
    RETURN_IF_ERROR(block.status());
    if (block->has_value() && BlocksEverything(**block)) {
      return Add(item, ActionKind::kUnchanged, DescribeBlock(**block)), Status::Ok();
    }
    Status put = store_.PutPublicAccessBlock(want_.name, PublicAccessBlock{});
    if (IsNotSupported(put)) return Unsupported(item, put), Status::Ok();
    RETURN_IF_ERROR(put);
    ASSIGN_OR_RETURN(block, store_.GetPublicAccessBlock(want_.name));
    if (block->has_value() && BlocksEverything(**block)) {
      Add(item, ActionKind::kChanged, DescribeBlock(**block));
    } else {
      Add(item, ActionKind::kUnsupported,
          "the server accepted the public-access block but does not report it back");
    }
    return Status::Ok();
  }

  Status Lifecycle();
  Status PutRules(std::vector<LifecycleRule> desired, const std::vector<const PolicyRule*>& pending,
                  bool& without_storage_class);

  ObjectStore& store_;
  const ExpectedBucket& want_;
  InitReport& report_;
};

Status BucketInit::Lifecycle() {
  Result<std::vector<LifecycleRule>> current = store_.GetLifecycle(want_.name);
  if (IsNotSupported(current.status())) {
    return Unsupported("lifecycle", current.status()), Status::Ok();
  }
  RETURN_IF_ERROR(current.status());
  std::map<std::string, const LifecycleRule*> by_id;
  std::vector<LifecycleRule> desired;
  for (const LifecycleRule& r : *current) {
    by_id.emplace(r.id, &r);
    if (r.id.rfind(kRuleIdPrefix, 0) != 0) desired.push_back(r);  // the operator's own: kept
  }
  std::vector<const PolicyRule*> pending;
  for (const PolicyRule& rule : want_.rules) {
    Result<LifecycleRule> converted = ToStoreRule(rule);
    if (!converted.ok()) {
      Unsupported("rule " + rule.id, converted.status());
      by_id.erase(rule.id);
      continue;
    }
    auto it = by_id.find(rule.id);
    if (it != by_id.end() && MatchRule(rule, FromStoreRule(*it->second)) != RuleMatch::kDifferent) {
      desired.push_back(*it->second);
      Add("rule " + rule.id, ActionKind::kUnchanged, FromStoreRule(*it->second).Describe());
      by_id.erase(it);
      continue;
    }
    if (it != by_id.end()) by_id.erase(it);
    desired.push_back(*converted);
    pending.push_back(&rule);
  }
  std::vector<std::string> stale;
  for (const auto& [id, rule] : by_id) {
    if (id.rfind(kRuleIdPrefix, 0) == 0) stale.push_back(id);
  }
  if (pending.empty() && stale.empty()) return Status::Ok();
  // A rule whose actions the interface could not read back would be rewritten
  // without them: leave such a bucket's lifecycle alone rather than damage it.
  for (const LifecycleRule& r : *current) {
    const PolicyRule p = FromStoreRule(r);
    if (p.expiration_days == 0 && p.transition_days == 0 && p.noncurrent_expiration_days == 0 &&
        p.abort_multipart_days == 0) {
      return Unsupported("lifecycle",
                         Status::NotSupported("rule '" + r.id +
                                              "' has actions this build cannot represent; "
                                              "lifecycle left unchanged")),
             Status::Ok();
    }
  }
  bool without_storage_class = false;
  Status put = PutRules(std::move(desired), pending, without_storage_class);
  if (IsNotSupported(put)) return Unsupported("lifecycle", put), Status::Ok();
  RETURN_IF_ERROR(put);
  for (const std::string& id : stale) {
    Add("rule " + id, ActionKind::kChanged, "removed (no longer in the policy)");
  }
  ASSIGN_OR_RETURN(std::vector<LifecycleRule> after, store_.GetLifecycle(want_.name));
  for (const PolicyRule* rule : pending) {
    const LifecycleRule* found = nullptr;
    for (const LifecycleRule& r : after) found = r.id == rule->id ? &r : found;
    const std::string item = "rule " + rule->id;
    if (found == nullptr || MatchRule(*rule, FromStoreRule(*found)) == RuleMatch::kDifferent) {
      Add(item, ActionKind::kUnsupported,
          "the server accepted '" + rule->Describe() + "' but " +
              (found ? "keeps '" + FromStoreRule(*found).Describe() + "'" : "does not keep it"));
      continue;
    }
    std::string detail = FromStoreRule(*found).Describe();
    if (without_storage_class && rule->transition_days > 0) {
      detail += " [the server refused storage class " + rule->transition_storage_class +
                ": expiring instead]";
    }
    Add(item, ActionKind::kChanged, detail);
  }
  return Status::Ok();
}

// Puts `desired`; when the server refuses a transition's storage class, puts
// the pending transition rules again as their fallback expirations.
Status BucketInit::PutRules(std::vector<LifecycleRule> desired,
                            const std::vector<const PolicyRule*>& pending,
                            bool& without_storage_class) {
  Status put = store_.PutLifecycle(want_.name, desired);
  bool has_transition = false;
  for (const PolicyRule* rule : pending) has_transition |= rule->fallback_expiration_days > 0;
  if (put.ok() || !has_transition || put.code() != StatusCode::kInvalidArgument) return put;
  for (LifecycleRule& r : desired) {
    for (const PolicyRule* rule : pending) {
      if (r.id != rule->id || rule->fallback_expiration_days == 0) continue;
      ASSIGN_OR_RETURN(r, ToStoreRule(WithoutStorageClass(*rule)));
    }
  }
  without_storage_class = true;
  Status retry = store_.PutLifecycle(want_.name, desired);
  if (!retry.ok()) return put.WithContext("and without storage classes: " + retry.message());
  return retry;
}

}  // namespace

bool InitReport::Changed() const {
  for (const InitAction& a : actions) {
    if (a.kind == ActionKind::kCreated || a.kind == ActionKind::kChanged) return true;
  }
  return false;
}

Result<InitReport> InitBuckets(ObjectStore& store, const std::vector<ExpectedBucket>& expected) {
  InitReport report;
  report.store = store.Describe();
  for (const ExpectedBucket& want : expected) {
    RETURN_IF_ERROR(BucketInit(store, want, report).Run());
  }
  return report;
}

}  // namespace ch::ops
