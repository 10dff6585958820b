// Ethernet / ARP / IPv4 / ICMP / UDP for the appliance's one address: what a
// received frame is, and the in-place answers to ARP and ping. Pure functions
// over bytes (DPDK's header layouts and checksum helpers, no EAL), so they
// are unit-tested without a port.
#pragma once

#include <rte_ether.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dataplane/dataplane_config.hpp"
#include "dataplane/net_drop.hpp"

namespace ostd::dataplane {

inline constexpr size_t udp_headers_size = 14 + 20 + 8;  // Ethernet + IPv4 + UDP

struct LocalAddress {
    rte_ether_addr mac{};
    uint32_t ip = 0;  // host order
    uint16_t udp_port = 988;
    uint16_t mtu = 1500;
    const std::vector<Ipv4Net>* allowed = nullptr;  // null: anyone
};

// Where a datagram came from, so the answer goes back there.
struct UdpPeer {
    rte_ether_addr mac{};
    uint32_t ip = 0;  // host order
    uint16_t port = 0;
};

enum class PacketKind : uint8_t { lnet, arp_request, icmp_echo, dropped };

struct ParsedPacket {
    PacketKind kind = PacketKind::dropped;
    NetDrop reason = NetDrop::count_;
    UdpPeer source;                       // lnet
    std::span<const std::byte> payload;   // lnet: the UDP payload
};

// The NIC's verdicts, when it checked (mbuf offload flags).
struct ChecksumHints {
    bool ip_good = false;
    bool l4_good = false;
};

ParsedPacket parse_packet(std::span<const std::byte> frame, const LocalAddress& local, ChecksumHints hints = {});

// Turn an ARP request for our address into the reply, in place.
void make_arp_reply(std::span<std::byte> frame, const LocalAddress& local);
// Turn an ICMP echo request into the echo reply, in place (the frame may be
// shortened to the IPv4 total length: returns the reply's length).
size_t make_icmp_echo_reply(std::span<std::byte> frame);

// Writes Ethernet, IPv4 and UDP headers in front of a payload already placed
// at out[udp_headers_size...], with both checksums. Returns the frame length.
size_t write_udp_frame(std::span<std::byte> out, const LocalAddress& local, const UdpPeer& to,
                       size_t payload_length, uint16_t ip_id);

}  // namespace ostd::dataplane
