// libcurl opened at first use: every function the client calls is resolved,
// once per process, from a library new enough for the options it sets.
#include "net/curl_library.h"

#include <gtest/gtest.h>

namespace ch::net {
namespace {

TEST(CurlLibraryTest, LoadsOnceWithEveryFunctionResolved) {
  Result<const CurlLibrary*> first = LoadCurl();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<const CurlLibrary*> second = LoadCurl();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  const CurlLibrary& curl = **first;
#define CH_CURL_EXPECT_RESOLVED(name) EXPECT_NE(curl.name, nullptr) << "curl_" #name;
  CH_CURL_FUNCTIONS(CH_CURL_EXPECT_RESOLVED)
#undef CH_CURL_EXPECT_RESOLVED
  const curl_version_info_data* version = curl.version_info(CURLVERSION_NOW);
  ASSERT_NE(version, nullptr);
  EXPECT_GE(version->version_num, 0x073e00U) << version->version;
  EXPECT_STREQ(curl.easy_strerror(CURLE_COULDNT_CONNECT), "Couldn't connect to server");
}

}  // namespace
}  // namespace ch::net
