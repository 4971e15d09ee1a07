// Tests of JSON parsing and printing through the Status-returning adapter.
#include "codecs/json_codec.h"

#include <gtest/gtest.h>

namespace ch {
namespace {

TEST(JsonCodecTest, RoundTripsADocument) {
  Json doc = {{"model_version", "risk-2024-11-11"},
              {"locations",
               {{{"code", "KA"}, {"risk", 0.25}, {"level", "low"}},
                {{"code", "MH"}, {"risk", 0.875}, {"level", "high"}}}},
              {"name", "Bengaluru ಬೆಂಗಳೂರು"},
              {"empty", nullptr}};
  for (int indent : {-1, 0, 2}) {
    Result<std::string> text = FormatJson(doc, indent);
    ASSERT_TRUE(text.ok());
    Result<Json> back = ParseJson(*text, "x.json");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, doc);
  }
  EXPECT_EQ(FormatJson(Json{{"b", 1}, {"a", 2}}, -1).value(), "{\"a\":2,\"b\":1}");
}

struct BadJson {
  const char* text;
  const char* where;
};

TEST(JsonCodecTest, ParseErrorsNameSourceLineAndColumn) {
  const BadJson cases[] = {
      {"{\n  \"a\": 1,\n  \"b\": tru\n}", "line 3, column 10"},
      {"{\"a\": 1", "line 1, column 8"},
      {"[1, 2,]", "line 1, column 7"},
      {"{\"a\": 1} x", "line 1, column 10"},
      {"", "line 1, column 1"},
  };
  for (const BadJson& c : cases) {
    Result<Json> r = ParseJson(c.text, "predictions/2024-11-11/risk.json");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    std::string expected =
        std::string("parse json predictions/2024-11-11/risk.json: ") + c.where + ": ";
    EXPECT_EQ(r.status().message().substr(0, expected.size()), expected) << r.status().message();
  }
  Result<Json> r = ParseJson("[1,\n 2,\n x]");
  EXPECT_EQ(r.status().message().substr(0, 29), "parse json: line 3, column 2:");
}

TEST(JsonCodecTest, InvalidUtf8CannotBePrinted) {
  Json doc = {{"name", std::string("bad \xC3\x28")}};
  Result<std::string> text = FormatJson(doc);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ch
