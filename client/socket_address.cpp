#include "client/socket_address.hpp"

#include <arpa/inet.h>

namespace ostd::client {

sockaddr_in SocketAddress::to_sockaddr() const
{
    sockaddr_in out{};
    out.sin_family = AF_INET;
    out.sin_addr.s_addr = htonl(address);
    out.sin_port = htons(port);
    return out;
}

SocketAddress SocketAddress::from_sockaddr(const sockaddr_in& in)
{
    return SocketAddress{ntohl(in.sin_addr.s_addr), ntohs(in.sin_port)};
}

std::string format_socket_address(SocketAddress address)
{
    return lnet::format_ipv4(address.address) + ":" + std::to_string(address.port);
}

std::optional<SocketAddress> socket_address_of(lnet::Nid nid, uint16_t port)
{
    if (nid.is_any() || nid.lnd() != static_cast<uint16_t>(lnet::LndType::socklnd))
        return std::nullopt;
    return SocketAddress{nid.address(), port};
}

}  // namespace ostd::client
