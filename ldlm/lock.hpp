// A server-side extent lock and the copy of it that callers may keep.
#pragma once

#include <cstdint>
#include <list>

#include "ldlm/extent.hpp"
#include "ldlm/flags.hpp"
#include "ldlm/ids.hpp"
#include "ldlm/interval_tree.hpp"
#include "ldlm/mode.hpp"

namespace ostd::ldlm {

class Resource;

enum class LockState : std::uint8_t { waiting, granted };

// Owned by LockNamespace. While granted it sits in its resource's tree for
// its mode (IntervalNode::extent is then the granted extent); while waiting
// it sits in the resource's wait queue and extent is the request.
struct Lock : IntervalNode {
    LockHandle handle;
    ClientId client;
    std::uint64_t client_handle = 0;  // the client's own cookie: resend detection
    Resource* resource = nullptr;
    LockMode mode = LockMode::nl;
    Extent requested;
    std::uint64_t gid = 0;
    LockFlags flags = 0;
    LockState state = LockState::waiting;
    std::list<Lock*>::iterator wait_pos;  // valid while waiting
};

// A value copy, for callers and tests: never dangles.
struct LockInfo {
    LockHandle handle;
    ClientId client;
    std::uint64_t client_handle = 0;
    ResourceName resource;
    LockMode mode = LockMode::nl;
    Extent requested;
    Extent extent;
    std::uint64_t gid = 0;
    LockFlags flags = 0;
    LockState state = LockState::waiting;
    friend bool operator==(const LockInfo&, const LockInfo&) = default;
};

}  // namespace ostd::ldlm
