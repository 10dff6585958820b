// The control core's front door: every request the workers forward is decoded
// and validated (lustre_msg_v2, ptlrpc_body, the opcode's buffers), its export
// checked (every opcode but OST_CONNECT needs a live one), and handed to the
// service registered for its opcode. A request that cannot be parsed is
// counted by reason; one that can is answered with an error.
#pragma once

#include <array>
#include <memory>
#include <unordered_map>

#include "control/rpc/rpc_call.hpp"
#include "lnet_core/counter.hpp"
#include "lnet_core/ptlrpc/message_error.hpp"

namespace ostd::control {

struct RouterStats {
    std::array<lnet::Counter, 512> served;  // by opcode (all < 512)
    lnet::ptlrpc::MessageErrorCounters malformed;
    lnet::Counter refused_not_connected;    // unknown or evicted export: -ENOTCONN
    lnet::Counter unsupported;              // no service for the opcode: -EOPNOTSUPP
};

class RpcRouter {
public:
    RpcRouter(ExportTable& exports, ReplyChannel& replies) : _exports(exports), _replies(replies) {}

    void add(lnet::ptlrpc::Opcode opc, RpcHandler& handler) { _handlers[static_cast<uint32_t>(opc)] = &handler; }
    void serve(const dataplane::IncomingRpc& request);
    const RouterStats& stats() const { return _stats; }

private:
    ExportTable& _exports;
    ReplyChannel& _replies;
    std::unordered_map<uint32_t, RpcHandler*> _handlers;
    RouterStats _stats;
};

}  // namespace ostd::control
