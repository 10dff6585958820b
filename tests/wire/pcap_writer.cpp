#include "tests/wire/pcap_writer.hpp"

#include <array>
#include <fstream>

namespace ostd::wire_test {
namespace {

constexpr size_t ethernet_size = 14;
constexpr size_t ipv4_size = 20;
constexpr size_t udp_size = 8;
constexpr std::array<uint8_t, 4> src_ip = {10, 0, 0, 1};
constexpr std::array<uint8_t, 4> dst_ip = {10, 0, 0, 2};

void put_be16(std::byte* at, uint16_t value)
{
    at[0] = std::byte(value >> 8);
    at[1] = std::byte(value);
}

void put_le(std::vector<std::byte>& out, uint32_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.push_back(std::byte(value >> (8 * i)));
}

void fill_ethernet(std::byte* at)
{
    constexpr uint8_t header[ethernet_size] = {0x02, 0, 0, 0, 0, 0x02,   // dst MAC
                                               0x02, 0, 0, 0, 0, 0x01,   // src MAC
                                               0x08, 0x00};              // IPv4
    for (size_t i = 0; i < ethernet_size; ++i)
        at[i] = std::byte(header[i]);
}

void fill_ipv4(std::byte* at, size_t udp_length)
{
    at[0] = std::byte{0x45};  // version 4, 20-byte header
    at[1] = std::byte{0};
    put_be16(at + 2, static_cast<uint16_t>(ipv4_size + udp_length));
    put_be16(at + 4, 0x1234);  // identification
    put_be16(at + 6, 0x4000);  // don't fragment: one LNET message per datagram
    at[8] = std::byte{64};     // TTL
    at[9] = std::byte{17};     // UDP
    put_be16(at + 10, 0);
    for (size_t i = 0; i < 4; ++i) {
        at[12 + i] = std::byte(src_ip[i]);
        at[16 + i] = std::byte(dst_ip[i]);
    }
    put_be16(at + 10, internet_checksum({at, ipv4_size}));
}

// The UDP checksum covers a pseudo-header (addresses, protocol, length).
uint32_t pseudo_header_sum(size_t udp_length)
{
    uint32_t sum = 17 + static_cast<uint32_t>(udp_length);
    for (size_t i = 0; i < 4; i += 2)
        sum += (src_ip[i] << 8 | src_ip[i + 1]) + (dst_ip[i] << 8 | dst_ip[i + 1]);
    return sum;
}

}  // namespace

uint16_t internet_checksum(std::span<const std::byte> data, uint32_t initial_sum)
{
    uint64_t sum = initial_sum;
    for (size_t i = 0; i < data.size(); i += 2) {
        uint32_t high = static_cast<uint8_t>(data[i]);
        uint32_t low = i + 1 < data.size() ? static_cast<uint8_t>(data[i + 1]) : 0;
        sum += high << 8 | low;
    }
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

std::vector<std::byte> wrap_in_udp(std::span<const std::byte> datagram)
{
    size_t udp_length = udp_size + datagram.size();
    std::vector<std::byte> frame(ethernet_size + ipv4_size + udp_length);
    fill_ethernet(frame.data());
    fill_ipv4(frame.data() + ethernet_size, udp_length);

    std::byte* udp = frame.data() + ethernet_size + ipv4_size;
    put_be16(udp + 0, lnet_udp_port);
    put_be16(udp + 2, lnet_udp_port);
    put_be16(udp + 4, static_cast<uint16_t>(udp_length));
    put_be16(udp + 6, 0);
    std::copy(datagram.begin(), datagram.end(), udp + udp_size);
    uint16_t checksum = internet_checksum({udp, udp_length}, pseudo_header_sum(udp_length));
    put_be16(udp + 6, checksum == 0 ? 0xffff : checksum);  // 0 would mean "none"
    return frame;
}

bool write_pcap(const std::string& path, std::span<const std::vector<std::byte>> frames)
{
    std::vector<std::byte> out;
    put_le(out, 0xa1b2c3d4, 4);  // magic: microsecond timestamps
    put_le(out, 2, 2);           // version 2.4
    put_le(out, 4, 2);
    put_le(out, 0, 4);           // thiszone
    put_le(out, 0, 4);           // sigfigs
    put_le(out, 65535, 4);       // snaplen
    put_le(out, 1, 4);           // LINKTYPE_ETHERNET
    uint32_t second = 1'700'000'000;
    for (const auto& frame : frames) {
        put_le(out, second++, 4);
        put_le(out, 0, 4);
        put_le(out, static_cast<uint32_t>(frame.size()), 4);
        put_le(out, static_cast<uint32_t>(frame.size()), 4);
        out.insert(out.end(), frame.begin(), frame.end());
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
    return static_cast<bool>(file);
}

}  // namespace ostd::wire_test
