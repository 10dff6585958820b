// Work the control core must do after a lock-manager call: the ASTs.
#pragma once

#include <cstdint>

#include "ldlm/extent.hpp"
#include "ldlm/ids.hpp"
#include "ldlm/mode.hpp"

namespace ostd::ldlm {

enum class ActionKind : std::uint8_t {
    blocking_ast,    // ask the holder to cancel `lock` (sent at most once per lock)
    completion_ast,  // tell the holder its waiting `lock` is now granted
};

// Carries what the AST needs on the wire, so the control core need not look
// the lock up again (ldlm_request: both cookies and a lock descriptor).
struct Action {
    ActionKind kind = ActionKind::blocking_ast;
    ClientId client;                  // whom to send it to
    LockHandle lock;                  // the lock the AST is about
    std::uint64_t client_handle = 0;  // that lock's cookie on the client
    ResourceName resource;
    LockMode mode = LockMode::nl;     // lock's mode (granted mode for completion)
    Extent extent;                    // lock's extent (granted extent for completion)
    LockHandle blocker;               // blocking AST: the request it conflicts with
    friend bool operator==(const Action&, const Action&) = default;
};

}  // namespace ostd::ldlm
