// `climahealth store cp -r` against a real Ceph RGW (CH_S3_ENDPOINT): a tree
// both ways in parallel, multipart included, and keys that would land outside
// the download directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "cli/rgw_cli_fixture.h"
#include "support/pattern_bytes.h"

namespace ch::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBucket = kCliBucket;

class StoreRgwTest : public RgwCliTest {
 protected:
  StoreRgwTest() : RgwCliTest("cli") {}

  ChildResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), ClimahealthBinary());
    return RunChild(args, ChildEnv(), dir_.path());
  }
};

TEST_F(StoreRgwTest, RecursiveCopyGoesBothWaysInParallelWithAMultipartFileByteForByte) {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 40; ++i) {
    files["d" + std::to_string(i % 4) + "/f" + std::to_string(i)] =
        PatternBytes(static_cast<size_t>(i) * 1531, static_cast<unsigned>(i));
  }
  files["big.bin"] = PatternBytes(13 << 20, 99);  // over the 6 MiB threshold: 5 MiB parts
  files["name with space/\xc3\xa9#%+.csv"] = "unicode and characters to encode";
  for (const auto& [name, bytes] : files) WriteFile(dir_.path() / "tree" / name, bytes);

  ChildResult up =
      Cli({"store", "cp", "-r", "-j", "6", (dir_.path() / "tree").string(), Uri("up")});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  ChildResult down =
      Cli({"store", "get", "-r", "-j", "5", Uri("up/"), (dir_.path() / "down").string()});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  ChildResult copy = Cli({"store", "cp", "-r", Uri("up"), Uri("copy/")});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;

  size_t local = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_.path() / "down")) {
    if (!e.is_regular_file()) continue;
    ++local;
    std::string name = e.path().lexically_relative(dir_.path() / "down").generic_string();
    ASSERT_TRUE(files.contains(name)) << name;
    EXPECT_EQ(ReadFile(e.path()), files[name]) << name;
  }
  EXPECT_EQ(local, files.size());
  for (const auto& [name, bytes] : files) {
    Result<std::string> copied = store_->Get({kBucket, prefix_ + "copy/" + name, ""});
    ASSERT_TRUE(copied.ok()) << name << ": " << copied.status().ToString();
    EXPECT_EQ(*copied, bytes) << name;
  }
  Result<ObjectInfo> big = store_->Head({kBucket, prefix_ + "up/big.bin", ""});
  ASSERT_TRUE(big.ok());
  EXPECT_NE(big->etag.find("-3"), std::string::npos) << big->etag;  // it went up in parts
  EXPECT_TRUE(store_->ListOpenUploads(kBucket, prefix_).value().empty());
}

TEST_F(StoreRgwTest, KeysThatWouldLandOutsideTheDirectoryAreRefusedAndTheRestArrive) {
  WriteFile(dir_.path() / "one.txt", "payload");
  for (const char* key : {"evil/ok.txt", "evil/../../escaped.txt", "evil/a/../../../escaped2.txt",
                          "evil//etc/escaped3.txt"}) {
    ChildResult put = Cli({"store", "put", (dir_.path() / "one.txt").string(), Uri(key)});
    ASSERT_EQ(put.exit_code, 0) << key << ": " << put.err;
  }
  // Folder markers, as consoles create them: the prefix's own and one below.
  for (const char* marker : {"evil/", "evil/sub/"}) {
    ASSERT_TRUE(store_->Put({kBucket, prefix_ + marker, ""}, "").ok()) << marker;
  }
  fs::path down = dir_.path() / "deep" / "down";
  ChildResult get = Cli({"store", "get", "-r", Uri("evil/"), down.string()});
  EXPECT_NE(get.exit_code, 0);
  EXPECT_NE(get.err.find("3 of 6 downloads failed"), std::string::npos) << get.err;
  EXPECT_TRUE(fs::is_directory(down / "sub"));
  EXPECT_NE(get.err.find("evil/../../escaped.txt' has a '..' component"), std::string::npos)
      << get.err;
  EXPECT_NE(get.err.find("would name an absolute path"), std::string::npos) << get.err;
  EXPECT_EQ(ReadFile(down / "ok.txt"), "payload");
  for (const auto& e : fs::recursive_directory_iterator(dir_.path())) {
    EXPECT_EQ(e.path().filename().string().find("escaped"), std::string::npos) << e.path();
  }
  EXPECT_FALSE(fs::exists("/etc/escaped3.txt"));
}

}  // namespace
}  // namespace ch::testing
