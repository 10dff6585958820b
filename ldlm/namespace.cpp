#include "ldlm/namespace.hpp"

#include <algorithm>
#include <cassert>

namespace ostd::ldlm {
namespace {

EnqueueResult refused(RefusalReason reason, Counters& counters) {
    ++counters.refusals;
    if (reason == RefusalReason::speculative_conflict) ++counters.speculative_refusals;
    if (reason == RefusalReason::group_conflict) ++counters.group_refusals;
    if (reason == RefusalReason::client_lock_limit) ++counters.client_limit_refusals;
    if (reason == RefusalReason::resource_lock_limit) ++counters.resource_limit_refusals;
    EnqueueResult out;
    out.status = EnqueueStatus::refused;
    out.reason = reason;
    return out;
}

Action action_for(ActionKind kind, const Lock& lock, LockHandle blocker) {
    return Action{kind,      lock.client, lock.handle, lock.client_handle, lock.resource->name(),
                  lock.mode, lock.extent, blocker};
}

// What an enqueue runs into on an existing resource.
struct ConflictScan {
    bool granted = false;
    bool waiting = false;
    bool group = false;  // one of the conflicting locks is a GROUP lock
};

ConflictScan scan_conflicts(const Resource& res, const EnqueueRequest& req) {
    ConflictScan scan;
    bool any_will_do = (req.flags & flag::speculative) != 0;
    res.visit_granted_conflicts(req.mode, req.gid, req.extent, [&](const Lock* l) {
        scan.granted = true;
        scan.group |= l->mode == LockMode::group;
        return !any_will_do;
    });
    for (const Lock* w : res.waiting()) {
        if (!w->extent.overlaps(req.extent) || locks_compatible(req.mode, req.gid, w->mode, w->gid))
            continue;
        scan.waiting = true;
        scan.group |= w->mode == LockMode::group;
    }
    return scan;
}

}  // namespace

LockInfo info_of(const Lock& l) {
    return LockInfo{l.handle, l.client, l.client_handle, l.resource->name(), l.mode,
                    l.requested, l.extent, l.gid, l.flags, l.state};
}

LockNamespace::LockNamespace(const NamespaceConfig& cfg) : _cfg(cfg), _cookies(cfg.cookie_seed) {}

EnqueueResult LockNamespace::enqueue(const EnqueueRequest& raw) {
    ++_counters.enqueues;
    if (RefusalReason r = validate_request(raw); r != RefusalReason::none)
        return refused(r, _counters);
    EnqueueRequest req = normalize_request(raw);

    if (auto c = _by_client.find(req.client); c != _by_client.end()) {
        if (auto l = c->second.find(req.client_handle); l != c->second.end())
            return answer_resend(*l->second, req);
    }

    // Like Lustre, the budget is checked after resend detection (a resend
    // names a lock already counted) and before anything is created.
    if (RefusalReason r = over_budget(req); r != RefusalReason::none) return refused(r, _counters);

    ConflictScan scan;
    if (const Resource* existing = find_resource(req.resource)) scan = scan_conflicts(*existing, req);
    bool conflict = scan.granted || scan.waiting;
    // Refusals leave no trace: no resource, no lock, no cookie drawn.
    if ((req.flags & flag::speculative) != 0 && conflict)
        return refused(RefusalReason::speculative_conflict, _counters);
    if ((req.flags & flag::block_nowait) != 0 && scan.group)
        return refused(RefusalReason::group_conflict, _counters);

    auto owned = std::make_unique<Lock>();
    Lock& lock = *owned;
    lock.handle = _cookies.next();
    lock.id = lock.handle.cookie;
    lock.client = req.client;
    lock.client_handle = req.client_handle;
    lock.resource = &resource(req.resource);
    lock.mode = req.mode;
    lock.requested = raw.extent;
    lock.extent = req.extent;
    lock.gid = req.gid;
    lock.flags = req.flags;
    _locks.emplace(lock.handle.cookie, std::move(owned));
    _by_client[lock.client].emplace(lock.client_handle, &lock);

    EnqueueResult out;
    out.handle = lock.handle;
    if (!conflict) {
        grant(lock);
        out.status = EnqueueStatus::granted;
        out.extent = lock.extent;
        out.flags = lock.extent != raw.extent ? flag::lock_changed : 0;
        return out;
    }
    lock.state = LockState::waiting;
    lock.resource->add_waiting(lock);
    ++_counters.waits;
    ++_counters.waiting;
    send_blocking_asts(lock, out.actions);
    out.status = EnqueueStatus::waiting;
    out.extent = lock.extent;
    out.flags = flag::block_granted;
    return out;
}

EnqueueResult LockNamespace::answer_resend(const Lock& lock, const EnqueueRequest& req) {
    if (lock.resource->name() != req.resource || lock.mode != req.mode)
        return refused(RefusalReason::handle_in_use, _counters);
    ++_counters.resends;
    EnqueueResult out;
    out.resent = true;
    out.handle = lock.handle;
    out.extent = lock.extent;
    if (lock.state == LockState::granted) {
        out.status = EnqueueStatus::granted;
        out.flags = lock.extent != lock.requested ? flag::lock_changed : 0;
    } else {
        out.status = EnqueueStatus::waiting;
        out.flags = flag::block_granted;
    }
    return out;
}

RefusalReason LockNamespace::over_budget(const EnqueueRequest& req) const {
    if (client_lock_count(req.client) >= _cfg.limits.max_per_client) return RefusalReason::client_lock_limit;
    const Resource* res = find_resource(req.resource);
    if (res != nullptr && res->lock_count() >= _cfg.limits.max_per_resource)
        return RefusalReason::resource_lock_limit;
    return RefusalReason::none;
}

// Expansion is decided now, against what is granted and waiting at this moment.
void LockNamespace::grant(Lock& lock) {
    Extent before = lock.extent;
    lock.extent = expand_lock(*lock.resource, lock, _cfg.expansion);
    if (lock.extent != before) ++_counters.expansions;
    lock.state = LockState::granted;
    lock.resource->add_granted(lock);
    ++_counters.grants;
    ++_counters.granted_per_mode[mode_index(lock.mode)];
}

// One blocking AST per conflicting granted lock, ever; group locks are never
// called back (their holders release them explicitly).
void LockNamespace::send_blocking_asts(const Lock& waiter, std::vector<Action>& out) {
    waiter.resource->visit_granted_conflicts(
        waiter.mode, waiter.gid, waiter.extent, [&](const Lock* l) {
            if (l->mode == LockMode::group || (l->flags & flag::ast_sent) != 0) return true;
            // The namespace owns every lock; the tree only hands out const views.
            const_cast<Lock*>(l)->flags |= flag::ast_sent;
            out.push_back(action_for(ActionKind::blocking_ast, *l, waiter.handle));
            ++_counters.blocking_asts;
            return true;
        });
}

// Grants waiters in queue order: each needs no granted conflict and no
// conflicting waiter ahead of it. Then the locks that still block the
// remaining waiters (some just granted) are called back.
void LockNamespace::reprocess(Resource& res, std::vector<Action>& out) {
    const std::list<Lock*>& queue = res.waiting();
    for (auto it = queue.begin(); it != queue.end();) {
        Lock* w = *it;
        ++it;  // w may leave the queue below
        bool blocked = false;
        res.visit_granted_conflicts(w->mode, w->gid, w->extent, [&](const Lock*) {
            blocked = true;
            return false;
        });
        if (blocked || res.first_waiting_conflict(w->mode, w->gid, w->extent, w) != nullptr) continue;
        res.remove_waiting(*w);
        --_counters.waiting;
        grant(*w);
        out.push_back(action_for(ActionKind::completion_ast, *w, LockHandle{}));
        ++_counters.completion_asts;
    }
    for (const Lock* w : queue) send_blocking_asts(*w, out);
}

void LockNamespace::destroy(Lock& lock) {
    Resource& res = *lock.resource;
    if (lock.state == LockState::granted) {
        res.remove_granted(lock);
        --_counters.granted_per_mode[mode_index(lock.mode)];
    } else {
        res.remove_waiting(lock);
        --_counters.waiting;
    }
    ++_counters.cancels;
    auto c = _by_client.find(lock.client);
    assert(c != _by_client.end());
    // The client's (possibly empty) table stays until eviction: a client
    // that takes and drops one lock at a time must not rebuild it each time.
    c->second.erase(lock.client_handle);
    _locks.erase(lock.handle.cookie);  // frees the lock: last use
}

CancelResult LockNamespace::cancel(LockHandle handle) {
    CancelResult out;
    auto it = _locks.find(handle.cookie);
    if (it == _locks.end()) return out;
    Resource& res = *it->second->resource;
    destroy(*it->second);
    out.status = CancelStatus::cancelled;
    out.cancelled = 1;
    reprocess(res, out.actions);
    return out;
}

CancelResult LockNamespace::cancel_all(ClientId client) {
    CancelResult out;
    ++_counters.evictions;
    auto c = _by_client.find(client);
    if (c == _by_client.end()) return out;
    std::vector<Lock*> doomed;
    for (const auto& [cookie, lock] : c->second) doomed.push_back(lock);
    if (doomed.empty()) {
        _by_client.erase(c);
        return out;
    }
    // Remove everything first so that no AST goes to a lock about to vanish.
    std::vector<Resource*> touched;
    for (Lock* l : doomed) {
        if (std::find(touched.begin(), touched.end(), l->resource) == touched.end())
            touched.push_back(l->resource);
        destroy(*l);
    }
    out.status = CancelStatus::cancelled;
    out.cancelled = doomed.size();
    _by_client.erase(client);
    for (Resource* res : touched) reprocess(*res, out.actions);
    return out;
}

GlimpsePlan LockNamespace::plan_glimpse(const ResourceName& name) {
    ++_counters.glimpse_plans;
    const Resource* res = find_resource(name);
    if (res == nullptr) return GlimpsePlan{};
    GlimpsePlan plan = ldlm::plan_glimpse(*res);
    _counters.glimpse_asts += plan.targets.size();
    return plan;
}

Lvb LockNamespace::apply_glimpse_answers(const ResourceName& name, std::span<const Lvb> answers) {
    Lvb& lvb = resource(name).lvb();
    lvb = merge_glimpse(lvb, answers);
    return lvb;
}

void LockNamespace::merge_lvb(const ResourceName& name, const Lvb& lvb) {
    Lvb& mine = resource(name).lvb();
    mine = lvb_max(mine, lvb);
}

void LockNamespace::set_lvb(const ResourceName& name, const Lvb& lvb) { resource(name).lvb() = lvb; }

std::optional<LockInfo> LockNamespace::lock_info(LockHandle handle) const {
    auto it = _locks.find(handle.cookie);
    if (it == _locks.end()) return std::nullopt;
    return info_of(*it->second);
}

std::vector<LockInfo> LockNamespace::resource_locks(const ResourceName& name) const {
    std::vector<LockInfo> out;
    const Resource* res = find_resource(name);
    if (res == nullptr) return out;
    for (LockMode m : all_modes) res->granted(m).visit_all([&](const Lock* l) { out.push_back(info_of(*l)); });
    for (const Lock* w : res->waiting()) out.push_back(info_of(*w));
    return out;
}

std::size_t LockNamespace::client_lock_count(ClientId client) const {
    auto c = _by_client.find(client);
    return c == _by_client.end() ? 0 : c->second.size();
}

std::vector<ClientLockCount> LockNamespace::client_lock_counts() const {
    std::vector<ClientLockCount> out;
    for (const auto& [client, locks] : _by_client)
        if (!locks.empty()) out.push_back(ClientLockCount{client, locks.size()});
    return out;
}

std::vector<ResourceLockCount> LockNamespace::resource_lock_counts() const {
    std::vector<ResourceLockCount> out;
    for (const auto& [name, res] : _resources)
        if (res->has_locks()) out.push_back(ResourceLockCount{name, res->granted_count(), res->waiting().size()});
    return out;
}

std::optional<Lvb> LockNamespace::lvb(const ResourceName& name) const {
    const Resource* res = find_resource(name);
    if (res == nullptr) return std::nullopt;
    return res->lvb();
}

// Resources outlive their locks: they carry the object's LVB.
Resource& LockNamespace::resource(const ResourceName& name) {
    auto& slot = _resources[name];
    if (!slot) slot = std::make_unique<Resource>(name);
    return *slot;
}

const Resource* LockNamespace::find_resource(const ResourceName& name) const {
    auto it = _resources.find(name);
    return it == _resources.end() ? nullptr : it->second.get();
}

}  // namespace ostd::ldlm
