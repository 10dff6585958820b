#include "lnet_core/unique_me_table.hpp"

#include <bit>
#include <cassert>

#include "lnet_core/md_table.hpp"

namespace ostd::lnet {

UniqueMeTable::UniqueMeTable(size_t initial_capacity)
    : _slots(std::bit_ceil(initial_capacity < 16 ? size_t{16} : initial_capacity), Slot{}),
      _mask(_slots.size() - 1)
{
}

UniqueChain& UniqueMeTable::find_or_insert(const UniqueKey& key)
{
    if ((_size + 1) * 2 > _slots.size())
        grow();
    for (size_t i = home(key);; i = (i + 1) & _mask) {
        Slot& slot = _slots[i];
        if (slot.portal_tag == 0) {
            slot = Slot{key.nid, key.match_bits, key.pid, key.portal + 1, {no_md, no_md}};
            ++_size;
            return slot.chain;
        }
        if (holds(slot, key))
            return slot.chain;
    }
}

void UniqueMeTable::erase(const UniqueKey& key)
{
    size_t hole = home(key);
    while (!holds(_slots[hole], key)) {
        assert(_slots[hole].portal_tag != 0 && "erase of an absent key");
        if (_slots[hole].portal_tag == 0)
            return;
        hole = (hole + 1) & _mask;
    }
    // Backward shift: move each later entry of the run into the hole when the
    // hole lies between its home and its current place.
    for (size_t next = (hole + 1) & _mask; _slots[next].portal_tag != 0; next = (next + 1) & _mask) {
        const Slot& candidate = _slots[next];
        size_t want = hash({candidate.nid, candidate.match_bits, candidate.pid,
                            candidate.portal_tag - 1}) & _mask;
        bool hole_between = ((next - want) & _mask) >= ((next - hole) & _mask);
        if (hole_between) {
            _slots[hole] = candidate;
            hole = next;
        }
    }
    _slots[hole] = Slot{};
    --_size;
}

void UniqueMeTable::grow()
{
    decltype(_slots) old(_slots.size() * 2, Slot{});
    old.swap(_slots);
    _mask = _slots.size() - 1;
    for (const Slot& slot : old) {
        if (slot.portal_tag == 0)
            continue;
        size_t i = hash({slot.nid, slot.match_bits, slot.pid, slot.portal_tag - 1}) & _mask;
        while (_slots[i].portal_tag != 0)
            i = (i + 1) & _mask;
        _slots[i] = slot;
    }
}

}  // namespace ostd::lnet
