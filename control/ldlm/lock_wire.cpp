#include "control/ldlm/lock_wire.hpp"

#include <span>

#include "lnet_core/ptlrpc/rpc_layout.hpp"

namespace ostd::control {

namespace ptlrpc = lnet::ptlrpc;

ptlrpc::OstLvb to_wire(const ldlm::Lvb& lvb)
{
    ptlrpc::OstLvb out;
    out.size_ = lvb.size;
    out.mtime = static_cast<int64_t>(lvb.mtime);
    out.atime = static_cast<int64_t>(lvb.atime);
    out.ctime = static_cast<int64_t>(lvb.ctime);
    out.blocks = lvb.blocks;
    return out;
}

ldlm::Lvb from_wire(const ptlrpc::OstLvb& lvb)
{
    auto time = [](int64_t t) { return t < 0 ? uint64_t{0} : static_cast<uint64_t>(t); };
    return ldlm::Lvb{lvb.size_, time(lvb.mtime), time(lvb.atime), time(lvb.ctime), lvb.blocks};
}

ptlrpc::LockDesc lock_desc(const ldlm::ResourceName& resource, ldlm::LockMode mode, const ldlm::Extent& extent,
                           uint64_t gid, bool granted)
{
    ptlrpc::LockDesc desc;
    desc.name = resource.id;
    desc.req_mode = ldlm::bits(mode);
    desc.granted_mode = granted ? ldlm::bits(mode) : 0;
    desc.extent = {extent.start, extent.end, gid};
    return desc;
}

namespace {

std::vector<std::byte> build_ast(ptlrpc::Opcode opc, const ptlrpc::LdlmRequest& request,
                                 std::span<const std::byte> extra = {})
{
    auto body_bytes = ptlrpc::encode_ldlm_request(request);
    ptlrpc::PtlrpcBody body;
    if (extra.empty())
        return ptlrpc::build_request(opc, body, {std::span<const std::byte>(body_bytes)});
    return ptlrpc::build_request(opc, body, {std::span<const std::byte>(body_bytes), extra});
}

ptlrpc::LdlmRequest ast_request(const ptlrpc::LockDesc& desc, uint64_t client_handle, uint64_t server_handle)
{
    ptlrpc::LdlmRequest request;
    request.lock_count = 1;
    request.desc = desc;
    request.handles = {client_handle, server_handle};
    return request;
}

}  // namespace

std::vector<std::byte> build_blocking_ast(const ldlm::Action& action, const ptlrpc::LockDesc& blocker)
{
    auto request = ast_request(blocker, action.client_handle, action.lock.cookie);
    request.flags = ldlm::flag::ast_sent;
    return build_ast(ptlrpc::Opcode::ldlm_bl_callback, request);
}

std::vector<std::byte> build_completion_ast(const ldlm::Action& action, uint64_t gid, const ldlm::Lvb& lvb)
{
    auto desc = lock_desc(action.resource, action.mode, action.extent, gid, true);
    auto request = ast_request(desc, action.client_handle, action.lock.cookie);
    auto lvb_bytes = ptlrpc::encode_ost_lvb(to_wire(lvb));
    return build_ast(ptlrpc::Opcode::ldlm_cp_callback, request, lvb_bytes);
}

std::vector<std::byte> build_glimpse_ast(const ldlm::LockInfo& lock)
{
    auto desc = lock_desc(lock.resource, lock.mode, lock.extent, lock.gid, lock.state == ldlm::LockState::granted);
    return build_ast(ptlrpc::Opcode::ldlm_gl_callback, ast_request(desc, lock.client_handle, lock.handle.cookie));
}

}  // namespace ostd::control
