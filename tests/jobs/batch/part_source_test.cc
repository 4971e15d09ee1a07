// PartSource: a header and stored parts read back as one stream, in ranges;
// a changed or missing part fails it; an interrupt stops it; with a joint
// end, its last bytes wait for the other sources.
#include "jobs/batch/part_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "storage/memory_store.h"
#include "support/interrupting_store.h"

namespace ch::batch {
namespace {

Part Stored(MemoryStore& store, const std::string& key, const std::string& bytes) {
  EXPECT_TRUE(store.CreateBucket("parts-bucket").ok());
  EXPECT_TRUE(store.Put({"parts-bucket", key, ""}, bytes).ok());
  Part p;
  p.key = key;
  p.size = bytes.size();
  return p;
}

// Reads the whole source in reads of `chunk` bytes.
Result<std::string> Drain(PartSource& source, size_t chunk) {
  std::string out;
  std::string buf(chunk, '\0');
  while (true) {
    ASSIGN_OR_RETURN(size_t n, source.Read(buf.data(), buf.size()));
    if (n == 0) return out;
    out.append(buf.data(), n);
  }
}

TEST(PartSourceTest, HeaderThenStoredPartsInOrder) {
  MemoryStore store;
  const Part first = Stored(store, "parts/0.csv", "a,1\nb,2\n");
  const Part empty = Stored(store, "parts/1.csv", "");
  const Part second = Stored(store, "parts/2.csv", "c,3\nd,4\n");
  const Part third = Stored(store, "parts/3.csv", "e,5\n");
  for (size_t chunk : {1, 3, 64}) {
    PartSource source(store, "parts-bucket", "code,n\n", {&first, &empty, &second, &third});
    ASSERT_EQ(source.Size(), 7u + 8u + 8u + 4u);
    Result<std::string> all = Drain(source, chunk);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    EXPECT_EQ(*all, "code,n\na,1\nb,2\nc,3\nd,4\ne,5\n") << "chunk " << chunk;
  }
}

TEST(PartSourceTest, StoredPartOfTheWrongSizeIsCorruptionNamingTheKey) {
  MemoryStore store;
  Part part = Stored(store, "parts/0.csv", "x,1\n");
  part.size = 10;
  PartSource source(store, "parts-bucket", "h\n", {&part});
  Result<std::string> all = Drain(source, 64);
  ASSERT_FALSE(all.ok());
  EXPECT_NE(all.status().ToString().find("parts/0.csv has 4 bytes, expected 10"), std::string::npos)
      << all.status().ToString();
}

TEST(PartSourceTest, MissingStoredPartIsNotFound) {
  MemoryStore store;
  Part part = Stored(store, "parts/0.csv", "x,1\n");
  ASSERT_TRUE(store.Delete({"parts-bucket", "parts/0.csv", ""}).ok());
  PartSource source(store, "parts-bucket", "h\n", {&part});
  Result<std::string> all = Drain(source, 64);
  ASSERT_FALSE(all.ok());
  EXPECT_TRUE(all.status().IsNotFound()) << all.status().ToString();
}

TEST(PartSourceTest, LargeStoredPartIsReadInRangesWholeAndInOrder) {
  MemoryStore store;
  std::string big;
  for (int i = 0; big.size() < (uint64_t{40} << 20); ++i) big += std::to_string(i) + ",x\n";
  const Part part = Stored(store, "parts/big.csv", big);
  PartSource source(store, "parts-bucket", "h\n", {&part});
  Result<std::string> all = Drain(source, 1 << 20);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(*all == "h\n" + big);
}

TEST(PartSourceTest, StoredPartReplacedWhileReadFailsInsteadOfMixing) {
  MemoryStore store;
  const std::string big(uint64_t{20} << 20, 'a');
  const Part part = Stored(store, "parts/0.csv", big);
  PartSource source(store, "parts-bucket", "", {&part});
  std::string buf(1 << 20, '\0');
  ASSERT_TRUE(source.Read(buf.data(), buf.size()).ok());  // the first range is in hand
  ASSERT_TRUE(store.Put({"parts-bucket", "parts/0.csv", ""}, std::string(big.size(), 'b')).ok());
  Result<std::string> rest = Drain(source, 1 << 20);
  ASSERT_FALSE(rest.ok());
  EXPECT_EQ(rest.status().code(), StatusCode::kPreconditionFailed) << rest.status().ToString();
}

TEST(PartSourceTest, AnInterruptFailsTheNextFetch) {
  ch::testing::ClearInterruptAtEnd clear;
  MemoryStore store;
  const Part part = Stored(store, "parts/0.csv", "x,1\n");
  PartSource source(store, "parts-bucket", "h\n", {&part});
  std::string buf(2, '\0');
  ASSERT_EQ(source.Read(buf.data(), buf.size()).value(), 2u);  // the header
  RequestInterrupt(SIGINT);
  Result<size_t> next = source.Read(buf.data(), buf.size());
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().ToString(), Status::Cancelled("batch: interrupted (SIGINT)").ToString());
}

TEST(PartSourceTest, TheLastBytesWaitForTheOtherSourcesOfTheirJointEnd) {
  MemoryStore store;
  const Part part = Stored(store, "parts/0.csv", "x,1\ny,2\n");
  JointEnd end(2);
  PartSource source(store, "parts-bucket", "h\n", {&part}, &end);
  std::string buf(6, '\0');
  ASSERT_EQ(source.Read(buf.data(), buf.size()).value(), 2u);  // the header
  ASSERT_EQ(source.Read(buf.data(), 4).value(), 4u);           // not yet the end
  Result<size_t> last = Status::Internal("not read");
  std::atomic<bool> returned = false;
  std::jthread reader([&] {
    last = source.Read(buf.data(), buf.size());
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(returned.load());  // held back
  EXPECT_TRUE(end.Arrive().ok());
  reader.join();
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(*last, 4u);
  EXPECT_EQ(source.Read(buf.data(), buf.size()).value(), 0u);
}

TEST(PartSourceTest, TheLastBytesFailWhenAnotherSourceOfTheirJointEndFailed) {
  MemoryStore store;
  const Part part = Stored(store, "parts/0.csv", "x,1\n");
  JointEnd end(2);
  end.Fail(Status::IOError("disk full"));
  PartSource source(store, "parts-bucket", "h\n", {&part}, &end);
  Result<std::string> all = Drain(source, 64);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().message(), "disk full");
}

TEST(PartSourceTest, AFailedReadReleasesTheOtherSourcesOfItsJointEnd) {
  MemoryStore store;
  Part part = Stored(store, "parts/0.csv", "x,1\n");
  ASSERT_TRUE(store.Delete({"parts-bucket", "parts/0.csv", ""}).ok());
  JointEnd end(2);
  PartSource source(store, "parts-bucket", "h\n", {&part}, &end);
  ASSERT_FALSE(Drain(source, 64).ok());
  EXPECT_TRUE(end.Arrive().IsNotFound());
}

}  // namespace
}  // namespace ch::batch
