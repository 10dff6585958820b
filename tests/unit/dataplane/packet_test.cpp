// Ethernet/ARP/IPv4/ICMP/UDP handling without a port: frames built by hand,
// parsed, answered in place, and every refusal named.
#include "dataplane/packet.hpp"

#include <gtest/gtest.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include <cstring>
#include <vector>

using namespace ostd::dataplane;

namespace {

const rte_ether_addr our_mac{{0x02, 0, 0, 0, 0, 1}};
const rte_ether_addr client_mac{{0x02, 0, 0, 0, 0, 2}};
constexpr uint32_t our_ip = 0x0a4d0001;     // 10.77.0.1
constexpr uint32_t client_ip = 0x0a4d0002;  // 10.77.0.2

struct PacketTest : ::testing::Test {
    std::vector<Ipv4Net> allowed{{0x0a4d0000, 0xffffff00}};
    LocalAddress local{our_mac, our_ip, 988, 1500, &allowed};

    // A UDP datagram from the client, built with the same writer ostd sends with.
    std::vector<std::byte> udp_from_client(size_t payload_length, uint16_t port = 988)
    {
        std::vector<std::byte> frame(udp_headers_size + payload_length, std::byte{0x42});
        LocalAddress client{client_mac, client_ip, 1023, 1500, nullptr};
        write_udp_frame(frame, client, UdpPeer{our_mac, our_ip, port}, payload_length, 7);
        return frame;
    }
    rte_ipv4_hdr* ip_of(std::vector<std::byte>& frame) { return reinterpret_cast<rte_ipv4_hdr*>(frame.data() + 14); }
    rte_udp_hdr* udp_of(std::vector<std::byte>& frame) { return reinterpret_cast<rte_udp_hdr*>(frame.data() + 34); }
    void refresh_ip_checksum(std::vector<std::byte>& frame)
    {
        ip_of(frame)->hdr_checksum = 0;
        ip_of(frame)->hdr_checksum = rte_ipv4_cksum(ip_of(frame));
    }
    NetDrop reason_of(const std::vector<std::byte>& frame)
    {
        ParsedPacket p = parse_packet(frame, local);
        EXPECT_EQ(p.kind, PacketKind::dropped);
        return p.reason;
    }
};

}  // namespace

TEST_F(PacketTest, UdpDatagramToOurPortIsLnetWithItsSource)
{
    auto frame = udp_from_client(100);
    ParsedPacket p = parse_packet(frame, local);
    ASSERT_EQ(p.kind, PacketKind::lnet);
    EXPECT_EQ(p.source.ip, client_ip);
    EXPECT_EQ(p.source.port, 1023);
    EXPECT_TRUE(rte_is_same_ether_addr(&p.source.mac, &client_mac));
    EXPECT_EQ(p.payload.size(), 100u);
    EXPECT_EQ(p.payload.data(), frame.data() + udp_headers_size);
}

TEST_F(PacketTest, WriterFillsValidChecksums)
{
    auto frame = udp_from_client(33);
    EXPECT_EQ(rte_ipv4_cksum(ip_of(frame)), 0);
    EXPECT_EQ(rte_ipv4_udptcp_cksum_verify(ip_of(frame), udp_of(frame)), 0);
    EXPECT_NE(udp_of(frame)->dgram_cksum, 0);
    EXPECT_EQ(rte_be_to_cpu_16(ip_of(frame)->fragment_offset), RTE_IPV4_HDR_DF_FLAG);
}

TEST_F(PacketTest, EveryRefusalHasItsReason)
{
    EXPECT_EQ(reason_of(std::vector<std::byte>(10)), NetDrop::runt);
    EXPECT_EQ(reason_of(std::vector<std::byte>(1600)), NetDrop::oversize);

    auto other_mac = udp_from_client(8);
    reinterpret_cast<rte_ether_hdr*>(other_mac.data())->dst_addr = client_mac;
    EXPECT_EQ(reason_of(other_mac), NetDrop::not_our_mac);

    auto ipv6 = udp_from_client(8);
    reinterpret_cast<rte_ether_hdr*>(ipv6.data())->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
    EXPECT_EQ(reason_of(ipv6), NetDrop::unsupported_ethertype);

    auto bad_version = udp_from_client(8);
    ip_of(bad_version)->version_ihl = 0x65;
    EXPECT_EQ(reason_of(bad_version), NetDrop::bad_ip_header);

    auto overrun = udp_from_client(8);
    ip_of(overrun)->total_length = rte_cpu_to_be_16(2000);
    EXPECT_EQ(reason_of(overrun), NetDrop::bad_ip_header);

    auto bad_ip_sum = udp_from_client(8);
    ip_of(bad_ip_sum)->hdr_checksum ^= 0x0101;
    EXPECT_EQ(reason_of(bad_ip_sum), NetDrop::bad_ip_checksum);

    auto fragment = udp_from_client(8);
    ip_of(fragment)->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);
    refresh_ip_checksum(fragment);
    EXPECT_EQ(reason_of(fragment), NetDrop::ip_fragment);

    auto elsewhere = udp_from_client(8);
    ip_of(elsewhere)->dst_addr = rte_cpu_to_be_32(0x0a4d0009);
    refresh_ip_checksum(elsewhere);
    EXPECT_EQ(reason_of(elsewhere), NetDrop::not_our_address);

    auto tcp = udp_from_client(8);
    ip_of(tcp)->next_proto_id = IPPROTO_TCP;
    refresh_ip_checksum(tcp);
    EXPECT_EQ(reason_of(tcp), NetDrop::unsupported_protocol);

    auto lying_udp = udp_from_client(8);
    udp_of(lying_udp)->dgram_len = rte_cpu_to_be_16(100);
    EXPECT_EQ(reason_of(lying_udp), NetDrop::bad_udp_length);

    auto bad_udp_sum = udp_from_client(8);
    bad_udp_sum.back() ^= std::byte{0xff};
    EXPECT_EQ(reason_of(bad_udp_sum), NetDrop::bad_udp_checksum);

    EXPECT_EQ(reason_of(udp_from_client(8, 989)), NetDrop::wrong_udp_port);

    allowed = {{0x0a4e0000, 0xffffff00}};
    EXPECT_EQ(reason_of(udp_from_client(8)), NetDrop::source_not_allowed);
}

TEST_F(PacketTest, UnsetUdpChecksumIsAccepted)
{
    auto frame = udp_from_client(8);
    udp_of(frame)->dgram_cksum = 0;
    EXPECT_EQ(parse_packet(frame, local).kind, PacketKind::lnet);
}

TEST_F(PacketTest, NicVerdictSkipsSoftwareChecksums)
{
    auto frame = udp_from_client(8);
    frame.back() ^= std::byte{0xff};  // payload changed after the NIC checked it
    EXPECT_EQ(parse_packet(frame, local, {true, true}).kind, PacketKind::lnet);
}

TEST_F(PacketTest, ArpRequestForUsIsAnsweredInPlace)
{
    std::vector<std::byte> frame(sizeof(rte_ether_hdr) + sizeof(rte_arp_hdr));
    auto* eth = reinterpret_cast<rte_ether_hdr*>(frame.data());
    auto* arp = reinterpret_cast<rte_arp_hdr*>(frame.data() + sizeof(rte_ether_hdr));
    rte_ether_addr broadcast{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
    eth->dst_addr = broadcast;
    eth->src_addr = client_mac;
    eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
    arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
    arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
    arp->arp_hlen = 6;
    arp->arp_plen = 4;
    arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
    arp->arp_data.arp_sha = client_mac;
    arp->arp_data.arp_sip = rte_cpu_to_be_32(client_ip);
    arp->arp_data.arp_tip = rte_cpu_to_be_32(our_ip);
    ASSERT_EQ(parse_packet(frame, local).kind, PacketKind::arp_request);

    make_arp_reply(frame, local);
    EXPECT_TRUE(rte_is_same_ether_addr(&eth->dst_addr, &client_mac));
    EXPECT_TRUE(rte_is_same_ether_addr(&eth->src_addr, &our_mac));
    EXPECT_EQ(arp->arp_opcode, rte_cpu_to_be_16(RTE_ARP_OP_REPLY));
    EXPECT_TRUE(rte_is_same_ether_addr(&arp->arp_data.arp_sha, &our_mac));
    EXPECT_EQ(rte_be_to_cpu_32(arp->arp_data.arp_sip), our_ip);
    EXPECT_EQ(rte_be_to_cpu_32(arp->arp_data.arp_tip), client_ip);

    eth->dst_addr = broadcast;
    arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
    arp->arp_data.arp_tip = rte_cpu_to_be_32(0x0a4d0063);  // someone else
    EXPECT_EQ(reason_of(frame), NetDrop::arp_ignored);
}

TEST_F(PacketTest, IcmpEchoRequestBecomesAValidReply)
{
    constexpr size_t payload = 56;
    std::vector<std::byte> frame(14 + 20 + 8 + payload + 6);  // Ethernet padding after the IP packet
    auto* eth = reinterpret_cast<rte_ether_hdr*>(frame.data());
    eth->dst_addr = our_mac;
    eth->src_addr = client_mac;
    eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
    auto* ip = ip_of(frame);
    ip->version_ihl = RTE_IPV4_VHL_DEF;
    ip->total_length = rte_cpu_to_be_16(20 + 8 + payload);
    ip->time_to_live = 3;
    ip->next_proto_id = IPPROTO_ICMP;
    ip->src_addr = rte_cpu_to_be_32(client_ip);
    ip->dst_addr = rte_cpu_to_be_32(our_ip);
    refresh_ip_checksum(frame);
    auto* icmp = reinterpret_cast<rte_icmp_hdr*>(frame.data() + 34);
    icmp->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
    icmp->icmp_ident = rte_cpu_to_be_16(77);
    icmp->icmp_seq_nb = rte_cpu_to_be_16(1);
    icmp->icmp_cksum = static_cast<uint16_t>(~rte_raw_cksum(icmp, 8 + payload));
    ASSERT_EQ(parse_packet(frame, local).kind, PacketKind::icmp_echo);

    size_t length = make_icmp_echo_reply(frame);
    EXPECT_EQ(length, 14u + 20 + 8 + payload);
    EXPECT_EQ(icmp->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
    EXPECT_EQ(rte_be_to_cpu_16(icmp->icmp_ident), 77);
    EXPECT_EQ(rte_be_to_cpu_32(ip->dst_addr), client_ip);
    EXPECT_EQ(rte_be_to_cpu_32(ip->src_addr), our_ip);
    EXPECT_EQ(rte_ipv4_cksum(ip), 0);
    EXPECT_EQ(rte_raw_cksum(icmp, 8 + payload), 0xffff);
    EXPECT_TRUE(rte_is_same_ether_addr(&eth->dst_addr, &client_mac));

    icmp->icmp_type = 13;  // timestamp request
    reinterpret_cast<rte_ether_hdr*>(frame.data())->dst_addr = our_mac;
    ip->dst_addr = rte_cpu_to_be_32(our_ip);
    refresh_ip_checksum(frame);
    EXPECT_EQ(reason_of(frame), NetDrop::icmp_ignored);
}

namespace {

// The same datagram with option_words 4-byte words of IPv4 options (NOPs)
// inserted after the 20-byte header, the header's length and checksum updated.
std::vector<std::byte> with_ip_options(std::vector<std::byte> frame, size_t option_words)
{
    frame.insert(frame.begin() + 34, option_words * 4, std::byte{RTE_IPV4_HDR_OPT_NOP});
    auto* ip = reinterpret_cast<rte_ipv4_hdr*>(frame.data() + 14);
    ip->version_ihl = static_cast<uint8_t>(0x45 + option_words);
    ip->total_length = rte_cpu_to_be_16(static_cast<uint16_t>(rte_be_to_cpu_16(ip->total_length) + option_words * 4));
    ip->hdr_checksum = 0;
    ip->hdr_checksum = rte_ipv4_cksum(ip);
    return frame;
}

}  // namespace

// Headers with options take the general path: still verified, still parsed.
TEST_F(PacketTest, Ipv4OptionsAreVerifiedAndSkipped)
{
    for (size_t words = 1; words <= 10; ++words) {
        auto frame = with_ip_options(udp_from_client(40), words);
        ParsedPacket p = parse_packet(frame, local);
        ASSERT_EQ(p.kind, PacketKind::lnet) << words;
        EXPECT_EQ(p.payload.data(), frame.data() + udp_headers_size + words * 4) << words;
        EXPECT_EQ(p.payload.size(), 40u);
        EXPECT_EQ(p.source.port, 1023);

        frame[34 + words * 4 - 1] ^= std::byte{0x01};  // the last option byte
        EXPECT_EQ(reason_of(frame), NetDrop::bad_ip_checksum) << words;
    }
    auto options_past_total = with_ip_options(udp_from_client(0), 3);
    ip_of(options_past_total)->total_length = rte_cpu_to_be_16(30);  // shorter than the 32-byte header
    refresh_ip_checksum(options_past_total);
    EXPECT_EQ(reason_of(options_past_total), NetDrop::bad_ip_header);

    auto short_header = udp_from_client(8);
    ip_of(short_header)->version_ihl = 0x44;  // 16 bytes: less than the fixed part
    refresh_ip_checksum(short_header);
    EXPECT_EQ(reason_of(short_header), NetDrop::bad_ip_header);
}

// Every payload length up to past two 64-byte checksum steps, odd ones
// included: accepted as sent, and any flipped payload bit refused.
TEST_F(PacketTest, EveryPayloadLengthIsVerified)
{
    for (size_t length = 0; length <= 200; ++length) {
        auto frame = udp_from_client(length);
        for (size_t i = 0; i < length; ++i)
            frame[udp_headers_size + i] = static_cast<std::byte>(i * 7 + length);
        udp_of(frame)->dgram_cksum = 0;
        udp_of(frame)->dgram_cksum = rte_ipv4_udptcp_cksum(ip_of(frame), udp_of(frame));
        ParsedPacket p = parse_packet(frame, local);
        ASSERT_EQ(p.kind, PacketKind::lnet) << length;
        EXPECT_EQ(p.payload.size(), length);
        if (length == 0)
            continue;
        frame[udp_headers_size + length - 1] ^= std::byte{0x04};
        EXPECT_EQ(reason_of(frame), NetDrop::bad_udp_checksum) << length;
    }
}
