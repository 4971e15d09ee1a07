// The fixture of the CLI tests against the real RGW (CH_S3_ENDPOINT): a
// direct store for checks, a random prefix removed afterwards, and a config
// file for the child processes.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/child.h"
#include "support/rgw_env.h"
#include "support/temp_dir.h"

namespace ch::testing {

inline constexpr char kCliBucket[] = "climahealth-raw";

class RgwCliTest : public ::testing::Test {
 protected:
  explicit RgwCliTest(std::string tag) : tag_(std::move(tag)), dir_(tag_) {}

  void SetUp() override {
    endpoint_ = RgwEndpoint();
    if (endpoint_.empty()) GTEST_SKIP() << "CH_S3_ENDPOINT is not set (no Ceph RGW)";
    store_ = MakeRgwStore(endpoint_);
    ASSERT_NE(store_, nullptr);
    Result<bool> up = store_->BucketExists(kCliBucket);
    if (!up.ok() || !*up) GTEST_SKIP() << "no RGW at " << endpoint_;
    prefix_ = RandomPrefix(tag_);
    config_ = (dir_.path() / "climahealth.toml").string();
    WriteRgwConfig(config_, endpoint_);
  }
  void TearDown() override {
    if (store_ == nullptr) return;
    std::vector<std::string> keys;
    (void)ForEachObject(*store_, kCliBucket, prefix_, [&](const ObjectInfo& info) {
      keys.push_back(info.key);
      return Status::Ok();
    });
    if (!keys.empty()) (void)store_->DeleteMany(kCliBucket, keys);
  }

  std::map<std::string, std::string> ChildEnv() const {
    return RgwChildEnv(config_, dir_.path().string());
  }
  std::string Uri(const std::string& rest) const {
    return std::string("s3://") + kCliBucket + "/" + prefix_ + rest;
  }
  ObjectRef Ref(const std::string& rest) const { return ObjectRef{kCliBucket, prefix_ + rest, ""}; }

  std::string tag_;
  std::string endpoint_;
  std::unique_ptr<s3::S3Store> store_;  // straight to the RGW
  std::string prefix_;
  TempDir dir_;
  std::string config_;
};

}  // namespace ch::testing
