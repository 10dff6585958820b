// LNET ping, as `lnetctl ping` does it: a GET on portal 0 with match bits
// 0x8000000000000000 to the peer's pid 12345; the REPLY carries its ping info
// (its NIDs and their status).
//
// Synchronous: polls the transport until the REPLY or the timeout. The ping's
// MD reports to a queue of its own, so the transport's event queue (and
// whatever else is in flight on it) is left untouched.
#pragma once

#include <chrono>
#include <string>

#include "client/udp_transport.hpp"
#include "lnet_core/ping_info.hpp"

namespace ostd::client {

struct PingOptions {
    std::chrono::milliseconds timeout{1000};
    lnet::Pid target_pid = lnet::lustre_pid;
    size_t max_nis = 16;  // reply room: Lustre's default LNET_INTERFACES_MAX
};

struct PingResult {
    lnet::PingInfo info;
    std::chrono::nanoseconds round_trip{0};
};

enum class PingErrc : uint8_t {
    bad_target,  // not an IPv4 (socklnd) NID
    send,        // the GET could not be sent (transport error in detail)
    transport,   // polling the socket failed
    timeout,     // no REPLY in time
    bad_reply,   // the REPLY is not ping info (wrong magic, truncated)
};

struct PingError {
    PingErrc code = PingErrc::timeout;
    std::string detail;  // full sentence: "no reply from 10.77.0.1@tcp within 1000 ms"
};

lnet::Result<PingResult, PingError> ping(UdpTransport& transport, lnet::Nid target, const PingOptions& options = {});

// "UP", "DOWN", or the raw value in hex.
std::string ni_status_name(uint32_t status);
// "0x3 (base,ni_status)": Lustre's LNET_PING_FEAT_* names.
std::string ping_features_text(uint32_t features);

}  // namespace ostd::client
