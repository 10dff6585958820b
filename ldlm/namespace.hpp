// A lock namespace: the resources of one target and every lock on them.
// Single owner (the control core); no locking inside.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "ldlm/cookie.hpp"
#include "ldlm/counters.hpp"
#include "ldlm/enqueue.hpp"
#include "ldlm/extent_policy.hpp"
#include "ldlm/glimpse_plan.hpp"
#include "ldlm/lock.hpp"
#include "ldlm/lock_budget.hpp"
#include "ldlm/lvb.hpp"
#include "ldlm/resource.hpp"

namespace ostd::ldlm {

struct NamespaceConfig {
    ExpansionConfig expansion;
    LockLimits limits;
    std::uint64_t cookie_seed = 0x6f737464;  // vary per boot in production
};

class LockNamespace {
public:
    explicit LockNamespace(const NamespaceConfig& cfg = {});
    LockNamespace(const LockNamespace&) = delete;
    LockNamespace& operator=(const LockNamespace&) = delete;

    EnqueueResult enqueue(const EnqueueRequest& req);
    CancelResult cancel(LockHandle handle);
    // Eviction: every lock of the client, granted or waiting, then the
    // waiters behind them are reprocessed.
    CancelResult cancel_all(ClientId client);

    GlimpsePlan plan_glimpse(const ResourceName& name);
    // Merges the glimpse answers into the resource's LVB; returns the reply.
    Lvb apply_glimpse_answers(const ResourceName& name, std::span<const Lvb> answers);
    void merge_lvb(const ResourceName& name, const Lvb& lvb);  // writes: grow only
    void set_lvb(const ResourceName& name, const Lvb& lvb);    // setattr, punch

    std::optional<LockInfo> lock_info(LockHandle handle) const;
    // Granted locks (by mode, then start), then waiting locks in queue order.
    std::vector<LockInfo> resource_locks(const ResourceName& name) const;
    std::optional<Lvb> lvb(const ResourceName& name) const;
    std::size_t lock_count() const { return _locks.size(); }
    // Clients holding at least one lock, and resources with at least one
    // (in no particular order): the budget as the CLI shows it.
    std::vector<ClientLockCount> client_lock_counts() const;
    std::vector<ResourceLockCount> resource_lock_counts() const;
    std::size_t client_lock_count(ClientId client) const;
    const LockLimits& limits() const { return _cfg.limits; }
    // New caps apply to later enqueues; locks already held stay.
    void set_limits(const LockLimits& limits) { _cfg.limits = limits; }

    const Counters& counters() const { return _counters; }
    const ExpansionConfig& expansion() const { return _cfg.expansion; }
    void set_expansion(const ExpansionConfig& cfg) { _cfg.expansion = cfg; }

private:
    EnqueueResult answer_resend(const Lock& lock, const EnqueueRequest& req);
    RefusalReason over_budget(const EnqueueRequest& req) const;
    void grant(Lock& lock);
    void send_blocking_asts(const Lock& waiter, std::vector<Action>& out);
    void reprocess(Resource& res, std::vector<Action>& out);
    void destroy(Lock& lock);
    Resource& resource(const ResourceName& name);
    const Resource* find_resource(const ResourceName& name) const;

    NamespaceConfig _cfg;
    CookieGenerator _cookies;
    Counters _counters;
    std::unordered_map<ResourceName, std::unique_ptr<Resource>> _resources;
    std::unordered_map<std::uint64_t, std::unique_ptr<Lock>> _locks;  // by cookie
    // client -> its cookie -> lock: resend detection and eviction.
    std::unordered_map<ClientId, std::unordered_map<std::uint64_t, Lock*>> _by_client;
};

LockInfo info_of(const Lock& lock);

}  // namespace ostd::ldlm
