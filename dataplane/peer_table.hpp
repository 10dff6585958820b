// Where each LNET peer is reached: learned from the datagrams it sends
// (DESIGN.md 4.6: replies go back to the source of the request). A peer is a
// process (NID and pid): user-space clients on one host share the NID but
// each has its own UDP port, and an AST must reach the right one. One per
// worker, touched only by that worker; bounded, so a flood of forged NIDs
// cannot grow it without end.
//
// Every received LNET message looks its sender up here, so the table is flat:
// open addressing with linear probing over 32-byte slots, at most half full,
// one cache line per lookup (a node-based map cost a pointer chase per
// packet). Peers are never forgotten, so there is no deletion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "dataplane/packet.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::dataplane {

class PeerTable {
public:
    explicit PeerTable(size_t limit = 65536) : _limit(limit), _slots(1024), _mask(_slots.size() - 1) {}

    // False when the table is full and nid is new (the message is still
    // answered: its reply goes to the packet's source).
    bool learn(lnet::Nid nid, lnet::Pid pid, const UdpPeer& where)
    {
        Slot& slot = _slots[probe(nid.value, pid)];
        if (slot.used) {
            if (!same_place(slot.where, where))  // leave the line clean when nothing moved
                slot.where = where;
            return true;
        }
        if (_size >= _limit)
            return false;
        slot = Slot{nid.value, pid, true, where};
        ++_size;
        _count.add();
        if (2 * _size > _slots.size())
            grow();
        return true;
    }

    const UdpPeer* find(lnet::Nid nid, lnet::Pid pid) const
    {
        const Slot& slot = _slots[probe(nid.value, pid)];
        return slot.used ? &slot.where : nullptr;
    }

    template <typename Visit>
    void for_each(Visit&& visit) const
    {
        for (const Slot& slot : _slots)
            if (slot.used)
                visit(lnet::Nid{slot.nid}, slot.where);
    }

    uint64_t size() const { return _count.get(); }  // readable from other threads

private:
    struct Slot {
        uint64_t nid = 0;
        lnet::Pid pid = 0;
        bool used = false;
        UdpPeer where;
    };

    static bool same_place(const UdpPeer& a, const UdpPeer& b)
    {
        return a.ip == b.ip && a.port == b.port && std::memcmp(&a.mac, &b.mac, sizeof a.mac) == 0;
    }

    // The slot holding (nid, pid), or the empty slot where it would go.
    size_t probe(uint64_t nid, lnet::Pid pid) const
    {
        uint64_t h = (nid ^ (uint64_t{pid} * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
        for (size_t i = (h >> 32) & _mask;; i = (i + 1) & _mask) {
            const Slot& slot = _slots[i];
            if (!slot.used || (slot.nid == nid && slot.pid == pid))
                return i;
        }
    }

    void grow()
    {
        std::vector<Slot> old(_slots.size() * 2);
        old.swap(_slots);
        _mask = _slots.size() - 1;
        for (const Slot& slot : old)
            if (slot.used)
                _slots[probe(slot.nid, slot.pid)] = slot;
    }

    size_t _limit;
    std::vector<Slot> _slots;
    size_t _mask;
    size_t _size = 0;
    lnet::Counter _count;
};

}  // namespace ostd::dataplane
