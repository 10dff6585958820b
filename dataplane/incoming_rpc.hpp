// A ptlrpc request a worker hands to the control core: a copy of its bytes
// (so the worker's request buffer is free at once) and where it came from.
// Travels by pointer through the worker's to_control ring; the control core
// owns it once dequeued.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lnet_core/nid.hpp"

namespace ostd::dataplane {

struct IncomingRpc {
    std::vector<std::byte> bytes;  // the lustre_msg_v2 as received
    lnet::ProcessId peer;
    uint64_t xid = 0;              // the LNET match bits
    uint32_t portal = 0;
    unsigned worker = 0;           // received by; replies go out through it
};

}  // namespace ostd::dataplane
