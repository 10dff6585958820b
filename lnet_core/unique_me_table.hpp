// The match-unique index of one core: (portal, peer NID, pid, match bits) ->
// the ordered chain of MDs exposed under that key.
//
// Open addressing with linear probing over 32-byte slots (two per cache line),
// kept at most half full and grown by doubling, so a lookup costs one cache
// miss whatever the size: O(1) from a thousand to millions of MEs, where
// Lustre's table of 256 fixed chains turns into list walks. Deletion shifts
// the following run back instead of leaving tombstones, so a table that lives
// for months under attach/unlink churn does not slow down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lnet_core/huge_page_allocator.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::lnet {

struct UniqueKey {
    uint64_t nid = 0;
    uint64_t match_bits = 0;
    uint32_t pid = 0;
    uint32_t portal = 0;
    friend constexpr bool operator==(const UniqueKey&, const UniqueKey&) = default;
};

// Head and tail slots (MdTable) of the MDs sharing a key, in match order.
struct UniqueChain {
    uint32_t head;
    uint32_t tail;
};

class UniqueMeTable {
public:
    explicit UniqueMeTable(size_t initial_capacity = 1024);

    UniqueChain* find(const UniqueKey& key) { return find(key, hash(key)); }
    const UniqueChain* find(const UniqueKey& key) const { return find(key, hash(key)); }
    // With the key's hash already computed (a burst hashes each key once).
    UniqueChain* find(const UniqueKey& key, uint64_t key_hash)
    {
        size_t i = find_slot(key, key_hash);
        return i == npos ? nullptr : &_slots[i].chain;
    }
    const UniqueChain* find(const UniqueKey& key, uint64_t key_hash) const
    {
        size_t i = find_slot(key, key_hash);
        return i == npos ? nullptr : &_slots[i].chain;
    }
    // Returns the chain for key, inserting an empty one ({no_md, no_md}) if
    // absent. May grow the table: earlier pointers become invalid.
    UniqueChain& find_or_insert(const UniqueKey& key);
    void erase(const UniqueKey& key);

    // Fetches the home slot of a key with this hash into cache ahead of find (bursts).
    void prefetch(uint64_t key_hash) const { __builtin_prefetch(&_slots[key_hash & _mask]); }

    size_t size() const { return _size; }
    size_t capacity() const { return _slots.size(); }
    size_t memory_bytes() const { return _slots.size() * sizeof(Slot); }

    // Inline: every received PUT or GET hashes its key.
    static uint64_t hash(const UniqueKey& key)
    {
        // Client xids step by 128, so the low bits of match_bits are nearly
        // constant: multiply-xor to mix all fields, then a murmur3 finaliser.
        uint64_t h = key.match_bits * 0x9E3779B97F4A7C15ull;
        h ^= key.nid * 0xC2B2AE3D27D4EB4Full;
        h ^= (uint64_t{key.pid} << 8) | key.portal;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 33;
        return h;
    }

private:
    struct Slot {
        uint64_t nid;
        uint64_t match_bits;
        uint32_t pid;
        uint32_t portal_tag;  // portal + 1; 0 marks an empty slot
        UniqueChain chain;
    };
    static_assert(sizeof(Slot) == 32);

    static constexpr size_t npos = ~size_t{0};
    size_t find_slot(const UniqueKey& key, uint64_t key_hash) const
    {
        for (size_t i = key_hash & _mask;; i = (i + 1) & _mask) {
            const Slot& slot = _slots[i];
            if (holds(slot, key))
                return i;
            if (slot.portal_tag == 0)
                return npos;
        }
    }
    size_t home(const UniqueKey& key) const { return hash(key) & _mask; }
    static bool holds(const Slot& slot, const UniqueKey& key)
    {
        return slot.portal_tag == key.portal + 1 && slot.match_bits == key.match_bits &&
               slot.nid == key.nid && slot.pid == key.pid;
    }
    void grow();

    std::vector<Slot, HugePageAllocator<Slot>> _slots;
    size_t _mask;
    size_t _size = 0;
};

}  // namespace ostd::lnet
