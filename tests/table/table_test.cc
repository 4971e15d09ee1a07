// Tests of Column and Table: building, nulls, lookup, selection and appends.
#include "table/table.h"

#include <gtest/gtest.h>

namespace ch {
namespace {

Table Sample() {
  Schema schema(
      {{"code", DataType::kString}, {"cases", DataType::kInt64}, {"rain", DataType::kFloat64}});
  std::vector<Column> cols;
  cols.push_back(Column::FromStrings({"KA", "MH", "KA", "DL"}));
  cols.push_back(Column::FromInt64({3, 1, 4, 1}, {1, 1, 0, 1}));
  cols.push_back(Column::FromFloat64({0.5, 2.0, 1.25, 0.0}));
  return Table::Make(schema, std::move(cols)).value();
}

TEST(ColumnTest, NullsAreTrackedWithoutAValidityVectorUntilTheFirstNull) {
  Column c(DataType::kFloat64);
  c.AppendFloat64(1.5);
  c.AppendFloat64(2.5);
  EXPECT_TRUE(c.validity().empty());
  c.AppendNull();
  c.AppendFloat64(3.5);
  ASSERT_EQ(c.size(), 4);
  EXPECT_EQ(c.null_count(), 1);
  EXPECT_FALSE(c.IsNull(1));
  EXPECT_TRUE(c.IsNull(2));
  EXPECT_EQ(c.Float64(2), 0.0);
  EXPECT_EQ(c.Float64(3), 3.5);
  EXPECT_EQ(c.ValueToString(2), "null");
}

TEST(ColumnTest, StringsShareOneCharacterBuffer) {
  Column c(DataType::kString);
  c.AppendString("ab");
  c.AppendNull();
  c.AppendString("");
  c.AppendString("नमस्ते");
  EXPECT_EQ(c.string_data(), "abनमस्ते");
  ASSERT_EQ(c.string_offsets().size(), 5u);
  EXPECT_EQ(c.String(0), "ab");
  EXPECT_TRUE(c.IsNull(1));
  EXPECT_FALSE(c.IsNull(2));
  EXPECT_EQ(c.String(2), "");
  EXPECT_EQ(c.String(3), "नमस्ते");
}

TEST(ColumnTest, TruncateDropsValuesAndTheirNulls) {
  Column c(DataType::kString);
  c.AppendString("x");
  c.AppendNull();
  c.AppendString("yz");
  c.Truncate(1);
  EXPECT_EQ(c.size(), 1);
  EXPECT_EQ(c.null_count(), 0);
  EXPECT_EQ(c.string_data(), "x");
  c.AppendString("w");
  EXPECT_EQ(c.String(1), "w");
}

TEST(ColumnTest, AppendToAnEmptyColumnKeepsTheOthersNulls) {
  Column a(DataType::kInt64);
  Column b = Column::FromInt64({1, 2}, {0, 1});
  ASSERT_TRUE(a.Append(b).ok());
  EXPECT_TRUE(a.Equals(b));
  EXPECT_EQ(a.Append(Column(DataType::kString)).code(), StatusCode::kInvalidArgument);
}

TEST(ColumnTest, GrowForWriteThenWriteAtMatchesAppend) {
  Column x = Column::FromStrings({"a", "bb", ""}, {1, 1, 0});
  Column y = Column::FromStrings({"ccc", "d"});
  Column appended(DataType::kString);
  ASSERT_TRUE(appended.Append(x).ok());
  ASSERT_TRUE(appended.Append(y).ok());
  Column written(DataType::kString);
  written.GrowForWrite(5, 7, 1);
  written.WriteAt(3, 3, y);
  written.WriteAt(0, 0, x);
  EXPECT_TRUE(written.Equals(appended));
}

TEST(TableTest, FindsColumnsByName) {
  Table t = Sample();
  EXPECT_EQ(t.num_rows(), 4);
  EXPECT_EQ(t.ColumnIndex("rain"), 2);
  EXPECT_EQ(t.ColumnIndex("nope"), -1);
  EXPECT_EQ(t.FindColumn("nope"), nullptr);
  Result<const Column*> missing = t.GetColumn("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no column 'nope' (columns: code, cases, rain)");
}

TEST(TableTest, MakeRejectsColumnsOfTheWrongLengthOrType) {
  Schema schema({{"a", DataType::kInt64}, {"b", DataType::kInt64}});
  std::vector<Column> cols;
  cols.push_back(Column::FromInt64({1, 2}));
  cols.push_back(Column::FromInt64({1}));
  EXPECT_EQ(Table::Make(schema, std::move(cols)).status().code(), StatusCode::kInvalidArgument);
  std::vector<Column> typed;
  typed.push_back(Column::FromInt64({1}));
  typed.push_back(Column::FromFloat64({1}));
  EXPECT_EQ(Table::Make(schema, std::move(typed)).status().code(), StatusCode::kInvalidArgument);
}

TEST(TableTest, SelectReordersAndRejectsUnknownNames) {
  Table t = Sample();
  Result<Table> s = t.Select({"rain", "code"});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->schema().ToString(), "rain:float64?, code:string?");
  EXPECT_EQ(s->column(1).String(3), "DL");
  EXPECT_EQ(t.Select({"code", "x"}).status().code(), StatusCode::kNotFound);
}

TEST(TableTest, FilterKeepsMaskedRowsInOrder) {
  Table t = Sample();
  std::vector<uint8_t> mask = {1, 0, 1, 0};
  Result<Table> f = t.Filter(mask);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->num_rows(), 2);
  EXPECT_EQ(f->column(0).String(1), "KA");
  EXPECT_TRUE(f->column(1).IsNull(1));
  EXPECT_EQ(t.Filter(std::vector<uint8_t>{1}).status().code(), StatusCode::kInvalidArgument);
  Table wet = t.FilterRows([&](int64_t r) { return t.column(2).Float64(r) >= 1.0; });
  ASSERT_EQ(wet.num_rows(), 2);
  EXPECT_EQ(wet.column(0).String(0), "MH");
}

TEST(TableTest, AppendAndConcatenateRequireTheSameSchema) {
  Table t = Sample();
  Table u = Sample();
  ASSERT_TRUE(t.Append(u).ok());
  EXPECT_EQ(t.num_rows(), 8);
  EXPECT_TRUE(t.column(1).IsNull(6));
  Result<Table> other = Sample().Select({"rain", "code", "cases"});
  Status bad = t.Append(*other);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.num_rows(), 8);
  Result<Table> all = Table::Concatenate({Sample(), Sample(), Sample()});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->num_rows(), 12);
  EXPECT_TRUE(all->Slice(4, 4).Equals(Sample()));
}

TEST(TableTest, AppendToAnEmptyTableAdoptsTheSchema) {
  Table t;
  ASSERT_TRUE(t.Append(Sample()).ok());
  EXPECT_TRUE(t.Equals(Sample()));
}

TEST(TableTest, ReplaceColumnChecksTypeAndLength) {
  Table t = Sample();
  ASSERT_TRUE(
      t.ReplaceColumn(1, {"cases", DataType::kFloat64}, Column::FromFloat64({1, 2, 3, 4})).ok());
  EXPECT_EQ(t.column(1).Float64(3), 4.0);
  EXPECT_FALSE(
      t.ReplaceColumn(1, {"cases", DataType::kInt64}, Column::FromFloat64({1, 2, 3, 4})).ok());
  EXPECT_FALSE(t.ReplaceColumn(1, {"cases", DataType::kInt64}, Column::FromInt64({1})).ok());
  EXPECT_FALSE(
      t.ReplaceColumn(1, {"rain", DataType::kInt64}, Column::FromInt64({1, 2, 3, 4})).ok());
}

TEST(SchemaTest, MakeRejectsDuplicateNames) {
  Result<Schema> s = Schema::Make({{"a", DataType::kInt64}, {"a", DataType::kString}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "schema: duplicate field name 'a'");
  EXPECT_EQ(Schema({{"d", DataType::kDate, true, false}}).ToString(), "d:date");
}

}  // namespace
}  // namespace ch
