// A tiny classic-pcap writer: wraps each LNET datagram in Ethernet II / IPv4 /
// UDP 988 -> 988 (DESIGN.md 4.1) so tshark decodes it as it would our traffic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ostd::wire_test {

inline constexpr uint16_t lnet_udp_port = 988;

// RFC 1071 ones'-complement sum, folded and inverted.
uint16_t internet_checksum(std::span<const std::byte> data, uint32_t initial_sum = 0);

// One Ethernet frame 10.0.0.1 -> 10.0.0.2 carrying the datagram, with correct
// IPv4 header and UDP checksums (tshark is asked to verify both).
std::vector<std::byte> wrap_in_udp(std::span<const std::byte> datagram);

// Writes a little-endian, microsecond, LINKTYPE_ETHERNET capture.
bool write_pcap(const std::string& path, std::span<const std::vector<std::byte>> frames);

}  // namespace ostd::wire_test
