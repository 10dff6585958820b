// Lock expansion (DESIGN.md section 6): how far a grant may grow beyond the
// request. The steps are pure functions over facts about the resource, so
// the tree-based gatherer here and the list reference share one arithmetic.
#pragma once

#include <cstdint>
#include <optional>

#include "ldlm/extent.hpp"
#include "ldlm/mode.hpp"

namespace ostd::ldlm {

class Resource;
struct Lock;

struct ExpansionConfig {
    bool enabled = true;
    std::uint32_t waiter_limit = 4;        // beyond this many conflicting waiters, keep the start
    std::uint32_t contention_locks = 32;   // beyond this many conflicting locks, cap PW/CW...
    std::uint64_t contention_extent = 32ULL << 20;  // ...at start + this - 1
    std::uint64_t min_alignment = 4096;    // page: smallest alignment honoured (power of two)
};

// The window the grant may take, narrowed step by step.
struct ExpansionWindow {
    std::uint64_t start = 0;
    std::uint64_t end = extent_eof;
    std::uint64_t granted_conflicts = 0;
    std::uint64_t waiter_conflicts = 0;
};

// Granted locks of incompatible modes: `count` of them, the lowest start
// above the request's end being `next_start_above`.
void limit_by_granted(ExpansionWindow& w, const Extent& req, std::uint64_t count,
                      std::optional<std::uint64_t> next_start_above);

// One waiting lock that counts as a conflict (see waiter_limits_expansion).
void limit_by_waiter(ExpansionWindow& w, const Extent& req, const Extent& waiter,
                     const ExpansionConfig& cfg);

// A waiter limits growth unless it is compatible *and* from another client
// (Lustre avoids overlapping locks of one client: they are slow to cancel).
bool waiter_limits_expansion(const Lock& waiter, const Lock& req);

// Contention cap, then alignment; never returns less than req.
Extent finish_expansion(const ExpansionWindow& w, const Extent& req, LockMode mode,
                        const ExpansionConfig& cfg);

// Rounds ex inwards to req's own power-of-two alignment (at least
// min_alignment); unaligned or whole-file requests are left alone.
Extent align_to_request(Extent ex, const Extent& req, std::uint64_t min_alignment);

// The extent to grant `lock` (waiting, or about to be granted) on `res`,
// using the interval trees: only incompatible trees are visited.
Extent expand_lock(const Resource& res, const Lock& lock, const ExpansionConfig& cfg);

}  // namespace ostd::ldlm
