// One lockable object: granted locks in one interval tree per mode, the
// waiting queue in arrival order, and the object's value block.
#pragma once

#include <array>
#include <cstddef>
#include <list>

#include "ldlm/extent.hpp"
#include "ldlm/lock.hpp"
#include "ldlm/lvb.hpp"
#include "ldlm/mode.hpp"

namespace ostd::ldlm {

class Resource {
public:
    explicit Resource(const ResourceName& name) : _name(name) {}
    Resource(const Resource&) = delete;
    Resource& operator=(const Resource&) = delete;

    const ResourceName& name() const { return _name; }
    Lvb& lvb() { return _lvb; }
    const Lvb& lvb() const { return _lvb; }

    void add_granted(Lock& lock);
    void remove_granted(Lock& lock);
    void add_waiting(Lock& lock);
    void remove_waiting(Lock& lock);

    const IntervalTree<Lock>& granted(LockMode m) const { return _granted[mode_index(m)]; }
    const std::list<Lock*>& waiting() const { return _waiting; }
    std::size_t granted_count() const;
    std::size_t lock_count() const { return granted_count() + _waiting.size(); }
    bool has_locks() const { return granted_count() != 0 || !_waiting.empty(); }

    // Calls fn(const Lock*) for each granted lock that conflicts with a lock
    // of (mode, gid) on ext, visiting only the trees of incompatible modes,
    // until fn returns false.
    template <class Fn>
    void visit_granted_conflicts(LockMode mode, std::uint64_t gid, const Extent& ext, Fn&& fn) const;

    // The first waiting lock, ahead of `before` (nullptr: the whole queue),
    // that conflicts with (mode, gid, ext); nullptr if none.
    const Lock* first_waiting_conflict(LockMode mode, std::uint64_t gid, const Extent& ext,
                                       const Lock* before) const;

private:
    ResourceName _name;
    Lvb _lvb;
    std::array<IntervalTree<Lock>, mode_count> _granted;
    std::list<Lock*> _waiting;
};

template <class Fn>
void Resource::visit_granted_conflicts(LockMode mode, std::uint64_t gid, const Extent& ext,
                                       Fn&& fn) const {
    for (LockMode m : all_modes) {
        bool group_pair = (m == LockMode::group && mode == LockMode::group);
        if (modes_compatible(mode, m) && !group_pair) continue;
        bool go_on = granted(m).visit_overlapping(ext, [&](const Lock* l) {
            if (locks_compatible(mode, gid, l->mode, l->gid)) return true;
            return fn(l);
        });
        if (!go_on) return;
    }
}

}  // namespace ostd::ldlm
