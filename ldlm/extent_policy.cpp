#include "ldlm/extent_policy.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

#include "ldlm/flags.hpp"
#include "ldlm/resource.hpp"

namespace ostd::ldlm {

void limit_by_granted(ExpansionWindow& w, const Extent& req, std::uint64_t count,
                      std::optional<std::uint64_t> next_start_above) {
    if (count == 0) return;
    w.granted_conflicts += count;
    // Others hold this file: do not grow downwards over them.
    w.start = std::max(w.start, req.start);
    if (next_start_above) {
        assert(*next_start_above > req.end);
        w.end = std::min(w.end, *next_start_above - 1);
    }
}

void limit_by_waiter(ExpansionWindow& w, const Extent& req, const Extent& waiter,
                     const ExpansionConfig& cfg) {
    ++w.waiter_conflicts;
    // A hot resource: do not grow downwards at all.
    if (w.waiter_conflicts > cfg.waiter_limit) w.start = std::max(w.start, req.start);
    // Overlapping requests cannot both be satisfied whatever we grant: ignore.
    if (waiter.overlaps(req)) return;
    if (waiter.end < req.start)
        w.start = std::max(w.start, waiter.end + 1);
    else
        w.end = std::min(w.end, waiter.start - 1);
}

bool waiter_limits_expansion(const Lock& waiter, const Lock& req) {
    if (&waiter == &req) return false;
    bool compatible = locks_compatible(waiter.mode, waiter.gid, req.mode, req.gid);
    return !(compatible && waiter.client != req.client);
}

Extent finish_expansion(const ExpansionWindow& w, const Extent& req, LockMode mode,
                        const ExpansionConfig& cfg) {
    assert(w.start <= req.start && w.end >= req.end);
    Extent out{w.start, w.end};
    std::uint64_t conflicting = w.granted_conflicts + w.waiter_conflicts;
    bool capped_mode = mode == LockMode::pw || mode == LockMode::cw;
    // req.end - req.start < cap - 1  <=>  request shorter than cap (no overflow).
    if (conflicting > cfg.contention_locks && capped_mode && cfg.contention_extent > 0 &&
        req.end - req.start < cfg.contention_extent - 1) {
        std::uint64_t cap_end = req.start + (cfg.contention_extent - 1);
        if (cap_end < req.start) cap_end = extent_eof;  // saturate
        out.end = std::min(out.end, cap_end);
    }
    out = align_to_request(out, req, cfg.min_alignment);
    assert(out.start <= req.start && out.end >= req.end);
    return out;
}

Extent align_to_request(Extent ex, const Extent& req, std::uint64_t min_alignment) {
    assert(std::has_single_bit(min_alignment));
    // end + 1 wraps to 0 at EOF, which is divisible by everything: right.
    std::uint64_t req_align = (req.end + 1) | req.start;
    if (req_align == 0 || (req_align & (min_alignment - 1)) != 0) return ex;
    std::uint64_t mask = min_alignment;
    while ((req_align & mask) == 0) mask <<= 1;
    mask -= 1;
    // Round start up and end + 1 down: the window only shrinks, and never
    // past req, which is itself aligned on these boundaries.
    ex.start = ((ex.start - 1) | mask) + 1;
    ex.end = ((ex.end + 1) & ~mask) - 1;
    return ex;
}

Extent expand_lock(const Resource& res, const Lock& lock, const ExpansionConfig& cfg) {
    const Extent& req = lock.extent;
    bool no_expand = !cfg.enabled || (lock.flags & flag::no_expansion) != 0 ||
                     lock.mode == LockMode::group;
    if (no_expand) return req;

    ExpansionWindow w;
    for (LockMode m : all_modes) {
        if (modes_compatible(lock.mode, m)) continue;
        const IntervalTree<Lock>& tree = res.granted(m);
        if (tree.empty()) continue;
        std::optional<std::uint64_t> next;
        if (const Lock* n = tree.first_starting_after(req.end)) next = n->extent.start;
        limit_by_granted(w, req, tree.size(), next);
    }
    for (const Lock* waiter : res.waiting()) {
        if (waiter_limits_expansion(*waiter, lock)) limit_by_waiter(w, req, waiter->extent, cfg);
    }
    return finish_expansion(w, req, lock.mode, cfg);
}

}  // namespace ostd::ldlm
