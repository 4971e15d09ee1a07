// MeteredStore: an ObjectStore decorator that counts every storage operation,
// its errors (by status code) and its latency in a MetricsRegistry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "obs/metrics.h"
#include "storage/forwarding_store.h"

namespace ch::obs {

// Series written (label `operation` is get, put, head, list, ...; `code` is a
// StatusCode name such as NotFound or Unavailable):
//   ch_storage_operations_total{operation}          every call
//   ch_storage_errors_total{operation,code}         calls that returned an error
//   ch_storage_operation_duration_seconds{operation} latency histogram
//   ch_storage_bytes_read_total / ch_storage_bytes_written_total
//
// Borrows `target` and `registry`; both must outlive this store. Thread-safe
// as far as the target is.
class MeteredStore : public ForwardingStore {
 public:
  MeteredStore(ObjectStore& target, MetricsRegistry& registry);

  Status CreateBucket(std::string_view bucket) override;
  Result<bool> BucketExists(std::string_view bucket) override;
  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                         const PutOptions& options = {}) override;
  Result<ObjectInfo> PutStream(const ObjectRef& ref, ByteSource& source,
                               const PutOptions& options = {}) override;
  Result<ObjectInfo> PutFile(const ObjectRef& ref, const std::filesystem::path& path,
                             const PutOptions& options = {}) override;
  Result<std::string> Get(const ObjectRef& ref, const GetOptions& options = {}) override;
  Result<ObjectInfo> GetStream(const ObjectRef& ref, ByteSink& sink,
                               const GetOptions& options = {}) override;
  Result<ObjectInfo> GetFile(const ObjectRef& ref, const std::filesystem::path& path,
                             const GetOptions& options = {}) override;
  Result<ObjectInfo> Head(const ObjectRef& ref) override;
  Result<bool> Exists(const ObjectRef& ref) override;
  Result<ListPage> List(std::string_view bucket, const ListOptions& options) override;
  Status Delete(const ObjectRef& ref) override;
  Result<std::vector<KeyError>> DeleteMany(std::string_view bucket,
                                           const std::vector<std::string>& keys) override;
  Result<ObjectInfo> Copy(const ObjectRef& from, const ObjectRef& to,
                          const PutOptions& options = {}) override;
  Result<Usage> Size(std::string_view bucket, std::string_view prefix = {}) override;
  Result<bool> GetVersioning(std::string_view bucket) override;
  Status SetVersioning(std::string_view bucket, bool enabled) override;
  Result<VersionPage> ListVersions(std::string_view bucket, const ListOptions& options) override;

 private:
  class Timer;
  MetricsRegistry& registry_;
  Counter& bytes_read_;
  Counter& bytes_written_;
};

}  // namespace ch::obs
