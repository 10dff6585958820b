// The lock budget: how many locks one client, and one resource, may hold
// (granted or waiting) before enqueues are refused, and the per-client and
// per-resource counts the CLI and telemetry show.
//
// Why: a lock costs the appliance memory, and one client asking for 100000
// lockahead extents (or thousands of clients on one shared file) must not
// exhaust it. Lustre refuses an enqueue over its lock memory limit with
// -EINPROGRESS ("retry later", ldlm_handle_enqueue0); so does ostd.
#pragma once

#include <cstddef>
#include <limits>

#include "ldlm/ids.hpp"

namespace ostd::ldlm {

inline constexpr std::size_t unlimited_locks = std::numeric_limits<std::size_t>::max();

// The library caps nothing unless told; ostd's configuration sets the caps.
struct LockLimits {
    std::size_t max_per_client = unlimited_locks;
    std::size_t max_per_resource = unlimited_locks;
};

struct ClientLockCount {
    ClientId client;
    std::size_t locks = 0;  // granted and waiting
};

struct ResourceLockCount {
    ResourceName resource;
    std::size_t granted = 0;
    std::size_t waiting = 0;
};

}  // namespace ostd::ldlm
