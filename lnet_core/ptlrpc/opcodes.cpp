#include "lnet_core/ptlrpc/opcodes.hpp"

#include "lnet_core/ptlrpc/ptlrpc_body.hpp"

namespace ostd::lnet::ptlrpc {
namespace {

struct OpcodeInfo {
    Opcode opc;
    std::string_view name;
    RpcRoute route;
};

constexpr OpcodeInfo opcode_table[] = {
    {Opcode::ost_connect, "OST_CONNECT", {portal::ost_request, portal::osc_reply, obd_version}},
    {Opcode::ost_disconnect, "OST_DISCONNECT", {portal::ost_request, portal::osc_reply, obd_version}},
    {Opcode::obd_ping, "OBD_PING", {portal::ost_request, portal::osc_reply, obd_version}},
    {Opcode::ost_getattr, "OST_GETATTR", {portal::ost_request, portal::osc_reply, ost_version}},
    {Opcode::ost_setattr, "OST_SETATTR", {portal::ost_request, portal::osc_reply, ost_version}},
    {Opcode::ost_sync, "OST_SYNC", {portal::ost_request, portal::osc_reply, ost_version}},
    {Opcode::ldlm_enqueue, "LDLM_ENQUEUE", {portal::ost_request, portal::osc_reply, dlm_version}},
    {Opcode::ost_read, "OST_READ", {portal::ost_io, portal::osc_reply, ost_version}},
    {Opcode::ost_write, "OST_WRITE", {portal::ost_io, portal::osc_reply, ost_version}},
    {Opcode::ost_punch, "OST_PUNCH", {portal::ost_io, portal::osc_reply, ost_version}},
    {Opcode::ost_ladvise, "OST_LADVISE", {portal::ost_io, portal::osc_reply, ost_version}},
    {Opcode::ldlm_cancel, "LDLM_CANCEL", {portal::ldlm_cancel_request, portal::ldlm_cancel_reply, dlm_version}},
    {Opcode::ldlm_convert, "LDLM_CONVERT", {portal::ldlm_cancel_request, portal::ldlm_cancel_reply, dlm_version}},
    {Opcode::ldlm_bl_callback, "LDLM_BL_CALLBACK", {portal::ldlm_cb_request, portal::ldlm_cb_reply, dlm_version}},
    {Opcode::ldlm_cp_callback, "LDLM_CP_CALLBACK", {portal::ldlm_cb_request, portal::ldlm_cb_reply, dlm_version}},
    {Opcode::ldlm_gl_callback, "LDLM_GL_CALLBACK", {portal::ldlm_cb_request, portal::ldlm_cb_reply, dlm_version}},
};

const OpcodeInfo* find(uint32_t opc)
{
    for (const OpcodeInfo& info : opcode_table)
        if (static_cast<uint32_t>(info.opc) == opc)
            return &info;
    return nullptr;
}

}  // namespace

bool is_known_opcode(uint32_t opc) { return find(opc) != nullptr; }

std::optional<RpcRoute> rpc_route(Opcode opc)
{
    const OpcodeInfo* info = find(static_cast<uint32_t>(opc));
    if (!info)
        return std::nullopt;
    return info->route;
}

std::string_view opcode_name(uint32_t opc)
{
    const OpcodeInfo* info = find(opc);
    return info ? info->name : "unknown";
}

}  // namespace ostd::lnet::ptlrpc
