// DataService: processed data by location through the manifest's byte
// ranges, output documents by date, and storage statistics.
#include "services/data/data_service.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "codecs/csv_reader.h"
#include "codecs/json_codec.h"
#include "codecs/object_io.h"
#include "services/data/processed_layout.h"
#include "table/date.h"

namespace ch::services {
namespace {

// The manifest's entry for one output ("climate", "features", ...).
Result<const Json*> ManifestOutput(const Json& manifest, std::string_view name) {
  const auto outputs = manifest.find("outputs");
  if (outputs == manifest.end() || !outputs->is_object()) {
    return Status::Corruption(std::string(kProcessedManifestKey) + ": no \"outputs\" object");
  }
  const auto entry = outputs->find(std::string(name));
  if (entry == outputs->end() || !entry->is_object() || !entry->contains("key")) {
    return Status::Corruption(std::string(kProcessedManifestKey) + ": no output \"" +
                              std::string(name) + "\"");
  }
  return &*entry;
}

// Rows of `table` whose date column lies in `range` (all when unbounded).
Result<Table> FilterDates(Table table, const DateRange& range) {
  if (!range.start && !range.end) return table;
  ASSIGN_OR_RETURN(const Column* dates, table.GetColumn("date"));
  const int32_t lo = range.start.value_or(INT32_MIN);
  const int32_t hi = range.end.value_or(INT32_MAX);
  return table.FilterRows(
      [&](int64_t r) { return dates->IsValid(r) && dates->Date(r) >= lo && dates->Date(r) <= hi; });
}

// The manifest entry's {location: [offset, length]} object.
Result<const Json*> LocationRanges(const Json& entry, const std::string& key) {
  const auto ranges = entry.find("ranges");
  if (ranges == entry.end() || !ranges->is_object()) {
    return Status::Corruption(std::string(kProcessedManifestKey) + ": no \"ranges\" for " + key);
  }
  return &*ranges;
}

Result<std::pair<uint64_t, uint64_t>> LocationRange(const Json& entry, const std::string& location,
                                                    const std::string& key) {
  ASSIGN_OR_RETURN(const Json* ranges, LocationRanges(entry, key));
  const auto range = ranges->find(location);
  if (range == ranges->end()) {
    return Status::NotFound("location '" + location + "' has no rows in " + key);
  }
  if (!range->is_array() || range->size() != 2) {
    return Status::Corruption(std::string(kProcessedManifestKey) + ": bad range of '" + location +
                              "' in " + key);
  }
  return std::make_pair((*range)[0].get<uint64_t>(), (*range)[1].get<uint64_t>());
}

class StringSink : public ByteSink {
 public:
  Status Write(std::string_view bytes) override {
    text.append(bytes);
    return Status::Ok();
  }
  std::string text;
};

int64_t ToUnix(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Locations whose rows are read at once by LoadFeaturesOn (latency-bound on S3).
constexpr size_t kParallelReads = 8;
// The first read of a location's tail: the last few feature rows.
constexpr uint64_t kFirstTailBytes = 4 << 10;

// The rows dated `date` in one location's byte range [offset, offset + length)
// of a CSV whose rows are sorted by date within a location: reads backwards
// from the range's end, widening until the first row read is on or before
// `date` (or the whole range is read).
Result<Table> RowsOnDate(ObjectStore& store, const ObjectRef& ref, const GetOptions& pinned,
                         const std::string& header, std::pair<uint64_t, uint64_t> range,
                         int32_t date, const CsvReadOptions& options) {
  const auto [offset, length] = range;
  uint64_t window = std::min(length, kFirstTailBytes);
  while (true) {
    GetOptions get = pinned;
    get.range = ByteRange{offset + length - window, offset + length - 1, std::nullopt};
    std::string text = header;
    if (length > 0) {
      ASSIGN_OR_RETURN(std::string bytes, store.Get(ref, get));
      size_t start = 0;
      if (window < length) {  // the window starts inside a row: skip to the next one
        size_t newline = bytes.find('\n');
        start = newline == std::string::npos ? bytes.size() : newline + 1;
      }
      text.append(bytes, start);
    }
    ASSIGN_OR_RETURN(Table table, ParseCsv(text, options));
    ASSIGN_OR_RETURN(const Column* dates, table.GetColumn("date"));
    const int64_t n = table.num_rows();
    const bool reached = window == length || (n > 0 && dates->IsValid(0) && dates->Date(0) <= date);
    if (reached) {
      return table.FilterRows(
          [&](int64_t r) { return dates->IsValid(r) && dates->Date(r) == date; });
    }
    // Wide enough for the days still missing at the rows' mean width, and at
    // least twice as wide, so a long way back takes few reads.
    const uint64_t row_bytes = n > 0 ? (text.size() - header.size()) / n : window;
    const uint64_t days = n > 0 && dates->IsValid(0) ? dates->Date(0) - date : 1;
    window = std::min(length, std::max(2 * window, window + (days + 2) * row_bytes * 5 / 4));
  }
}

}  // namespace

DataService::DataService(ObjectStore& store, BucketNames buckets)
    : store_(store), buckets_(std::move(buckets)) {}

Result<Json> DataService::LoadManifest(std::string* etag) {
  const ObjectRef ref{buckets_.processed, std::string(kProcessedManifestKey), ""};
  StringSink sink;
  Result<ObjectInfo> info = store_.GetStream(ref, sink);
  if (!info.ok()) {
    if (info.status().IsNotFound()) {
      return Status::NotFound("no batch run yet: " + ref.ToString() +
                              " does not exist (run `climahealth batch`)");
    }
    return info.status();
  }
  if (etag != nullptr) *etag = info->etag;
  ASSIGN_OR_RETURN(Json doc, ParseJson(sink.text, ref.ToString()));
  if (!doc.is_object() || !doc.contains("outputs")) {
    return Status::Corruption(ref.ToString() + ": not a batch manifest");
  }
  return doc;
}

// One location: the header bytes and that location's rows, each with one
// ranged GET that must match the ETag the manifest recorded, so a reader
// never mixes bytes of two runs.
Result<Table> DataService::LoadOutputTable(std::string_view name, const Schema& schema,
                                           const RowFilter& filter) {
  ASSIGN_OR_RETURN(Json manifest, LoadManifest());
  ASSIGN_OR_RETURN(const Json* entry, ManifestOutput(manifest, name));
  const std::string key = (*entry)["key"].get<std::string>();
  const ObjectRef ref{buckets_.processed, key, ""};
  CsvReadOptions options;
  options.schema = schema;
  options.source_name = key;
  options.num_threads = 1;
  if (filter.location_code.empty()) {
    ASSIGN_OR_RETURN(Table table, LoadCsv(store_, ref, options));
    return FilterDates(std::move(table), filter.dates);
  }
  ASSIGN_OR_RETURN(auto range, LocationRange(*entry, filter.location_code, key));
  const uint64_t header_bytes = entry->value("header_bytes", uint64_t{0});
  GetOptions get;
  if (entry->contains("etag")) get.if_match = (*entry)["etag"].get<std::string>();
  get.range = ByteRange{0, header_bytes - 1, std::nullopt};
  ASSIGN_OR_RETURN(std::string text, store_.Get(ref, get));
  if (range.second > 0) {
    get.range = ByteRange{range.first, range.first + range.second - 1, std::nullopt};
    ASSIGN_OR_RETURN(std::string rows, store_.Get(ref, get));
    text += rows;
  }
  options.source_name = key + " (rows of " + filter.location_code + ")";
  ASSIGN_OR_RETURN(Table table, ParseCsv(text, options));
  return FilterDates(std::move(table), filter.dates);
}

Result<std::vector<std::string>> DataService::FeatureLocations(const Json& manifest) {
  ASSIGN_OR_RETURN(const Json* entry, ManifestOutput(manifest, "features"));
  ASSIGN_OR_RETURN(const Json* ranges, LocationRanges(*entry, (*entry)["key"].get<std::string>()));
  std::vector<std::string> locations;
  for (const auto& [code, range] : ranges->items()) locations.push_back(code);
  std::sort(locations.begin(), locations.end());
  return locations;
}

Result<Table> DataService::LoadFeaturesOn(const Json& manifest, int32_t date,
                                          const std::vector<std::string>& locations) {
  ASSIGN_OR_RETURN(const Json* entry, ManifestOutput(manifest, "features"));
  const std::string key = (*entry)["key"].get<std::string>();
  const ObjectRef ref{buckets_.processed, key, ""};
  const uint64_t header_bytes = entry->value("header_bytes", uint64_t{0});
  if (header_bytes == 0) {
    return Status::Corruption(std::string(kProcessedManifestKey) + ": no \"header_bytes\" for " +
                              key);
  }
  GetOptions pinned;  // every read from the run the manifest names, or none
  if (entry->contains("etag")) pinned.if_match = (*entry)["etag"].get<std::string>();
  GetOptions get = pinned;
  get.range = ByteRange{0, header_bytes - 1, std::nullopt};
  ASSIGN_OR_RETURN(const std::string header, store_.Get(ref, get));
  CsvReadOptions options;
  options.schema = FeatureSchema();
  options.num_threads = 1;

  std::vector<Table> parts(locations.size());
  std::vector<Status> errors(locations.size());
  std::atomic<size_t> next{0};
  auto read_some = [&] {
    for (size_t i = next++; i < locations.size(); i = next++) {
      Result<std::pair<uint64_t, uint64_t>> range = LocationRange(*entry, locations[i], key);
      CsvReadOptions own = options;
      own.source_name = key + " (last rows of " + locations[i] + ")";
      Result<Table> rows = range.ok() ? RowsOnDate(store_, ref, pinned, header, *range, date, own)
                                      : Result<Table>(range.status());
      if (rows.ok()) {
        parts[i] = std::move(*rows);
      } else {
        errors[i] = rows.status();
      }
    }
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < std::min(kParallelReads, locations.size()); ++t) {
    helpers.emplace_back(read_some);
  }
  read_some();
  for (std::thread& t : helpers) t.join();
  for (const Status& error : errors) RETURN_IF_ERROR(error);
  if (parts.empty()) {
    options.source_name = key;
    return ParseCsv(header, options);
  }
  return Table::Concatenate(std::move(parts));
}

Result<Table> DataService::LoadData(Dataset dataset, const RowFilter& filter) {
  return LoadOutputTable(DatasetName(dataset), CleanedSchema(dataset), filter);
}

Result<Table> DataService::LoadFeatures(const RowFilter& filter) {
  return LoadOutputTable("features", FeatureSchema(), filter);
}

Result<Table> DataService::LoadLocations() {
  ASSIGN_OR_RETURN(Json manifest, LoadManifest());
  ASSIGN_OR_RETURN(const Json* entry, ManifestOutput(manifest, "locations"));
  CsvReadOptions options;
  options.schema = ProcessedLocationsSchema();
  options.num_threads = 1;
  return LoadCsv(store_, {buckets_.processed, (*entry)["key"].get<std::string>(), ""}, options);
}

Result<ObjectInfo> DataService::SaveOutput(OutputKind kind, int32_t date, const Json& document) {
  return SaveJson(store_, {buckets_.processed, OutputKey(kind, date), ""}, document);
}

Result<Json> DataService::LoadOutput(OutputKind kind, std::optional<int32_t> date,
                                     ObjectInfo* info) {
  if (!date) {
    ASSIGN_OR_RETURN(std::vector<int32_t> dates, ListOutputDates(kind));
    if (dates.empty()) {
      return Status::NotFound("no " + std::string(OutputKindName(kind)) + " documents in bucket " +
                              buckets_.processed);
    }
    date = dates.back();
  }
  const ObjectRef ref{buckets_.processed, OutputKey(kind, *date), ""};
  ASSIGN_OR_RETURN(std::string bytes, store_.Get(ref));
  if (info != nullptr) {
    ASSIGN_OR_RETURN(*info, store_.Head(ref));
  }
  return ParseJson(bytes, ref.ToString());
}

Result<std::vector<int32_t>> DataService::ListOutputDates(OutputKind kind) {
  const std::string prefix = std::string(OutputKindName(kind)) + "/";
  const std::string suffix = "/" + std::string(OutputDocumentName(kind)) + ".json";
  std::vector<int32_t> dates;
  Status status = ForEachObject(store_, buckets_.processed, prefix, [&](const ObjectInfo& o) {
    const std::string_view key = o.key;
    if (key.size() != prefix.size() + 10 + suffix.size() || !key.ends_with(suffix)) {
      return Status::Ok();
    }
    int32_t days = 0;
    if (ParseIsoDate(key.substr(prefix.size(), 10), &days)) dates.push_back(days);
    return Status::Ok();
  });
  if (!status.ok() && !status.IsNotFound()) return status;
  std::sort(dates.begin(), dates.end());
  return dates;
}

Result<StorageStats> DataService::GetStorageStats() {
  StorageStats stats;
  const std::pair<const char*, const std::string*> buckets[] = {
      {"raw", &buckets_.raw}, {"processed", &buckets_.processed}, {"models", &buckets_.models}};
  for (const auto& [logical, name] : buckets) {
    BucketStats b;
    b.logical = logical;
    b.name = *name;
    TimePoint newest{};
    Status status = ForEachObject(store_, *name, "", [&](const ObjectInfo& o) {
      ++b.objects;
      b.bytes += o.size;
      if (b.newest_key.empty() || o.last_modified > newest) {
        newest = o.last_modified;
        b.newest_key = o.key;
      }
      return Status::Ok();
    });
    if (!status.ok() && !status.IsNotFound()) return status;
    if (!b.newest_key.empty()) b.newest_modified_unix = ToUnix(newest);
    stats.buckets.push_back(std::move(b));
  }
  ASSIGN_OR_RETURN(std::vector<int32_t> dates, ListOutputDates(OutputKind::kPredictions));
  if (!dates.empty()) stats.newest_prediction_date = dates.back();
  return stats;
}

}  // namespace ch::services
