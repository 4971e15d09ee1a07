// Tests of the Lambda Runtime API loop against a loopback server playing the API.
#include "lambda/runtime.h"

#include <gtest/gtest.h>

#include "codecs/json.h"
#include "lambda/fake_runtime_api.h"

namespace ch::lambda {
namespace {

using ch::testing::FakeRuntimeApi;

std::unique_ptr<RuntimeClient> MakeClient(const FakeRuntimeApi& api, int64_t max) {
  RuntimeOptions options;
  options.api = api.address();
  options.max_invocations = max;
  auto client = RuntimeClient::Make(options);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return std::move(*client);
}

TEST(RuntimeTest, LoopPostsResponsesAndHandlerErrorsPerInvocation) {
  FakeRuntimeApi api({R"({"n": 1})", R"({"fail": true})", R"({"n": 3})"});
  auto client = MakeClient(api, 3);
  std::vector<Invocation> seen;
  Handler handler = [&](const Invocation& inv) -> Result<std::string> {
    seen.push_back(inv);
    Json event = Json::parse(inv.payload);
    if (event.contains("fail")) return Status::NotFound("no data for the event");
    return Json{{"echo", event["n"]}}.dump();
  };
  ASSERT_TRUE(RunLoop(*client, handler).ok());

  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].request_id, "req-1");
  EXPECT_EQ(seen[0].deadline_ms, 1900000000000);
  EXPECT_EQ(seen[0].function_arn, "arn:aws:lambda:us-east-1:0:function:ch");
  EXPECT_EQ(seen[0].trace_id, "Root=1-abc");
  auto posts = api.posts();
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].path, "/2018-06-01/runtime/invocation/req-1/response");
  EXPECT_EQ(Json::parse(posts[0].body)["echo"], 1);
  EXPECT_EQ(posts[0].error_type_header, "");
  EXPECT_EQ(posts[1].path, "/2018-06-01/runtime/invocation/req-2/error");
  EXPECT_EQ(posts[1].error_type_header, "Unhandled");
  Json error = Json::parse(posts[1].body);
  EXPECT_EQ(error["errorType"], "climahealth.NotFound");
  EXPECT_NE(error["errorMessage"].get<std::string>().find("no data"), std::string::npos);
  EXPECT_TRUE(error["stackTrace"].is_array());
  EXPECT_EQ(posts[2].path, "/2018-06-01/runtime/invocation/req-3/response");
  // One kept-alive connection serves the whole loop.
  EXPECT_EQ(api.connections(), 1);
}

TEST(RuntimeTest, LoopStopsWhenTheRuntimeApiFails) {
  FakeRuntimeApi api({R"({})"});
  auto client = MakeClient(api, 0);
  int calls = 0;
  Status s = RunLoop(*client, [&](const Invocation&) -> Result<std::string> {
    ++calls;
    return std::string("{}");
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("next invocation"), std::string::npos);
}

TEST(RuntimeTest, InitErrorIsPostedToItsOwnPath) {
  FakeRuntimeApi api({});
  auto client = MakeClient(api, 1);
  ASSERT_TRUE(client->ReportInitError(Status::InvalidArgument("config: bad key")).ok());
  auto posts = api.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].path, "/2018-06-01/runtime/init/error");
  EXPECT_EQ(posts[0].error_type_header, "Unhandled");
  EXPECT_EQ(Json::parse(posts[0].body)["errorType"], "climahealth.InvalidArgument");
}

TEST(RuntimeTest, RefusedPostIsAnError) {
  FakeRuntimeApi api({});
  auto client = MakeClient(api, 1);
  Status s = client->Respond("nope", "{}");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("HTTP 400"), std::string::npos);
}

TEST(RuntimeTest, MissingApiAddressIsRefused) {
  auto client = RuntimeClient::Make({});
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.status().message().find("AWS_LAMBDA_RUNTIME_API"), std::string::npos);
}

TEST(RuntimeTest, ErrorDocumentIsValidJsonEvenForInvalidUtf8) {
  Json doc = Json::parse(ErrorDocument(Status::InvalidArgument("bad \xff byte")));
  EXPECT_EQ(doc["errorType"], "climahealth.InvalidArgument");
}

}  // namespace
}  // namespace ch::lambda
