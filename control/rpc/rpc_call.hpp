// One ptlrpc request being served on the control core, and the way to answer it.
#pragma once

#include <cerrno>
#include <initializer_list>
#include <span>

#include "control/rpc/export_table.hpp"
#include "control/rpc/reply_sender.hpp"
#include "dataplane/incoming_rpc.hpp"
#include "lnet_core/ptlrpc/message.hpp"
#include "lnet_core/ptlrpc/opcodes.hpp"
#include "lnet_core/ptlrpc/ptlrpc_body.hpp"
#include "lnet_core/ptlrpc/rpc_layout.hpp"

namespace ostd::control {

struct RpcCall {
    const dataplane::IncomingRpc& request;
    const lnet::ptlrpc::Message& message;
    const lnet::ptlrpc::PtlrpcBody& body;
    Export* client;  // the caller's export; null only for OST_CONNECT
    ReplyChannel& replies;

    void reply(const lnet::ptlrpc::ReplyParams& params,
               std::initializer_list<std::span<const std::byte>> buffers = {}) const
    {
        auto route = lnet::ptlrpc::rpc_route(body.opc);
        uint32_t reply_portal = route ? route->reply_portal : lnet::ptlrpc::portal::osc_reply;
        bool at_support = message.header.flags & lnet::ptlrpc::msghdr_at_support;
        replies.send(request, reply_portal, at_support,
                     lnet::ptlrpc::build_reply(body, message.header.flags, params,
                                               std::span(buffers.begin(), buffers.size())));
    }
    // The request was not served: an ERR reply with -errno.
    void fail(int errno_value) const
    {
        lnet::ptlrpc::ReplyParams params;
        params.status = -errno_value;
        params.type = lnet::ptlrpc::MsgType::err;
        reply(params);
    }
};

// A service on the control core answers the opcodes it registered for.
class RpcHandler {
public:
    virtual ~RpcHandler() = default;
    virtual void serve(const RpcCall& call) = 0;
};

}  // namespace ostd::control
