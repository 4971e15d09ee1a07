#include "core/os_error.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace ch {
namespace {

TEST(OsErrorTest, MissingFileIsNotFound) {
  Status st = StatusFromErrno(ENOENT, "open /x");
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message().rfind("open /x: ", 0), 0u);
}

TEST(OsErrorTest, PermissionErrorsArePermissionDenied) {
  EXPECT_EQ(StatusFromErrno(EACCES, "x").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusFromErrno(EPERM, "x").code(), StatusCode::kPermissionDenied);
}

TEST(OsErrorTest, TransientErrorsAreRetryable) {
  EXPECT_TRUE(StatusFromErrno(EINTR, "x").IsRetryable());
  EXPECT_TRUE(StatusFromErrno(EAGAIN, "x").IsRetryable());
}

TEST(OsErrorTest, DiskFullIsPermanentIoError) {
  EXPECT_EQ(StatusFromErrno(ENOSPC, "x").code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace ch
