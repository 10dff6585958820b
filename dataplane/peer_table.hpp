// Where each LNET peer is reached: learned from the datagrams it sends
// (DESIGN.md 4.6: replies go back to the source of the request). One per
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
    bool learn(lnet::Nid nid, const UdpPeer& where)
    {
        auto it = _peers.find(nid.value);
        if (it != _peers.end()) {
            it->second = where;
            return true;
        }
        if (_peers.size() >= _limit)
            return false;
        _peers.emplace(nid.value, where);
        _count.add();
        return true;
    }

    const UdpPeer* find(lnet::Nid nid) const
    {
        auto it = _peers.find(nid.value);
        return it == _peers.end() ? nullptr : &it->second;
    }

    template <typename Visit>
    void for_each(Visit&& visit) const
    {
        for (const auto& [nid, where] : _peers)
            visit(lnet::Nid{nid}, where);
    }

    uint64_t size() const { return _count.get(); }  // readable from other threads

private:
    std::unordered_map<uint64_t, UdpPeer> _peers;
    size_t _limit;
    lnet::Counter _count;
};

}  // namespace ostd::dataplane
