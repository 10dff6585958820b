// ptlrpc_body (v3, 184 bytes; DESIGN.md 4.5): buffer 0 of every message.
// Lustre's xid is not in here: it travels as the LNET match bits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "lnet_core/ptlrpc/message_error.hpp"
#include "lnet_core/result.hpp"

namespace ostd::lnet::ptlrpc {

enum class MsgType : uint32_t { request = 4711, err = 4712, reply = 4713 };

// pb_version = target version | rpc version (DESIGN 4.6).
inline constexpr uint32_t ptlrpc_msg_version = 0x3;
inline constexpr uint32_t obd_version = 0x00010000 | ptlrpc_msg_version;
inline constexpr uint32_t ost_version = 0x00030000 | ptlrpc_msg_version;
inline constexpr uint32_t dlm_version = 0x00040000 | ptlrpc_msg_version;

// pb_flags
inline constexpr uint32_t msg_resent = 0x2;
inline constexpr uint32_t msg_replay = 0x4;

inline constexpr size_t jobid_size = 32;

struct PtlrpcBody {
    static constexpr size_t size = 184;

    uint64_t handle = 0;  // export cookie (0 before connect)
    MsgType type = MsgType::request;
    uint32_t version = 0;
    uint32_t opc = 0;
    int32_t status = 0;   // -errno, or a positive LDLM status (301)
    uint64_t last_xid = 0;
    uint16_t tag = 0;
    uint64_t last_committed = 0;
    uint64_t transno = 0;
    uint32_t flags = 0;
    uint32_t op_flags = 0;
    uint32_t conn_cnt = 0;
    uint32_t timeout = 0;
    uint32_t service_time = 0;
    uint32_t limit = 0;
    uint64_t slv = 0;
    std::array<uint64_t, 4> pre_versions{};
    uint64_t mbits = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    std::array<char, jobid_size> jobid{};  // NUL-padded ASCII

    bool operator==(const PtlrpcBody&) const = default;
};

// Padding fields are written as zero.
void encode_ptlrpc_body(const PtlrpcBody& body, std::span<std::byte, PtlrpcBody::size> out);
std::array<std::byte, PtlrpcBody::size> encode_ptlrpc_body(const PtlrpcBody& body);

// Refuses a buffer shorter than 184 bytes (short_body); a longer one is fine.
// pb_type is returned as found: callers that need a given type check it.
Result<PtlrpcBody, MessageError> decode_ptlrpc_body(std::span<const std::byte> in);

}  // namespace ostd::lnet::ptlrpc
