// LocalStore beyond the shared contract: its directory layout, key rules that
// keep writes inside the bucket, key/folder collisions, temp-file hygiene,
// files placed by other tools, and read throughput.
#include "storage/local_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>

#include "storage/md5.h"
#include "support/temp_dir.h"

namespace ch {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace fs = std::filesystem;

constexpr char kLocalBucket[] = "raw-bucket";

using ch::testing::ReadFile;
using ch::testing::WriteFile;

// Every path under `dir` with its size (0 for directories), for before/after checks.
std::set<std::string> Tree(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    out.insert(fs::relative(e.path(), dir).string() + ":" +
               (e.is_regular_file() ? std::to_string(e.file_size()) : "dir"));
  }
  return out;
}

class LocalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalStoreOptions options;
    options.root = root();
    Result<std::unique_ptr<LocalStore>> store = LocalStore::Make(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->CreateBucket(kLocalBucket).ok());
  }
  fs::path root() const { return dir_.path() / "store"; }
  fs::path bucket_dir() const { return root() / kLocalBucket; }
  ObjectRef Ref(std::string key) const { return ObjectRef{kLocalBucket, std::move(key), ""}; }
  std::vector<std::string> Keys() {
    std::vector<std::string> keys;
    Status st = ForEachObject(*store_, kLocalBucket, "", [&](const ObjectInfo& info) {
      keys.push_back(info.key);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return keys;
  }

  testing::TempDir dir_{"local-store"};
  std::unique_ptr<LocalStore> store_;
};

TEST_F(LocalStoreTest, ObjectIsAPlainFileAtItsKeyPath) {
  PutOptions options;
  options.content_type = "text/csv";
  ASSERT_TRUE(store_->Put(Ref("raw/climate_data.csv"), "date,t\n", options).ok());
  EXPECT_EQ(ReadFile(bucket_dir() / "raw" / "climate_data.csv"), "date,t\n");
  std::string sidecar =
      ReadFile(bucket_dir() / ".climahealth" / "meta" / "raw" / "climate_data.csv");
  EXPECT_THAT(sidecar, HasSubstr("text/csv"));
  EXPECT_THAT(sidecar, HasSubstr(Md5Hex("date,t\n")));
  EXPECT_EQ(store_->Describe(), "local:" + root().string());
}

TEST_F(LocalStoreTest, KeysThatCouldEscapeTheBucketAreRefusedAndNothingIsWritten) {
  fs::path outside = dir_.path() / "outside";
  fs::create_directories(outside);
  ASSERT_TRUE(store_->Put(Ref("inside/ok.txt"), "ok").ok());
  std::set<std::string> before = Tree(dir_.path());
  const std::vector<std::string> bad = {"../outside/pwned",
                                        "a/../../outside/pwned",
                                        "/etc/passwd",
                                        "/abs",
                                        "..",
                                        ".",
                                        "./a",
                                        "a/./b",
                                        "a/..",
                                        "a//b",
                                        "a/",
                                        "trailing/",
                                        "back\\slash",
                                        "..\\x",
                                        std::string("nul\0x", 5),
                                        ".climahealth/meta/x",
                                        ".climahealth",
                                        ".climahealth/tmp/1",
                                        "seg/" + std::string(256, 's'),
                                        ""};
  for (const std::string& key : bad) {
    SCOPED_TRACE("key: " + key);
    Status put = store_->Put(Ref(key), "evil").status();
    EXPECT_EQ(put.code(), StatusCode::kInvalidArgument) << put.ToString();
    if (!key.empty() && key.find('\0') == std::string::npos) {
      EXPECT_THAT(put.message(), HasSubstr(key.substr(0, 60)));
    }
    struct Source : ByteSource {
      Result<size_t> Read(char*, size_t) override { return size_t{0}; }
    } source;
    EXPECT_EQ(store_->PutStream(Ref(key), source).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Copy(Ref("inside/ok.txt"), Ref(key)).status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Get(Ref(key)).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Delete(Ref(key)).code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(Tree(dir_.path()), before);
  EXPECT_THAT(Keys(), ::testing::ElementsAre("inside/ok.txt"));
}

TEST_F(LocalStoreTest, ListingPrefixesNeverWalkOutsideTheBucket) {
  ASSERT_TRUE(store_->CreateBucket("other-bucket").ok());
  ASSERT_TRUE(store_->Put(ObjectRef{"other-bucket", "secret.csv", ""}, "x").ok());
  ASSERT_TRUE(store_->Put(Ref("mine/a.csv"), "x").ok());
  for (const char* prefix : {"../", "../other-bucket/", "mine/../../", "./", "/", "//",
                             ".climahealth/", ".climahealth/meta/", "mine//"}) {
    SCOPED_TRACE(prefix);
    ListOptions options;
    options.prefix = prefix;
    Result<ListPage> page = store_->List(kLocalBucket, options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_THAT(page->objects, IsEmpty());
    EXPECT_EQ(store_->Size(kLocalBucket, prefix)->objects, 0u);
    Result<VersionPage> versions = store_->ListVersions(kLocalBucket, options);
    ASSERT_TRUE(versions.ok());
    EXPECT_THAT(versions->versions, IsEmpty());
  }
}

TEST_F(LocalStoreTest, BadBucketNamesAreRefused) {
  for (const char* bucket : {"..", "../x", "a/b", "UPPER", ""}) {
    Status st = store_->Put(ObjectRef{bucket, "k", ""}, "x").status();
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << bucket << ": " << st.ToString();
    EXPECT_EQ(store_->CreateBucket(bucket).code(), StatusCode::kInvalidArgument);
  }
  Status st = store_->Put(ObjectRef{"missing-bucket", "k", ""}, "x").status();
  EXPECT_TRUE(st.IsNotFound());
  EXPECT_THAT(st.message(), HasSubstr("no such bucket 'missing-bucket'"));
}

TEST_F(LocalStoreTest, KeyBelowAnExistingObjectIsAClearConflict) {
  ASSERT_TRUE(store_->Put(Ref("a"), "object a").ok());
  Status st = store_->Put(Ref("a/b"), "below").status();
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("'a' is an object"));
  EXPECT_EQ(store_->Get(Ref("a")).value_or(""), "object a");
  EXPECT_THAT(Keys(), ::testing::ElementsAre("a"));
}

TEST_F(LocalStoreTest, ObjectNamedLikeAFolderOfKeysIsAClearConflictUntilItEmpties) {
  ASSERT_TRUE(store_->Put(Ref("x/y"), "child").ok());
  Status st = store_->Put(Ref("x"), "parent").status();
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("'x' holds other keys"));
  EXPECT_TRUE(store_->Get(Ref("x")).status().IsNotFound());
  EXPECT_EQ(store_->Get(Ref("x/y")).value_or(""), "child");
  ASSERT_TRUE(store_->Delete(Ref("x/y")).ok());
  EXPECT_FALSE(fs::exists(bucket_dir() / "x")) << "emptied folders are removed";
  EXPECT_TRUE(store_->Put(Ref("x"), "parent").ok());
  EXPECT_EQ(store_->Get(Ref("x")).value_or(""), "parent");
}

TEST_F(LocalStoreTest, DeleteRemovesEmptiedFoldersButKeepsTheBucket) {
  ASSERT_TRUE(store_->Put(Ref("p/q/r/s.csv"), "x").ok());
  ASSERT_TRUE(store_->Put(Ref("p/keep.csv"), "x").ok());
  ASSERT_TRUE(store_->Delete(Ref("p/q/r/s.csv")).ok());
  EXPECT_FALSE(fs::exists(bucket_dir() / "p" / "q"));
  EXPECT_TRUE(fs::exists(bucket_dir() / "p" / "keep.csv"));
  ASSERT_TRUE(store_->Delete(Ref("p/keep.csv")).ok());
  EXPECT_FALSE(fs::exists(bucket_dir() / "p"));
  EXPECT_TRUE(fs::is_directory(bucket_dir()));
}

TEST_F(LocalStoreTest, FailedStreamLeavesOldObjectAndNoTempFile) {
  ASSERT_TRUE(store_->Put(Ref("data.csv"), "old bytes").ok());
  struct FailingSource : ByteSource {
    int calls = 0;
    Result<size_t> Read(char* buf, size_t n) override {
      if (++calls > 3) return Status::IOError("disk on fire");
      std::memset(buf, 'n', n);
      return n;
    }
  } source;
  Status st = store_->PutStream(Ref("data.csv"), source).status();
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_THAT(st.message(), HasSubstr("put raw-bucket/data.csv"));
  EXPECT_EQ(store_->Get(Ref("data.csv")).value_or(""), "old bytes");
  EXPECT_TRUE(fs::is_empty(bucket_dir() / ".climahealth" / "tmp"));
  EXPECT_THAT(Keys(), ::testing::ElementsAre("data.csv"));
}

TEST_F(LocalStoreTest, DoomedConditionalPutReadsNoBytes) {
  ASSERT_TRUE(store_->Put(Ref("once"), "first").ok());
  struct CountingSource : ByteSource {
    int reads = 0;
    Result<size_t> Read(char*, size_t) override {
      ++reads;
      return size_t{0};
    }
  } source;
  PutOptions create;
  create.if_none_match_any = true;
  EXPECT_EQ(store_->PutStream(Ref("once"), source, create).status().code(),
            StatusCode::kPreconditionFailed);
  EXPECT_EQ(source.reads, 0);
  EXPECT_TRUE(fs::is_empty(bucket_dir() / ".climahealth" / "tmp"));
}

TEST_F(LocalStoreTest, DeleteManyReportsBadKeysAndDeletesTheRest) {
  ASSERT_TRUE(store_->Put(Ref("d/1"), "x").ok());
  ASSERT_TRUE(store_->Put(Ref("d/2"), "x").ok());
  Result<std::vector<KeyError>> failed =
      store_->DeleteMany(kLocalBucket, {"d/1", "../escape", "d/2", "never/there"});
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].key, "../escape");
  EXPECT_EQ((*failed)[0].status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Keys(), IsEmpty());
  EXPECT_FALSE(fs::exists(bucket_dir() / "d"));
}

TEST_F(LocalStoreTest, ReservedDirectoryNeverAppearsInListings) {
  ASSERT_TRUE(store_->Put(Ref("a.txt"), "x").ok());
  ASSERT_TRUE(store_->SetVersioning(kLocalBucket, true).ok());
  ASSERT_TRUE(store_->Put(Ref("a.txt"), "y").ok());
  WriteFile(bucket_dir() / ".climahealth" / "tmp" / "999999-0-junk", "half-written");
  EXPECT_THAT(Keys(), ::testing::ElementsAre("a.txt"));
  ListOptions options;
  options.delimiter = "/";
  Result<ListPage> page = store_->List(kLocalBucket, options);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(page->common_prefixes, IsEmpty());
  Result<Usage> usage = store_->Size(kLocalBucket);
  ASSERT_TRUE(usage.ok());
  EXPECT_EQ(usage->objects, 1u);
}

TEST_F(LocalStoreTest, TempFilesOfDeadWritersAreRemovedOnOpen) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);  // its pid now names no live process
  fs::path tmp = bucket_dir() / ".climahealth" / "tmp";
  WriteFile(tmp / (std::to_string(child) + "-0-dead"), "partial");
  WriteFile(tmp / (std::to_string(::getpid()) + "-0-live"), "in flight");
  LocalStoreOptions options;
  options.root = root();
  ASSERT_TRUE(LocalStore::Make(options).ok());
  EXPECT_FALSE(fs::exists(tmp / (std::to_string(child) + "-0-dead")));
  EXPECT_TRUE(fs::exists(tmp / (std::to_string(::getpid()) + "-0-live")));
}

TEST_F(LocalStoreTest, FilesPlacedByOtherToolsAreObjects) {
  WriteFile(bucket_dir() / "raw" / "dropped.csv", "copied in by hand");
  Result<ObjectInfo> head = store_->Head(Ref("raw/dropped.csv"));
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->etag, Md5Hex("copied in by hand"));
  EXPECT_EQ(head->content_type, "application/octet-stream");
  EXPECT_THAT(Keys(), ::testing::ElementsAre("raw/dropped.csv"));
  PutOptions guarded;
  guarded.if_match = Md5Hex("copied in by hand");
  EXPECT_TRUE(store_->Put(Ref("raw/dropped.csv"), "replaced", guarded).ok());
}

TEST_F(LocalStoreTest, DamagedSidecarFallsBackToTheContent) {
  ASSERT_TRUE(store_->Put(Ref("m.bin"), "payload").ok());
  WriteFile(bucket_dir() / ".climahealth" / "meta" / "m.bin", "{not json");
  Result<ObjectInfo> head = store_->Head(Ref("m.bin"));
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->etag, Md5Hex("payload"));
  EXPECT_EQ(store_->Get(Ref("m.bin")).value_or(""), "payload");
}

TEST_F(LocalStoreTest, MakeChecksTheRoot) {
  LocalStoreOptions options;
  options.root = dir_.path() / "absent";
  options.create_root = false;
  EXPECT_TRUE(LocalStore::Make(options).status().IsNotFound());
  WriteFile(dir_.path() / "a-file", "x");
  options.root = dir_.path() / "a-file";
  EXPECT_EQ(LocalStore::Make(options).status().code(), StatusCode::kInvalidArgument);
  options.root = "";
  EXPECT_EQ(LocalStore::Make(options).status().code(), StatusCode::kInvalidArgument);
  options.root = dir_.path() / "new" / "nested";
  options.create_root = true;
  EXPECT_TRUE(LocalStore::Make(options).ok());
  EXPECT_TRUE(fs::is_directory(options.root));
}

TEST_F(LocalStoreTest, SuspendedVersioningReplacesTheNullVersion) {
  ASSERT_TRUE(store_->Put(Ref("k"), "null-1").ok());
  ASSERT_TRUE(store_->SetVersioning(kLocalBucket, true).ok());
  ObjectInfo v1 = store_->Put(Ref("k"), "v1").value();
  ASSERT_TRUE(store_->SetVersioning(kLocalBucket, false).ok());
  EXPECT_FALSE(store_->GetVersioning(kLocalBucket).value_or(true));
  ASSERT_TRUE(store_->Put(Ref("k"), "null-2").ok());
  Result<VersionPage> page = store_->ListVersions(kLocalBucket, ListOptions{"k", "", 1000, ""});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  std::vector<std::string> ids;
  for (const ObjectVersion& v : page->versions) ids.push_back(v.info.version_id);
  // The old null version was replaced; v1 is kept.
  EXPECT_THAT(ids, ::testing::ElementsAre("null", v1.version_id));
  ObjectRef null_ref = Ref("k");
  null_ref.version_id = "null";
  EXPECT_EQ(store_->Get(null_ref).value_or(""), "null-2");
  ObjectRef bad = Ref("k");
  bad.version_id = "../../etc";
  EXPECT_EQ(store_->Get(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LocalStoreTest, VersionsOfKeysWithAtAndPercentSegmentsStayApart) {
  ASSERT_TRUE(store_->SetVersioning(kLocalBucket, true).ok());
  // "@x" segments look like version files and "%" is the escape: all must survive.
  const std::vector<std::string> keys = {"a", "a/@null", "a/%40b", "a/@b", "%", "@/x"};
  for (const std::string& key : keys) {
    ASSERT_TRUE(store_->Put(Ref(key), key + " v1").ok()) << key;
    ASSERT_TRUE(store_->Delete(Ref(key)).ok()) << key;  // "a" must go before "a/…"
  }
  Result<VersionPage> page = store_->ListVersions(kLocalBucket, ListOptions{"", "", 1000, ""});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  std::vector<std::string> seen;
  for (const ObjectVersion& v : page->versions) {
    seen.push_back(v.info.key + (v.is_delete_marker ? " marker" : " v1"));
  }
  std::vector<std::string> expected;
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& key : sorted) {
    expected.push_back(key + " marker");
    expected.push_back(key + " v1");
  }
  EXPECT_EQ(seen, expected);
  for (const ObjectVersion& v : page->versions) {
    if (v.is_delete_marker) continue;
    ObjectRef ref = Ref(v.info.key);
    ref.version_id = v.info.version_id;
    EXPECT_EQ(store_->Get(ref).value_or(""), v.info.key + " v1");
  }
}

// Speed is measured in bench/, never here; this checks the single-read path
// returns every byte of an object larger than any internal buffer.
TEST_F(LocalStoreTest, WholeObjectGetOfLargeObjectReturnsEveryByte) {
  const size_t size = size_t{64} << 20;
  std::string data(size, 'z');
  for (size_t i = 0; i < size; i += 4096) data[i] = static_cast<char>(i >> 12);
  ASSERT_TRUE(store_->Put(Ref("big.bin"), data).ok());
  Result<std::string> got = store_->Get(Ref("big.bin"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->size(), size);
  EXPECT_TRUE(*got == data);
}

// Appends every byte written to it.
class StringSink : public ByteSink {
 public:
  Status Write(std::string_view bytes) override {
    out.append(bytes);
    ++writes;
    return Status::Ok();
  }
  std::string out;
  int writes = 0;
};

TEST_F(LocalStoreTest, StreamedLargeRangesAreExactWhereverTheyStartAndEnd) {
  // Large reads stream through a file mapping in windows: ranges that start
  // and end off page and window boundaries must still give exactly their bytes.
  const size_t size = (size_t{40} << 20) + 12345;
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
  ASSERT_TRUE(store_->Put(Ref("big.bin"), data).ok());
  struct Case {
    uint64_t first;
    uint64_t length;
  };
  for (Case c : {Case{0, size}, Case{4097, (uint64_t{30} << 20) + 123},
                 Case{size - (9 << 20), 9 << 20}, Case{(16 << 20) - 1, (16 << 20) + 2}}) {
    StringSink sink;
    uint64_t progressed = 0;
    GetOptions options;
    options.range = ByteRange{c.first, c.first + c.length - 1, std::nullopt};
    options.progress = [&](uint64_t n) { progressed += n; };
    Result<ObjectInfo> info = store_->GetStream(Ref("big.bin"), sink, options);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->size, size);
    EXPECT_EQ(progressed, c.length);
    EXPECT_GT(sink.writes, 0);
    ASSERT_EQ(sink.out.size(), c.length) << "from " << c.first;
    EXPECT_TRUE(sink.out == data.substr(c.first, c.length)) << "from " << c.first;
  }
}

TEST_F(LocalStoreTest, LargeGetFileIsByteIdentical) {
  // The read side is a file mapping and the write side direct I/O from it
  // (from 8 MiB on): the copy must still be exact, odd tail included.
  const size_t size = (size_t{24} << 20) + 4097;
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 40503u) >> 7);
  ASSERT_TRUE(store_->Put(Ref("big.bin"), data).ok());
  fs::path out = dir_.path() / "copy.bin";
  Result<ObjectInfo> got = store_->GetFile(Ref("big.bin"), out);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(fs::file_size(out), size);
  EXPECT_TRUE(ReadFile(out) == data);
}

TEST_F(LocalStoreTest, AStreamedReadKeepsTheVersionItOpened) {
  // A writer replacing the object mid-read (by rename) must not change the
  // bytes of a read that already started.
  const std::string first(size_t{24} << 20, 'a');
  ASSERT_TRUE(store_->Put(Ref("moving.bin"), first).ok());
  class ReplacingSink : public ByteSink {
   public:
    explicit ReplacingSink(LocalStore& store, ObjectRef ref)
        : store_(store), ref_(std::move(ref)) {}
    Status Write(std::string_view bytes) override {
      if (out.empty()) {
        Result<ObjectInfo> put = store_.Put(ref_, std::string(size_t{24} << 20, 'b'));
        if (!put.ok()) return put.status();
      }
      out.append(bytes);
      return Status::Ok();
    }
    std::string out;

   private:
    LocalStore& store_;
    ObjectRef ref_;
  } sink(*store_, Ref("moving.bin"));
  Result<ObjectInfo> info = store_->GetStream(Ref("moving.bin"), sink);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(sink.out == first);
  EXPECT_EQ(store_->Get(Ref("moving.bin")).value_or("").substr(0, 1), "b");
}

}  // namespace
}  // namespace ch
