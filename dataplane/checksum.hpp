// The Internet checksum (RFC 1071) a machine word at a time. DPDK 22.11 sums
// 16 bits per step, which cost ~700 instructions per received LNET datagram
// (IPv4 header + UDP over the payload); this costs ~75 for both on a 168-byte
// datagram (a 64-byte LNET PUT).
#pragma once

#include <rte_ip.h>
#include <rte_udp.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ostd::dataplane {

// always_inline below where the compiler would not inline on its own: it
// prices an asm statement by its lines, and so called the IPv4 header check
// out of line (a call, a spill and a loop where a fixed chain of five
// instructions does).

namespace checksum_detail {

inline uint64_t load64(const unsigned char* p)
{
    uint64_t word;
    std::memcpy(&word, p, 8);
    return word;
}

// a + b with the end-around carry (one add and one adc on x86).
inline uint64_t add_with_carry(uint64_t a, uint64_t b)
{
    a += b;
    return a + (a < b);
}

// The sum of the last left (1..7) bytes of a buffer at least 8 bytes long,
// whose first byte sits at an offset from the buffer's start that is a
// multiple of 8: one load of the buffer's last 8 bytes, shifted so that the
// bytes already summed fall off and the tail's bytes land where they would
// in a zero-padded word (same byte positions, hence the same 16-bit lanes).
// A variable-length memcpy here would be a library call per datagram.
inline uint64_t tail_word(const unsigned char* tail, size_t left)
{
    uint64_t word = load64(tail + left - 8);
    unsigned shift = 64 - 8 * static_cast<unsigned>(left);
    if constexpr (std::endian::native == std::endian::little)
        return word >> shift;
    else
        return word << shift;
}

// The zero-padded word of a buffer shorter than 8 bytes (never an IPv4
// header or a UDP datagram: the cold path may call memcpy).
inline uint64_t short_word(const unsigned char* data, size_t length)
{
    uint64_t word = 0;
    std::memcpy(&word, data, length);
    return word;
}

// Adds the bytes after the whole 8-byte words (length % 8 of them, at tail).
[[gnu::always_inline]] inline uint64_t add_tail(const unsigned char* data, size_t length, const unsigned char* tail, uint64_t sum)
{
    size_t left = length & 7;
    if (left == 0)
        return sum;
    return add_with_carry(sum, length >= 8 ? tail_word(tail, left) : short_word(data, length));
}

// The whole 8-byte words of length bytes in plain C: what non-x86 machines
// run (and what the unit tests compare the x86 path with).
inline uint64_t add_words_portable(const unsigned char* p, size_t length, uint64_t sum)
{
    for (const unsigned char* end = p + (length & ~size_t{7}); p != end; p += 8)
        sum = add_with_carry(sum, load64(p));
    return sum;
}

#if defined(__x86_64__)
// Bytes (8, 16 or 32) from p in one add-with-carry chain, as the kernel's
// csum_partial does: compilers keep the carry in the flags only when written
// out like this (the _addcarry_u64 form spilled it on every word). The final
// adc $0 cannot carry again: with a carry out, the sum is at most 2^64 - 2.
// Offset is added to p in the instructions' displacements (no extra pointer).
#define OSTD_ADC(word) "adcq %c[offset]+" #word "*8(%[p]), %[s]\n\t"
template <size_t Bytes, size_t Offset = 0>
[[gnu::always_inline]] inline uint64_t add_block(const unsigned char* p, uint64_t sum)
{
    static_assert(Bytes == 8 || Bytes == 16 || Bytes == 32);
    const auto& block = *reinterpret_cast<const unsigned char(*)[Bytes]>(p + Offset);  // what is read
    if constexpr (Bytes == 8)
        asm("addq %c[offset](%[p]), %[s]\n\t" "adcq $0, %[s]"
            : [s] "+r"(sum) : [p] "r"(p), [offset] "i"(Offset), "m"(block) : "cc");
    else if constexpr (Bytes == 16)
        asm("addq %c[offset](%[p]), %[s]\n\t" OSTD_ADC(1) "adcq $0, %[s]"
            : [s] "+r"(sum) : [p] "r"(p), [offset] "i"(Offset), "m"(block) : "cc");
    else
        asm("addq %c[offset](%[p]), %[s]\n\t" OSTD_ADC(1) OSTD_ADC(2) OSTD_ADC(3) "adcq $0, %[s]"
            : [s] "+r"(sum) : [p] "r"(p), [offset] "i"(Offset), "m"(block) : "cc");
    return sum;
}
#undef OSTD_ADC

// The whole 8-byte words of length bytes: 64 bytes per loop step (at 32 per
// step, loop control was a third of the instructions), then the remaining
// 32, 16 and 8 by the bits of the length, without a loop. Two sums, blocks
// alternating between them: each add-with-carry waits for the one before it,
// one chain ran at one word per cycle; two chains overlap (each block starts
// with an add, which does not wait for the other chain's carry).
[[gnu::always_inline]] inline uint64_t add_words_x86(const unsigned char* p, size_t length, uint64_t sum)
{
    uint64_t other = 0;
    for (const unsigned char* end = p + (length & ~size_t{63}); p != end; p += 64) {
        sum = add_block<32>(p, sum);
        other = add_block<32, 32>(p, other);
    }
    if (length & 32) {
        sum = add_block<32>(p, sum);
        p += 32;
    }
    if (length & 16) {
        other = add_block<16>(p, other);
        p += 16;
    }
    if (length & 8)
        sum = add_block<8>(p, sum);
    return add_with_carry(sum, other);
}
#endif

}  // namespace checksum_detail

// The one's-complement sum of data in memory order, not yet folded: 64-bit
// words added with end-around carry, the tail zero-padded. The folded result
// is the same as summing 16-bit words: 2^64 = 1 mod 2^16 - 1. Inline, so a
// constant length (the 20-byte IPv4 header) compiles to a fixed chain.
inline uint64_t ones_sum_portable(const void* data, size_t length, uint64_t sum = 0)
{
    const auto* p = static_cast<const unsigned char*>(data);
    sum = checksum_detail::add_words_portable(p, length, sum);
    return checksum_detail::add_tail(p, length, p + (length & ~size_t{7}), sum);
}

[[gnu::always_inline]] inline uint64_t ones_sum(const void* data, size_t length, uint64_t sum = 0)
{
#if defined(__x86_64__)
    const auto* p = static_cast<const unsigned char*>(data);
    sum = checksum_detail::add_words_x86(p, length, sum);
    return checksum_detail::add_tail(p, length, p + (length & ~size_t{7}), sum);
#else
    return ones_sum_portable(data, length, sum);
#endif
}

// Down to 16 bits in one pass per halving: x + rotr(x, half) leaves in its
// upper half the two halves added with the end-around carry (the carry out of
// the lower half's addition lands in the upper half). Zero only for zero.
inline uint16_t fold_sum(uint64_t sum)
{
    uint32_t sum32 = static_cast<uint32_t>((sum + std::rotr(sum, 32)) >> 32);
    return static_cast<uint16_t>((sum32 + std::rotr(sum32, 16)) >> 16);
}

// Whether a sum over data that carries its own checksum verifies: folds to
// 0xffff. Folding keeps the value modulo 0xffff (2^16 = 1) and gives 0 only
// for 0, so that is "a nonzero multiple of 0xffff", tested with one
// multiplication instead of the two folds: an odd d divides x exactly when
// x times the inverse of d (mod 2^64) is at most (2^64 - 1) / d. Written out,
// as GCC emits a div for x % 0xffff == 0 on 64 bits.
inline bool sums_to_all_ones(uint64_t sum)
{
    constexpr uint64_t inverse_of_ffff = 0xfffefffefffeffffull;  // 0xffff * this = 1 mod 2^64
    constexpr uint64_t most_multiples = UINT64_MAX / 0xffff;
    static_assert(uint64_t{0xffff} * inverse_of_ffff == 1);
    return sum != 0 && sum * inverse_of_ffff <= most_multiples;
}

// Sum of the UDP pseudo-header of ip (addresses, protocol, UDP length).
inline uint64_t udp_pseudo_sum(const rte_ipv4_hdr* ip, uint16_t udp_length_be)
{
    uint32_t source, destination;
    std::memcpy(&source, &ip->src_addr, 4);
    std::memcpy(&destination, &ip->dst_addr, 4);
    return uint64_t{source} + destination + rte_cpu_to_be_16(IPPROTO_UDP) + udp_length_be;
}

// Headers with options are rare: summed out of line, so that the usual
// header's fixed chain stays small enough to be inlined.
[[gnu::noinline]] inline uint64_t ipv4_options_header_sum(const rte_ipv4_hdr* ip)
{
    return ones_sum(ip, rte_ipv4_hdr_len(ip));
}

// The sum of an IPv4 header; the usual one without options has a fixed
// length, summed without a loop or a test (two words and a tail load).
[[gnu::always_inline]] inline uint64_t ipv4_header_sum(const rte_ipv4_hdr* ip)
{
    if (ip->version_ihl == RTE_IPV4_VHL_DEF) [[likely]]
        return ones_sum(ip, sizeof(rte_ipv4_hdr));
    return ipv4_options_header_sum(ip);
}

[[gnu::always_inline]] inline bool ipv4_header_checksum_ok(const rte_ipv4_hdr* ip)
{
    return sums_to_all_ones(ipv4_header_sum(ip));
}

inline uint16_t ipv4_header_checksum(const rte_ipv4_hdr* ip)  // with hdr_checksum zeroed
{
    return static_cast<uint16_t>(~fold_sum(ipv4_header_sum(ip)));
}

// udp_length is the datagram's length (header + payload), host order.
[[gnu::always_inline]] inline bool udp_checksum_ok(const rte_ipv4_hdr* ip, const rte_udp_hdr* udp, size_t udp_length)
{
    return sums_to_all_ones(ones_sum(udp, udp_length, udp_pseudo_sum(ip, udp->dgram_len)));
}

// With dgram_cksum zeroed; 0 is sent as 0xffff (0 means "no checksum").
inline uint16_t udp_checksum(const rte_ipv4_hdr* ip, const rte_udp_hdr* udp, size_t udp_length)
{
    uint16_t sum = static_cast<uint16_t>(~fold_sum(ones_sum(udp, udp_length, udp_pseudo_sum(ip, udp->dgram_len))));
    return sum == 0 ? 0xffff : sum;
}

}  // namespace ostd::dataplane
