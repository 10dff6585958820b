// One object of the memory backend: its pages, size and times. Not locked
// here: MemoryStore holds the object's lock around every call.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>

#include "objstore/object_store.hpp"

namespace ostd::objstore {

// Bytes of pages all objects may hold together.
class MemoryBudget {
public:
    explicit MemoryBudget(uint64_t limit) : _limit(limit) {}
    bool reserve(uint64_t bytes);
    void release(uint64_t bytes) { _used.fetch_sub(bytes, std::memory_order_relaxed); }
    uint64_t used() const { return _used.load(std::memory_order_relaxed); }
    uint64_t limit() const { return _limit; }

private:
    std::atomic<uint64_t> _used{0};
    uint64_t _limit;
};

class MemoryObject {
public:
    MemoryObject(MemoryBudget& budget, size_t page_size) : _budget(budget), _page_size(page_size) {}
    ~MemoryObject();
    MemoryObject(const MemoryObject&) = delete;
    MemoryObject& operator=(const MemoryObject&) = delete;

    std::shared_mutex& lock() { return _lock; }

    // Writers hold lock() exclusively; readers shared.
    bool write(uint64_t offset, std::span<const std::byte> data);  // false: over budget, nothing changed
    size_t read(uint64_t offset, std::span<std::byte> out) const;
    void set_size(uint64_t size);
    void punch(uint64_t start, uint64_t end);
    ObjectAttr attr() const;
    uint64_t size() const { return _size; }
    uint64_t blocks() const { return _pages.size() * (_page_size / 512); }
    void touch_atime();

private:
    using Page = std::unique_ptr<std::byte[]>;
    size_t missing_pages(uint64_t first, uint64_t last) const;
    void drop_page(std::map<uint64_t, Page>::iterator it);
    void zero_range(uint64_t start, uint64_t end);  // within existing pages
    void touch_mtime();

    MemoryBudget& _budget;
    const size_t _page_size;
    std::shared_mutex _lock;
    std::map<uint64_t, Page> _pages;  // page index -> page_size bytes
    // Invariant: every byte at or past _size in a held page is zero, so a
    // later extension reads zeros there.
    uint64_t _size = 0;
    std::atomic<int64_t> _atime{0};  // atomic: reads update it under a shared lock
    int64_t _mtime = 0;
    int64_t _ctime = 0;
};

}  // namespace ostd::objstore
