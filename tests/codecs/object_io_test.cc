// Tests of the object helpers over an in-memory store that streams in small pieces.
#include "codecs/object_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "codecs/compression.h"
#include "codecs/csv_writer.h"
#include "codecs/map_store.h"
#include "support/temp_dir.h"

namespace ch {
namespace {

Schema ClimateSchema() {
  return Schema({{"date", DataType::kDate},
                 {"location_code", DataType::kString},
                 {"rainfall_mm", DataType::kFloat64},
                 {"note", DataType::kString}});
}

Table Climate(int rows) {
  std::string csv = "date,location_code,rainfall_mm,note\n";
  for (int i = 0; i < rows; ++i) {
    csv += "2024-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + ",L" +
           std::to_string(i % 13) + "," + (i % 5 ? std::to_string(i * 0.5) : "") + "," +
           (i % 3 ? "\"a, \"\"b\"\"\nc\"" : "plain") + "\n";
  }
  CsvReadOptions o;
  o.schema = ClimateSchema();
  return ParseCsv(csv, o).value();
}

class ObjectCsvTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ObjectCsvTest, SaveThenLoadGivesTheSameTable) {
  testing::MapStore store(/*piece_size=*/777);
  ObjectRef ref{"processed", std::string("processed/climate_20241111.csv") + GetParam()};
  Table t = Climate(5000);
  Result<ObjectInfo> saved = SaveCsv(store, ref, t);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(store.puts_streamed(), 1);
  CsvReadOptions o;
  o.schema = ClimateSchema();
  o.block_size = 32 << 10;
  o.num_threads = 3;
  CsvReport report;
  Result<Table> loaded = LoadCsv(store, ref, o, &report);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(loaded->Equals(t));
  EXPECT_EQ(report.rows, 5000);
  // The stored bytes are compressed exactly when the suffix says so.
  std::string raw = LoadBlob(store, ref).value();
  Compression c = CompressionFromPath(ref.key);
  EXPECT_EQ(DecompressBytes(raw, c).value(), FormatCsv(t));
}

INSTANTIATE_TEST_SUITE_P(Suffixes, ObjectCsvTest, ::testing::Values("", ".gz", ".zst"));

TEST(ObjectCsvTest, ForEachCsvChunkStreamsInBoundedChunks) {
  testing::MapStore store(1000);
  ObjectRef ref{"raw", "raw/climate_data.csv.zst"};
  Table t = Climate(20000);
  ASSERT_TRUE(SaveCsv(store, ref, t).ok());
  CsvReadOptions o;
  o.schema = ClimateSchema();
  o.block_size = 16 << 10;
  int chunks = 0;
  int64_t largest = 0;
  Table all;
  Status s = ForEachCsvChunk(store, ref, o, [&](Table& chunk) {
    ++chunks;
    largest = std::max(largest, chunk.num_rows());
    return all.Append(chunk);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_GT(chunks, 20);
  EXPECT_LT(largest, 2000);
  EXPECT_TRUE(all.Equals(t));
}

TEST(ObjectCsvTest, ParseErrorsNameTheKeyLineAndColumn) {
  testing::MapStore store(3);
  ObjectRef ref{"raw", "raw/climate_data.csv"};
  ASSERT_TRUE(
      SaveBlob(store, ref, "date,location_code,rainfall_mm,note\n2024-01-01,KA,abc,x\n").ok());
  CsvReadOptions o;
  o.schema = ClimateSchema();
  Result<Table> t = LoadCsv(store, ref, o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(
      t.status().ToString(),
      "InvalidArgument: parse csv raw/climate_data.csv: line 2, column 3 (rainfall_mm): 'abc' "
      "is not a number");
}

TEST(ObjectCsvTest, CorruptCompressedObjectIsCorruptionNamingTheKey) {
  testing::MapStore store;
  ObjectRef ref{"raw", "raw/climate_data.csv.gz"};
  std::string packed = CompressBytes(FormatCsv(Climate(3000)), Compression::kGzip).value();
  packed[packed.size() / 2] ^= 0x77;
  ASSERT_TRUE(SaveBlob(store, ref, packed).ok());
  Result<Table> t = LoadCsv(store, ref);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(t.status().message().substr(0, 35), "read raw/climate_data.csv.gz: gzip:");
  ObjectRef cut{"raw", "raw/cut.csv.zst"};
  std::string z = CompressBytes(FormatCsv(Climate(3000)), Compression::kZstd).value();
  ASSERT_TRUE(SaveBlob(store, cut, z.substr(0, z.size() - 10)).ok());
  Result<Table> u = LoadCsv(store, cut);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().ToString(),
            "Corruption: read raw/cut.csv.zst: zstd: truncated stream (unexpected end of data)");
}

TEST(ObjectCsvTest, MissingObjectIsNotFound) {
  testing::MapStore store;
  EXPECT_EQ(LoadCsv(store, {"raw", "raw/none.csv"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(LoadCsv(store, {"raw", "raw/none.csv.gz"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(LoadJson(store, {"raw", "x.json"}).status().code(), StatusCode::kNotFound);
}

TEST(ObjectJsonTest, SaveThenLoadAndParseErrorsNameTheKey) {
  testing::MapStore store;
  Json doc = {{"alerts", {{{"location", "KA"}, {"level", "high"}}}}, {"version", 3}};
  for (const char* key : {"alerts/2024-11-11/alerts.json", "alerts/2024-11-11/alerts.json.gz"}) {
    ObjectRef ref{"processed", key};
    ASSERT_TRUE(SaveJson(store, ref, doc).ok());
    Result<Json> back = LoadJson(store, ref);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, doc);
  }
  EXPECT_EQ(store.Head({"processed", "alerts/2024-11-11/alerts.json"})->content_type,
            "application/json");
  ObjectRef bad{"processed", "predictions/2024-11-11/risk.json"};
  ASSERT_TRUE(SaveBlob(store, bad, "{\n \"a\": [1, 2\n}").ok());
  Result<Json> r = LoadJson(store, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().substr(0, 63),
            "parse json predictions/2024-11-11/risk.json: line 3, column 1: ");
}

TEST(ObjectFileTest, UploadAndDownloadForwardToTheStore) {
  testing::MapStore store;
  testing::TempDir temp("object-io");
  const std::filesystem::path& dir = temp.path();
  { std::ofstream(dir / "in.bin") << "some bytes\n"; }
  ObjectRef ref{"models", "models/risk.ubj"};
  ASSERT_TRUE(UploadFile(store, dir / "in.bin", ref).ok());
  EXPECT_EQ(LoadBlob(store, ref).value(), "some bytes\n");
  ASSERT_TRUE(DownloadFile(store, ref, dir / "out.bin").ok());
  std::ifstream in(dir / "out.bin");
  std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, "some bytes\n");
  EXPECT_EQ(UploadFile(store, dir / "missing", ref).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ch
