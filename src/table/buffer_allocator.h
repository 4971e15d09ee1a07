// BufferAllocator: the allocator of Column buffers, backing large ones with huge pages.
#pragma once

#include <cstddef>
#include <new>
#include <utility>

namespace ch {

// Allocations of at least kLargeBufferBytes are 2 MiB aligned and advised as
// transparent huge pages: filling a 500 MB table then takes a few hundred
// page faults instead of a hundred thousand (each costly, most of all in a VM).
// Smaller ones use operator new. Stateless and thread-safe.
inline constexpr size_t kLargeBufferBytes = 4 << 20;
void* AllocateBuffer(size_t bytes);
void FreeBuffer(void* p, size_t bytes);

template <typename T>
struct BufferAllocator {
  using value_type = T;
  BufferAllocator() = default;
  template <typename U>
  BufferAllocator(const BufferAllocator<U>&) {}  // NOLINT(google-explicit-constructor)

  T* allocate(size_t n) { return static_cast<T*>(AllocateBuffer(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { FreeBuffer(p, n * sizeof(T)); }

  // resize() without a value leaves new elements default-initialised (for
  // the plain types Columns hold: unwritten), so a buffer can be grown and
  // then filled once, by several threads, without first being zeroed.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  bool operator==(const BufferAllocator<U>&) const {
    return true;
  }
};

}  // namespace ch
