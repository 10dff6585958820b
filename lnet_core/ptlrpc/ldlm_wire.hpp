// LDLM bodies on the wire (DESIGN.md 4.5, 4.6): ldlm_lock_desc (80),
// ldlm_request (>= 104), ldlm_reply (112), ldlm_intent (8). Flag values are
// Lustre's LDLM_FL_*; keep in sync with ldlm/flags.hpp (not a dependency:
// this library is wire only).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lnet_core/ptlrpc/message_error.hpp"
#include "lnet_core/result.hpp"

namespace ostd::lnet::ptlrpc {

inline constexpr uint32_t ldlm_extent_type = 11;  // LDLM_EXTENT

namespace lock_mode {
inline constexpr uint32_t ex = 1, pw = 2, pr = 4, cw = 8, cr = 16, nl = 32, group = 64;
}

namespace ldlm_flag {
inline constexpr uint32_t lock_changed = 0x1;
inline constexpr uint32_t block_granted = 0x2;
inline constexpr uint32_t speculative = 0x10;
inline constexpr uint32_t ast_sent = 0x20;
inline constexpr uint32_t has_intent = 0x1000;
inline constexpr uint32_t block_nowait = 0x40000;
inline constexpr uint32_t no_expansion = 0x20000000;
}  // namespace ldlm_flag

// ldlm_intent.opc (lustre_idl.h enum ldlm_intent_flags).
inline constexpr uint64_t it_glimpse = 0x4000;
// A glimpse answered without a lock (pb_status).
inline constexpr int32_t eldlm_lock_aborted = 301;

struct LdlmExtent {
    uint64_t start = 0;
    uint64_t end = 0;
    uint64_t gid = 0;
    bool operator==(const LdlmExtent&) const = default;
};

struct LockDesc {
    static constexpr size_t size = 80;
    uint32_t resource_type = ldlm_extent_type;
    std::array<uint64_t, 4> name{};
    uint32_t req_mode = 0;
    uint32_t granted_mode = 0;
    LdlmExtent extent;  // bytes 72..79 of the policy union are padding here
    bool operator==(const LockDesc&) const = default;
};

struct LdlmRequest {
    static constexpr size_t min_size = 104;
    static constexpr size_t handles_offset = 88;
    uint32_t flags = 0;
    uint32_t lock_count = 0;
    LockDesc desc;
    std::vector<uint64_t> handles;  // at least 2 slots are always on the wire

    // Bytes on the wire: 88 + 8 * max(handles, lock_count, 2).
    size_t wire_size() const;
    bool operator==(const LdlmRequest&) const = default;
};

struct LdlmReply {
    static constexpr size_t size = 112;
    uint32_t flags = 0;
    LockDesc desc;
    uint64_t handle = 0;  // the server's lock cookie
    uint64_t policy_res1 = 0;
    uint64_t policy_res2 = 0;
    bool operator==(const LdlmReply&) const = default;
};

struct LdlmIntent {
    static constexpr size_t size = 8;
    uint64_t opc = 0;
    bool operator==(const LdlmIntent&) const = default;
};

void encode_lock_desc(const LockDesc& desc, std::span<std::byte, LockDesc::size> out);
Result<LockDesc, MessageError> decode_lock_desc(std::span<const std::byte> in);

std::vector<std::byte> encode_ldlm_request(const LdlmRequest& request);
// Refuses < 104 bytes (short_buffer) and a lock_count the buffer cannot hold
// (lock_count_overflow). handles holds lock_count entries, but never fewer than 2.
Result<LdlmRequest, MessageError> decode_ldlm_request(std::span<const std::byte> in);

// What a server checks of a request's ldlm_request before acting on it: that
// it decodes (above) and, for an enqueue, names an EXTENT resource, one of the
// seven lock modes and an extent that does not end before it starts.
Result<LdlmRequest, MessageError> check_ldlm_request(std::span<const std::byte> in, bool enqueue);

std::array<std::byte, LdlmReply::size> encode_ldlm_reply(const LdlmReply& reply);
Result<LdlmReply, MessageError> decode_ldlm_reply(std::span<const std::byte> in);

std::array<std::byte, LdlmIntent::size> encode_ldlm_intent(const LdlmIntent& intent);
Result<LdlmIntent, MessageError> decode_ldlm_intent(std::span<const std::byte> in);

}  // namespace ostd::lnet::ptlrpc
