#pragma once
// An allocator that takes whole pages from the kernel and gives them back on
// deallocation, for large buffers that live for one job and are then freed
// (the device log's snapshot and text). Through malloc they would land in a
// worker thread's arena, whose top glibc does not give back (malloc_trim
// trims only the main arena's top, and freeing a large mmapped block raises
// the thresholds that would), so each worker kept a few MiB: ~260 B per
// device in a 19,500-login storm (docs/BENCHMARKS.md#memory-per-device).
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <new>

namespace edgehub {

template <class T>
class PageAllocator {
 public:
  using value_type = T;

  PageAllocator() = default;
  template <class U>
  PageAllocator(const PageAllocator<U>& /*other*/) noexcept {}  // NOLINT(google-explicit-constructor): rebinding

  T* allocate(std::size_t n) {
    void* pages = ::mmap(nullptr, bytes(n), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED) throw std::bad_alloc();
    return static_cast<T*>(pages);
  }
  void deallocate(T* p, std::size_t n) noexcept { ::munmap(p, bytes(n)); }

  static std::size_t bytes(std::size_t n) { return std::max<std::size_t>(n * sizeof(T), 1); }

  template <class U>
  bool operator==(const PageAllocator<U>& /*other*/) const noexcept {
    return true;
  }
};

}  // namespace edgehub
