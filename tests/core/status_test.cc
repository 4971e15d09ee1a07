#include "core/status.h"

#include <gtest/gtest.h>

namespace ch {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("half of " + std::to_string(x) + ": odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(StatusTest, OkStatusPrintsOk) {
  EXPECT_TRUE(Status::Ok().ok());
  EXPECT_EQ(Status::Ok().ToString(), "OK");
}

TEST(StatusTest, ErrorStatusPrintsCodeAndMessage) {
  Status st = Status::NotFound("get raw/x.csv: no such object");
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(st.IsNotFound());
  EXPECT_EQ(st.ToString(), "NotFound: get raw/x.csv: no such object");
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsCode) {
  Status st = Status::Unavailable("connection reset").WithContext("put a/b");
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_EQ(st.message(), "put a/b: connection reset");
  EXPECT_TRUE(st.IsRetryable());
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, OnlyUnavailableIsRetryable) {
  EXPECT_FALSE(Status::IOError("disk").IsRetryable());
  EXPECT_FALSE(Status::PreconditionFailed("etag").IsRetryable());
}

TEST(ResultTest, AssignOrReturnPropagatesFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "half of 3: odd");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(ResultTest, ReturnIfErrorPropagates) {
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(5).code(), StatusCode::kInvalidArgument);
}

TEST(ResultTest, ValueOrGivesFallbackOnError) {
  EXPECT_EQ(Half(3).value_or(-1), -1);
  EXPECT_EQ(Half(4).value_or(-1), 2);
}

}  // namespace
}  // namespace ch
