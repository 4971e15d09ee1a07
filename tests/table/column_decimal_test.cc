// Tests of decimal-encoded float64 columns: the same values, bit for bit, and
// the same operations as plain ones, and the fallback to plain for values
// that are not short decimals.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "table/column.h"

namespace ch {
// Named, not anonymous: the unity build joins this file with the dictionary tests.
namespace column_decimal_test {

// A decimal as the CSV reader hands it over, e.g. {"-12.5"} = 125, 1, true.
struct Text {
  uint64_t digits;
  int frac_digits;
  bool negative;
  std::string text;
};

Text Decimal(const std::string& text) {
  Text t{0, 0, text[0] == '-', text};
  bool frac = false;
  for (char ch : text) {
    if (ch == '.') frac = true;
    if (ch < '0' || ch > '9') continue;
    t.digits = t.digits * 10 + static_cast<uint64_t>(ch - '0');
    if (frac) ++t.frac_digits;
  }
  return t;
}

// The same values, nulls included, appended to a plain and a decimal column;
// the plain one gets what strtod makes of the text.
struct Pair {
  Column plain{DataType::kFloat64};
  Column coded{DataType::kFloat64};
  Pair() { coded.UseDecimal(); }
  void Add(const std::string& text) {
    Text t = Decimal(text);
    plain.AppendFloat64(std::strtod(text.c_str(), nullptr));
    coded.AppendDecimal(t.digits, t.frac_digits, t.negative);
  }
  void AddNull() {
    plain.AppendNull();
    coded.AppendNull();
  }
};

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void ExpectSameValues(const Column& a, const Column& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.null_count(), b.null_count());
  for (int64_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.IsNull(i), b.IsNull(i)) << i;
    EXPECT_TRUE(SameBits(a.Float64(i), b.Float64(i)))
        << i << ": " << a.Float64(i) << " vs " << b.Float64(i);
    EXPECT_EQ(a.ValueToString(i), b.ValueToString(i)) << i;
  }
  EXPECT_TRUE(a.Equals(b));
  EXPECT_TRUE(b.Equals(a));
}

// Temperatures, rainfall and the like: one or two places, a few nulls.
Pair Measurements(int rows) {
  Pair p;
  for (int i = 0; i < rows; ++i) {
    if (i % 9 == 4) {
      p.AddNull();
      continue;
    }
    int tenths = (i * 37) % 900 - 300;
    std::string text = (tenths < 0 ? "-" : "") + std::to_string(std::abs(tenths) / 10) + "." +
                       std::to_string(std::abs(tenths) % 10);
    if (i % 5 == 0) text = std::to_string(i % 40);  // no places at all
    p.Add(text);
  }
  return p;
}

TEST(ColumnDecimalTest, HoldsTheSameValuesAsAPlainColumnBitForBit) {
  Pair p = Measurements(1000);
  EXPECT_TRUE(p.coded.decimal_encoded());
  EXPECT_FALSE(p.plain.decimal_encoded());
  EXPECT_EQ(p.coded.decimal_scale(), 1);
  ExpectSameValues(p.plain, p.coded);
  // Values whose doubles are inexact (0.1, 0.3, 2.675) divide to strtod's.
  Pair q;
  for (const char* text : {"0.1", "0.3", "2.675", "-0.07", "3.2767", "0", "-3.2767"}) q.Add(text);
  EXPECT_TRUE(q.coded.decimal_encoded());
  EXPECT_EQ(q.coded.decimal_scale(), 4);
  ExpectSameValues(q.plain, q.coded);
}

TEST(ColumnDecimalTest, AValueWithMorePlacesRaisesTheScaleOfTheEarlierValues) {
  Pair p;
  for (const char* text : {"23", "-4", "17.5", "0.25", "123.45"}) p.Add(text);
  EXPECT_TRUE(p.coded.decimal_encoded());
  EXPECT_EQ(p.coded.decimal_scale(), 2);
  ExpectSameValues(p.plain, p.coded);
}

TEST(ColumnDecimalTest, AValueThatIsNotAShortDecimalTurnsTheColumnPlain) {
  // Too large for the integers, too large once scaled, -0 (a distinct
  // double), too many places.
  for (const char* odd : {"32768", "-40000", "5.5555", "-0", "-0.0", "0.0000000001"}) {
    Pair p;
    for (const char* text : {"327.6", "-12.5", "0"}) p.Add(text);
    p.AddNull();
    p.Add(odd);
    p.Add("1.5");
    EXPECT_FALSE(p.coded.decimal_encoded()) << odd;
    ExpectSameValues(p.plain, p.coded);
  }
  // Doubles appended as such: kept while they are exact short decimals.
  Column c(DataType::kFloat64);
  c.UseDecimal();
  for (double v : {0.5, -12.25, 0.1, 3.0}) c.AppendFloat64(v);
  EXPECT_TRUE(c.decimal_encoded());
  EXPECT_EQ(c.decimal_scale(), 2);
  EXPECT_TRUE(SameBits(c.Float64(2), 0.1));
  for (double odd :
       {0.1 + 0.2, std::nan(""), std::numeric_limits<double>::infinity(), -0.0, 1e300}) {
    Column d(DataType::kFloat64);
    d.UseDecimal();
    d.AppendFloat64(2.5);
    d.AppendFloat64(odd);
    EXPECT_FALSE(d.decimal_encoded()) << odd;
    EXPECT_TRUE(SameBits(d.Float64(0), 2.5));
    EXPECT_TRUE(SameBits(d.Float64(1), odd)) << odd;
  }
}

TEST(ColumnDecimalTest, TakeSliceAppendAndTruncateKeepTheValues) {
  Pair p = Measurements(300);
  std::vector<int64_t> indices = {299, 0, 4, 4, 17, 150};
  Column taken = p.coded.Take(indices);
  EXPECT_TRUE(taken.decimal_encoded());
  ExpectSameValues(p.plain.Take(indices), taken);
  ExpectSameValues(p.plain.Slice(10, 50), p.coded.Slice(10, 50));

  // Appends between scales, and between decimal and plain columns.
  Pair wide;
  for (const char* text : {"1.25", "-0.5", "300"}) wide.Add(text);
  Column both = p.coded;
  ASSERT_TRUE(both.Append(wide.coded).ok());
  EXPECT_TRUE(both.decimal_encoded());
  EXPECT_EQ(both.decimal_scale(), 2);
  Column expected = p.plain;
  ASSERT_TRUE(expected.Append(wide.plain).ok());
  ExpectSameValues(expected, both);
  Column into_plain = p.plain;
  ASSERT_TRUE(into_plain.Append(wide.coded).ok());
  ExpectSameValues(expected, into_plain);
  Column from_plain = p.coded;
  ASSERT_TRUE(from_plain.Append(wide.plain).ok());
  EXPECT_FALSE(from_plain.decimal_encoded());
  ExpectSameValues(expected, from_plain);
  Column row_by_row = p.coded;
  for (int64_t i = 0; i < wide.coded.size(); ++i) row_by_row.AppendFrom(wide.coded, i);
  EXPECT_TRUE(row_by_row.decimal_encoded());
  ExpectSameValues(expected, row_by_row);
  // An append whose values would not fit at the common scale decodes.
  Pair tiny;
  tiny.Add("0.0001");
  Column overflow = wide.coded;
  ASSERT_TRUE(overflow.Append(tiny.coded).ok());
  EXPECT_FALSE(overflow.decimal_encoded());
  Column overflow_expected = wide.plain;
  ASSERT_TRUE(overflow_expected.Append(tiny.plain).ok());
  ExpectSameValues(overflow_expected, overflow);

  // Truncating to nothing starts again from no places.
  Column c = wide.coded;
  c.Truncate(1);
  EXPECT_EQ(c.decimal_scale(), 2);
  EXPECT_TRUE(SameBits(c.Float64(0), 1.25));
  c.Truncate(0);
  EXPECT_EQ(c.decimal_scale(), 0);
  c.AppendDecimal(7, 0, false);
  EXPECT_TRUE(c.decimal_encoded());
  EXPECT_EQ(c.decimal_scale(), 0);
  EXPECT_TRUE(SameBits(c.Float64(0), 7.0));
}

// The table builder's path: chunks merged into one scale, then copied in.
TEST(ColumnDecimalTest, MergedChunksAreWrittenAtTheGreaterScale) {
  Pair first;
  for (const char* text : {"12", "-7", "30"}) first.Add(text);
  Pair second;
  second.AddNull();
  for (const char* text : {"1.05", "-2.5"}) second.Add(text);
  Column table(DataType::kFloat64);
  table.UseDecimal();
  ASSERT_TRUE(table.MergeDecimal(first.coded));
  ASSERT_TRUE(table.MergeDecimal(second.coded));
  EXPECT_EQ(table.decimal_scale(), 2);
  table.GrowForWrite(6, 0, 1);
  table.WriteAt(0, 0, first.coded);
  table.WriteAt(3, 0, second.coded);
  Column expected = first.plain;
  ASSERT_TRUE(expected.Append(second.plain).ok());
  ExpectSameValues(expected, table);

  // A scale at which the values would not fit is refused, nothing changed.
  Pair places;
  places.Add("0.0001");
  EXPECT_FALSE(table.MergeDecimal(places.coded));
  EXPECT_EQ(table.decimal_scale(), 2);
  ExpectSameValues(expected, table);
  // Decoded, it takes any chunk, decimal or not.
  table.DecodeDecimal();
  EXPECT_FALSE(table.decimal_encoded());
  table.GrowForWrite(7, 0, 0);
  table.WriteAt(6, 0, places.coded);
  ASSERT_TRUE(expected.Append(places.plain).ok());
  ExpectSameValues(expected, table);
}

}  // namespace column_decimal_test
}  // namespace ch
