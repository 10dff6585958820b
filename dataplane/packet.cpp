#include "dataplane/packet.hpp"

#include "dataplane/checksum.hpp"

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include <bit>
#include <cstring>

#include "lnet_core/byte_order.hpp"

namespace ostd::dataplane {
namespace {

template <typename Header>
const Header* header_at(std::span<const std::byte> frame, size_t offset)
{
    return reinterpret_cast<const Header*>(frame.data() + offset);
}

// Between wire (big-endian) order and host order. rte_be_to_cpu_16 is an asm
// statement on x86 that the compiler can neither fold into a comparison with
// a constant nor schedule: wire fields are compared in wire order against
// constants converted at compile time, and converted only when a value is
// needed.
template <typename T>
constexpr T wire_order(T value)
{
    return std::endian::native == std::endian::little ? lnet::byte_swap(value) : value;
}

// Out of line and cold: inlined, the drop paths' stores took registers from
// the path of a valid datagram (which then saved and restored more of them).
[[gnu::cold, gnu::noinline]] ParsedPacket dropped(NetDrop reason) { return {PacketKind::dropped, reason, {}, {}}; }

// Ours, broadcast or multicast (broadcast is a multicast address: the group
// bit of the first byte is set in both). Compared as 4 + 2 bytes.
bool is_ours_or_group(const rte_ether_addr& dst, const rte_ether_addr& ours)
{
    uint32_t dst_head, ours_head;
    uint16_t dst_tail, ours_tail;
    std::memcpy(&dst_head, &dst, 4);
    std::memcpy(&ours_head, &ours, 4);
    std::memcpy(&dst_tail, dst.addr_bytes + 4, 2);
    std::memcpy(&ours_tail, ours.addr_bytes + 4, 2);
    return ((dst_head ^ ours_head) | (dst_tail ^ ours_tail)) == 0 || rte_is_multicast_ether_addr(&dst);
}

bool allowed(const LocalAddress& local, uint32_t ip)
{
    if (!local.allowed)
        return true;
    for (const Ipv4Net& net : *local.allowed)
        if (net.contains(ip))
            return true;
    return false;
}

ParsedPacket parse_arp(std::span<const std::byte> frame, const LocalAddress& local)
{
    if (frame.size() < sizeof(rte_ether_hdr) + sizeof(rte_arp_hdr))
        return dropped(NetDrop::runt);
    const auto* arp = header_at<rte_arp_hdr>(frame, sizeof(rte_ether_hdr));
    bool ipv4_request = arp->arp_hardware == rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) &&
                        arp->arp_protocol == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) &&
                        arp->arp_hlen == RTE_ETHER_ADDR_LEN && arp->arp_plen == 4 &&
                        arp->arp_opcode == rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
    if (!ipv4_request || rte_be_to_cpu_32(arp->arp_data.arp_tip) != local.ip)
        return dropped(NetDrop::arp_ignored);
    return {PacketKind::arp_request, NetDrop::count_, {}, {}};
}

// Every return builds the result in the caller's slot (no local copy).
[[gnu::always_inline]] inline ParsedPacket parse_udp(std::span<const std::byte> frame, const rte_ipv4_hdr* ip, size_t l4_offset,
                       size_t ip_end, const LocalAddress& local, ChecksumHints hints)
{
    if (l4_offset + sizeof(rte_udp_hdr) > ip_end)  // before reading the header: it may lie past the frame
        return dropped(NetDrop::bad_udp_length);
    const auto* udp = header_at<rte_udp_hdr>(frame, l4_offset);
    size_t udp_length = wire_order(udp->dgram_len);
    if (udp_length < sizeof(rte_udp_hdr) || l4_offset + udp_length != ip_end)
        return dropped(NetDrop::bad_udp_length);
    if (!hints.l4_good && udp->dgram_cksum != 0 && !udp_checksum_ok(ip, udp, udp_length))
        return dropped(NetDrop::bad_udp_checksum);
    if (udp->dst_port != wire_order(local.udp_port))
        return dropped(NetDrop::wrong_udp_port);
    uint32_t source_ip = wire_order(ip->src_addr);
    if (!allowed(local, source_ip))
        return dropped(NetDrop::source_not_allowed);
    const auto* eth = header_at<rte_ether_hdr>(frame, 0);
    return {PacketKind::lnet, NetDrop::count_, {eth->src_addr, source_ip, wire_order(udp->src_port)},
            {frame.data() + l4_offset + sizeof(rte_udp_hdr), udp_length - sizeof(rte_udp_hdr)}};
}

ParsedPacket parse_icmp(std::span<const std::byte> frame, size_t l4_offset, size_t ip_end)
{
    if (l4_offset + sizeof(rte_icmp_hdr) > ip_end)
        return dropped(NetDrop::runt);
    const auto* icmp = header_at<rte_icmp_hdr>(frame, l4_offset);
    if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0)
        return dropped(NetDrop::icmp_ignored);
    return {PacketKind::icmp_echo, NetDrop::count_, {}, {}};
}

constexpr size_t ip_offset = sizeof(rte_ether_hdr);

// The checks after the version and header length. Inlined twice: once with
// the usual header's constant 20 bytes (offsets, the length checks and the
// header's checksum fold to constants and a fixed chain), once for headers
// with options.
[[gnu::always_inline]] inline ParsedPacket parse_ipv4_after_version(std::span<const std::byte> frame,
                                                                    const LocalAddress& local, ChecksumHints hints,
                                                                    size_t header_length)
{
    const auto* ip = header_at<rte_ipv4_hdr>(frame, ip_offset);
    size_t total_length = wire_order(ip->total_length);
    if (total_length < header_length || ip_offset + total_length > frame.size())
        return dropped(NetDrop::bad_ip_header);
    if (!hints.ip_good && !sums_to_all_ones(ones_sum(ip, header_length)))
        return dropped(NetDrop::bad_ip_checksum);
    if (ip->fragment_offset & wire_order(uint16_t{RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK}))
        return dropped(NetDrop::ip_fragment);
    if (ip->dst_addr != wire_order(local.ip))
        return dropped(NetDrop::not_our_address);

    size_t l4_offset = ip_offset + header_length;
    size_t ip_end = ip_offset + total_length;
    if (ip->next_proto_id == IPPROTO_UDP)
        return parse_udp(frame, ip, l4_offset, ip_end, local, hints);
    if (ip->next_proto_id == IPPROTO_ICMP)
        return parse_icmp(frame, l4_offset, ip_end);
    return dropped(NetDrop::unsupported_protocol);
}

ParsedPacket parse_ipv4(std::span<const std::byte> frame, const LocalAddress& local, ChecksumHints hints)
{
    if (frame.size() < ip_offset + sizeof(rte_ipv4_hdr))
        return dropped(NetDrop::runt);
    uint8_t version_ihl = header_at<rte_ipv4_hdr>(frame, ip_offset)->version_ihl;
    if (version_ihl == RTE_IPV4_VHL_DEF)  // version 4, no options: every LNET datagram
        return parse_ipv4_after_version(frame, local, hints, sizeof(rte_ipv4_hdr));
    size_t header_length = static_cast<size_t>(version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
    if ((version_ihl >> 4) != 4 || header_length < sizeof(rte_ipv4_hdr))
        return dropped(NetDrop::bad_ip_header);
    return parse_ipv4_after_version(frame, local, hints, header_length);
}

}  // namespace

ParsedPacket parse_packet(std::span<const std::byte> frame, const LocalAddress& local, ChecksumHints hints)
{
    if (frame.size() < sizeof(rte_ether_hdr))
        return dropped(NetDrop::runt);
    if (frame.size() > size_t{local.mtu} + sizeof(rte_ether_hdr) + RTE_VLAN_HLEN)
        return dropped(NetDrop::oversize);
    const auto* eth = header_at<rte_ether_hdr>(frame, 0);
    if (!is_ours_or_group(eth->dst_addr, local.mac))
        return dropped(NetDrop::not_our_mac);
    if (eth->ether_type == wire_order(uint16_t{RTE_ETHER_TYPE_IPV4}))  // LNET's, so tested first
        return parse_ipv4(frame, local, hints);
    if (eth->ether_type == wire_order(uint16_t{RTE_ETHER_TYPE_ARP}))
        return parse_arp(frame, local);
    return dropped(NetDrop::unsupported_ethertype);
}

void make_arp_reply(std::span<std::byte> frame, const LocalAddress& local)
{
    auto* eth = reinterpret_cast<rte_ether_hdr*>(frame.data());
    auto* arp = reinterpret_cast<rte_arp_hdr*>(frame.data() + sizeof(rte_ether_hdr));
    rte_ether_addr requester = arp->arp_data.arp_sha;
    uint32_t requester_ip = arp->arp_data.arp_sip;
    eth->dst_addr = requester;
    eth->src_addr = local.mac;
    arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
    arp->arp_data.arp_tha = requester;
    arp->arp_data.arp_tip = requester_ip;
    arp->arp_data.arp_sha = local.mac;
    arp->arp_data.arp_sip = rte_cpu_to_be_32(local.ip);
}

size_t make_icmp_echo_reply(std::span<std::byte> frame)
{
    auto* eth = reinterpret_cast<rte_ether_hdr*>(frame.data());
    auto* ip = reinterpret_cast<rte_ipv4_hdr*>(frame.data() + sizeof(rte_ether_hdr));
    size_t header_length = rte_ipv4_hdr_len(ip);
    size_t total_length = rte_be_to_cpu_16(ip->total_length);
    auto* icmp = reinterpret_cast<rte_icmp_hdr*>(reinterpret_cast<std::byte*>(ip) + header_length);

    std::swap(eth->src_addr, eth->dst_addr);
    uint32_t source = ip->src_addr;  // packed fields: no references
    ip->src_addr = ip->dst_addr;
    ip->dst_addr = source;
    ip->time_to_live = 64;
    ip->hdr_checksum = 0;
    ip->hdr_checksum = rte_ipv4_cksum(ip);
    icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
    icmp->icmp_cksum = 0;
    uint16_t sum = rte_raw_cksum(icmp, total_length - header_length);
    icmp->icmp_cksum = static_cast<uint16_t>(~sum);
    return sizeof(rte_ether_hdr) + total_length;
}

size_t write_udp_frame(std::span<std::byte> out, const LocalAddress& local, const UdpPeer& to,
                       size_t payload_length, uint16_t ip_id)
{
    auto* eth = reinterpret_cast<rte_ether_hdr*>(out.data());
    auto* ip = reinterpret_cast<rte_ipv4_hdr*>(out.data() + sizeof(rte_ether_hdr));
    auto* udp = reinterpret_cast<rte_udp_hdr*>(out.data() + sizeof(rte_ether_hdr) + sizeof(rte_ipv4_hdr));
    eth->dst_addr = to.mac;
    eth->src_addr = local.mac;
    eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

    size_t ip_length = sizeof(rte_ipv4_hdr) + sizeof(rte_udp_hdr) + payload_length;
    std::memset(ip, 0, sizeof *ip);
    ip->version_ihl = RTE_IPV4_VHL_DEF;
    ip->total_length = rte_cpu_to_be_16(static_cast<uint16_t>(ip_length));
    ip->packet_id = rte_cpu_to_be_16(ip_id);
    ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
    ip->time_to_live = 64;
    ip->next_proto_id = IPPROTO_UDP;
    ip->src_addr = rte_cpu_to_be_32(local.ip);
    ip->dst_addr = rte_cpu_to_be_32(to.ip);
    ip->hdr_checksum = ipv4_header_checksum(ip);

    udp->src_port = rte_cpu_to_be_16(local.udp_port);
    udp->dst_port = rte_cpu_to_be_16(to.port);
    udp->dgram_len = rte_cpu_to_be_16(static_cast<uint16_t>(sizeof(rte_udp_hdr) + payload_length));
    udp->dgram_cksum = 0;
    udp->dgram_cksum = udp_checksum(ip, udp, sizeof(rte_udp_hdr) + payload_length);
    return sizeof(rte_ether_hdr) + ip_length;
}

}  // namespace ostd::dataplane
