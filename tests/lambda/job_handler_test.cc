// Tests of the Lambda job handler: event parsing, malformed events and handler
// errors reported through the Runtime API loop.
#include "lambda/job_handler.h"

#include <gtest/gtest.h>

#include "codecs/json.h"
#include "lambda/fake_runtime_api.h"
#include "storage/memory_store.h"
#include "table/date.h"

namespace ch::lambda {
namespace {

TEST(JobEventTest, ParsesJobsDateShardAndDiseases) {
  auto e = ParseJobEvent(
      R"({"job": ["predict", "alerts"], "date": "2024-03-01", "shard": "1/4", "diseases": ["dengue"]})");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->jobs, (std::vector<std::string>{"predict", "alerts"}));
  EXPECT_EQ(*e->options.date, DaysFromCivil(2024, 3, 1));
  EXPECT_EQ(e->options.shard.index, 1);
  EXPECT_EQ(e->options.shard.count, 4);
  EXPECT_EQ(e->options.diseases, std::vector<std::string>{"dengue"});
}

TEST(JobEventTest, ParsesMerge) {
  auto e = ParseJobEvent(R"({"job": "merge", "kind": "forecasts", "shards": 3})");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->merge_kind, "forecasts");
  EXPECT_EQ(e->merge_shards, 3);
}

TEST(JobEventTest, MalformedEventsNameTheKey) {
  struct Case {
    const char* payload;
    const char* mentions;
  };
  for (const Case& c :
       {Case{"not json", "event"}, Case{"[1]", "JSON object"},
        Case{R"({"date": "2024-01-01"})", "event.job"}, Case{R"({"job": "train"})", "'train'"},
        Case{R"({"job": "predict", "date": "2024-02-30"})", "event.date"},
        Case{R"({"job": "predict", "shard": "4/4"})", "event.shard"},
        Case{R"({"job": "merge", "kind": "alerts"})", "event.shards"}}) {
    auto e = ParseJobEvent(c.payload);
    ASSERT_FALSE(e.ok()) << c.payload;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument) << c.payload;
    EXPECT_NE(e.status().message().find(c.mentions), std::string::npos)
        << c.payload << " -> " << e.status().message();
  }
}

TEST(JobHandlerTest, MalformedEventAndMissingDataAreReportedAsInvocationErrors) {
  MemoryStore store;
  BucketNames buckets{"raw", "processed", "models"};
  jobs::ModelCache cache;
  JobHandler handler(store, buckets, cache);
  ch::testing::FakeRuntimeApi api({"{oops", R"({"job": "predict"})"});
  RuntimeOptions options;
  options.api = api.address();
  options.max_invocations = 2;
  auto client = RuntimeClient::Make(options);
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(RunLoop(**client, handler.AsHandler()).ok());
  auto posts = api.posts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].path, "/2018-06-01/runtime/invocation/req-1/error");
  EXPECT_EQ(Json::parse(posts[0].body)["errorType"], "climahealth.InvalidArgument");
  EXPECT_EQ(posts[1].path, "/2018-06-01/runtime/invocation/req-2/error");
  Json error = Json::parse(posts[1].body);
  EXPECT_EQ(error["errorType"], "climahealth.NotFound");
  EXPECT_NE(error["errorMessage"].get<std::string>().find("manifest"), std::string::npos)
      << error.dump();
}

}  // namespace
}  // namespace ch::lambda
