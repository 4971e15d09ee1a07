// PartBuffer and PartBuffers.
#include "storage/part_buffers.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "storage/posix_file.h"

namespace ch {
namespace {

constexpr size_t kPage = 4096;
constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

PartBuffer::PartBuffer(size_t capacity) : capacity_(capacity) {
  // Huge-page aligned when large (fewer faults); aligned_alloc wants a multiple of the alignment.
  size_t align = capacity >= kHugePage ? kHugePage : kPage;
  size_t bytes = (std::max<size_t>(capacity, 1) + align - 1) / align * align;
  data_ = static_cast<char*>(std::aligned_alloc(align, bytes));
  if (data_ == nullptr) throw std::bad_alloc();  // as any allocation of a std container would
  if (align == kHugePage) posix::AdviseHugePages(data_, bytes);
}

PartBuffer::~PartBuffer() { std::free(data_); }

bool PartBuffer::Append(std::string_view bytes) {
  if (bytes.size() > capacity_ - size_) return false;
  if (!bytes.empty()) std::memcpy(data_ + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
  return true;
}

std::unique_ptr<PartBuffer> PartBuffers::Take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      std::unique_ptr<PartBuffer> buffer = std::move(free_.back());
      free_.pop_back();
      buffer->Clear();
      return buffer;
    }
  }
  return std::make_unique<PartBuffer>(capacity_);
}

void PartBuffers::Give(std::unique_ptr<PartBuffer> buffer) {
  if (buffer == nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(std::move(buffer));
}

}  // namespace ch
