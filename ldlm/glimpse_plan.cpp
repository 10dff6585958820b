#include "ldlm/glimpse_plan.hpp"

#include <algorithm>
#include <optional>

#include "ldlm/flags.hpp"
#include "ldlm/resource.hpp"

namespace ostd::ldlm {
namespace {

bool pr_whole_file_grantable(const Resource& res) {
    bool conflict = false;
    res.visit_granted_conflicts(LockMode::pr, 0, Extent::whole_file(), [&](const Lock*) {
        conflict = true;
        return false;
    });
    return !conflict &&
           res.first_waiting_conflict(LockMode::pr, 0, Extent::whole_file(), nullptr) == nullptr;
}

bool key_greater(const IntervalNode* a, const IntervalNode* b) {
    if (a->extent.start != b->extent.start) return a->extent.start > b->extent.start;
    return a->id > b->id;
}

}  // namespace

GlimpsePlan plan_glimpse(const Resource& res) {
    GlimpsePlan plan;
    plan.lvb = res.lvb();
    if (pr_whole_file_grantable(res)) return plan;

    // Merge the write-mode trees in descending key order, lazily: the walk
    // usually stops after a few locks.
    std::vector<IntervalTreeBase::DescendingCursor> cursors;
    for (LockMode m : all_modes)
        if (is_write_mode(m) && !res.granted(m).empty())
            cursors.emplace_back(res.granted(m), res.lvb().size);

    for (;;) {
        IntervalTreeBase::DescendingCursor* top = nullptr;
        for (auto& c : cursors)
            if (c.peek() != nullptr && (top == nullptr || key_greater(c.peek(), top->peek())))
                top = &c;
        if (top == nullptr) break;
        const Lock* lock = static_cast<const Lock*>(top->peek());
        top->advance();

        bool seen = std::any_of(plan.targets.begin(), plan.targets.end(),
                                [&](const GlimpseTarget& t) { return t.client == lock->client; });
        if (!seen) plan.targets.push_back({lock->client, lock->handle, lock->client_handle});
        if ((lock->flags & flag::no_expansion) == 0) break;
    }
    plan.decision = plan.targets.empty() ? GlimpseDecision::answer_lvb : GlimpseDecision::glimpse;
    return plan;
}

Lvb merge_glimpse(const Lvb& server, std::span<const Lvb> answers) {
    Lvb out = server;
    for (const Lvb& a : answers) out = lvb_max(out, a);
    return out;
}

}  // namespace ostd::ldlm
