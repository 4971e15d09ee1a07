// MeteredStore: each call is timed and counted, then forwarded unchanged.
#include "obs/metered_store.h"

#include <chrono>

namespace ch::obs {

// Counts one call on construction and records its latency and outcome in Done.
class MeteredStore::Timer {
 public:
  Timer(MetricsRegistry& registry, const char* operation)
      : registry_(registry), operation_(operation), start_(std::chrono::steady_clock::now()) {
    registry_
        .GetCounter("ch_storage_operations_total", "Storage operations started.",
                    {{"operation", operation_}})
        .Increment();
  }

  const Status& Done(const Status& status) {
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    registry_
        .GetHistogram("ch_storage_operation_duration_seconds",
                      "Storage operation latency in seconds.", {{"operation", operation_}})
        .Observe(elapsed.count());
    if (!status.ok()) {
      registry_
          .GetCounter(
              "ch_storage_errors_total", "Storage operations that returned an error.",
              {{"operation", operation_}, {"code", std::string(StatusCodeName(status.code()))}})
          .Increment();
    }
    return status;
  }
  template <typename T>
  Result<T> Done(Result<T> result) {
    Done(result.ok() ? Status::Ok() : result.status());
    return result;
  }

 private:
  MetricsRegistry& registry_;
  std::string operation_;
  std::chrono::steady_clock::time_point start_;
};

MeteredStore::MeteredStore(ObjectStore& target, MetricsRegistry& registry)
    : ForwardingStore(target),
      registry_(registry),
      bytes_read_(registry.GetCounter("ch_storage_bytes_read_total",
                                      "Object bytes returned by Get calls.")),
      bytes_written_(registry.GetCounter("ch_storage_bytes_written_total",
                                         "Object bytes stored by Put calls.")) {}

Status MeteredStore::CreateBucket(std::string_view bucket) {
  Timer t(registry_, "create_bucket");
  return t.Done(ForwardingStore::CreateBucket(bucket));
}

Result<bool> MeteredStore::BucketExists(std::string_view bucket) {
  Timer t(registry_, "bucket_exists");
  return t.Done(ForwardingStore::BucketExists(bucket));
}

Result<ObjectInfo> MeteredStore::Put(const ObjectRef& ref, std::string_view bytes,
                                     const PutOptions& options) {
  Timer t(registry_, "put");
  auto result = t.Done(ForwardingStore::Put(ref, bytes, options));
  if (result.ok()) bytes_written_.Increment(static_cast<double>(bytes.size()));
  return result;
}

Result<ObjectInfo> MeteredStore::PutStream(const ObjectRef& ref, ByteSource& source,
                                           const PutOptions& options) {
  Timer t(registry_, "put_stream");
  auto result = t.Done(ForwardingStore::PutStream(ref, source, options));
  if (result.ok()) bytes_written_.Increment(static_cast<double>(result->size));
  return result;
}

Result<ObjectInfo> MeteredStore::PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                                         const PutOptions& options) {
  Timer t(registry_, "put_file");
  auto result = t.Done(ForwardingStore::PutFile(ref, path, options));
  if (result.ok()) bytes_written_.Increment(static_cast<double>(result->size));
  return result;
}

Result<std::string> MeteredStore::Get(const ObjectRef& ref, const GetOptions& options) {
  Timer t(registry_, "get");
  auto result = t.Done(ForwardingStore::Get(ref, options));
  if (result.ok()) bytes_read_.Increment(static_cast<double>(result->size()));
  return result;
}

namespace {

// Counts the bytes passing to the caller's sink.
class CountingSink : public ByteSink {
 public:
  explicit CountingSink(ByteSink& inner) : inner_(inner) {}
  Status Write(std::string_view bytes) override {
    bytes_ += bytes.size();
    return inner_.Write(bytes);
  }
  uint64_t bytes() const { return bytes_; }

 private:
  ByteSink& inner_;
  uint64_t bytes_ = 0;
};

}  // namespace

Result<ObjectInfo> MeteredStore::GetStream(const ObjectRef& ref, ByteSink& sink,
                                           const GetOptions& options) {
  Timer t(registry_, "get_stream");
  CountingSink counting(sink);
  auto result = t.Done(ForwardingStore::GetStream(ref, counting, options));
  bytes_read_.Increment(static_cast<double>(counting.bytes()));
  return result;
}

Result<ObjectInfo> MeteredStore::GetFile(const ObjectRef& ref, const std::filesystem::path& path,
                                         const GetOptions& options) {
  Timer t(registry_, "get_file");
  auto result = t.Done(ForwardingStore::GetFile(ref, path, options));
  if (result.ok()) bytes_read_.Increment(static_cast<double>(result->size));
  return result;
}

Result<ObjectInfo> MeteredStore::Head(const ObjectRef& ref) {
  Timer t(registry_, "head");
  return t.Done(ForwardingStore::Head(ref));
}

Result<bool> MeteredStore::Exists(const ObjectRef& ref) {
  Timer t(registry_, "exists");
  return t.Done(ForwardingStore::Exists(ref));
}

Result<ListPage> MeteredStore::List(std::string_view bucket, const ListOptions& options) {
  Timer t(registry_, "list");
  return t.Done(ForwardingStore::List(bucket, options));
}

Status MeteredStore::Delete(const ObjectRef& ref) {
  Timer t(registry_, "delete");
  return t.Done(ForwardingStore::Delete(ref));
}

Result<std::vector<KeyError>> MeteredStore::DeleteMany(std::string_view bucket,
                                                       const std::vector<std::string>& keys) {
  Timer t(registry_, "delete_many");
  return t.Done(ForwardingStore::DeleteMany(bucket, keys));
}

Result<ObjectInfo> MeteredStore::Copy(const ObjectRef& from, const ObjectRef& to,
                                      const PutOptions& options) {
  Timer t(registry_, "copy");
  return t.Done(ForwardingStore::Copy(from, to, options));
}

Result<Usage> MeteredStore::Size(std::string_view bucket, std::string_view prefix) {
  Timer t(registry_, "size");
  return t.Done(ForwardingStore::Size(bucket, prefix));
}

Result<bool> MeteredStore::GetVersioning(std::string_view bucket) {
  Timer t(registry_, "get_versioning");
  return t.Done(ForwardingStore::GetVersioning(bucket));
}

Status MeteredStore::SetVersioning(std::string_view bucket, bool enabled) {
  Timer t(registry_, "set_versioning");
  return t.Done(ForwardingStore::SetVersioning(bucket, enabled));
}

Result<VersionPage> MeteredStore::ListVersions(std::string_view bucket,
                                               const ListOptions& options) {
  Timer t(registry_, "list_versions");
  return t.Done(ForwardingStore::ListVersions(bucket, options));
}

}  // namespace ch::obs
