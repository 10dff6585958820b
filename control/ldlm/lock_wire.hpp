// The lock manager's values on the wire: ldlm_lock_desc and ost_lvb from and
// to ldlm types, and the three ASTs the server sends (DESIGN.md 4.5):
// LDLM_BL_CALLBACK [ldlm_request], LDLM_CP_CALLBACK [ldlm_request][ost_lvb],
// LDLM_GL_CALLBACK [ldlm_request].
#pragma once

#include <cstdint>
#include <vector>

#include "ldlm/actions.hpp"
#include "ldlm/lock.hpp"
#include "ldlm/lvb.hpp"
#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"

namespace ostd::control {

lnet::ptlrpc::OstLvb to_wire(const ldlm::Lvb& lvb);
ldlm::Lvb from_wire(const lnet::ptlrpc::OstLvb& lvb);

// A lock as a descriptor: requested mode, granted mode (0 while waiting), extent.
lnet::ptlrpc::LockDesc lock_desc(const ldlm::ResourceName& resource, ldlm::LockMode mode,
                                 const ldlm::Extent& extent, uint64_t gid, bool granted);

// BL AST: lock_desc = the lock that conflicts (the blocker; the lock itself
// when the blocker is gone), handles = {client cookie, server cookie}.
std::vector<std::byte> build_blocking_ast(const ldlm::Action& action, const lnet::ptlrpc::LockDesc& blocker);
// CP AST: the granted lock, handles = {client cookie, server cookie}, and the LVB.
std::vector<std::byte> build_completion_ast(const ldlm::Action& action, uint64_t gid, const ldlm::Lvb& lvb);
// GL AST: the lock whose holder is asked for the size.
std::vector<std::byte> build_glimpse_ast(const ldlm::LockInfo& lock);

}  // namespace ostd::control
