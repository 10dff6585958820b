// Our 8-bytes-at-a-time Internet checksum against DPDK's 16-bit reference.
#include "dataplane/checksum.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
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

namespace {

// RFC 1071 summed 16 bits at a time in memory order, the odd byte zero-padded:
// the reference the word-at-a-time sums must fold to.
uint16_t reference_sum(const unsigned char* data, size_t length)
{
    uint64_t sum = 0;
    for (size_t i = 0; i + 1 < length; i += 2) {
        uint16_t word;
        std::memcpy(&word, data + i, 2);
        sum += word;
    }
    if (length & 1) {
        uint16_t last = 0;
        std::memcpy(&last, data + length - 1, 1);
        sum += last;
    }
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(sum);
}

std::vector<unsigned char> random_bytes(size_t length, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<unsigned char> data(length);
    for (auto& b : data)
        b = static_cast<unsigned char>(rng());
    return data;
}

}  // namespace

// Every remainder after the 64-byte steps (0..63: the 32/16/8-byte blocks and
// the shifted last load), after 0, 1 and 2 whole steps, at every alignment;
// and the plain C path non-x86 machines run, on the same inputs.
TEST(Checksum, EveryTailLengthAgreesWithTheReference)
{
    auto data = random_bytes(3 * 64 + 8, 5);
    for (size_t steps = 0; steps <= 2; ++steps)
        for (size_t tail = 0; tail < 64; ++tail)
            for (size_t offset = 0; offset < 8; ++offset) {
                size_t length = steps * 64 + tail;
                const unsigned char* p = data.data() + offset;
                uint16_t expected = reference_sum(p, length);
                ASSERT_EQ(fold_sum(ones_sum(p, length)), expected) << "length " << length << " offset " << offset;
                ASSERT_EQ(fold_sum(ones_sum_portable(p, length)), expected)
                    << "length " << length << " offset " << offset;
            }
}

// Each length in a buffer of exactly that size, so that a read before or
// past the data (the shifted last load) is caught under AddressSanitizer.
TEST(Checksum, ReadsOnlyTheData)
{
    for (size_t length = 0; length < 80; ++length) {
        auto data = random_bytes(length, static_cast<unsigned>(length));
        auto exact = std::make_unique<unsigned char[]>(length);
        std::copy(data.begin(), data.end(), exact.get());
        EXPECT_EQ(fold_sum(ones_sum(exact.get(), length)), reference_sum(data.data(), length)) << length;
    }
}

TEST(Checksum, FoldKeepsEveryCarryAndGivesZeroOnlyForZero)
{
    EXPECT_EQ(fold_sum(0), 0);
    EXPECT_EQ(fold_sum(0xffff), 0xffff);
    EXPECT_EQ(fold_sum(0x10000), 1);
    EXPECT_EQ(fold_sum(0xffffffffffffffffull), 0xffff);
    EXPECT_EQ(fold_sum(0xffff0000ffff0000ull), 0xffff);
    EXPECT_EQ(fold_sum(0x0001000000000000ull), 1);
    EXPECT_EQ(fold_sum(0x00000000ffffffffull), 0xffff);
    EXPECT_EQ(fold_sum(0x12345678abcdef01ull), fold_sum(0x1234 + 0x5678 + 0xabcd + 0xef01));
    std::mt19937_64 rng(3);
    for (int i = 0; i < 100000; ++i) {
        uint64_t sum = rng();
        uint64_t slow = (sum & 0xffff) + ((sum >> 16) & 0xffff) + ((sum >> 32) & 0xffff) + (sum >> 48);
        while (slow >> 16)
            slow = (slow & 0xffff) + (slow >> 16);
        ASSERT_EQ(fold_sum(sum), slow) << std::hex << sum;
    }
}

TEST(Checksum, VerifiesExactlyWhenTheFoldIsAllOnes)
{
    EXPECT_FALSE(sums_to_all_ones(0));  // all-zero data carries no checksum
    EXPECT_TRUE(sums_to_all_ones(0xffff));
    EXPECT_TRUE(sums_to_all_ones(0xffffffffffffffffull));
    EXPECT_FALSE(sums_to_all_ones(0xfffe));
    EXPECT_FALSE(sums_to_all_ones(0x10000));
    std::mt19937_64 rng(9);
    for (int i = 0; i < 100000; ++i) {
        uint64_t sum = i % 2 ? rng() : (rng() >> 17) * 0xffff;  // half of them multiples
        ASSERT_EQ(sums_to_all_ones(sum), fold_sum(sum) == 0xffff) << std::hex << sum;
    }
}

// A header with options (IHL 6..15) is summed over all of it, out of line.
TEST(Checksum, Ipv4HeaderWithOptionsIsSummedWhole)
{
    for (uint8_t ihl = 5; ihl <= 15; ++ihl) {
        auto header = random_bytes(ihl * 4u, ihl);
        auto* ip = reinterpret_cast<rte_ipv4_hdr*>(header.data());
        ip->version_ihl = static_cast<uint8_t>(0x40 | ihl);
        ip->hdr_checksum = 0;
        EXPECT_EQ(ipv4_header_checksum(ip), rte_ipv4_cksum(ip)) << int{ihl};  // DPDK sums options too
        ip->hdr_checksum = ipv4_header_checksum(ip);
        EXPECT_TRUE(ipv4_header_checksum_ok(ip)) << int{ihl};
        header.back() ^= 0x40;  // the last option byte
        EXPECT_FALSE(ipv4_header_checksum_ok(ip)) << int{ihl};
    }
}
