// LNET ping info: what a node returns for a GET on portal 0 with match bits
// 0x8000000000000000 (DESIGN.md 4.6), as Lustre nodes answer `lnetctl ping`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "lnet_core/nid.hpp"

namespace ostd::lnet {

inline constexpr uint32_t ping_portal = 0;
inline constexpr uint64_t ping_match_bits = 0x8000000000000000ull;
inline constexpr uint32_t ping_magic = 0x70696e67;    // "ping"
inline constexpr uint32_t ping_features = 0x3;
inline constexpr uint32_t ni_status_up = 0x15AAC0DE;
inline constexpr uint32_t ni_status_down = 0xDEADFACE;

struct PingNi {
    Nid nid;
    uint32_t status = ni_status_up;
    uint32_t msg_size = 0;
    friend bool operator==(const PingNi&, const PingNi&) = default;
};

struct PingInfo {
    uint32_t features = ping_features;
    Pid pid = 0;
    std::vector<PingNi> nis;  // the first is 0@lo
    friend bool operator==(const PingInfo&, const PingInfo&) = default;
};

inline constexpr size_t ping_header_size = 16;
inline constexpr size_t ping_ni_size = 16;

std::vector<std::byte> encode_ping_info(const PingInfo& info);
// Refuses a wrong magic or a count that overruns the buffer.
std::optional<PingInfo> decode_ping_info(std::span<const std::byte> data);

}  // namespace ostd::lnet
