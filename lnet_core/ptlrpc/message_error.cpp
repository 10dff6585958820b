#include "lnet_core/ptlrpc/message_error.hpp"

namespace ostd::lnet::ptlrpc {

std::string_view message_error_name(MessageError error)
{
    switch (error) {
    case MessageError::truncated_header: return "truncated_header";
    case MessageError::swabbed_magic: return "swabbed_magic";
    case MessageError::bad_magic: return "bad_magic";
    case MessageError::bad_bufcount: return "bad_bufcount";
    case MessageError::buffers_overrun: return "buffers_overrun";
    case MessageError::short_body: return "short_body";
    case MessageError::bad_message_type: return "bad_message_type";
    case MessageError::bad_version: return "bad_version";
    case MessageError::short_buffer: return "short_buffer";
    case MessageError::lock_count_overflow: return "lock_count_overflow";
    case MessageError::bad_array_length: return "bad_array_length";
    case MessageError::bad_ladvise_magic: return "bad_ladvise_magic";
    case MessageError::bad_resource_type: return "bad_resource_type";
    case MessageError::bad_lock_mode: return "bad_lock_mode";
    case MessageError::bad_extent: return "bad_extent";
    case MessageError::unknown_opcode: return "unknown_opcode";
    case MessageError::missing_buffer: return "missing_buffer";
    case MessageError::niobuf_count_mismatch: return "niobuf_count_mismatch";
    case MessageError::count_: break;
    }
    return "unknown";
}

}  // namespace ostd::lnet::ptlrpc
