// The MDs one core owns: a slab of records addressed by handle cookies.
#pragma once

#include <cstdint>
#include <vector>

#include "lnet_core/huge_page_allocator.hpp"
#include "lnet_core/memory_descriptor.hpp"

namespace ostd::lnet {

inline constexpr uint32_t no_md = ~uint32_t{0};

// One MD and, when attached, the ME in front of it: exactly the fields that
// matching and list walking read, in one cache line, so a lookup touches one
// line per candidate. What only delivery needs lives in MdMemory.
struct alignas(64) Md {
    uint64_t match_bits = 0;
    uint64_t ignore_bits = 0;
    Nid match_nid;
    Pid match_pid = 0;
    int32_t threshold = 0;
    uint32_t options = 0;
    uint32_t length = 0;
    uint32_t local_offset = 0;  // where the next message lands unless manage_remote
    uint32_t max_size = 0;
    uint32_t next = no_md;      // neighbours in its portal list or unique chain
    uint32_t prev = no_md;
    uint32_t generation = 0;
    uint8_t portal = 0;
    bool attached = false;      // has an ME on a portal
    bool auto_unlink = true;
    bool live = false;

    ProcessId match_id() const { return {match_nid, match_pid}; }
    bool exhausted() const
    {
        if (threshold == 0)
            return true;
        return (options & md_option::max_size) && local_offset + max_size > length;
    }
};
static_assert(sizeof(Md) == 64);

// Where an MD's bytes and events go: read when a message is delivered.
struct MdMemory {
    std::byte* start = nullptr;
    EventQueue* eq = nullptr;
    uint64_t user_data = 0;
};

// The record an MD spec (and, when attached, its ME) describes: live, with
// generation 0 (the table assigns one).
Md describe_md(const MdSpec& spec, const MatchSpec* me);

class MdTable {
public:
    explicit MdTable(uint8_t owner_core = 0) : _core(owner_core) {}

    // Creates a live MD from spec (attached behind me, if given); returns its slot.
    uint32_t create(const MdSpec& spec, const MatchSpec* me = nullptr);
    void destroy(uint32_t slot);

    MdHandle handle(uint32_t slot) const { return {MdHandle::make(_mds[slot].generation, slot, _core)}; }
    // The live MD a handle names, or nullptr (stale, foreign or never issued).
    Md* find(MdHandle handle);
    uint32_t slot_of(MdHandle handle) const;

    Md& at(uint32_t slot) { return _mds[slot]; }
    const Md& at(uint32_t slot) const { return _mds[slot]; }
    MdMemory& memory(uint32_t slot) { return _memory[slot]; }
    const MdMemory& memory(uint32_t slot) const { return _memory[slot]; }
    const Md* data() const { return _mds.data(); }
    size_t live_count() const { return _live; }
    uint8_t owner_core() const { return _core; }

private:
    std::vector<Md, HugePageAllocator<Md>> _mds;
    std::vector<MdMemory, HugePageAllocator<MdMemory>> _memory;  // parallel to _mds
    std::vector<uint32_t> _free;
    size_t _live = 0;
    uint8_t _core;
};

}  // namespace ostd::lnet
