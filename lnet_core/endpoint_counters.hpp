// What an endpoint counts: written by its owner core, readable anywhere.
#pragma once

#include <array>

#include "lnet_core/counter.hpp"
#include "lnet_core/drop_reason.hpp"
#include "lnet_core/lnet_header.hpp"

namespace ostd::lnet {

struct EndpointCounters {
    std::array<Counter, 5> received;  // by MsgType
    std::array<Counter, 5> sent;      // by MsgType
    Counter noops;                    // socklnd NOOP / keepalive
    Counter matched;
    Counter delivered_bytes;
    Counter delayed;                  // PUTs parked on a lazy portal
    Counter pushbacks;                // refused for now: EQ or TX full
    Counter tx_failures;              // our own PUT/GET could not be queued
    DropCounters drops;

    Counter& received_of(MsgType type) { return received[static_cast<size_t>(type)]; }
    Counter& sent_of(MsgType type) { return sent[static_cast<size_t>(type)]; }
};

}  // namespace ostd::lnet
