// Tests of sorting and grouping.
#include "table/table_ops.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ch {
namespace {

Table Cases() {
  Schema schema({{"loc", DataType::kString},
                 {"day", DataType::kDate},
                 {"cases", DataType::kInt64},
                 {"id", DataType::kInt64}});
  std::vector<Column> cols;
  cols.push_back(
      Column::FromStrings({"MH", "KA", "MH", "KA", "DL", "", "KA"}, {1, 1, 1, 1, 1, 0, 1}));
  cols.push_back(Column::FromDate({3, 1, 2, 1, 5, 4, 2}));
  cols.push_back(Column::FromInt64({5, 7, 5, 2, 7, 1, 7}, {1, 1, 1, 1, 1, 1, 1}));
  cols.push_back(Column::FromInt64({0, 1, 2, 3, 4, 5, 6}));
  return Table::Make(schema, std::move(cols)).value();
}

std::vector<int64_t> Ids(const Table& t) {
  std::vector<int64_t> ids;
  for (int64_t r = 0; r < t.num_rows(); ++r) ids.push_back(t.column(3).Int64(r));
  return ids;
}

TEST(SortTest, EqualKeysKeepTheirOriginalOrder) {
  Result<Table> s = SortTable(Cases(), {{"cases"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Ids(*s), (std::vector<int64_t>{5, 3, 0, 2, 1, 4, 6}));
}

TEST(SortTest, SortsByManyKeysAndDirections) {
  Result<Table> s = SortTable(Cases(), {{"cases", false}, {"day", true}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Ids(*s), (std::vector<int64_t>{1, 6, 4, 2, 0, 3, 5}));
}

TEST(SortTest, NullsGoLastUnlessAskedFirst) {
  Result<Table> last = SortTable(Cases(), {{"loc"}});
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(Ids(*last), (std::vector<int64_t>{4, 1, 3, 6, 0, 2, 5}));
  Result<Table> first = SortTable(Cases(), {{"loc", true, true}});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Ids(*first).front(), 5);
}

TEST(SortTest, FloatNanSortsAfterNumbers) {
  Schema schema({{"x", DataType::kFloat64}});
  std::vector<Column> cols;
  cols.push_back(Column::FromFloat64({2.0, std::nan(""), -1.0, 0.5}));
  Table t = Table::Make(schema, std::move(cols)).value();
  Result<std::vector<int64_t>> idx = SortIndices(t, {{"x"}});
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ(*idx, (std::vector<int64_t>{2, 3, 0, 1}));
}

TEST(SortTest, UnknownColumnOrNoKeysIsAnError) {
  EXPECT_EQ(SortTable(Cases(), {{"nope"}}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(SortTable(Cases(), {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(GroupTest, GroupsRowsByKeyInOrderOfFirstAppearance) {
  Result<std::vector<RowGroup>> groups = GroupRows(Cases(), "loc");
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 4u);
  EXPECT_EQ((*groups)[0].rows, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ((*groups)[1].rows, (std::vector<int64_t>{1, 3, 6}));
  EXPECT_EQ((*groups)[2].rows, (std::vector<int64_t>{4}));
  EXPECT_EQ((*groups)[3].rows, (std::vector<int64_t>{5}));  // the null key
}

TEST(GroupTest, GroupsByIntegerAndDateKeys) {
  Result<std::vector<RowGroup>> by_cases = GroupRows(Cases(), "cases");
  ASSERT_TRUE(by_cases.ok());
  EXPECT_EQ(by_cases->size(), 4u);
  Result<std::vector<RowGroup>> by_day = GroupRows(Cases(), "day");
  ASSERT_TRUE(by_day.ok());
  EXPECT_EQ(by_day->size(), 5u);
  EXPECT_EQ((*by_day)[1].rows, (std::vector<int64_t>{1, 3}));
}

TEST(GroupTest, SplitByKeyGivesOneTablePerLocation) {
  Result<std::vector<Table>> parts = SplitByKey(Cases(), "loc");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 4u);
  EXPECT_EQ((*parts)[1].num_rows(), 3);
  for (int64_t r = 0; r < 3; ++r) EXPECT_EQ((*parts)[1].column(0).String(r), "KA");
  EXPECT_EQ(GroupRows(Cases(), "nope").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace ch
