// The 72-byte lnet_hdr (64-bit NID layout, DESIGN.md 4.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "lnet_core/drop_reason.hpp"
#include "lnet_core/nid.hpp"
#include "lnet_core/result.hpp"

namespace ostd::lnet {

enum class MsgType : uint32_t { ack = 0, put = 1, get = 2, reply = 3, hello = 4 };

inline constexpr uint32_t portal_count = 64;
inline constexpr uint32_t max_payload = 1u << 20;  // PUT and REPLY carry at most 1 MiB

// Names an MD on the node that owns it: the interface cookie is that node's
// incarnation, the object cookie the MD's handle. All-ones means "none".
struct WireHandle {
    uint64_t interface_cookie = ~uint64_t{0};
    uint64_t object_cookie = ~uint64_t{0};

    static constexpr WireHandle none() { return {}; }
    constexpr bool is_none() const { return interface_cookie == ~uint64_t{0} && object_cookie == ~uint64_t{0}; }
    friend constexpr bool operator==(const WireHandle&, const WireHandle&) = default;
};

struct AckFields {
    WireHandle dst_wmd;
    uint64_t match_bits = 0;
    uint32_t mlength = 0;
    friend bool operator==(const AckFields&, const AckFields&) = default;
};
struct PutFields {
    WireHandle ack_wmd;  // none(): no ACK wanted
    uint64_t match_bits = 0;
    uint64_t hdr_data = 0;
    uint32_t ptl_index = 0;
    uint32_t offset = 0;
    friend bool operator==(const PutFields&, const PutFields&) = default;
};
struct GetFields {
    WireHandle return_wmd;
    uint64_t match_bits = 0;
    uint32_t ptl_index = 0;
    uint32_t src_offset = 0;
    uint32_t sink_length = 0;
    friend bool operator==(const GetFields&, const GetFields&) = default;
};
struct ReplyFields {
    WireHandle dst_wmd;
    friend bool operator==(const ReplyFields&, const ReplyFields&) = default;
};
struct HelloFields {
    uint64_t incarnation = 0;
    uint32_t type = 0;
    friend bool operator==(const HelloFields&, const HelloFields&) = default;
};

struct LnetHeader {
    static constexpr size_t size = 72;

    Nid dest_nid;
    Nid src_nid;
    Pid dest_pid = 0;
    Pid src_pid = 0;
    uint32_t payload_length = 0;
    // The alternative's index is the wire type (ACK 0 ... HELLO 4).
    std::variant<AckFields, PutFields, GetFields, ReplyFields, HelloFields> fields;

    MsgType type() const { return static_cast<MsgType>(fields.index()); }
    ProcessId source() const { return {src_nid, src_pid}; }
    ProcessId destination() const { return {dest_nid, dest_pid}; }

    friend bool operator==(const LnetHeader&, const LnetHeader&) = default;
};

void encode_lnet_header(const LnetHeader& header, std::span<std::byte, LnetHeader::size> out);

// Validates the type, the payload rules of each type (ACK and GET carry none,
// PUT and REPLY at most max_payload) and the portal index.
Result<LnetHeader, DropReason> decode_lnet_header(std::span<const std::byte> in);
// The same, into header (unspecified on failure): the data path's form.
Status<DropReason> decode_lnet_header(std::span<const std::byte> in, LnetHeader& header);

}  // namespace ostd::lnet
