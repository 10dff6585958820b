// Our 8-bytes-at-a-time Internet checksum against DPDK's 16-bit reference.
#include "dataplane/checksum.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using namespace ostd::dataplane;

TEST(Checksum, OnesSumFoldsLikeDpdkForEveryLengthAndAlignment)
{
    std::mt19937 rng(7);
    std::vector<unsigned char> data(4096 + 8);
    for (auto& b : data)
        b = static_cast<unsigned char>(rng());
    for (size_t offset = 0; offset < 8; ++offset)
        for (size_t length = 0; length < 300; ++length)
            ASSERT_EQ(fold_sum(ones_sum(data.data() + offset, length)), rte_raw_cksum(data.data() + offset, length))
                << "offset " << offset << " length " << length;
    for (int trial = 0; trial < 2000; ++trial) {
        size_t length = rng() % 4096;
        size_t offset = rng() % 8;
        ASSERT_EQ(fold_sum(ones_sum(data.data() + offset, length)), rte_raw_cksum(data.data() + offset, length));
    }
}

TEST(Checksum, AllOnesInputFoldsWithoutLosingTheCarry)
{
    std::vector<unsigned char> ones(9000, 0xff);
    EXPECT_EQ(fold_sum(ones_sum(ones.data(), ones.size())), rte_raw_cksum(ones.data(), ones.size()));
}

TEST(Checksum, Ipv4AndUdpAgreeWithDpdk)
{
    std::mt19937 rng(11);
    for (size_t payload : {0u, 1u, 7u, 64u, 1376u, 1472u}) {
        std::vector<unsigned char> frame(20 + 8 + payload);
        for (auto& b : frame)
            b = static_cast<unsigned char>(rng());
        auto* ip = reinterpret_cast<rte_ipv4_hdr*>(frame.data());
        auto* udp = reinterpret_cast<rte_udp_hdr*>(frame.data() + 20);
        ip->version_ihl = RTE_IPV4_VHL_DEF;
        ip->total_length = rte_cpu_to_be_16(static_cast<uint16_t>(frame.size()));
        ip->next_proto_id = IPPROTO_UDP;
        ip->hdr_checksum = 0;
        udp->dgram_len = rte_cpu_to_be_16(static_cast<uint16_t>(8 + payload));
        udp->dgram_cksum = 0;

        EXPECT_EQ(ipv4_header_checksum(ip), rte_ipv4_cksum(ip)) << payload;
        EXPECT_EQ(udp_checksum(ip, udp, 8 + payload), rte_ipv4_udptcp_cksum(ip, udp)) << payload;
        ip->hdr_checksum = ipv4_header_checksum(ip);
        udp->dgram_cksum = udp_checksum(ip, udp, 8 + payload);
        EXPECT_TRUE(ipv4_header_checksum_ok(ip));
        EXPECT_TRUE(udp_checksum_ok(ip, udp, 8 + payload));
        EXPECT_EQ(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
        frame.back() ^= 0x01;
        EXPECT_FALSE(udp_checksum_ok(ip, udp, 8 + payload)) << payload;  // any flipped bit is caught
    }
}

TEST(Checksum, CarriesOfTheLargestSumsAreKept)
{
    // Words of all ones (and a starting sum of all ones) drive the
    // add-with-carry chain to its largest sums: every carry must end up in.
    for (size_t ones_words : {3u, 4u, 5u, 7u, 8u, 12u}) {
        std::vector<unsigned char> data(ones_words * 8 + 8, 0xff);
        data.back() = 0x01;  // not all ones: the reference sum is not 0xffff by accident
        EXPECT_EQ(fold_sum(ones_sum(data.data(), data.size())), rte_raw_cksum(data.data(), data.size()))
            << ones_words;
        EXPECT_EQ(fold_sum(ones_sum(data.data(), data.size(), 0xffffffffffffffffull)),
                  fold_sum(ones_sum(data.data(), data.size()) + 0xffffffffu + 0xffffffffu))
            << ones_words;
    }
}
