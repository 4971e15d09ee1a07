// Mapping rules (defaults and parsing) and the JSON form of a report.
#include <nlohmann/json.hpp>

#include "jobs/migrate/migrate.h"

namespace ch::migrate {
namespace {

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kCopy:
      return "copy";
    case Mode::kDryRun:
      return "dry-run";
    case Mode::kVerify:
      return "verify";
  }
  return "copy";
}

nlohmann::json TallyJson(const Tally& t) { return {{"files", t.files}, {"bytes", t.bytes}}; }

// "bucket/prefix" → bucket and prefix; the bucket part must not be empty.
Result<std::pair<std::string, std::string>> SplitBucket(std::string_view side,
                                                        std::string_view text) {
  size_t slash = side.find('/');
  std::string bucket(side.substr(0, slash));
  std::string prefix(slash == std::string_view::npos ? "" : side.substr(slash + 1));
  if (bucket.empty()) {
    return Status::InvalidArgument("mapping '" + std::string(text) +
                                   "': expected BUCKET/PREFIX, got '" + std::string(side) + "'");
  }
  return std::make_pair(bucket, prefix);
}

}  // namespace

std::vector<Mapping> DefaultDirectoryMappings(const std::string& raw_bucket,
                                              const std::string& processed_bucket,
                                              const std::string& models_bucket) {
  return {Mapping{"", "data/raw/", raw_bucket, "raw/"},
          Mapping{"", "data/processed/", processed_bucket, "processed/"},
          Mapping{"", "models/", models_bucket, "models/"}};
}

Result<Mapping> ParseMapping(std::string_view text, bool store_source) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || text.find('=', eq + 1) != std::string_view::npos) {
    return Status::InvalidArgument("mapping '" + std::string(text) +
                                   "': expected FROM=BUCKET/PREFIX");
  }
  std::string_view from = text.substr(0, eq);
  Mapping m;
  if (store_source) {
    ASSIGN_OR_RETURN(auto split, SplitBucket(from, text));
    m.from_bucket = split.first;
    m.from_prefix = split.second;
  } else {
    m.from_prefix = std::string(from);
    while (m.from_prefix.starts_with("./")) m.from_prefix.erase(0, 2);
    if (m.from_prefix.starts_with('/') || m.from_prefix.find("..") != std::string::npos) {
      return Status::InvalidArgument("mapping '" + std::string(text) +
                                     "': FROM must be a relative path inside the source");
    }
    if (!m.from_prefix.empty() && !m.from_prefix.ends_with('/')) m.from_prefix += '/';
  }
  ASSIGN_OR_RETURN(auto to, SplitBucket(text.substr(eq + 1), text));
  m.to_bucket = to.first;
  m.to_prefix = to.second;
  return m;
}

std::string ReportToJson(const MigrateReport& report) {
  nlohmann::json failures = nlohmann::json::array();
  for (const Failure& f : report.failures) {
    failures.push_back(
        {{"source", f.source}, {"destination", f.destination}, {"reason", f.reason}});
  }
  nlohmann::json doc = {
      {"mode", ModeName(report.mode)},
      {"ok", report.ok()},
      {"copied", TallyJson(report.copied)},
      {"skipped", TallyJson(report.skipped)},
      {"deleted", TallyJson(report.deleted)},
      {"hashed", TallyJson(report.hashed)},
      {"failed", report.failed},
      {"failures", failures},
      {"aborted_uploads", report.aborted_uploads},
      {"interrupted", report.interrupted},
      {"cut_short", report.cut},
      {"seconds", report.seconds},
  };
  // Names come from the file system and may not be UTF-8: replace, never throw.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace ch::migrate
