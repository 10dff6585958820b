// The OST subset of ptlrpc opcodes, the portals each RPC travels on, and the
// pb_version each uses (DESIGN.md 4.4, 4.6; values as in Lustre's lustre_idl.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ostd::lnet::ptlrpc {

enum class Opcode : uint32_t {
    ost_getattr = 1,
    ost_setattr = 2,
    ost_read = 3,
    ost_write = 4,
    ost_connect = 8,
    ost_disconnect = 9,
    ost_punch = 10,
    ost_sync = 16,
    ost_ladvise = 21,
    ldlm_enqueue = 101,
    ldlm_convert = 102,
    ldlm_cancel = 103,
    ldlm_bl_callback = 104,
    ldlm_cp_callback = 105,
    ldlm_gl_callback = 106,
    obd_ping = 400,
};

namespace portal {
inline constexpr uint32_t osc_reply = 4;             // replies to OST and enqueue requests
inline constexpr uint32_t ost_io = 6;                // READ, WRITE, PUNCH, LADVISE
inline constexpr uint32_t ost_bulk = 8;              // client bulk MDs
inline constexpr uint32_t ldlm_cb_request = 15;      // ASTs, server -> client
inline constexpr uint32_t ldlm_cb_reply = 16;
inline constexpr uint32_t ldlm_cancel_request = 17;  // CANCEL, CONVERT
inline constexpr uint32_t ldlm_cancel_reply = 18;
inline constexpr uint32_t ost_request = 28;          // CONNECT, PING, GETATTR, ..., ENQUEUE
}  // namespace portal

struct RpcRoute {
    uint32_t request_portal;
    uint32_t reply_portal;
    uint32_t version;  // pb_version, including PTLRPC_MSG_VERSION
};

// Every opcode of the enum is known; anything else is not.
bool is_known_opcode(uint32_t opc);
std::optional<RpcRoute> rpc_route(Opcode opc);
inline std::optional<RpcRoute> rpc_route(uint32_t opc)
{
    return is_known_opcode(opc) ? rpc_route(static_cast<Opcode>(opc)) : std::nullopt;
}

// "LDLM_ENQUEUE", ... or "unknown".
std::string_view opcode_name(uint32_t opc);
inline std::string_view opcode_name(Opcode opc) { return opcode_name(static_cast<uint32_t>(opc)); }

}  // namespace ostd::lnet::ptlrpc
