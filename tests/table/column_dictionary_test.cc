// Tests of dictionary-encoded string columns: the same values and operations
// as plain ones, and the fallback to plain when values are mostly distinct.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "table/column.h"

namespace ch {
namespace {

// The same values, nulls included, appended to a plain and a dictionary column.
struct Pair {
  Column plain{DataType::kString};
  Column coded{DataType::kString};
  Pair() { coded.UseDictionary(); }
  void Add(std::string_view v) {
    plain.AppendString(v);
    coded.AppendString(v);
  }
  void AddNull() {
    plain.AppendNull();
    coded.AppendNull();
  }
};

Pair Locations(int rows) {
  Pair p;
  for (int i = 0; i < rows; ++i) {
    if (i % 7 == 3) {
      p.AddNull();
    } else if (i % 11 == 5) {
      p.Add("");
    } else {
      p.Add("KA-" + std::to_string(i % 13) + (i % 2 ? "" : " नगर"));
    }
  }
  return p;
}

void ExpectSameValues(const Column& a, const Column& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.null_count(), b.null_count());
  for (int64_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.IsNull(i), b.IsNull(i)) << i;
    EXPECT_EQ(a.String(i), b.String(i)) << i;
    EXPECT_EQ(a.ValueToString(i), b.ValueToString(i)) << i;
  }
  EXPECT_TRUE(a.Equals(b));
  EXPECT_TRUE(b.Equals(a));
}

TEST(ColumnDictionaryTest, HoldsTheSameValuesAsAPlainColumn) {
  Pair p = Locations(500);
  EXPECT_TRUE(p.coded.dictionary_encoded());
  EXPECT_FALSE(p.plain.dictionary_encoded());
  ExpectSameValues(p.plain, p.coded);
  EXPECT_EQ(p.coded.string_bytes(), p.plain.string_bytes());
  Column other(DataType::kString);
  other.UseDictionary();
  for (int64_t i = 0; i < p.plain.size(); ++i) other.AppendFrom(p.plain, i);
  ExpectSameValues(p.plain, other);
  other.AppendString("x");
  EXPECT_FALSE(other.Equals(p.coded));
}

TEST(ColumnDictionaryTest, TakeSliceTruncateAndDecodeKeepTheValues) {
  Pair p = Locations(300);
  std::vector<int64_t> indices = {299, 3, 3, 0, 150, 5, 17};
  Column taken = p.coded.Take(indices);
  EXPECT_TRUE(taken.dictionary_encoded());
  ExpectSameValues(p.plain.Take(indices), taken);
  taken.AppendString("KA-1");  // the copied dictionary still finds values
  taken.AppendString("new");
  EXPECT_EQ(taken.String(7), "KA-1");
  EXPECT_EQ(taken.String(8), "new");
  ExpectSameValues(p.plain.Slice(100, 50), p.coded.Slice(100, 50));

  p.plain.Truncate(40);
  p.coded.Truncate(40);
  ExpectSameValues(p.plain, p.coded);
  p.Add("after truncate");
  p.AddNull();
  ExpectSameValues(p.plain, p.coded);

  Column decoded = p.coded;
  decoded.DecodeDictionary();
  EXPECT_FALSE(decoded.dictionary_encoded());
  ExpectSameValues(p.plain, decoded);
  EXPECT_EQ(decoded.string_data(), p.plain.string_data());
}

TEST(ColumnDictionaryTest, AppendMixesRepresentations) {
  Pair a = Locations(120);
  Pair b = Locations(77);
  b.Add("only in b");
  Column expected = a.plain;
  ASSERT_TRUE(expected.Append(b.plain).ok());
  for (const Column* left : {&a.plain, &a.coded}) {
    for (const Column* right : {&b.plain, &b.coded}) {
      Column out = *left;
      ASSERT_TRUE(out.Append(*right).ok());
      ExpectSameValues(expected, out);
    }
  }
  Column self = a.coded;
  ASSERT_TRUE(self.Append(self).ok());
  Column doubled = a.plain;
  ASSERT_TRUE(doubled.Append(a.plain).ok());
  ExpectSameValues(doubled, self);
}

TEST(ColumnDictionaryTest, MostlyDistinctValuesTurnItPlainForGood) {
  Column c(DataType::kString);
  c.UseDictionary();
  Column plain(DataType::kString);
  for (int i = 0; i < 70000; ++i) {
    std::string v = "id-" + std::to_string(i);
    c.AppendString(v);
    plain.AppendString(v);
  }
  EXPECT_FALSE(c.dictionary_encoded());
  ExpectSameValues(plain, c);
  c.Truncate(0);
  c.AppendString("a");
  EXPECT_FALSE(c.dictionary_encoded());
}

// Few distinct values recurring over many rows keep their dictionary, even
// when a truncated (recycled) column meets a new value on its first row.
TEST(ColumnDictionaryTest, ManyRecurringValuesStayEncodedAcrossTruncate) {
  Column c(DataType::kString);
  c.UseDictionary();
  for (int day = 0; day < 30; ++day) {
    for (int i = 0; i < 6000; ++i) c.AppendString("district-" + std::to_string(i));
  }
  c.Truncate(0);
  c.AppendString("district-new");
  EXPECT_TRUE(c.dictionary_encoded());
  EXPECT_EQ(c.String(0), "district-new");
}

TEST(ColumnDictionaryTest, GrowForWriteAndWriteAtCopyFromOtherDictionaries) {
  Pair first = Locations(90);
  Pair second;
  for (int i = 0; i < 60; ++i) {
    if (i % 9 == 0) {
      second.AddNull();
    } else {
      second.Add("MH-" + std::to_string(i % 5));  // values and codes unlike first's
    }
  }
  Column expected = first.plain;
  ASSERT_TRUE(expected.Append(second.plain).ok());

  Column coded(DataType::kString);
  coded.UseDictionary();
  std::vector<int32_t> map1, map2;
  ASSERT_TRUE(coded.MergeDictionary(first.coded, &map1));
  ASSERT_TRUE(coded.MergeDictionary(second.coded, &map2));
  coded.GrowForWrite(150, 0, first.coded.null_count() + second.coded.null_count());
  // Written in either order, as two threads may.
  coded.WriteAt(90, 0, second.coded, map2);
  coded.WriteAt(0, 0, first.coded, map1);
  EXPECT_TRUE(coded.dictionary_encoded());
  ExpectSameValues(expected, coded);

  Column plain(DataType::kString);
  int64_t first_bytes = first.coded.string_bytes();
  plain.GrowForWrite(150, first_bytes + second.coded.string_bytes(),
                     first.coded.null_count() + second.coded.null_count());
  plain.WriteAt(90, first_bytes, second.coded);
  plain.WriteAt(0, 0, first.coded);
  ExpectSameValues(expected, plain);
}

}  // namespace
}  // namespace ch
