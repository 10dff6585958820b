#include "control/rpc/connect_service.hpp"

#include <algorithm>
#include <string>

#include "lnet_core/ptlrpc/connect_wire.hpp"

namespace ostd::control {

namespace ptlrpc = lnet::ptlrpc;

namespace {

// The flags this appliance honours; the reply offers the client's flags
// that are among them.
constexpr uint64_t supported_flags = ptlrpc::obd_connect::version | ptlrpc::obd_connect::brw_size |
                                     ptlrpc::obd_connect::at | ptlrpc::obd_connect::maxbytes |
                                     ptlrpc::obd_connect::full20 | ptlrpc::obd_connect::request_portal |
                                     ptlrpc::obd_connect::cancelset | ptlrpc::obd_connect::lvb_type;

std::string uuid_of(std::span<const std::byte> buffer)
{
    const char* text = reinterpret_cast<const char*>(buffer.data());
    return std::string(text, std::find(text, text + buffer.size(), '\0'));
}

}  // namespace

void ConnectService::attach(RpcRouter& router)
{
    router.add(ptlrpc::Opcode::ost_connect, *this);
    router.add(ptlrpc::Opcode::obd_ping, *this);
    router.add(ptlrpc::Opcode::ost_disconnect, *this);
}

void ConnectService::serve(const RpcCall& call)
{
    switch (static_cast<ptlrpc::Opcode>(call.body.opc)) {
    case ptlrpc::Opcode::ost_connect:
        connect(call);
        return;
    case ptlrpc::Opcode::obd_ping:
        call.reply({});
        return;
    case ptlrpc::Opcode::ost_disconnect: {
        Export gone = *call.client;
        _exports.disconnect(gone.handle);
        if (_release)
            _release(gone);
        call.reply({});
        return;
    }
    default:
        call.fail(EOPNOTSUPP);
    }
}

void ConnectService::connect(const RpcCall& call)
{
    std::string client_uuid = uuid_of(call.message.buffer(2));
    auto asked = ptlrpc::decode_connect_data(call.message.buffer(4));
    if (client_uuid.empty() || !asked) {
        call.fail(EPROTO);
        return;
    }
    Export& client = _exports.connect(client_uuid, call.request.peer, call.request.worker,
                                      std::chrono::steady_clock::now());
    ptlrpc::ConnectData answer;
    answer.connect_flags = asked->connect_flags & supported_flags;
    answer.version = _policy.version;
    answer.brw_size = std::min(asked->brw_size ? asked->brw_size : _policy.brw_size, _policy.brw_size);
    answer.maxbytes = _policy.max_bytes;
    auto bytes = ptlrpc::encode_connect_data(answer);
    ptlrpc::ReplyParams params;
    params.handle = client.handle;
    call.reply(params, {std::span<const std::byte>(bytes)});
}

}  // namespace ostd::control
