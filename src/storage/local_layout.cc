// LocalStore's on-disk naming: key rules, bucket paths, version ids.
#include "storage/local_layout.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>

#include "storage/object_store.h"

namespace ch::local {
namespace {

Status BadKey(std::string_view key, std::string_view why) {
  std::string shown(key.substr(0, 200));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  return Status::InvalidArgument("invalid key '" + shown +
                                 "' for the local store: " + std::string(why));
}

uint64_t RandomU64() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng();
}

}  // namespace

Status ValidateLocalKey(std::string_view key) {
  RETURN_IF_ERROR(ValidateKey(key));
  if (key.front() == '/') return BadKey(key, "an absolute path would escape the bucket");
  if (key.back() == '/') return BadKey(key, "a trailing '/' names a folder, not an object");
  if (key.find('\\') != std::string_view::npos) return BadKey(key, "backslashes are not allowed");
  size_t start = 0;
  while (start <= key.size()) {
    size_t slash = key.find('/', start);
    if (slash == std::string_view::npos) slash = key.size();
    std::string_view segment = key.substr(start, slash - start);
    if (segment.empty()) return BadKey(key, "empty segment ('//')");
    if (segment == ".") return BadKey(key, "'.' segments are not allowed");
    if (segment == "..") return BadKey(key, "'..' segments would escape the bucket");
    if (segment.size() > 255) return BadKey(key, "a segment is longer than 255 bytes");
    if (start == 0 && segment == kReservedDir) {
      return BadKey(key, "'" + std::string(kReservedDir) + "/' is reserved for the store itself");
    }
    start = slash + 1;
  }
  return Status::Ok();
}

BucketPaths::BucketPaths(const std::string& root, std::string_view bucket)
    : dir_(root + "/" + std::string(bucket)), reserved_(dir_ + "/" + std::string(kReservedDir)) {}

std::string BucketPaths::History(std::string_view key) const {
  return HistoryRoot() + "/" + EncodeHistoryKey(key);
}

std::string BucketPaths::NewTempPath() const {
  static std::atomic<uint64_t> counter{0};
  char name[96];
  std::snprintf(name, sizeof(name), "/%ld-%llu-%08llx", static_cast<long>(::getpid()),
                static_cast<unsigned long long>(counter.fetch_add(1)),
                static_cast<unsigned long long>(RandomU64() & 0xffffffffu));
  return TmpDir() + name;
}

std::string EncodeHistoryKey(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 4);
  bool segment_start = true;
  for (char c : key) {
    if (segment_start && (c == '@' || c == '%')) out.push_back('%');
    out.push_back(c);
    segment_start = c == '/';
  }
  return out;
}

std::string DecodeHistorySegment(std::string_view segment) {
  if (!segment.empty() && segment.front() == '%') segment.remove_prefix(1);
  return std::string(segment);
}

std::string NewVersionId() {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  char id[40];
  std::snprintf(id, sizeof(id), "%016llx%08llx", static_cast<unsigned long long>(ns),
                static_cast<unsigned long long>(RandomU64() & 0xffffffffu));
  return id;
}

}  // namespace ch::local
