// Why a ptlrpc message (or one of its buffers) was refused. Every refusal on
// the RPC decode path is one of these and is counted, like lnet::DropReason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lnet_core/reason_counters.hpp"

namespace ostd::lnet::ptlrpc {

enum class MessageError : uint8_t {
    // lustre_msg_v2 framing
    truncated_header,     // shorter than the 32-byte header or its buflens[]
    swabbed_magic,        // 0xD30BD00B: a big-endian peer (we speak little-endian only)
    bad_magic,
    bad_bufcount,         // 0, or over max_buffers
    buffers_overrun,      // padded buffer lengths run past the end of the message
    // ptlrpc_body
    short_body,           // buffer 0 shorter than 184 bytes
    bad_message_type,     // pb_type is not REQUEST / REPLY / ERR where one is needed
    bad_version,          // pb_version is not the opcode's (OBD / OST / DLM, upper 16 bits)
    // typed buffers
    short_buffer,         // a body shorter than its fixed size
    lock_count_overflow,  // ldlm_request.lock_count larger than the buffer holds
    bad_array_length,     // an array buffer that is not a whole number of elements
    bad_ladvise_magic,
    bad_resource_type,    // an enqueue for anything but an EXTENT resource
    bad_lock_mode,        // an enqueue's req_mode is not one of the seven LCK_* modes
    bad_extent,           // an enqueue's extent starts after it ends
    // RPC layouts
    unknown_opcode,
    missing_buffer,       // fewer buffers than the opcode's layout needs
    niobuf_count_mismatch,  // sum of ioo_bufcnt differs from the niobuf count
    count_
};

inline constexpr size_t message_error_count = static_cast<size_t>(MessageError::count_);

std::string_view message_error_name(MessageError error);

// Refusals by reason, written by one owner core, readable from any thread.
using MessageErrorCounters = ReasonCounters<MessageError>;


}  // namespace ostd::lnet::ptlrpc
