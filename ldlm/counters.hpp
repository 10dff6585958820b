// Per-namespace counters, for the CLI and telemetry.
#pragma once

#include <array>
#include <cstdint>

#include "ldlm/mode.hpp"

namespace ostd::ldlm {

struct Counters {
    std::uint64_t enqueues = 0;        // every enqueue call, resends included
    std::uint64_t resends = 0;         // enqueues answered with an existing lock
    std::uint64_t grants = 0;          // locks granted, at once or after waiting
    std::uint64_t waits = 0;           // enqueues that had to wait
    std::uint64_t refusals = 0;        // all refused enqueues
    std::uint64_t speculative_refusals = 0;
    std::uint64_t group_refusals = 0;  // BLOCK_NOWAIT / group request hit a group lock
    std::uint64_t client_limit_refusals = 0;    // over LockLimits::max_per_client
    std::uint64_t resource_limit_refusals = 0;  // over LockLimits::max_per_resource
    std::uint64_t blocking_asts = 0;
    std::uint64_t completion_asts = 0;
    std::uint64_t cancels = 0;         // locks cancelled, eviction included
    std::uint64_t evictions = 0;       // cancel_all calls
    std::uint64_t expansions = 0;      // grants wider than requested
    std::uint64_t glimpse_plans = 0;
    std::uint64_t glimpse_asts = 0;    // targets named by glimpse plans
    std::array<std::uint64_t, mode_count> granted_per_mode{};  // gauge, by mode_index
    std::uint64_t waiting = 0;                                  // gauge
    friend bool operator==(const Counters&, const Counters&) = default;
};

}  // namespace ostd::ldlm
