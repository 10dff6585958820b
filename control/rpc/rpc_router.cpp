#include "control/rpc/rpc_router.hpp"

#include <cerrno>

namespace ostd::control {

namespace ptlrpc = lnet::ptlrpc;

void RpcRouter::serve(const dataplane::IncomingRpc& request)
{
    auto message = ptlrpc::decode_message(request.bytes);
    if (!message) {
        _stats.malformed.count(message.error());
        return;  // nothing to answer with: the client times out and resends
    }
    auto body = ptlrpc::check_request(*message);
    if (!body) {
        _stats.malformed.count(body.error());
        auto bare = ptlrpc::decode_ptlrpc_body(message->buffer(0));
        if (bare)  // enough to address an answer
            RpcCall{request, *message, *bare, nullptr, _replies}.fail(EPROTO);
        return;
    }
    Export* client = nullptr;
    if (body->opc != static_cast<uint32_t>(ptlrpc::Opcode::ost_connect)) {
        client = _exports.find(body->handle);
        if (!client) {
            _stats.refused_not_connected.add();
            RpcCall{request, *message, *body, nullptr, _replies}.fail(ENOTCONN);
            return;
        }
        client->last_contact = std::chrono::steady_clock::now();
    }
    RpcCall call{request, *message, *body, client, _replies};
    auto handler = _handlers.find(body->opc);
    if (handler == _handlers.end()) {
        _stats.unsupported.add();
        call.fail(EOPNOTSUPP);
        return;
    }
    _stats.served[body->opc % _stats.served.size()].add();
    handler->second->serve(call);
}

}  // namespace ostd::control
