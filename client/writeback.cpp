#include "client/writeback.hpp"

#include <algorithm>
#include <cstring>

namespace ostd::client {

WritebackCache::WritebackCache(ObjectIo& io, WritebackConfig config) : _io(io), _config(config) {}

void WritebackCache::add(const ClientLock& lock, uint64_t offset, std::span<const std::byte> data)
{
    if (data.empty())
        return;
    LockDirty& dirty = _dirty[lock.cookie];
    dirty.object = lock.object;
    dirty.server_handle = lock.server_handle;
    uint64_t start = offset;
    uint64_t end = offset + data.size();  // exclusive
    // Every extent that overlaps or touches [start, end) joins the new one.
    auto first = dirty.extents.upper_bound(start);
    if (first != dirty.extents.begin()) {
        auto before = std::prev(first);
        if (before->first + before->second.size() >= start)
            first = before;
    }
    auto last = first;
    while (last != dirty.extents.end() && last->first <= end)
        ++last;
    // Inside or extending one extent that starts at or before it (sequential
    // writes): grow that extent in place. Rebuilding it would copy the whole
    // extent on every write, quadratic in the writes under one lock.
    if (first != last && std::next(first) == last && first->first <= start) {
        std::vector<std::byte>& bytes = first->second;
        uint64_t old_end = first->first + bytes.size();
        if (end > old_end) {
            bytes.resize(end - first->first);
            dirty.bytes += end - old_end;
        }
        std::memcpy(bytes.data() + (start - first->first), data.data(), data.size());
        return;
    }
    uint64_t merged_start = start;
    uint64_t merged_end = end;
    for (auto it = first; it != last; ++it) {
        merged_start = std::min(merged_start, it->first);
        merged_end = std::max(merged_end, it->first + it->second.size());
    }
    std::vector<std::byte> merged(merged_end - merged_start);
    for (auto it = first; it != last; ++it) {
        std::memcpy(merged.data() + (it->first - merged_start), it->second.data(), it->second.size());
        dirty.bytes -= it->second.size();
    }
    std::memcpy(merged.data() + (start - merged_start), data.data(), data.size());
    dirty.extents.erase(first, last);
    dirty.bytes += merged.size();
    dirty.extents.emplace(merged_start, std::move(merged));
}

bool WritebackCache::over_limit(const ClientLock& lock) const
{
    auto it = _dirty.find(lock.cookie);
    return it != _dirty.end() && it->second.bytes > _config.max_dirty_per_lock;
}

lnet::Result<bool, RpcError> WritebackCache::flush(const ClientLock& lock)
{
    // Taken out first: writes that come in while this one polls start afresh.
    auto node = _dirty.extract(lock.cookie);
    if (node.empty())
        return true;
    LockDirty& dirty = node.mapped();
    for (auto it = dirty.extents.begin(); it != dirty.extents.end(); ++it) {
        auto written = _io.write(dirty.object, it->first, it->second, lock.server_handle);
        if (!written) {
            // Keep what is not written for a later attempt.
            LockDirty& back = _dirty[lock.cookie];
            back.object = dirty.object;
            back.server_handle = dirty.server_handle;
            for (auto rest = it; rest != dirty.extents.end(); ++rest) {
                back.bytes += rest->second.size();
                back.extents.insert(std::move(*rest));
            }
            return written.error();
        }
    }
    return true;
}

std::vector<uint64_t> WritebackCache::dirty_locks(const ObjectId* object) const
{
    std::vector<uint64_t> out;
    for (const auto& [cookie, dirty] : _dirty)
        if (!object || dirty.object == *object)
            out.push_back(cookie);
    return out;
}

uint64_t WritebackCache::overlay(ObjectId object, uint64_t offset, std::span<std::byte> out, uint64_t valid) const
{
    uint64_t end = offset + valid;
    uint64_t limit = offset + out.size();
    for (const auto& [cookie, dirty] : _dirty) {
        if (dirty.object != object)
            continue;
        for (const auto& [at, bytes] : dirty.extents) {
            uint64_t from = std::max(at, offset);
            uint64_t to = std::min<uint64_t>(at + bytes.size(), limit);
            if (from >= to)
                continue;
            if (from > end)  // a hole between what the OST had and our data reads as zeros
                std::memset(out.data() + (end - offset), 0, from - end);
            std::memcpy(out.data() + (from - offset), bytes.data() + (from - at), to - from);
            end = std::max(end, to);
        }
    }
    // Our dirty data past the read makes the object at least that long: a
    // hole between what we have and it reads as zeros, not as the end.
    uint64_t known = std::min(limit, dirty_end(object));
    if (known > end) {
        std::memset(out.data() + (end - offset), 0, known - end);
        end = known;
    }
    return end - offset;
}

uint64_t WritebackCache::dirty_end(ObjectId object) const
{
    uint64_t end = 0;
    for (const auto& [cookie, dirty] : _dirty)
        if (dirty.object == object && !dirty.extents.empty()) {
            const auto& last = *dirty.extents.rbegin();
            end = std::max<uint64_t>(end, last.first + last.second.size());
        }
    return end;
}

uint64_t WritebackCache::dirty_bytes() const
{
    uint64_t total = 0;
    for (const auto& [cookie, dirty] : _dirty)
        total += dirty.bytes;
    return total;
}

void WritebackCache::discard_from(ObjectId object, uint64_t start)
{
    for (auto& [cookie, dirty] : _dirty) {
        if (dirty.object != object)
            continue;
        for (auto it = dirty.extents.begin(); it != dirty.extents.end();) {
            if (it->first >= start) {
                dirty.bytes -= it->second.size();
                it = dirty.extents.erase(it);
                continue;
            }
            if (it->first + it->second.size() > start) {
                dirty.bytes -= it->first + it->second.size() - start;
                it->second.resize(start - it->first);
            }
            ++it;
        }
    }
}

}  // namespace ostd::client
