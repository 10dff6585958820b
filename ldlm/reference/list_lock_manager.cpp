// TEST AND BENCHMARK CODE ONLY (see the header).
#include "ldlm/reference/list_lock_manager.hpp"

#include <algorithm>
#include <tuple>

#include "ldlm/extent_policy.hpp"

namespace ostd::ldlm::reference {
namespace {

bool conflict(const LockInfo& a, LockMode mode, std::uint64_t gid, const Extent& ext) {
    return a.extent.overlaps(ext) && !locks_compatible(a.mode, a.gid, mode, gid);
}

EnqueueResult refusal(RefusalReason r, Counters& c) {
    ++c.refusals;
    if (r == RefusalReason::speculative_conflict) ++c.speculative_refusals;
    if (r == RefusalReason::group_conflict) ++c.group_refusals;
    EnqueueResult out;
    out.reason = r;
    return out;
}

}  // namespace

ListLockManager::ListLockManager(const NamespaceConfig& cfg) : _cfg(cfg), _cookies(cfg.cookie_seed) {}

ListLockManager::Res* ListLockManager::find(const ResourceName& name) {
    for (Res& r : _resources)
        if (r.name == name) return &r;
    return nullptr;
}

ListLockManager::Res& ListLockManager::get(const ResourceName& name) {
    if (Res* r = find(name)) return *r;
    _resources.push_back(Res{name, {}, {}});
    return _resources.back();
}

Action ListLockManager::action(ActionKind kind, const LockInfo& l, LockHandle blocker) const {
    return Action{kind, l.client, l.handle, l.client_handle, l.resource, l.mode, l.extent, blocker};
}

EnqueueResult ListLockManager::enqueue(const EnqueueRequest& raw) {
    ++_counters.enqueues;
    if (RefusalReason r = validate_request(raw); r != RefusalReason::none) return refusal(r, _counters);
    EnqueueRequest req = normalize_request(raw);

    for (Res& r : _resources)
        for (LockInfo& l : r.locks) {
            if (l.client != req.client || l.client_handle != req.client_handle) continue;
            if (l.resource != req.resource || l.mode != req.mode)
                return refusal(RefusalReason::handle_in_use, _counters);
            ++_counters.resends;
            EnqueueResult out;
            out.resent = true;
            out.handle = l.handle;
            out.extent = l.extent;
            bool granted = l.state == LockState::granted;
            out.status = granted ? EnqueueStatus::granted : EnqueueStatus::waiting;
            out.flags = granted ? (l.extent != l.requested ? flag::lock_changed : 0) : flag::block_granted;
            return out;
        }

    bool any = false, group = false;
    if (Res* r = find(req.resource))
        for (const LockInfo& l : r->locks)
            if (conflict(l, req.mode, req.gid, req.extent)) {
                any = true;
                group |= l.mode == LockMode::group;
            }
    if ((req.flags & flag::speculative) && any) return refusal(RefusalReason::speculative_conflict, _counters);
    if ((req.flags & flag::block_nowait) && group) return refusal(RefusalReason::group_conflict, _counters);

    Res& res = get(req.resource);
    LockInfo lock{_cookies.next(), req.client, req.client_handle, req.resource, req.mode,
                  raw.extent, req.extent, req.gid, req.flags, LockState::waiting};
    EnqueueResult out;
    out.handle = lock.handle;
    if (!any) {
        grant(res, lock);
        res.locks.push_back(lock);
        out.status = EnqueueStatus::granted;
        out.extent = lock.extent;
        out.flags = lock.extent != raw.extent ? flag::lock_changed : 0;
        return out;
    }
    res.locks.push_back(lock);
    ++_counters.waits;
    ++_counters.waiting;
    call_back_blockers(res, lock, out.actions);
    out.status = EnqueueStatus::waiting;
    out.extent = lock.extent;
    out.flags = flag::block_granted;
    return out;
}

Extent ListLockManager::expansion_for(const Res& res, const LockInfo& lock) const {
    const Extent req = lock.extent;
    if (!_cfg.expansion.enabled || (lock.flags & flag::no_expansion) || lock.mode == LockMode::group)
        return req;
    ExpansionWindow w;
    std::uint64_t count = 0;
    std::optional<std::uint64_t> next;
    for (const LockInfo& l : res.locks) {
        if (l.state != LockState::granted || modes_compatible(l.mode, lock.mode)) continue;
        ++count;
        if (l.extent.start > req.end && (!next || l.extent.start < *next)) next = l.extent.start;
    }
    limit_by_granted(w, req, count, next);
    for (const LockInfo& l : res.locks) {
        if (l.state != LockState::waiting || l.handle == lock.handle) continue;
        bool compatible = locks_compatible(l.mode, l.gid, lock.mode, lock.gid);
        if (compatible && l.client != lock.client) continue;
        limit_by_waiter(w, req, l.extent, _cfg.expansion);
    }
    return finish_expansion(w, req, lock.mode, _cfg.expansion);
}

void ListLockManager::grant(Res& res, LockInfo& lock) {
    Extent e = expansion_for(res, lock);
    if (e != lock.extent) ++_counters.expansions;
    lock.extent = e;
    lock.state = LockState::granted;
    ++_counters.grants;
    ++_counters.granted_per_mode[mode_index(lock.mode)];
}

void ListLockManager::call_back_blockers(Res& res, const LockInfo& waiter, std::vector<Action>& out) {
    for (LockInfo& l : res.locks) {
        if (l.state != LockState::granted || !conflict(l, waiter.mode, waiter.gid, waiter.extent)) continue;
        if (l.mode == LockMode::group || (l.flags & flag::ast_sent)) continue;
        l.flags |= flag::ast_sent;
        out.push_back(action(ActionKind::blocking_ast, l, waiter.handle));
        ++_counters.blocking_asts;
    }
}

void ListLockManager::reprocess(Res& res, std::vector<Action>& out) {
    for (auto it = res.locks.begin(); it != res.locks.end(); ++it) {
        if (it->state != LockState::waiting) continue;
        bool blocked = false;
        for (auto o = res.locks.begin(); o != res.locks.end() && !blocked; ++o) {
            if (o == it || !conflict(*o, it->mode, it->gid, it->extent)) continue;
            // Granted anywhere, or waiting ahead of it in arrival order.
            blocked = o->state == LockState::granted ||
                      std::distance(res.locks.begin(), o) < std::distance(res.locks.begin(), it);
        }
        if (blocked) continue;
        // Expansion must not count the lock itself among the waiters.
        LockInfo lock = *it;
        grant(res, lock);
        *it = lock;
        --_counters.waiting;
        out.push_back(action(ActionKind::completion_ast, *it, LockHandle{}));
        ++_counters.completion_asts;
    }
    for (const LockInfo& l : res.locks)
        if (l.state == LockState::waiting) call_back_blockers(res, l, out);
}

CancelResult ListLockManager::cancel(LockHandle handle) {
    CancelResult out;
    for (Res& r : _resources)
        for (auto it = r.locks.begin(); it != r.locks.end(); ++it) {
            if (it->handle != handle) continue;
            if (it->state == LockState::granted)
                --_counters.granted_per_mode[mode_index(it->mode)];
            else
                --_counters.waiting;
            r.locks.erase(it);
            ++_counters.cancels;
            out.status = CancelStatus::cancelled;
            out.cancelled = 1;
            reprocess(r, out.actions);
            return out;
        }
    return out;
}

CancelResult ListLockManager::cancel_all(ClientId client) {
    CancelResult out;
    ++_counters.evictions;
    for (Res& r : _resources) {
        std::uint64_t before = out.cancelled;
        for (auto it = r.locks.begin(); it != r.locks.end();) {
            if (it->client != client) {
                ++it;
                continue;
            }
            if (it->state == LockState::granted)
                --_counters.granted_per_mode[mode_index(it->mode)];
            else
                --_counters.waiting;
            ++_counters.cancels;
            ++out.cancelled;
            it = r.locks.erase(it);
        }
        if (out.cancelled != before) reprocess(r, out.actions);
    }
    if (out.cancelled != 0) out.status = CancelStatus::cancelled;
    return out;
}

GlimpsePlan ListLockManager::plan_glimpse(const ResourceName& name) {
    ++_counters.glimpse_plans;
    GlimpsePlan plan;
    Res* res = find(name);
    if (res == nullptr) return plan;
    plan.lvb = res->lvb;
    bool grantable = true;
    for (const LockInfo& l : res->locks)
        if (!modes_compatible(l.mode, LockMode::pr)) grantable = false;
    if (grantable) return plan;

    std::vector<const LockInfo*> writers;
    for (const LockInfo& l : res->locks)
        if (l.state == LockState::granted && is_write_mode(l.mode) && l.extent.end >= res->lvb.size)
            writers.push_back(&l);
    std::sort(writers.begin(), writers.end(), [](const LockInfo* a, const LockInfo* b) {
        return std::tie(a->extent.start, a->handle.cookie) > std::tie(b->extent.start, b->handle.cookie);
    });
    for (const LockInfo* l : writers) {
        bool seen = false;
        for (const GlimpseTarget& t : plan.targets) seen |= t.client == l->client;
        if (!seen) plan.targets.push_back({l->client, l->handle, l->client_handle});
        if (!(l->flags & flag::no_expansion)) break;
    }
    plan.decision = plan.targets.empty() ? GlimpseDecision::answer_lvb : GlimpseDecision::glimpse;
    _counters.glimpse_asts += plan.targets.size();
    return plan;
}

void ListLockManager::merge_lvb(const ResourceName& name, const Lvb& lvb) {
    Res& r = get(name);
    r.lvb = lvb_max(r.lvb, lvb);
}

std::vector<LockInfo> ListLockManager::resource_locks(const ResourceName& name) const {
    std::vector<LockInfo> granted, waiting;
    for (const Res& r : _resources) {
        if (r.name != name) continue;
        for (const LockInfo& l : r.locks)
            (l.state == LockState::granted ? granted : waiting).push_back(l);
    }
    std::sort(granted.begin(), granted.end(), [](const LockInfo& a, const LockInfo& b) {
        return std::tuple(mode_index(a.mode), a.extent.start, a.handle.cookie) <
               std::tuple(mode_index(b.mode), b.extent.start, b.handle.cookie);
    });
    granted.insert(granted.end(), waiting.begin(), waiting.end());
    return granted;
}

LockHandle ListLockManager::preload_granted(const EnqueueRequest& raw) {
    EnqueueRequest req = normalize_request(raw);
    Res& res = get(req.resource);
    LockInfo lock{_cookies.next(), req.client, req.client_handle, req.resource, req.mode,
                  raw.extent, req.extent, req.gid, req.flags, LockState::granted};
    res.locks.push_back(lock);
    ++_counters.grants;
    ++_counters.granted_per_mode[mode_index(lock.mode)];
    return lock.handle;
}

}  // namespace ostd::ldlm::reference
