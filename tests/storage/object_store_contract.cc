// The ObjectStore contract, part 1: the fixture, round trips, missing keys,
// listings, ranges, metadata, copy and delete.
#include "storage/object_store_contract.h"

#include <gmock/gmock.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "storage/md5.h"

namespace ch::testing {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ObjectStoreContract);

std::string ContractName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

std::string PatternBytes(size_t n, uint64_t seed) {
  std::string out(n, '\0');
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < n; i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::memcpy(out.data() + i, &x, std::min<size_t>(8, n - i));
  }
  return out;
}

void ObjectStoreContract::SetUp() {
  Result<ContractEnv> env = GetParam().make();
  // A backend whose server is not configured (e.g. no endpoint in the environment).
  if (!env.ok() && env.status().code() == StatusCode::kNotSupported) {
    GTEST_SKIP() << env.status().ToString();
  }
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  env_ = std::move(env).value();
  caps_ = env_.store->Capabilities();
}

void ObjectStoreContract::TearDown() {
  env_.store.reset();
  if (env_.cleanup) env_.cleanup();
}

ObjectRef ObjectStoreContract::Ref(const std::string& name) const {
  return ObjectRef{env_.bucket, env_.prefix + name, ""};
}

ObjectInfo ObjectStoreContract::MustPut(const std::string& name, std::string_view bytes,
                                        const PutOptions& options) {
  Result<ObjectInfo> put = store().Put(Ref(name), bytes, options);
  EXPECT_TRUE(put.ok()) << put.status().ToString();
  return put.ok() ? *put : ObjectInfo{};
}

std::string ObjectStoreContract::MustGet(const std::string& name) {
  Result<std::string> got = store().Get(Ref(name));
  EXPECT_TRUE(got.ok()) << got.status().ToString();
  return got.ok() ? *got : std::string();
}

std::vector<std::string> ObjectStoreContract::AllKeys(const std::string& sub, int page_size) {
  std::vector<std::string> keys;
  ListOptions options;
  options.prefix = Key(sub);
  options.max_keys = page_size;
  for (int pages = 0; pages < 100000; ++pages) {
    Result<ListPage> page = store().List(bucket(), options);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    for (const ObjectInfo& info : page->objects) keys.push_back(info.key.substr(prefix().size()));
    if (page->next_token.empty()) break;
    options.continuation_token = page->next_token;
  }
  return keys;
}

TEST_P(ObjectStoreContract, PutThenGetReturnsTheSameBytesAndMd5Etag) {
  std::string data = "date,rain\n2024-01-01,3.5\n";
  ObjectInfo put = MustPut("raw/climate_data.csv", data);
  EXPECT_EQ(put.etag, Md5Hex(data));
  EXPECT_EQ(put.size, data.size());
  EXPECT_EQ(MustGet("raw/climate_data.csv"), data);
  Result<ObjectInfo> head = store().Head(Ref("raw/climate_data.csv"));
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->etag, put.etag);
  EXPECT_EQ(head->size, data.size());
  EXPECT_EQ(head->key, Key("raw/climate_data.csv"));
  auto age = std::chrono::system_clock::now() - head->last_modified;
  EXPECT_LT(std::chrono::abs(age), std::chrono::minutes(10));
  EXPECT_EQ(store().Exists(Ref("raw/climate_data.csv")).value_or(false), true);
}

TEST_P(ObjectStoreContract, OverwriteReplacesBytesAndEtag) {
  MustPut("k", "first version, longer than the second");
  ObjectInfo second = MustPut("k", "second");
  EXPECT_EQ(MustGet("k"), "second");
  EXPECT_EQ(second.etag, Md5Hex("second"));
  EXPECT_EQ(store().Head(Ref("k"))->size, 6u);
  EXPECT_THAT(AllKeys(), ElementsAre("k"));
}

TEST_P(ObjectStoreContract, EmptyObjectRoundTrips) {
  ObjectInfo put = MustPut("empty", "");
  EXPECT_EQ(put.etag, Md5Hex(""));
  Result<std::string> got = store().Get(Ref("empty"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "");
  EXPECT_EQ(store().Head(Ref("empty"))->size, 0u);
  EXPECT_THAT(AllKeys(), ElementsAre("empty"));
}

TEST_P(ObjectStoreContract, MissingKeyIsNotFoundNamingTheKey) {
  for (Status st :
       {store().Get(Ref("no/such.csv")).status(), store().Head(Ref("no/such.csv")).status()}) {
    EXPECT_EQ(st.code(), StatusCode::kNotFound) << st.ToString();
    EXPECT_THAT(st.message(), HasSubstr(Key("no/such.csv")));
  }
  Result<bool> exists = store().Exists(Ref("no/such.csv"));
  ASSERT_TRUE(exists.ok()) << exists.status().ToString();
  EXPECT_FALSE(*exists);
}

TEST_P(ObjectStoreContract, MissingBucketIsNotFound) {
  ObjectRef ref{"climahealth-no-such-bucket-4711", "x", ""};
  Status st = store().Get(ref).status();
  EXPECT_EQ(st.code(), StatusCode::kNotFound) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("climahealth-no-such-bucket-4711"));
  Result<bool> exists = store().BucketExists("climahealth-no-such-bucket-4711");
  ASSERT_TRUE(exists.ok()) << exists.status().ToString();
  EXPECT_FALSE(*exists);
  EXPECT_TRUE(store().BucketExists(bucket()).value_or(false));
}

TEST_P(ObjectStoreContract, DeleteOfMissingKeySucceedsAndDeleteRemoves) {
  EXPECT_TRUE(store().Delete(Ref("never-there")).ok());
  MustPut("gone", "x");
  ASSERT_TRUE(store().Delete(Ref("gone")).ok());
  EXPECT_TRUE(store().Get(Ref("gone")).status().IsNotFound());
  EXPECT_THAT(AllKeys(), IsEmpty());
  EXPECT_TRUE(store().Delete(Ref("gone")).ok());
}

TEST_P(ObjectStoreContract, InvalidKeysAreRefusedAndNothingIsWritten) {
  std::string too_long(1025, 'k');
  for (std::string key :
       {std::string(), too_long, std::string("bad\xff\xfe"), std::string("nul\0byte", 8)}) {
    Status st = store().Put(ObjectRef{bucket(), key, ""}, "x").status();
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  }
  EXPECT_THAT(AllKeys(), IsEmpty());
}

TEST_P(ObjectStoreContract, ListWithPrefixGivesMatchingKeysInByteOrder) {
  if (!caps().ordered_listing) GTEST_SKIP() << "backend lists out of byte order";
  for (const char* k : {"b/2", "a-1", "a/z", "a/b/c", "ab", "a/", "b/10", "c"}) {
    if (std::string(k).back() == '/') continue;  // "a/" is not a portable key
    MustPut(k, k);
  }
  EXPECT_THAT(AllKeys(), ElementsAre("a-1", "a/b/c", "a/z", "ab", "b/10", "b/2", "c"));
  EXPECT_THAT(AllKeys("a/"), ElementsAre("a/b/c", "a/z"));
  EXPECT_THAT(AllKeys("a"), ElementsAre("a-1", "a/b/c", "a/z", "ab"));
  EXPECT_THAT(AllKeys("b/1"), ElementsAre("b/10"));
  EXPECT_THAT(AllKeys("zzz"), IsEmpty());
  Result<ListPage> page = store().List(bucket(), ListOptions{Key(""), "", 1000, ""});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 7u);
  EXPECT_EQ(page->objects[0].size, 3u);
  EXPECT_EQ(page->objects[0].etag, Md5Hex("a-1"));
}

TEST_P(ObjectStoreContract, ListWithDelimiterFoldsCommonPrefixes) {
  for (const char* k : {"raw/a.csv", "raw/b.csv", "processed/x_20240101.csv",
                        "processed/deep/y.csv", "top.txt", "raw-notes"}) {
    MustPut(k, "v");
  }
  ListOptions options{Key(""), "/", 1000, ""};
  Result<ListPage> page = store().List(bucket(), options);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  std::vector<std::string> objects;
  for (const ObjectInfo& o : page->objects) objects.push_back(o.key.substr(prefix().size()));
  std::vector<std::string> prefixes;
  for (const std::string& p : page->common_prefixes) prefixes.push_back(p.substr(prefix().size()));
  EXPECT_THAT(objects, ElementsAre("raw-notes", "top.txt"));
  EXPECT_THAT(prefixes, ElementsAre("processed/", "raw/"));
  EXPECT_TRUE(page->next_token.empty());

  options.prefix = Key("processed/");
  page = store().List(bucket(), options);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, Key("processed/x_20240101.csv"));
  EXPECT_THAT(page->common_prefixes, ElementsAre(Key("processed/deep/")));
}

TEST_P(ObjectStoreContract, ListPagesWithDelimiterCountPrefixesAsEntries) {
  if (!caps().ordered_listing) GTEST_SKIP() << "backend lists out of byte order";
  for (const char* k : {"a/1", "a/2", "b/1", "c", "d/1", "d/2", "e"}) MustPut(k, "v");
  ListOptions options{Key(""), "/", 2, ""};
  std::vector<std::string> seen;
  int pages = 0;
  for (;; ++pages) {
    Result<ListPage> page = store().List(bucket(), options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->objects.size() + page->common_prefixes.size(), 2u);
    for (const ObjectInfo& o : page->objects) seen.push_back(o.key.substr(prefix().size()));
    for (const std::string& p : page->common_prefixes) seen.push_back(p.substr(prefix().size()));
    if (page->next_token.empty()) break;
    options.continuation_token = page->next_token;
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_THAT(seen, ElementsAre("a/", "b/", "c", "d/", "e"));
  EXPECT_EQ(pages + 1, 3);
}

TEST_P(ObjectStoreContract, PagingWalksThousandsOfKeysWithTokens) {
  const int n = GetParam().paging_keys;
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < n; i = next++) {
        char name[32];
        std::snprintf(name, sizeof(name), "page/%02d/key-%05d", i % 37, i);
        ASSERT_TRUE(store().Put(Ref(name), std::to_string(i)).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<std::string> keys = AllKeys("page/", 1000);
  ASSERT_EQ(keys.size(), static_cast<size_t>(n));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), keys.size());
  EXPECT_EQ(AllKeys("page/", 333), keys);

  ListOptions options{Key("page/"), "", 1000, ""};
  std::vector<size_t> sizes;
  for (;;) {
    Result<ListPage> page = store().List(bucket(), options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    sizes.push_back(page->objects.size());
    if (page->next_token.empty()) break;
    options.continuation_token = page->next_token;
  }
  EXPECT_EQ(sizes.size(), static_cast<size_t>((n + 999) / 1000));
  EXPECT_EQ(sizes.front(), std::min<size_t>(1000, n));
  Result<Usage> usage = store().Size(bucket(), Key("page/"));
  ASSERT_TRUE(usage.ok()) << usage.status().ToString();
  EXPECT_EQ(usage->objects, static_cast<uint64_t>(n));
}

TEST_P(ObjectStoreContract, TokenStaysValidWhenListedKeysAreDeleted) {
  for (int i = 0; i < 10; ++i) MustPut("t/" + std::to_string(i), "v");
  ListOptions options{Key("t/"), "", 4, ""};
  Result<ListPage> first = store().List(bucket(), options);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->objects.size(), 4u);
  for (const ObjectInfo& o : first->objects)
    ASSERT_TRUE(store().Delete({bucket(), o.key, ""}).ok());
  options.continuation_token = first->next_token;
  Result<ListPage> second = store().List(bucket(), options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_EQ(second->objects.size(), 4u);
  EXPECT_EQ(second->objects[0].key, Key("t/4"));
}

TEST_P(ObjectStoreContract, KeysWithSpecialCharactersRoundTripAndList) {
  std::vector<std::string> names = {
      "with space.csv",  "plus+sign",       "percent%20literal",     "question?mark",
      "hash#tag",        "equals=sign&amp", "unicode/तापमान-°C.csv", "emoji/🌧️",
      "tilde~and!star*", "quote'\"",        "semi;colon,comma",      "paren(1)[2]{3}",
      "dollar$at@caret^"};
  for (size_t i = 0; i < names.size(); ++i) MustPut(names[i], "value " + names[i]);
  for (const std::string& name : names) EXPECT_EQ(MustGet(name), "value " + name) << name;
  std::vector<std::string> expected = names;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(AllKeys(), expected);
  EXPECT_EQ(store().Head(Ref("question?mark"))->size, std::string("value question?mark").size());
  ASSERT_TRUE(store().Delete(Ref("hash#tag")).ok());
  EXPECT_TRUE(store().Get(Ref("hash#tag")).status().IsNotFound());
}

TEST_P(ObjectStoreContract, RangesReturnTheRequestedBytes) {
  std::string data = "0123456789abcdefghij";
  MustPut("r", data);
  auto get = [&](ByteRange range) {
    GetOptions options;
    options.range = range;
    Result<std::string> got = store().Get(Ref("r"), options);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.value_or("<error>");
  };
  EXPECT_EQ(get(ByteRange{2, 5, std::nullopt}), "2345");
  EXPECT_EQ(get(ByteRange{0, 0, std::nullopt}), "0");
  EXPECT_EQ(get(ByteRange{15, std::nullopt, std::nullopt}), "fghij");
  EXPECT_EQ(get(ByteRange{18, 1000, std::nullopt}), "ij");
  if (caps().suffix_ranges) {
    EXPECT_EQ(get(ByteRange{0, std::nullopt, 3}), "hij");
    EXPECT_EQ(get(ByteRange{0, std::nullopt, 500}), data);
  }
  GetOptions past;
  past.range = ByteRange{20, std::nullopt, std::nullopt};
  Status st = store().Get(Ref("r"), past).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();

  struct Collect : ByteSink {
    std::string bytes;
    Status Write(std::string_view b) override {
      bytes.append(b);
      return Status::Ok();
    }
  } sink;
  GetOptions streamed;
  streamed.range = ByteRange{10, 12, std::nullopt};
  Result<ObjectInfo> info = store().GetStream(Ref("r"), sink, streamed);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(sink.bytes, "abc");
  EXPECT_EQ(info->size, data.size());
}

TEST_P(ObjectStoreContract, HeadReturnsContentTypeAndLowerCasedMetadata) {
  PutOptions options;
  options.content_type = "text/csv";
  options.metadata = {{"Source", "imd"}, {"rows", "2"}};
  MustPut("meta.csv", "a,b\n", options);
  Result<ObjectInfo> head = store().Head(Ref("meta.csv"));
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->content_type, "text/csv");
  EXPECT_EQ(head->metadata, (Metadata{{"rows", "2"}, {"source", "imd"}}));
  MustPut("plain", "x");
  EXPECT_EQ(store().Head(Ref("plain"))->content_type, "application/octet-stream");
}

TEST_P(ObjectStoreContract, CopyKeepsBytesAndMetadataUnlessReplaced) {
  PutOptions options;
  options.content_type = "text/csv";
  options.metadata = {{"origin", "seed"}};
  ObjectInfo src = MustPut("src.csv", "a,b\n1,2\n", options);
  Result<ObjectInfo> copied = store().Copy(Ref("src.csv"), Ref("copies/dst.csv"));
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  EXPECT_EQ(copied->etag, src.etag);
  EXPECT_EQ(MustGet("copies/dst.csv"), "a,b\n1,2\n");
  Result<ObjectInfo> head = store().Head(Ref("copies/dst.csv"));
  EXPECT_EQ(head->content_type, "text/csv");
  EXPECT_EQ(head->metadata, (Metadata{{"origin", "seed"}}));

  PutOptions replace;
  replace.content_type = "application/json";
  replace.metadata = {{"Origin", "copy"}};
  ASSERT_TRUE(store().Copy(Ref("src.csv"), Ref("copies/other"), replace).ok());
  head = store().Head(Ref("copies/other"));
  EXPECT_EQ(head->content_type, "application/json");
  EXPECT_EQ(head->metadata, (Metadata{{"origin", "copy"}}));
  EXPECT_TRUE(store().Copy(Ref("missing"), Ref("x")).status().IsNotFound());
  EXPECT_EQ(MustGet("src.csv"), "a,b\n1,2\n");
}

TEST_P(ObjectStoreContract, DeleteManyRemovesAllAndIgnoresMissingKeys) {
  std::vector<std::string> keys;
  for (int i = 0; i < 25; ++i) {
    MustPut("many/" + std::to_string(i), "v");
    keys.push_back(Key("many/" + std::to_string(i)));
  }
  MustPut("keep", "v");
  keys.push_back(Key("many/never-existed"));
  Result<std::vector<KeyError>> failed = store().DeleteMany(bucket(), keys);
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_THAT(*failed, IsEmpty());
  EXPECT_THAT(AllKeys(), ElementsAre("keep"));
}

TEST_P(ObjectStoreContract, SizeCountsObjectsAndBytesUnderPrefix) {
  MustPut("s/a", std::string(100, 'a'));
  MustPut("s/b/c", std::string(50, 'b'));
  MustPut("other", std::string(7, 'c'));
  Result<Usage> usage = store().Size(bucket(), Key("s/"));
  ASSERT_TRUE(usage.ok()) << usage.status().ToString();
  EXPECT_EQ(usage->objects, 2u);
  EXPECT_EQ(usage->bytes, 150u);
  EXPECT_GT(usage->newest, TimePoint{});
  usage = store().Size(bucket(), Key("nothing/"));
  ASSERT_TRUE(usage.ok());
  EXPECT_EQ(usage->objects, 0u);
  EXPECT_EQ(usage->newest, TimePoint{});
}

TEST_P(ObjectStoreContract, PutFileAndGetFileRoundTrip) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ch-contract-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(std::hash<std::string>{}(Key("f"))));
  std::filesystem::create_directories(dir);
  std::string data = PatternBytes(3 << 20, 7);
  {
    FILE* f = std::fopen((dir / "in.bin").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(data.data(), 1, data.size(), f);
    std::fclose(f);
  }
  Result<ObjectInfo> put = store().PutFile(Ref("file.bin"), dir / "in.bin");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, Md5Hex(data));
  Result<ObjectInfo> got = store().GetFile(Ref("file.bin"), dir / "out.bin");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(std::filesystem::file_size(dir / "out.bin"), data.size());
  EXPECT_TRUE(store().PutFile(Ref("x"), dir / "absent").status().IsNotFound());
  std::filesystem::remove_all(dir);
}

}  // namespace ch::testing
