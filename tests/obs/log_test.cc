// The structured logger: JSON and human lines, levels, request ids, timing,
// and lines from many threads never interleaving.
#include "obs/log.h"

#include <gtest/gtest.h>

#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace ch::obs {
namespace {

// Captures lines logged while it lives; restores the default logger after.
class CapturedLog {
 public:
  explicit CapturedLog(LogFormat format, LogLevel min_level = LogLevel::kInfo,
                       std::string command = "batch") {
    LoggerOptions options;
    options.format = format;
    options.min_level = min_level;
    options.command = std::move(command);
    options.sink = [this](std::string_view line) {
      std::lock_guard lock(mu_);
      lines_.emplace_back(line);
    };
    ConfigureLogging(std::move(options));
  }
  ~CapturedLog() { ConfigureLogging({}); }

  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

TEST(LogTest, JsonLineCarriesLevelTimeCommandRequestIdMessageAndFields) {
  CapturedLog log(LogFormat::kJson);
  {
    RequestScope scope("0123456789abcdef");
    LogInfo("put object", {{"bucket", "climahealth-raw"},
                           {"key", "raw/climate_data.csv"},
                           {"bytes", uint64_t{1234}},
                           {"duration_ms", 12.5},
                           {"retried", false}});
  }
  ASSERT_EQ(log.lines().size(), 1u);
  const nlohmann::json line = nlohmann::json::parse(log.lines()[0]);
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["command"], "batch");
  EXPECT_EQ(line["request_id"], "0123456789abcdef");
  EXPECT_EQ(line["msg"], "put object");
  EXPECT_EQ(line["key"], "raw/climate_data.csv");
  EXPECT_EQ(line["bytes"], 1234);
  EXPECT_DOUBLE_EQ(line["duration_ms"].get<double>(), 12.5);
  EXPECT_EQ(line["retried"], false);
  const std::string time = line["time"];
  ASSERT_EQ(time.size(), 24u) << time;  // 2026-11-25T09:30:00.123Z
  EXPECT_EQ(time[10], 'T');
  EXPECT_EQ(time.back(), 'Z');
  // The fixed keys come first, in a stable order.
  EXPECT_EQ(log.lines()[0].rfind("{\"time\":", 0), 0u) << log.lines()[0];
}

TEST(LogTest, HumanLineIsReadableAndQuotesOnlyAmbiguousValues) {
  const std::string line = FormatLogLine(
      LogFormat::kHuman, std::chrono::system_clock::time_point(std::chrono::milliseconds(1500)),
      LogLevel::kWarn, "store cp", "", "retrying",
      {{"key", "raw/a b.csv"}, {"attempt", 2}, {"status", "Unavailable"}});
  EXPECT_EQ(line,
            "1970-01-01T00:00:01.500Z WARN store cp: retrying key=\"raw/a b.csv\" attempt=2 "
            "status=Unavailable");
}

TEST(LogTest, EventsBelowTheMinimumLevelAreDropped) {
  CapturedLog log(LogFormat::kHuman, LogLevel::kWarn);
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  LogInfo("not shown");
  LogDebug("not shown either");
  LogError("shown");
  ASSERT_EQ(log.lines().size(), 1u);
  EXPECT_NE(log.lines()[0].find("ERROR batch: shown"), std::string::npos) << log.lines()[0];
}

TEST(LogTest, JsonEscapesControlCharactersQuotesAndInvalidUtf8) {
  CapturedLog log(LogFormat::kJson);
  LogInfo("odd \"message\"\n", {{"key", std::string("a\x01\xff", 3)}});
  ASSERT_EQ(log.lines().size(), 1u);
  EXPECT_EQ(log.lines()[0].find('\n'), std::string::npos);
  const nlohmann::json line = nlohmann::json::parse(log.lines()[0]);
  EXPECT_EQ(line["msg"], "odd \"message\"\n");
  EXPECT_EQ(line["key"].get<std::string>().substr(0, 2), "a\x01");
}

TEST(LogTest, FieldThatReusesAFixedKeyIsRenamedNotLost) {
  CapturedLog log(LogFormat::kJson);
  LogInfo("m", {{"level", "custom"}, {"nan", std::nan("")}});
  const nlohmann::json line = nlohmann::json::parse(log.lines().at(0));
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["field.level"], "custom");
  EXPECT_TRUE(line["nan"].is_null());
}

TEST(LogTest, RequestScopeNestsAndRestoresThePreviousId) {
  EXPECT_EQ(CurrentRequestId(), "");
  {
    RequestScope outer("outer");
    {
      RequestScope inner("inner");
      EXPECT_EQ(CurrentRequestId(), "inner");
    }
    EXPECT_EQ(CurrentRequestId(), "outer");
  }
  EXPECT_EQ(CurrentRequestId(), "");
  const std::string id = NewRequestId();
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(id, NewRequestId());
}

TEST(LogTest, TimedEventLogsDurationOnceAndWarnsOnError) {
  CapturedLog log(LogFormat::kJson);
  {
    TimedEvent event("get object", {{"key", "models/risk_dengue/current.json"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    event.Add({"bytes", 42});
    const double seconds = event.Finish(Status::NotFound("no such key")).count();
    EXPECT_GE(seconds, 0.02);
    event.Finish();  // a second Finish does nothing
  }
  { TimedEvent quiet("list", {}); }  // destruction logs it as ok
  const std::vector<std::string> lines = log.lines();
  ASSERT_EQ(lines.size(), 2u);
  const nlohmann::json failed = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(failed["level"], "warn");
  EXPECT_EQ(failed["bytes"], 42);
  EXPECT_GE(failed["duration_ms"].get<double>(), 20.0);
  EXPECT_EQ(failed["error"], "NotFound: no such key");
  const nlohmann::json ok = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(ok["level"], "info");
  EXPECT_FALSE(ok.contains("error"));
}

TEST(LogTest, LinesFromManyThreadsAreWholeAndCarryTheirOwnRequestIds) {
  CapturedLog log(LogFormat::kJson);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t] {
      RequestScope scope("req-" + std::to_string(t));
      for (int i = 0; i < 200; ++i) LogInfo("tick", {{"i", i}, {"t", t}});
    });
  }
  for (std::thread& t : threads) t.join();
  const std::vector<std::string> lines = log.lines();
  ASSERT_EQ(lines.size(), 1600u);
  for (const std::string& text : lines) {
    const nlohmann::json line = nlohmann::json::parse(text);
    EXPECT_EQ(line["request_id"], "req-" + std::to_string(line["t"].get<int>()));
  }
}

TEST(LogTest, ParsesFormatAndLevelNamesAndRejectsOthers) {
  EXPECT_EQ(ParseLogFormat("json").value(), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("human").value(), LogFormat::kHuman);
  Result<LogFormat> bad = ParseLogFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'xml'"), std::string::npos);
  EXPECT_EQ(ParseLogLevel("warn").value(), LogLevel::kWarn);
  EXPECT_FALSE(ParseLogLevel("verbose").ok());
}

}  // namespace
}  // namespace ch::obs
