// Where an endpoint's outgoing LNET messages go: a UDP socket in the client,
// a TX queue in the appliance, a vector in tests.
#pragma once

#include <cstddef>
#include <span>

#include "lnet_core/lnet_header.hpp"

namespace ostd::lnet {

class TxSink {
public:
    virtual ~TxSink() = default;
    // Sends one message to header.dest_nid/dest_pid; false if it cannot be
    // queued now (the caller pushes back and nothing is consumed).
    virtual bool transmit(const LnetHeader& header, std::span<const std::byte> payload) = 0;
};

}  // namespace ostd::lnet
