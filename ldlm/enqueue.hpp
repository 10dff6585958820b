// Enqueue and cancel requests and their results.
#pragma once

#include <cstdint>
#include <vector>

#include "ldlm/actions.hpp"
#include "ldlm/extent.hpp"
#include "ldlm/flags.hpp"
#include "ldlm/ids.hpp"
#include "ldlm/mode.hpp"

namespace ostd::ldlm {

struct EnqueueRequest {
    ResourceName resource;
    LockMode mode = LockMode::pr;
    Extent extent;
    std::uint64_t gid = 0;  // GROUP only
    LockFlags flags = 0;    // speculative, block_nowait, no_expansion
    ClientId client;
    std::uint64_t client_handle = 0;  // must be non-zero; (client, handle) names a request
};

enum class EnqueueStatus : std::uint8_t { granted, waiting, refused };

enum class RefusalReason : std::uint8_t {
    none,
    invalid_mode,
    invalid_extent,         // start > end
    invalid_client_handle,  // 0
    handle_in_use,          // same client handle, different resource or mode
    speculative_conflict,   // "would block": -EAGAIN on the wire
    group_conflict,         // BLOCK_NOWAIT (or a group request) met a group lock
    client_lock_limit,      // the client holds max_per_client locks: -EINPROGRESS on the wire
    resource_lock_limit,    // the resource holds max_per_resource locks: -EINPROGRESS
};

struct EnqueueResult {
    EnqueueStatus status = EnqueueStatus::refused;
    RefusalReason reason = RefusalReason::none;
    LockHandle handle;          // 0 when refused
    Extent extent;              // granted extent, or the request while waiting
    LockFlags flags = 0;        // lock_changed, block_granted
    bool resent = false;        // answered with the lock an earlier request made
    std::vector<Action> actions;  // blocking ASTs to send
};

enum class CancelStatus : std::uint8_t { cancelled, not_found };

struct CancelResult {
    CancelStatus status = CancelStatus::not_found;
    std::uint64_t cancelled = 0;  // locks removed (cancel_all may remove many)
    std::vector<Action> actions;  // completion ASTs of waiters granted, then new blocking ASTs
};

// The request as the lock manager will treat it: GROUP locks are whole-file
// and never wait on another group (BLOCK_NOWAIT); speculative locks are taken
// exactly as asked (NO_EXPANSION); unknown flag bits are dropped.
inline EnqueueRequest normalize_request(EnqueueRequest r) {
    r.flags &= flag::request_mask;
    if (r.mode == LockMode::group) {
        r.extent = Extent::whole_file();
        r.flags |= flag::block_nowait;  // never expanded either: already whole-file
    } else {
        r.gid = 0;
    }
    if ((r.flags & flag::speculative) != 0) r.flags |= flag::no_expansion;
    return r;
}

// Checks a request before normalisation; none when acceptable.
inline RefusalReason validate_request(const EnqueueRequest& r) {
    if (!is_valid_mode(static_cast<std::uint32_t>(r.mode))) return RefusalReason::invalid_mode;
    if (!r.extent.valid()) return RefusalReason::invalid_extent;
    if (r.client_handle == 0) return RefusalReason::invalid_client_handle;
    return RefusalReason::none;
}

}  // namespace ostd::ldlm
