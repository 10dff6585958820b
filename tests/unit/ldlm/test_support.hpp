// Small builders shared by the ldlm unit tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "ldlm/enqueue.hpp"
#include "ldlm/namespace.hpp"

namespace ostd::ldlm::test {

inline constexpr std::uint64_t KiB = 1024;
inline constexpr std::uint64_t MiB = 1024 * 1024;

// Shorthands for the request flags the tests use most.
inline constexpr LockFlags nx = flag::no_expansion;
inline constexpr LockFlags spec = flag::speculative;

inline ResourceName object(std::uint64_t id) { return ResourceName{{id, 0, 0, 0}}; }

// A request from `client`; client handles are unique per test via `handle`.
inline EnqueueRequest request(std::uint64_t client, std::uint64_t handle, LockMode mode,
                              std::uint64_t start, std::uint64_t end, LockFlags flags = 0,
                              std::uint64_t gid = 0, ResourceName res = object(1)) {
    EnqueueRequest r;
    r.resource = res;
    r.mode = mode;
    r.extent = {start, end};
    r.gid = gid;
    r.flags = flags;
    r.client = ClientId{client};
    r.client_handle = handle;
    return r;
}

// The [start, start + len) byte range as an inclusive extent.
inline Extent bytes(std::uint64_t start, std::uint64_t len) { return {start, start + len - 1}; }

inline std::vector<Action> of_kind(const std::vector<Action>& actions, ActionKind kind) {
    std::vector<Action> out;
    for (const Action& a : actions)
        if (a.kind == kind) out.push_back(a);
    return out;
}

inline void sort_actions(std::vector<Action>& a) {
    std::sort(a.begin(), a.end(), [](const Action& x, const Action& y) {
        return std::tuple(x.kind, x.lock.cookie, x.blocker.cookie) <
               std::tuple(y.kind, y.lock.cookie, y.blocker.cookie);
    });
}

}  // namespace ostd::ldlm::test
