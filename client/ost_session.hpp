// An OST connection on top of RpcClient: OST_CONNECT (which gives the export
// handle every later request carries), OBD_PING, OST_DISCONNECT
// (DESIGN.md 4.5, 4.6). pb_version OBD for all three.
#pragma once

#include <string>

#include "client/rpc_client.hpp"
#include "lnet_core/ptlrpc/connect_wire.hpp"

namespace ostd::client {

// OBD_OCD_VERSION(2, 15, 0, 0): the Lustre release whose client we speak as.
inline constexpr uint32_t ocd_version_2_15 = (2u << 24) | (15u << 16);

// What we ask for: versioned, request portal, adaptive timeouts, 1 MiB BRW,
// cancel sets, FIDs, LVB types, maxbytes.
ptlrpc::ConnectData default_connect_data(uint32_t ost_index = 0);

struct SessionOptions {
    std::string target_uuid = "ostd-OST0000_UUID";
    std::string client_uuid;  // empty: a random UUID, once per session
    ptlrpc::ConnectData connect_data = default_connect_data();
};

struct Connection {
    uint64_t handle = 0;  // the export handle (reply pb_handle)
    uint32_t conn_cnt = 0;
    uint32_t op_flags = 0;  // MSG_CONNECT_*
    ptlrpc::ConnectData data;  // what the server granted
};

class OstSession {
public:
    OstSession(RpcClient& rpc, SessionOptions options = {});

    // On success the export is set on the RpcClient for every later call.
    lnet::Result<Connection, RpcError> connect();
    lnet::Result<Reply, RpcError> ping();
    // Forgets the export whatever the answer.
    lnet::Result<Reply, RpcError> disconnect();

    bool connected() const { return _connection.has_value(); }
    const std::optional<Connection>& connection() const { return _connection; }
    const std::string& client_uuid() const { return _options.client_uuid; }
    const std::string& target_uuid() const { return _options.target_uuid; }
    RpcClient& rpc() { return _rpc; }

private:
    // A reply with a non-zero status becomes RpcErrc::refused.
    lnet::Result<Reply, RpcError> call_ok(Request request);
    // A reply with a non-zero status as a refusal naming the RPC.
    lnet::Result<Reply, RpcError> ok_or_refused(ptlrpc::Opcode opc, lnet::Result<Reply, RpcError> reply);

    RpcClient& _rpc;
    SessionOptions _options;
    std::optional<Connection> _connection;
};

// A random (version 4) UUID in its 36-character text form.
std::string random_uuid();

}  // namespace ostd::client
