// `buckets check`: each bucket's configuration against the platform's policy.
#include <map>

#include "ops/bucket_policy.h"
#include "ops/bucket_state.h"

namespace ch::ops {
namespace {

struct BucketCheck {
  const ExpectedBucket& want;
  CheckReport& report;

  void Add(std::string item, std::string expected, std::string actual, ItemState state) {
    report.items.push_back(CheckItem{want.name, want.logical, std::move(item), std::move(expected),
                                     std::move(actual), state});
  }
  void Unsupported(std::string item, std::string expected, const Status& why) {
    Add(std::move(item), std::move(expected), "not supported: " + why.message(),
        ItemState::kUnsupported);
  }

  Status Versioning(ObjectStore& store) {
    Result<bool> on = store.GetVersioning(want.name);
    const std::string expected = want.versioning ? "enabled" : "optional";
    if (IsNotSupported(on.status())) {
      Unsupported("versioning", expected, on.status());
      return Status::Ok();
    }
    RETURN_IF_ERROR(on.status());
    const ItemState state = *on || !want.versioning ? ItemState::kOk : ItemState::kMissing;
    Add("versioning", expected, *on ? "enabled" : "off", state);
    return Status::Ok();
  }

  Status Encryption(ObjectStore& store) {
    if (want.sse_algorithm.empty()) return Status::Ok();
    Result<std::optional<BucketEncryption>> enc = store.GetBucketEncryption(want.name);
    const std::string expected = DescribeEncryption(want.sse_algorithm, want.kms_key_id);
    if (IsNotSupported(enc.status())) {
      Unsupported("encryption", expected, enc.status());
      return Status::Ok();
    }
    RETURN_IF_ERROR(enc.status());
    if (!enc->has_value() || (*enc)->algorithm.empty()) {
      Add("encryption", expected, "none", ItemState::kMissing);
      return Status::Ok();
    }
    const std::string actual = DescribeEncryption((*enc)->algorithm, (*enc)->kms_key_id);
    Add("encryption", expected, actual,
        EncryptionMatches(want, **enc) ? ItemState::kOk : ItemState::kDifferent);
    return Status::Ok();
  }

  Status PublicAccess(ObjectStore& store) {
    if (!want.block_public_access) return Status::Ok();
    Result<std::optional<PublicAccessBlock>> block = store.GetPublicAccessBlock(want.name);
    const std::string expected = DescribeBlock(PublicAccessBlock{});
    if (IsNotSupported(block.status())) {
      Unsupported("public access", expected, block.status());
      return Status::Ok();
    }
    RETURN_IF_ERROR(block.status());
    if (!block->has_value()) {
      Add("public access", expected, "no block", ItemState::kMissing);
      return Status::Ok();
    }
    Add("public access", expected, DescribeBlock(**block),
        BlocksEverything(**block) ? ItemState::kOk : ItemState::kDifferent);
    return Status::Ok();
  }

  Status Lifecycle(ObjectStore& store) {
    Result<std::vector<LifecycleRule>> rules = store.GetLifecycle(want.name);
    if (IsNotSupported(rules.status())) {
      for (const PolicyRule& rule : want.rules) {
        Unsupported("rule " + rule.id, rule.Describe(), rules.status());
      }
      return Status::Ok();
    }
    RETURN_IF_ERROR(rules.status());
    std::map<std::string, PolicyRule> actual;
    for (const LifecycleRule& r : *rules) actual.emplace(r.id, FromStoreRule(r));
    for (const PolicyRule& rule : want.rules) {
      const std::string item = "rule " + rule.id;
      auto it = actual.find(rule.id);
      if (it == actual.end()) {
        Result<LifecycleRule> expressible = ToStoreRule(rule);
        if (!expressible.ok()) {
          Unsupported(item, rule.Describe(), expressible.status());
        } else {
          Add(item, rule.Describe(), "absent", ItemState::kMissing);
        }
        continue;
      }
      const RuleMatch match = MatchRule(rule, it->second);
      std::string shown = it->second.Describe();
      if (match == RuleMatch::kSameWithoutStorageClass) shown += " [no storage classes here]";
      Add(item, rule.Describe(), shown,
          match == RuleMatch::kDifferent ? ItemState::kDifferent : ItemState::kOk);
      actual.erase(it);
    }
    for (const auto& [id, rule] : actual) {
      const bool ours = id.rfind(kRuleIdPrefix, 0) == 0;
      Add("rule " + id, ours ? "(no longer in the policy; init removes it)" : "(not ours; kept)",
          rule.Describe(), ItemState::kExtra);
    }
    return Status::Ok();
  }
};

}  // namespace

size_t CheckReport::Count(ItemState state) const {
  size_t n = 0;
  for (const CheckItem& item : items) n += item.state == state ? 1 : 0;
  return n;
}

Status CheckReport::Verdict() const {
  auto list = [this](ItemState state) {
    std::string text;
    for (const CheckItem& item : items) {
      if (item.state != state) continue;
      text += (text.empty() ? "" : "; ") + item.bucket + ": " + item.item;
    }
    return text;
  };
  if (Count(ItemState::kMissing) > 0) {
    return Status::NotFound("buckets check: " + std::to_string(Count(ItemState::kMissing)) +
                            " required setting(s) missing (" + list(ItemState::kMissing) +
                            "); run `climahealth buckets init`");
  }
  if (Count(ItemState::kDifferent) > 0) {
    return Status::PreconditionFailed(
        "buckets check: " + std::to_string(Count(ItemState::kDifferent)) +
        " setting(s) differ from the policy (" + list(ItemState::kDifferent) +
        "); run `climahealth buckets init` to apply it");
  }
  return Status::Ok();
}

Result<CheckReport> CheckBuckets(ObjectStore& store, const std::vector<ExpectedBucket>& expected) {
  CheckReport report;
  report.store = store.Describe();
  for (const ExpectedBucket& want : expected) {
    BucketCheck check{want, report};
    ASSIGN_OR_RETURN(bool exists, store.BucketExists(want.name));
    check.Add("bucket", "exists", exists ? "exists" : "absent",
              exists ? ItemState::kOk : ItemState::kMissing);
    if (!exists) continue;
    RETURN_IF_ERROR(check.Versioning(store));
    RETURN_IF_ERROR(check.Encryption(store));
    RETURN_IF_ERROR(check.PublicAccess(store));
    RETURN_IF_ERROR(check.Lifecycle(store));
  }
  return report;
}

}  // namespace ch::ops
