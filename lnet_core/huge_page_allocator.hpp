// An allocator for the big tables a core walks at random per packet (unique
// ME slots, MDs, event rings). From 2 MiB on it hands out 2 MiB-aligned
// memory advised for transparent huge pages: with 4 KiB pages a table of a
// hundred thousand MEs spans thousands of pages, so each lookup adds a TLB
// miss, and in a VM a page walk costs several cache misses of its own.
// The advice is only a hint; where the kernel refuses, nothing but speed
// changes. Smaller requests are plain operator new.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace ostd::lnet {

inline constexpr size_t huge_page_bytes = size_t{2} << 20;

template <typename T>
struct HugePageAllocator {
    using value_type = T;

    HugePageAllocator() = default;
    template <typename U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

    T* allocate(size_t n)
    {
        size_t bytes = n * sizeof(T);
        if (bytes < huge_page_bytes)
            return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
        size_t rounded = (bytes + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
        void* memory = std::aligned_alloc(huge_page_bytes, rounded);
        if (!memory)
            throw std::bad_alloc();
        madvise(memory, rounded, MADV_HUGEPAGE);
        return static_cast<T*>(memory);
    }

    void deallocate(T* p, size_t n) noexcept
    {
        if (n * sizeof(T) < huge_page_bytes)
            ::operator delete(p, std::align_val_t{alignof(T)});
        else
            std::free(p);
    }

    template <typename U>
    bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

}  // namespace ostd::lnet
