// Where each LNET peer is reached: learned from the datagrams it sends
// (DESIGN.md 4.6: replies go back to the source of the request). A peer is a
// process (NID and pid): user-space clients on one host share the NID but
// each has its own UDP port, and an AST must reach the right one. One per
// worker, touched only by that worker; bounded, so a flood of forged NIDs
// cannot grow it without end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "dataplane/packet.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::dataplane {

class PeerTable {
public:
    explicit PeerTable(size_t limit = 65536) : _limit(limit) { _peers.reserve(1024); }

    // False when the table is full and nid is new (the message is still
    // answered: its reply goes to the packet's source).
    bool learn(lnet::Nid nid, lnet::Pid pid, const UdpPeer& where)
    {
        auto it = _peers.find(Key{nid.value, pid});
        if (it != _peers.end()) {
            it->second = where;
            return true;
        }
        if (_peers.size() >= _limit)
            return false;
        _peers.emplace(Key{nid.value, pid}, where);
        _count.add();
        return true;
    }

    const UdpPeer* find(lnet::Nid nid, lnet::Pid pid) const
    {
        auto it = _peers.find(Key{nid.value, pid});
        return it == _peers.end() ? nullptr : &it->second;
    }

    template <typename Visit>
    void for_each(Visit&& visit) const
    {
        for (const auto& [key, where] : _peers)
            visit(lnet::Nid{key.nid}, where);
    }

    uint64_t size() const { return _count.get(); }  // readable from other threads

private:
    struct Key {
        uint64_t nid;
        lnet::Pid pid;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        size_t operator()(const Key& k) const { return std::hash<uint64_t>{}(k.nid ^ (uint64_t{k.pid} * 0x9e3779b97f4a7c15ull)); }
    };
    std::unordered_map<Key, UdpPeer, KeyHash> _peers;
    size_t _limit;
    lnet::Counter _count;
};

}  // namespace ostd::dataplane
