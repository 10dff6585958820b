#include "client/ost_session.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

namespace ostd::client {

namespace {

// A NUL-terminated uuid in an obd_uuid-sized buffer (40 bytes, zero-padded).
std::vector<std::byte> uuid_buffer(const std::string& uuid)
{
    std::vector<std::byte> out(ptlrpc::obd_uuid_size);
    std::memcpy(out.data(), uuid.data(), std::min(uuid.size(), out.size() - 1));
    return out;
}

std::vector<std::byte> handle_buffer(uint64_t handle)
{
    std::vector<std::byte> out(8);
    for (size_t i = 0; i < 8; ++i)
        out[i] = static_cast<std::byte>(handle >> (8 * i));
    return out;
}

Request request_for(ptlrpc::Opcode opc)
{
    Request request;
    request.opc = opc;
    return request;
}

}  // namespace

ptlrpc::ConnectData default_connect_data(uint32_t ost_index)
{
    namespace flag = ptlrpc::obd_connect;
    ptlrpc::ConnectData data;
    data.connect_flags = flag::index | flag::version | flag::request_portal | flag::at | flag::brw_size |
                         flag::cancelset | flag::fid | flag::full20 | flag::lvb_type | flag::maxbytes;
    data.version = ocd_version_2_15;
    data.index = ost_index;
    data.brw_size = 1u << 20;
    return data;
}

std::string random_uuid()
{
    std::random_device device;
    std::mt19937_64 generator((uint64_t{device()} << 32) ^ device());
    uint64_t high = generator();
    uint64_t low = generator();
    high = (high & ~0xf000ull) | 0x4000ull;                       // version 4
    low = (low & ~(0xc0ull << 56)) | (0x80ull << 56);             // variant 10
    char text[40];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                  static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0xffff),
                  static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xffffffffffffull));
    return text;
}

OstSession::OstSession(RpcClient& rpc, SessionOptions options) : _rpc(rpc), _options(std::move(options))
{
    if (_options.client_uuid.empty())
        _options.client_uuid = random_uuid();
}

lnet::Result<Reply, RpcError> OstSession::call_ok(Request request)
{
    auto opc = request.opc;
    return ok_or_refused(opc, _rpc.call(std::move(request)));
}

lnet::Result<Reply, RpcError> OstSession::ok_or_refused(ptlrpc::Opcode opc, lnet::Result<Reply, RpcError> reply)
{
    if (!reply || reply->status() == 0)
        return reply;
    int32_t status = reply->status();
    return RpcError{RpcErrc::refused,
                    std::string(ptlrpc::opcode_name(opc)) + " to " + lnet::format_nid(_rpc.config().server.nid) +
                        " refused: status " + std::to_string(status),
                    std::nullopt, status};
}

lnet::Result<Connection, RpcError> OstSession::connect()
{
    Request request = request_for(ptlrpc::Opcode::ost_connect);
    request.with_export = false;
    uint64_t old_handle = _connection ? _connection->handle : 0;  // a reconnect names its export
    auto data = ptlrpc::encode_connect_data(_options.connect_data);
    request.buffers = {uuid_buffer(_options.target_uuid), uuid_buffer(_options.client_uuid),
                       handle_buffer(old_handle), std::vector<std::byte>(data.begin(), data.end())};
    auto reply = call_ok(std::move(request));
    if (!reply)
        return reply.error();
    auto granted = ptlrpc::decode_connect_data(reply->buffer(1));
    if (!granted)
        return RpcError{RpcErrc::bad_reply,
                        "OST_CONNECT to " + lnet::format_nid(_rpc.config().server.nid) + ": bad connect data (" +
                            std::string(ptlrpc::message_error_name(granted.error())) + ")",
                        granted.error(), 0};
    Connection connection{reply->body.handle, reply->body.conn_cnt, reply->body.op_flags, *granted};
    _rpc.set_export(connection.handle, connection.conn_cnt);
    _connection = connection;
    return connection;
}

lnet::Result<Reply, RpcError> OstSession::ping() { return call_ok(request_for(ptlrpc::Opcode::obd_ping)); }

lnet::Result<Reply, RpcError> OstSession::disconnect()
{
    auto reply = _rpc.call(request_for(ptlrpc::Opcode::ost_disconnect));
    // A resent disconnect whose first reply was lost finds its export already
    // gone: -ENOTCONN then answers the first one, and we are disconnected
    // (Lustre's client takes -ENOTCONN from a disconnect as done as well).
    bool gone_already = reply && reply->status() == -ENOTCONN && reply->attempts > 1;
    if (!gone_already)
        reply = ok_or_refused(ptlrpc::Opcode::ost_disconnect, std::move(reply));
    _connection.reset();
    _rpc.clear_export();
    return reply;
}

}  // namespace ostd::client
