// The writeback cache (DESIGN.md 7): writes land here as dirty extents
// attached to the lock that covers them; they reach the OST (OST_WRITE under
// that lock's server handle) on fsync, close, a blocking AST on the lock, or
// when a lock holds more than max_dirty bytes. Overlapping and adjacent
// extents of one lock merge, newer bytes winning.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "client/lock_cache.hpp"
#include "client/object_io.hpp"

namespace ostd::client {

struct WritebackConfig {
    uint64_t max_dirty_per_lock = 32ull << 20;
};

class WritebackCache {
public:
    explicit WritebackCache(ObjectIo& io, WritebackConfig config = {});

    // Keeps data dirty under lock (which must cover it, in PW or EX).
    void add(const ClientLock& lock, uint64_t offset, std::span<const std::byte> data);
    bool over_limit(const ClientLock& lock) const;

    // OST_WRITE of everything dirty under the lock; forgotten once written.
    lnet::Result<bool, RpcError> flush(const ClientLock& lock);
    // The cookies of locks with dirty data of this object (all objects if null).
    std::vector<uint64_t> dirty_locks(const ObjectId* object = nullptr) const;

    // Laid over data read from the OST at offset: our newer bytes. Returns
    // the end (offset + bytes) of the valid data, which dirty data past what
    // the OST had may extend (up to out.size()).
    uint64_t overlay(ObjectId object, uint64_t offset, std::span<std::byte> out, uint64_t valid) const;
    // The end of the last dirty byte of the object (0 if none).
    uint64_t dirty_end(ObjectId object) const;
    uint64_t dirty_bytes() const;
    // Drops dirty data of the object from start on (a punch went to the OST).
    void discard_from(ObjectId object, uint64_t start);

private:
    struct LockDirty {
        ObjectId object;
        uint64_t server_handle = 0;
        std::map<uint64_t, std::vector<std::byte>> extents;  // offset -> bytes, disjoint, not adjacent
        uint64_t bytes = 0;
    };

    ObjectIo& _io;
    WritebackConfig _config;
    std::map<uint64_t, LockDirty> _dirty;  // by lock cookie
};

}  // namespace ostd::client
