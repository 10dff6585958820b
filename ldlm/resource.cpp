#include "ldlm/resource.hpp"

#include <cassert>

namespace ostd::ldlm {

void Resource::add_granted(Lock& lock) {
    assert(lock.resource == this && lock.state == LockState::granted);
    _granted[mode_index(lock.mode)].insert(lock);
}

void Resource::remove_granted(Lock& lock) {
    assert(lock.resource == this && lock.state == LockState::granted);
    _granted[mode_index(lock.mode)].erase(lock);
}

void Resource::add_waiting(Lock& lock) {
    assert(lock.resource == this && lock.state == LockState::waiting);
    lock.wait_pos = _waiting.insert(_waiting.end(), &lock);
}

void Resource::remove_waiting(Lock& lock) {
    assert(lock.resource == this && lock.state == LockState::waiting);
    _waiting.erase(lock.wait_pos);
}

std::size_t Resource::granted_count() const {
    std::size_t n = 0;
    for (const auto& tree : _granted) n += tree.size();
    return n;
}

const Lock* Resource::first_waiting_conflict(LockMode mode, std::uint64_t gid, const Extent& ext,
                                             const Lock* before) const {
    for (const Lock* w : _waiting) {
        if (w == before) break;
        if (w->extent.overlaps(ext) && !locks_compatible(mode, gid, w->mode, w->gid)) return w;
    }
    return nullptr;
}

}  // namespace ostd::ldlm
