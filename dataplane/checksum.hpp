// The Internet checksum (RFC 1071) a machine word at a time. DPDK 22.11 sums
// 16 bits per step, which cost ~700 instructions per received LNET datagram
// (IPv4 header + UDP over the payload).
#pragma once

#include <rte_ip.h>
#include <rte_udp.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ostd::dataplane {

// A 64-bit one's-complement sum folded to 33 bits at most (so two add up
// without overflow).
inline uint64_t fold_to_32(uint64_t sum) { return (sum & 0xffffffffu) + (sum >> 32); }

// The one's-complement sum of data in memory order, not yet folded: 64-bit
// words added with end-around carry, the tail zero-padded. On x86 that is an
// add-with-carry chain, 32 bytes per step, as the kernel's csum_partial does
// (compilers keep the carry in a register only when written out like this;
// the _addcarry_u64 form spilled it on every word). The folded result is the
// same as summing 16-bit words: 2^64 = 1 mod 2^16 - 1.
inline uint64_t ones_sum(const void* data, size_t length, uint64_t sum = 0)
{
    const auto* p = static_cast<const unsigned char*>(data);
#if defined(__x86_64__)
    for (; length >= 32; p += 32, length -= 32)
        asm("addq 0(%[p]), %[s]\n\t"
            "adcq 8(%[p]), %[s]\n\t"
            "adcq 16(%[p]), %[s]\n\t"
            "adcq 24(%[p]), %[s]\n\t"
            "adcq $0, %[s]"  // cannot carry again: with a carry out, the sum is at most 2^64 - 2
            : [s] "+r"(sum)
            : [p] "r"(p), "m"(*reinterpret_cast<const unsigned char(*)[32]>(p))
            : "cc");
    for (; length >= 8; p += 8, length -= 8)
        asm("addq (%[p]), %[s]\n\t"
            "adcq $0, %[s]"
            : [s] "+r"(sum)
            : [p] "r"(p), "m"(*reinterpret_cast<const unsigned char(*)[8]>(p))
            : "cc");
#else
    for (; length >= 4; p += 4, length -= 4) {
        uint32_t word;
        std::memcpy(&word, p, 4);
        sum += word;  // 32-bit words cannot overflow 64 bits for any frame
    }
#endif
    // What is left (< 8 bytes), in pieces of fixed size: a memcpy of a
    // variable length would be a library call per datagram.
    sum = fold_to_32(sum);  // room for the pieces below
    if (length >= 4) {
        uint32_t word;
        std::memcpy(&word, p, 4);
        sum += word;
        p += 4;
        length -= 4;
    }
    if (length >= 2) {
        uint16_t word;
        std::memcpy(&word, p, 2);
        sum += word;
        p += 2;
        length -= 2;
    }
    if (length) {
        uint16_t last = 0;  // the odd byte, zero-padded in memory order
        std::memcpy(&last, p, 1);
        sum += last;
    }
    return sum;
}

inline uint16_t fold_sum(uint64_t sum)
{
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    return static_cast<uint16_t>(sum);
}

// Sum of the UDP pseudo-header of ip (addresses, protocol, UDP length).
inline uint64_t udp_pseudo_sum(const rte_ipv4_hdr* ip, uint16_t udp_length_be)
{
    uint32_t source, destination;
    std::memcpy(&source, &ip->src_addr, 4);
    std::memcpy(&destination, &ip->dst_addr, 4);
    return uint64_t{source} + destination + rte_cpu_to_be_16(IPPROTO_UDP) + udp_length_be;
}

inline bool ipv4_header_checksum_ok(const rte_ipv4_hdr* ip)
{
    return fold_sum(ones_sum(ip, rte_ipv4_hdr_len(ip))) == 0xffff;
}

inline uint16_t ipv4_header_checksum(const rte_ipv4_hdr* ip)  // with hdr_checksum zeroed
{
    return static_cast<uint16_t>(~fold_sum(ones_sum(ip, rte_ipv4_hdr_len(ip))));
}

// udp_length is the datagram's length (header + payload), host order.
inline bool udp_checksum_ok(const rte_ipv4_hdr* ip, const rte_udp_hdr* udp, size_t udp_length)
{
    return fold_sum(ones_sum(udp, udp_length, udp_pseudo_sum(ip, udp->dgram_len))) == 0xffff;
}

// With dgram_cksum zeroed; 0 is sent as 0xffff (0 means "no checksum").
inline uint16_t udp_checksum(const rte_ipv4_hdr* ip, const rte_udp_hdr* udp, size_t udp_length)
{
    uint16_t sum = static_cast<uint16_t>(~fold_sum(ones_sum(udp, udp_length, udp_pseudo_sum(ip, udp->dgram_len))));
    return sum == 0 ? 0xffff : sum;
}

}  // namespace ostd::dataplane
