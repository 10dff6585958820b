// obd_connect_data (192 bytes), the body of OST_CONNECT requests and replies
// (DESIGN.md 4.6). Offsets as in Lustre's lustre_idl.h; the 13 trailing u64
// padding words are sent as zero.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "lnet_core/ptlrpc/message_error.hpp"
#include "lnet_core/result.hpp"

namespace ostd::lnet::ptlrpc {

// ocd_connect_flags (OBD_CONNECT_*), the ones an OST exchange uses.
namespace obd_connect {
inline constexpr uint64_t index = 0x2;
inline constexpr uint64_t grant = 0x8;
inline constexpr uint64_t srvlock = 0x10;
inline constexpr uint64_t version = 0x20;
inline constexpr uint64_t request_portal = 0x40;
inline constexpr uint64_t truncate_lock = 0x400;
inline constexpr uint64_t brw_size = 0x40000;
inline constexpr uint64_t cancelset = 0x400000;
inline constexpr uint64_t at = 0x1000000;
inline constexpr uint64_t lru_resize = 0x2000000;
inline constexpr uint64_t fid = 0x40000000;
inline constexpr uint64_t full20 = 0x1000000000;
inline constexpr uint64_t maxbytes = 0x8000000000;
inline constexpr uint64_t lvb_type = 0x400000000000;
inline constexpr uint64_t bulk_mbits = 0x2000000000000000;
inline constexpr uint64_t flags2 = 0x8000000000000000;
}  // namespace obd_connect

inline constexpr size_t obd_uuid_size = 40;  // target and client uuid buffers

struct ConnectData {
    static constexpr size_t size = 192;
    uint64_t connect_flags = 0;   // 0
    uint32_t version = 0;         // 8
    uint32_t grant = 0;           // 12
    uint32_t index = 0;           // 16
    uint32_t brw_size = 0;        // 20
    uint64_t ibits_known = 0;     // 24
    uint8_t grant_blkbits = 0;    // 32
    uint8_t grant_inobits = 0;    // 33
    uint16_t grant_tax_kb = 0;    // 34
    uint32_t grant_max_blks = 0;  // 36
    uint64_t transno = 0;         // 40
    uint32_t group = 0;           // 48
    uint32_t cksum_types = 0;     // 52
    uint32_t max_easize = 0;      // 56
    uint32_t instance = 0;        // 60
    uint64_t maxbytes = 0;        // 64
    uint16_t maxmodrpcs = 0;      // 72
    uint64_t connect_flags2 = 0;  // 80
    bool operator==(const ConnectData&) const = default;
};

std::array<std::byte, ConnectData::size> encode_connect_data(const ConnectData& data);
Result<ConnectData, MessageError> decode_connect_data(std::span<const std::byte> in);

}  // namespace ostd::lnet::ptlrpc
