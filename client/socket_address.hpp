// An IPv4 address and UDP port, host order, and its conversions to and from
// the kernel's sockaddr_in. Kept apart so nothing else touches byte order.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>

#include "lnet_core/nid.hpp"

namespace ostd::client {

struct SocketAddress {
    uint32_t address = 0;  // host order: 127.0.0.1 is 0x7f000001
    uint16_t port = 0;

    sockaddr_in to_sockaddr() const;
    static SocketAddress from_sockaddr(const sockaddr_in& in);

    friend bool operator==(const SocketAddress&, const SocketAddress&) = default;
};

inline constexpr uint32_t loopback_address = 0x7f000001;  // 127.0.0.1
inline constexpr uint16_t lnet_port = 988;                // the LNET acceptor port

// "10.0.0.1:988".
std::string format_socket_address(SocketAddress address);

// Where a socklnd NID is reached: its IPv4 address at the given UDP port.
// Empty for other LNDs (o2ib, lo), which this transport cannot reach.
std::optional<SocketAddress> socket_address_of(lnet::Nid nid, uint16_t port);

}  // namespace ostd::client
