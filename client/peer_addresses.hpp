// Where each LNET peer process is reached over UDP. A peer's address is
// learned from the datagrams it sends (DESIGN.md 4.6: replies go back to the
// source of the request); a peer never heard from is reached at its NID's
// IPv4 address on the configured server port. Keyed by process id (NID and
// pid), as socklnd keys its peers: two processes may share one NID.
#pragma once

#include <optional>
#include <unordered_map>

#include "client/socket_address.hpp"
#include "lnet_core/nid.hpp"

namespace ostd::client {

class PeerAddresses {
public:
    explicit PeerAddresses(uint16_t default_port) : _default_port(default_port) {}

    void learn(lnet::ProcessId peer, SocketAddress address) { _learned[key(peer)] = address; }
    // Empty when the NID is not an IPv4 (socklnd) one.
    std::optional<SocketAddress> find(lnet::ProcessId peer) const
    {
        auto it = _learned.find(key(peer));
        if (it != _learned.end())
            return it->second;
        return socket_address_of(peer.nid, _default_port);
    }
    size_t learned() const { return _learned.size(); }
    uint16_t default_port() const { return _default_port; }

private:
    struct Key {
        uint64_t nid;
        lnet::Pid pid;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        size_t operator()(const Key& k) const { return std::hash<uint64_t>{}(k.nid * 0x9E3779B97F4A7C15ull ^ k.pid); }
    };
    static Key key(lnet::ProcessId peer) { return Key{peer.nid.value, peer.pid}; }

    uint16_t _default_port;
    std::unordered_map<Key, SocketAddress, KeyHash> _learned;
};

}  // namespace ostd::client
