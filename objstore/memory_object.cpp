#include "objstore/memory_object.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <ctime>

namespace ostd::objstore {

namespace {
int64_t now_seconds() { return static_cast<int64_t>(std::time(nullptr)); }
}  // namespace

bool MemoryBudget::reserve(uint64_t bytes)
{
    uint64_t used = _used.load(std::memory_order_relaxed);
    do {
        if (bytes > _limit || used > _limit - bytes)
            return false;
    } while (!_used.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
    return true;
}

MemoryObject::~MemoryObject()
{
    _budget.release(_pages.size() * _page_size);
}

size_t MemoryObject::missing_pages(uint64_t first, uint64_t last) const
{
    size_t missing = last - first + 1;
    for (auto it = _pages.lower_bound(first); it != _pages.end() && it->first <= last; ++it)
        --missing;
    return missing;
}

bool MemoryObject::write(uint64_t offset, std::span<const std::byte> data)
{
    if (data.empty())
        return true;
    const uint64_t end = offset + data.size();
    const uint64_t first = offset / _page_size;
    const uint64_t last = (end - 1) / _page_size;
    if (!_budget.reserve(missing_pages(first, last) * _page_size))
        return false;
    auto hint = _pages.lower_bound(first);
    for (uint64_t index = first; index <= last; ++index) {
        const uint64_t page_start = index * _page_size;
        const uint64_t from = std::max(offset, page_start);
        const uint64_t to = std::min(end, page_start + _page_size);
        if (hint == _pages.end() || hint->first != index) {
            hint = _pages.emplace_hint(hint, index, std::make_unique_for_overwrite<std::byte[]>(_page_size));
            std::byte* page = hint->second.get();
            std::memset(page, 0, from - page_start);
            std::memset(page + (to - page_start), 0, page_start + _page_size - to);
        }
        std::memcpy(hint->second.get() + (from - page_start), data.data() + (from - offset), to - from);
        ++hint;
    }
    _size = std::max(_size, end);
    touch_mtime();
    return true;
}

size_t MemoryObject::read(uint64_t offset, std::span<std::byte> out) const
{
    if (offset >= _size)
        return 0;
    const uint64_t end = offset + std::min<uint64_t>(out.size(), _size - offset);
    auto it = _pages.lower_bound(offset / _page_size);
    for (uint64_t pos = offset; pos < end;) {
        const uint64_t index = pos / _page_size;
        const uint64_t page_start = index * _page_size;
        const uint64_t to = std::min(end, page_start + _page_size);
        std::byte* dest = out.data() + (pos - offset);
        while (it != _pages.end() && it->first < index)
            ++it;
        if (it != _pages.end() && it->first == index)
            std::memcpy(dest, it->second.get() + (pos - page_start), to - pos);
        else
            std::memset(dest, 0, to - pos);
        pos = to;
    }
    return end - offset;
}

void MemoryObject::drop_page(std::map<uint64_t, Page>::iterator it)
{
    _pages.erase(it);
    _budget.release(_page_size);
}

// Zeroes [start, end) in the pages held; frees those it covers whole.
void MemoryObject::zero_range(uint64_t start, uint64_t end)
{
    auto it = _pages.lower_bound(start / _page_size);
    while (it != _pages.end() && it->first * _page_size < end) {
        const uint64_t page_start = it->first * _page_size;
        const uint64_t from = std::max(start, page_start);
        const uint64_t to = std::min(end, page_start + _page_size);
        auto next = std::next(it);
        if (from == page_start && to == page_start + _page_size)
            drop_page(it);
        else
            std::memset(it->second.get() + (from - page_start), 0, to - from);
        it = next;
    }
}

void MemoryObject::set_size(uint64_t size)
{
    if (size < _size)
        zero_range(size, object_eof);  // frees the pages past the new end
    _size = size;
    touch_mtime();
}

void MemoryObject::punch(uint64_t start, uint64_t end)
{
    if (end >= _size)
        end = object_eof;  // past the end nothing but zeros: free whole tail pages
    if (start < end)
        zero_range(start, end);
    touch_mtime();
}

ObjectAttr MemoryObject::attr() const
{
    return ObjectAttr{_size, blocks(), _atime.load(std::memory_order_relaxed), _mtime, _ctime};
}

void MemoryObject::touch_atime()
{
    _atime.store(now_seconds(), std::memory_order_relaxed);
}

void MemoryObject::touch_mtime()
{
    _mtime = _ctime = now_seconds();
    if (_atime.load(std::memory_order_relaxed) == 0)
        _atime.store(_mtime, std::memory_order_relaxed);
}

}  // namespace ostd::objstore
