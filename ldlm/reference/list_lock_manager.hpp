// TEST AND BENCHMARK CODE ONLY: the "list" reference lock manager.
//
// The same rules as LockNamespace, written the obvious way: every resource
// is a plain list of its locks in arrival order, and every question is
// answered by scanning it. The randomized test checks LockNamespace against
// it; the benchmark uses it as the `list` baseline. It shares with the real
// manager only the public types and the pure expansion arithmetic
// (extent_policy.hpp), not the way the facts are gathered.
#pragma once

#include <list>
#include <span>
#include <vector>

#include "ldlm/cookie.hpp"
#include "ldlm/counters.hpp"
#include "ldlm/enqueue.hpp"
#include "ldlm/glimpse_plan.hpp"
#include "ldlm/lock.hpp"
#include "ldlm/namespace.hpp"

namespace ostd::ldlm::reference {

class ListLockManager {
public:
    explicit ListLockManager(const NamespaceConfig& cfg = {});

    EnqueueResult enqueue(const EnqueueRequest& req);
    CancelResult cancel(LockHandle handle);
    CancelResult cancel_all(ClientId client);
    GlimpsePlan plan_glimpse(const ResourceName& name);
    void merge_lvb(const ResourceName& name, const Lvb& lvb);

    // Same order as LockNamespace::resource_locks.
    std::vector<LockInfo> resource_locks(const ResourceName& name) const;
    const Counters& counters() const { return _counters; }

    // Benchmark set-up only: appends a granted lock exactly as requested,
    // without any check (building K locks through enqueue costs K^2).
    LockHandle preload_granted(const EnqueueRequest& req);

private:
    struct Res {
        ResourceName name;
        Lvb lvb;
        std::list<LockInfo> locks;  // arrival order, granted and waiting mixed
    };

    Res* find(const ResourceName& name);
    Res& get(const ResourceName& name);
    Extent expansion_for(const Res& res, const LockInfo& lock) const;
    void grant(Res& res, LockInfo& lock);
    void call_back_blockers(Res& res, const LockInfo& waiter, std::vector<Action>& out);
    void reprocess(Res& res, std::vector<Action>& out);
    Action action(ActionKind kind, const LockInfo& l, LockHandle blocker) const;

    NamespaceConfig _cfg;
    CookieGenerator _cookies;
    Counters _counters;
    std::list<Res> _resources;
};

}  // namespace ostd::ldlm::reference
