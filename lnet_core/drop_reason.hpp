// Why an incoming LNET message was not delivered. Every refusal on the
// receive path is one of these and is counted: nothing is dropped silently.
#pragma once

#include <cstdint>
#include <string_view>

#include "lnet_core/reason_counters.hpp"

namespace ostd::lnet {

enum class DropReason : uint8_t {
    // framing and headers (decoding)
    truncated_socklnd_header,
    bad_socklnd_type,
    bad_checksum,
    truncated_lnet_header,
    bad_message_type,
    payload_too_long,       // PUT/REPLY over 1 MiB, or over the endpoint's limit
    payload_not_allowed,    // ACK or GET with a payload
    length_mismatch,        // datagram is not exactly header + payload_length
    bad_portal,             // ptl_index >= 64
    // addressing
    wrong_destination,      // dest NID/pid is not this endpoint
    // matching
    no_match,
    too_long,               // matched an MD that is too small and does not truncate
    delayed_overflow,       // lazy portal's delayed list is full
    lazy_cleared,           // delayed message dropped when its portal stopped being lazy
    stale_handle,           // ACK or REPLY for an MD that no longer exists
    unexpected_hello,
    count_
};

inline constexpr size_t drop_reason_count = static_cast<size_t>(DropReason::count_);

std::string_view drop_reason_name(DropReason reason);

using DropCounters = ReasonCounters<DropReason>;

}  // namespace ostd::lnet
