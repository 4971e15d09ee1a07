// PartBuffers: a few large, page-aligned byte buffers reused across the parts
// of one transfer.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace ch {

// One buffer of fixed capacity. Page-aligned, so a file writer can hand it to
// the disk with direct I/O without copying it first.
class PartBuffer {
 public:
  explicit PartBuffer(size_t capacity);
  ~PartBuffer();
  PartBuffer(const PartBuffer&) = delete;
  PartBuffer& operator=(const PartBuffer&) = delete;

  // False (and nothing appended) when `bytes` would pass the capacity.
  bool Append(std::string_view bytes);
  void Clear() { size_ = 0; }
  // Room past the bytes held (capacity() - size() bytes), for a reader to fill;
  // Added(n) then keeps n of it.
  char* spare() { return data_ + size_; }
  void Added(size_t n) { size_ += n; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return {data_, size_}; }

 private:
  char* data_;
  size_t size_ = 0;
  size_t capacity_;
};

// Hands out buffers of at least `capacity` bytes and takes them back, so a
// transfer of many parts touches (and the kernel zeroes) each page once
// rather than once per part. Thread-safe.
class PartBuffers {
 public:
  explicit PartBuffers(size_t capacity) : capacity_(capacity) {}
  std::unique_ptr<PartBuffer> Take();
  void Give(std::unique_ptr<PartBuffer> buffer);

 private:
  size_t capacity_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PartBuffer>> free_;
};

}  // namespace ch
