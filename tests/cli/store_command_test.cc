// Runs the real climahealth binary against a local store in a temp directory.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;

using RunResult = ch::testing::CliResult;
using ch::testing::ReadFile;
const auto& Quote = ch::testing::ShellQuote;

class StoreCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `climahealth ARGS` with the store rooted in the test directory.
  RunResult Run(const std::string& args, const std::string& stdin_file = "") {
    return ch::testing::RunCli(dir_, args, stdin_file);
  }

  fs::path WriteLocal(const std::string& name, const std::string& content) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  fs::path dir_;
};

TEST_F(StoreCommandTest, PutThenCatReturnsSameBytes) {
  fs::path file = WriteLocal("in.csv", "a,b\n1,2\n");
  RunResult put = Run("store put " + Quote(file.string()) + " s3://raw/raw/in.csv");
  ASSERT_EQ(put.exit_code, 0) << put.err;
  RunResult cat = Run("store cat s3://raw/raw/in.csv");
  ASSERT_EQ(cat.exit_code, 0) << cat.err;
  EXPECT_EQ(cat.out, "a,b\n1,2\n");
  // The logical bucket "raw" is the local directory raw-bucket.
  EXPECT_EQ(ReadFile(dir_ / "store" / "raw-bucket" / "raw" / "in.csv"), "a,b\n1,2\n");
}

TEST_F(StoreCommandTest, CatRangeGivesRequestedBytes) {
  fs::path file = WriteLocal("digits.txt", "0123456789");
  ASSERT_EQ(Run("store put " + Quote(file.string()) + " s3://raw/d.txt").exit_code, 0);
  EXPECT_EQ(Run("store cat --range 2-4 s3://raw/d.txt").out, "234");
  EXPECT_EQ(Run("store cat --range 7- s3://raw/d.txt").out, "789");
  EXPECT_EQ(Run("store cat --range -2 s3://raw/d.txt").out, "89");
  RunResult bad = Run("store cat --range x-y s3://raw/d.txt");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--range 'x-y'"), std::string::npos) << bad.err;
}

TEST_F(StoreCommandTest, GetWritesFileAndIntoDirectory) {
  fs::path file = WriteLocal("x.json", "{\"a\":1}");
  ASSERT_EQ(Run("store put " + Quote(file.string()) + " s3://processed/alerts/x.json").exit_code,
            0);
  fs::path dest = dir_ / "out.json";
  ASSERT_EQ(Run("store get s3://processed/alerts/x.json " + Quote(dest.string())).exit_code, 0);
  EXPECT_EQ(ReadFile(dest), "{\"a\":1}");
  fs::create_directories(dir_ / "downloads");
  ASSERT_EQ(Run("store get s3://processed/alerts/x.json " + Quote((dir_ / "downloads").string()))
                .exit_code,
            0);
  EXPECT_EQ(ReadFile(dir_ / "downloads" / "x.json"), "{\"a\":1}");
}

TEST_F(StoreCommandTest, PutFromStdinAndStatShowsMetadata) {
  fs::path file = WriteLocal("stdin.txt", "hello");
  RunResult put =
      Run("store put - s3://models/models/x.bin --metadata owner=team "
          "--content-type application/x-test",
          file.string());
  ASSERT_EQ(put.exit_code, 0) << put.err;
  RunResult stat = Run("store stat s3://models/models/x.bin");
  ASSERT_EQ(stat.exit_code, 0) << stat.err;
  EXPECT_NE(stat.out.find("size:          5"), std::string::npos) << stat.out;
  EXPECT_NE(stat.out.find("5d41402abc4b2a76b9719d911017c592"), std::string::npos) << stat.out;
  EXPECT_NE(stat.out.find("application/x-test"), std::string::npos) << stat.out;
  EXPECT_NE(stat.out.find("owner=team"), std::string::npos) << stat.out;
}

TEST_F(StoreCommandTest, LsShowsPrefixesAndRecursiveShowsKeys) {
  fs::path file = WriteLocal("f", "x");
  for (const char* key : {"a/1.csv", "a/2.csv", "b/3.csv", "top.csv"}) {
    ASSERT_EQ(Run("store put " + Quote(file.string()) + " s3://raw/" + key).exit_code, 0);
  }
  RunResult ls = Run("store ls s3://raw/");
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_NE(ls.out.find("PRE a/"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("PRE b/"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("top.csv"), std::string::npos) << ls.out;
  EXPECT_EQ(ls.out.find("a/1.csv"), std::string::npos) << ls.out;
  RunResult rec = Run("store ls -r s3://raw/a/");
  EXPECT_NE(rec.out.find("a/1.csv"), std::string::npos) << rec.out;
  EXPECT_NE(rec.out.find("a/2.csv"), std::string::npos) << rec.out;
  EXPECT_EQ(rec.out.find("b/3.csv"), std::string::npos) << rec.out;
}

TEST_F(StoreCommandTest, CpRecursiveUploadsTreeAndCopiesPrefixServerSide) {
  WriteLocal("tree/x/1.txt", "one");
  WriteLocal("tree/2.txt", "two");
  ASSERT_EQ(Run("store cp -r " + Quote((dir_ / "tree").string()) + " s3://raw/up/").exit_code, 0);
  EXPECT_EQ(Run("store cat s3://raw/up/x/1.txt").out, "one");
  EXPECT_EQ(Run("store cat s3://raw/up/2.txt").out, "two");
  ASSERT_EQ(Run("store cp -r s3://raw/up/ s3://processed/copy/").exit_code, 0);
  EXPECT_EQ(Run("store cat s3://processed/copy/x/1.txt").out, "one");
  ASSERT_EQ(Run("store cp -r s3://raw/up/ " + Quote((dir_ / "down").string())).exit_code, 0);
  EXPECT_EQ(ReadFile(dir_ / "down" / "x" / "1.txt"), "one");
}

TEST_F(StoreCommandTest, CpRecursiveInParallelCopiesEveryFileEachWayAndNothingBesideThePrefix) {
  std::string expected;
  for (int i = 0; i < 60; ++i) {
    WriteLocal("tree/d" + std::to_string(i % 7) + "/f" + std::to_string(i) + ".bin",
               std::string(static_cast<size_t>(i) * 97, static_cast<char>('a' + i % 26)));
  }
  WriteLocal("tree/empty.txt", "");
  WriteLocal("tree/with space/\xc3\xa9t\xc3\xa9 #1.csv", "unicode");
  RunResult up = Run("store cp -r -j 6 " + Quote((dir_ / "tree").string()) + " s3://raw/up");
  ASSERT_EQ(up.exit_code, 0) << up.err;
  WriteLocal("beside", "not under up/");
  ASSERT_EQ(Run("store put " + Quote((dir_ / "beside").string()) + " s3://raw/upx/b").exit_code, 0);

  // "s3://raw/up" names the folder up/: upx/b is not part of it.
  RunResult down = Run("store get -r -j 5 s3://raw/up " + Quote((dir_ / "down").string()));
  ASSERT_EQ(down.exit_code, 0) << down.err;
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "tree")) {
    if (!e.is_regular_file()) continue;
    ++files;
    fs::path copy = dir_ / "down" / e.path().lexically_relative(dir_ / "tree");
    ASSERT_TRUE(fs::exists(copy)) << copy;
    EXPECT_EQ(ReadFile(copy), ReadFile(e.path())) << copy;
  }
  EXPECT_EQ(files, 62u);
  EXPECT_FALSE(fs::exists(dir_ / "down" / "b"));
  EXPECT_FALSE(fs::exists(dir_ / "downx"));
  size_t downloaded = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "down")) {
    downloaded += e.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(downloaded, files);  // and no temp file left beside them

  RunResult copy = Run("store cp -r -j 4 s3://raw/up s3://processed/copy");
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  EXPECT_EQ(Run("store cat s3://processed/copy/d3/f10.bin").out, std::string(970, 'k'));
  EXPECT_EQ(Run("store cat 's3://processed/copy/with space/\xc3\xa9t\xc3\xa9 #1.csv'").out,
            "unicode");
  EXPECT_EQ(Run("store ls -r s3://processed/").out.find("upx"), std::string::npos);
}

TEST_F(StoreCommandTest, CpRecursiveCountsEachFailureAndStillCopiesTheRest) {
  WriteLocal("tree/a.txt", "a");
  WriteLocal("tree/b.txt", "b");
  ASSERT_EQ(Run("store cp -r " + Quote((dir_ / "tree").string()) + " s3://raw/p/").exit_code, 0);
  // A file where a download needs a directory fails that one object only.
  ASSERT_EQ(Run("store put " + Quote((dir_ / "tree" / "a.txt").string()) + " s3://raw/p/c/d.txt")
                .exit_code,
            0);
  WriteLocal("down/c", "a file, not a directory");
  RunResult down = Run("store get -r s3://raw/p/ " + Quote((dir_ / "down").string()));
  EXPECT_NE(down.exit_code, 0);
  EXPECT_NE(down.err.find("1 of 3 downloads failed"), std::string::npos) << down.err;
  EXPECT_NE(down.err.find("c/d.txt"), std::string::npos) << down.err;
  EXPECT_EQ(ReadFile(dir_ / "down" / "a.txt"), "a");
  EXPECT_EQ(ReadFile(dir_ / "down" / "b.txt"), "b");
  RunResult bad =
      Run("store cp -r --metadata novalue " + Quote((dir_ / "tree").string()) + " s3://raw/q/");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--metadata 'novalue'"), std::string::npos) << bad.err;
  EXPECT_EQ(Run("store ls -r s3://raw/q/").out, "");
}

TEST_F(StoreCommandTest, RmRemovesObjectAndRecursiveRemovesPrefix) {
  fs::path file = WriteLocal("f", "x");
  for (const char* key : {"p/1", "p/2", "q/3"}) {
    ASSERT_EQ(Run("store put " + Quote(file.string()) + " s3://raw/" + key).exit_code, 0);
  }
  EXPECT_EQ(Run("store rm s3://raw/q/3").exit_code, 0);
  EXPECT_EQ(Run("store cat s3://raw/q/3").exit_code, 3);
  EXPECT_EQ(Run("store rm s3://raw/q/3").exit_code, 0) << "deleting a missing key succeeds";
  EXPECT_EQ(Run("store rm -r s3://raw/p/").exit_code, 0);
  EXPECT_EQ(Run("store ls -r s3://raw/").out, "");
}

TEST_F(StoreCommandTest, DuCountsObjectsAndBytesPerBucket) {
  fs::path file = WriteLocal("f", std::string(1000, 'x'));
  ASSERT_EQ(Run("store put " + Quote(file.string()) + " s3://raw/a").exit_code, 0);
  ASSERT_EQ(Run("store put " + Quote(file.string()) + " s3://raw/b").exit_code, 0);
  RunResult du = Run("store du");
  ASSERT_EQ(du.exit_code, 0) << du.err;
  EXPECT_NE(du.out.find("s3://raw-bucket/"), std::string::npos) << du.out;
  EXPECT_NE(du.out.find("2 objects"), std::string::npos) << du.out;
  EXPECT_NE(du.out.find("(2000 bytes)"), std::string::npos) << du.out;
}

TEST_F(StoreCommandTest, MissingObjectExitsThreeWithKeyOnStderr) {
  RunResult r = Run("store cat s3://raw/raw/nope.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("raw/nope.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("NotFound"), std::string::npos) << r.err;
}

TEST_F(StoreCommandTest, KeyEscapingTheBucketIsRefused) {
  fs::path file = WriteLocal("f", "x");
  RunResult r = Run("store put " + Quote(file.string()) + " s3://raw/../../escape");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("InvalidArgument"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
  EXPECT_FALSE(fs::exists(dir_ / "store" / "escape"));
}

TEST_F(StoreCommandTest, ConditionalPutRefusesOverwrite) {
  fs::path file = WriteLocal("f", "first");
  ASSERT_EQ(Run("store put --if-absent " + Quote(file.string()) + " s3://raw/c").exit_code, 0);
  RunResult again = Run("store put --if-absent " + Quote(file.string()) + " s3://raw/c");
  EXPECT_EQ(again.exit_code, 4) << again.err;
}

TEST_F(StoreCommandTest, UnknownConfigKeyFailsBeforeAnyWork) {
  fs::path config = WriteLocal("bad.toml", "[storage]\nrot = \"/tmp\"\n");
  RunResult r = Run("--config " + Quote(config.string()) + " store du");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown key 'storage.rot'"), std::string::npos) << r.err;
}

TEST_F(StoreCommandTest, EveryVerbHasHelp) {
  for (const char* verb : {"ls", "cat", "put", "get", "cp", "rm", "du", "stat"}) {
    RunResult r = Run(std::string("store ") + verb + " --help");
    EXPECT_EQ(r.exit_code, 0) << verb;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << verb << ": " << r.out;
  }
}

}  // namespace
