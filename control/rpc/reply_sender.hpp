// Sends ptlrpc replies from the control core: the reply is handed, as a
// command, to the worker that received the request (the client's home: its
// peer table knows where the client is), which PUTs it to the client's reply
// portal with the request's xid as match bits.
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/dataplane.hpp"
#include "dataplane/incoming_rpc.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"

namespace ostd::control {

using lnet::ptlrpc::at_reply_offset;

struct ReplyStats {
    lnet::Counter sent;
    lnet::Counter refused;  // the worker's command ring was full
};

// Where replies go: the workers in ostd, a capture in tests.
class ReplyChannel {
public:
    virtual ~ReplyChannel() = default;
    virtual void send(const dataplane::IncomingRpc& request, uint32_t reply_portal, bool at_support,
                      std::vector<std::byte> reply) = 0;
};

class ReplySender : public ReplyChannel {
public:
    explicit ReplySender(dataplane::Dataplane& dataplane) : _dataplane(dataplane) {}

    void send(const dataplane::IncomingRpc& request, uint32_t reply_portal, bool at_support,
              std::vector<std::byte> reply) override;
    const ReplyStats& stats() const { return _stats; }

private:
    dataplane::Dataplane& _dataplane;
    ReplyStats _stats;
};

}  // namespace ostd::control
