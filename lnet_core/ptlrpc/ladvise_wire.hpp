// OST_LADVISE bodies (DESIGN.md 4.5): ladvise_hdr (32) and lu_ladvise (32).
// lu_ladvise's value fields are named for the lockahead use (mode, flags, result).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lnet_core/ptlrpc/message_error.hpp"
#include "lnet_core/result.hpp"

namespace ostd::lnet::ptlrpc {

inline constexpr uint32_t ladvise_magic = 0x1ADF1CE0;

namespace ladvise {
// lah_flags
inline constexpr uint64_t flag_async = 0x1;
inline constexpr uint64_t flag_unset = 0x2;
// lla_advice
inline constexpr uint16_t willread = 1;
inline constexpr uint16_t dontneed = 2;
inline constexpr uint16_t locknoexpand = 3;
inline constexpr uint16_t lockahead = 4;
// lla_value1 for lockahead
inline constexpr uint16_t mode_read = 1;
inline constexpr uint16_t mode_write = 2;
}  // namespace ladvise

struct LadviseHdr {
    static constexpr size_t size = 32;
    uint32_t magic = ladvise_magic;
    uint32_t count = 0;
    uint64_t flags = 0;
    uint32_t value1 = 0;
    uint32_t value2 = 0;
    uint64_t value3 = 0;
    bool operator==(const LadviseHdr&) const = default;
};

struct LuLadvise {
    static constexpr size_t size = 32;
    uint16_t advice = 0;
    uint16_t mode = 0;          // lla_value1
    uint32_t advice_flags = 0;  // lla_value2: per-advice flags
    uint64_t start = 0;
    uint64_t end = 0;
    uint32_t result = 0;        // lla_value3: lockahead result
    uint32_t value4 = 0;
    bool operator==(const LuLadvise&) const = default;
};

std::array<std::byte, LadviseHdr::size> encode_ladvise_hdr(const LadviseHdr& hdr);
// Refuses a short buffer and a magic other than 0x1ADF1CE0.
Result<LadviseHdr, MessageError> decode_ladvise_hdr(std::span<const std::byte> in);

std::vector<std::byte> encode_ladvises(std::span<const LuLadvise> advices);
Result<std::vector<LuLadvise>, MessageError> decode_ladvises(std::span<const std::byte> in);

}  // namespace ostd::lnet::ptlrpc
