// Large-buffer allocation with transparent huge pages (Linux madvise).
#include "table/buffer_allocator.h"

#include <sys/mman.h>

#include <cstdlib>

namespace ch {
namespace {
constexpr size_t kHugePage = 2 << 20;
}  // namespace

void* AllocateBuffer(size_t bytes) {
  if (bytes < kLargeBufferBytes) return ::operator new(bytes);
  size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
  // Advice only: without THP support the buffer simply uses normal pages.
  ::madvise(p, rounded, MADV_HUGEPAGE);
  return p;
}

void FreeBuffer(void* p, size_t bytes) {
  if (bytes < kLargeBufferBytes) {
    ::operator delete(p);
    return;
  }
  std::free(p);
}

}  // namespace ch
