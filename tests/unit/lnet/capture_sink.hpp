// A TxSink for tests: keeps what was sent, or refuses when told to.
#pragma once

#include <vector>

#include "lnet_core/tx_sink.hpp"

namespace ostd::lnet::testing {

struct SentMessage {
    LnetHeader header;
    std::vector<std::byte> payload;
};

class CaptureSink : public TxSink {
public:
    bool transmit(const LnetHeader& header, std::span<const std::byte> payload) override
    {
        if (refuse)
            return false;
        sent.push_back({header, {payload.begin(), payload.end()}});
        return true;
    }

    std::vector<SentMessage> sent;
    bool refuse = false;
};

}  // namespace ostd::lnet::testing
