// Interoperability with awscli (/usr/bin/aws) and boto3 on Ceph RGW: what we write
// they read byte-identical with the same metadata, and the other way round;
// multipart ETags equal awscli's for the same part size.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "storage/md5.h"
#include "storage/s3/s3_test_env.h"
#include "support/temp_dir.h"

namespace ch::s3 {
namespace {

using testing::Server;

constexpr char kBucket[] = "climahealth-raw";

std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

class InteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> endpoint = testing::EndpointFor(Server::kRgw);
    if (!endpoint) GTEST_SKIP() << "CH_S3_ENDPOINT is unset";
    endpoint_ = *endpoint;
    store_ = testing::MakeStore(Server::kRgw, testing::OptionsFor(Server::kRgw, endpoint_));
    ASSERT_NE(store_, nullptr);
    prefix_ = testing::UniqueBucketName("interop") + "/";
    std::ofstream(dir_.path() / "config")
        << "[default]\nregion = us-east-1\ns3 =\n  multipart_threshold = 6MB\n"
           "  multipart_chunksize = 5MB\n  max_concurrent_requests = 4\n";
    setenv("AWS_ACCESS_KEY_ID", "CLIMAHEALTHACCESSKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "climahealthSecretKey0123456789abcdefABCD", 1);
    setenv("AWS_CONFIG_FILE", (dir_.path() / "config").c_str(), 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_CA_BUNDLE");
  }
  void TearDown() override {
    if (store_ == nullptr) return;
    Status removed = testing::RemoveObjectsUnder(*store_, kBucket, prefix_);
    EXPECT_TRUE(removed.ok()) << removed.ToString();
  }
  std::string Aws(const std::string& args) {
    return RunCommand("/usr/bin/aws --endpoint-url " + endpoint_ + " " + args + " 2>&1");
  }
  std::string Boto(const std::string& body) {
    std::string script =
        "import boto3,sys\ns3=boto3.client('s3',endpoint_url='" + endpoint_ + "')\n" + body;
    std::ofstream(dir_.path() / "b.py") << script;
    return RunCommand("/usr/bin/python3 " + (dir_.path() / "b.py").string() + " 2>&1");
  }
  std::string Url(const std::string& name) {
    return "s3://" + std::string(kBucket) + "/" + Key(name);
  }
  std::string Key(const std::string& name) { return prefix_ + name; }
  ObjectRef Ref(const std::string& name) { return {kBucket, Key(name), ""}; }
  std::filesystem::path File(const std::string& name, std::string_view bytes) {
    std::filesystem::path p = dir_.path() / name;
    std::ofstream(p, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  ch::testing::TempDir dir_{"s3interop"};
  std::string endpoint_;
  std::unique_ptr<S3Store> store_;
  std::string prefix_;
};

TEST_F(InteropTest, AwscliReadsWhatWeWriteWithTheSameMetadata) {
  std::string data = testing::RandomBytes(70000, 21);
  PutOptions po;
  po.content_type = "text/csv";
  po.metadata = {{"Source", "imd"}, {"rows", "42"}};
  ASSERT_TRUE(store_->Put(Ref("ours.csv"), data, po).ok());
  EXPECT_TRUE(Aws("s3 cp " + Url("ours.csv") + " -") == data);
  nlohmann::json head = nlohmann::json::parse(
      Aws("s3api head-object --bucket " + std::string(kBucket) + " --key " + Key("ours.csv")));
  EXPECT_EQ(head["ContentType"], "text/csv");
  EXPECT_EQ(head["Metadata"]["source"], "imd");
  EXPECT_EQ(head["Metadata"]["rows"], "42");
  EXPECT_EQ(head["ETag"], "\"" + Md5Hex(data) + "\"");
}

TEST_F(InteropTest, WeReadWhatAwscliWritesIncludingMultipart) {
  std::string data = testing::RandomBytes((13 << 20) + 7, 22);
  std::string out = Aws("s3 cp " + File("up.bin", data).string() + " " + Url("theirs.bin") +
                        " --content-type application/x-test --metadata origin=awscli");
  ASSERT_NE(out.find("upload:"), std::string::npos) << out;
  Result<ObjectInfo> head = store_->Head(Ref("theirs.bin"));
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->content_type, "application/x-test");
  EXPECT_EQ(head->metadata.at("origin"), "awscli");
  Result<std::string> got = store_->Get(Ref("theirs.bin"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == data);
  // Same bytes, same 5 MiB part size: the multipart ETags agree.
  Result<ObjectInfo> ours = store_->Put(Ref("ours.bin"), data);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  EXPECT_EQ(ours->etag, head->etag);
  EXPECT_TRUE(head->etag.ends_with("-3")) << head->etag;
  // And so do they for parts read from the file as they are sent.
  Result<ObjectInfo> from_file = store_->PutFile(Ref("ours-file.bin"), File("up.bin", data));
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  EXPECT_EQ(from_file->etag, head->etag);
}

TEST_F(InteropTest, Boto3ReadsWhatWeWriteAndWeReadWhatBoto3Writes) {
  std::string data = testing::RandomBytes(123457, 23);
  PutOptions po;
  po.content_type = "application/json";
  po.metadata = {{"k", "v"}};
  ASSERT_TRUE(store_->Put(Ref("ours.json"), data, po).ok());
  std::string got =
      Boto("r=s3.get_object(Bucket='" + std::string(kBucket) + "',Key='" + Key("ours.json") +
           "')\nb=r['Body'].read()\nimport hashlib\n"
           "print(hashlib.md5(b).hexdigest(),len(b),r['ContentType'],"
           "r['Metadata'].get('k'))\n");
  EXPECT_EQ(got, Md5Hex(data) + " " + std::to_string(data.size()) + " application/json v\n");
  std::filesystem::path src = File("boto.bin", data);
  std::string up =
      Boto("s3.upload_file('" + src.string() + "','" + kBucket + "','" + Key("boto.bin") +
           "',ExtraArgs={'ContentType':'text/plain','Metadata':{'who':'boto3'}})\n"
           "print('ok')\n");
  ASSERT_EQ(up, "ok\n");
  ObjectInfo head = store_->Head(Ref("boto.bin")).value();
  EXPECT_EQ(head.content_type, "text/plain");
  EXPECT_EQ(head.metadata.at("who"), "boto3");
  EXPECT_TRUE(store_->Get(Ref("boto.bin")).value() == data);
}

}  // namespace
}  // namespace ch::s3
