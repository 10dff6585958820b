#include "lnet_core/drop_reason.hpp"

namespace ostd::lnet {

std::string_view drop_reason_name(DropReason reason)
{
    switch (reason) {
    case DropReason::truncated_socklnd_header: return "truncated_socklnd_header";
    case DropReason::bad_socklnd_type: return "bad_socklnd_type";
    case DropReason::bad_checksum: return "bad_checksum";
    case DropReason::truncated_lnet_header: return "truncated_lnet_header";
    case DropReason::bad_message_type: return "bad_message_type";
    case DropReason::payload_too_long: return "payload_too_long";
    case DropReason::payload_not_allowed: return "payload_not_allowed";
    case DropReason::length_mismatch: return "length_mismatch";
    case DropReason::bad_portal: return "bad_portal";
    case DropReason::wrong_destination: return "wrong_destination";
    case DropReason::no_match: return "no_match";
    case DropReason::too_long: return "too_long";
    case DropReason::delayed_overflow: return "delayed_overflow";
    case DropReason::lazy_cleared: return "lazy_cleared";
    case DropReason::stale_handle: return "stale_handle";
    case DropReason::unexpected_hello: return "unexpected_hello";
    case DropReason::count_: break;
    }
    return "unknown";
}

}  // namespace ostd::lnet
