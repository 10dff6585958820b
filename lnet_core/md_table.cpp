#include "lnet_core/md_table.hpp"

#include <cassert>

namespace ostd::lnet {

uint32_t MdTable::create(const MdSpec& spec)
{
    uint32_t slot;
    if (!_free.empty()) {
        slot = _free.back();
        _free.pop_back();
    } else {
        slot = static_cast<uint32_t>(_mds.size());
        _mds.emplace_back();
    }
    Md& md = _mds[slot];
    uint32_t generation = (md.generation + 1) & 0xffffffu;
    md = Md{};
    md.generation = generation == 0 ? 1 : generation;  // a cookie is never 0
    md.threshold = spec.threshold;
    md.options = spec.options;
    md.length = static_cast<uint32_t>(spec.buffer.size());
    md.max_size = spec.max_size;
    md.auto_unlink = spec.auto_unlink;
    md.live = true;
    md.start = spec.buffer.data();
    md.eq = spec.eq;
    md.user_data = spec.user_data;
    ++_live;
    return slot;
}

void MdTable::destroy(uint32_t slot)
{
    Md& md = _mds[slot];
    assert(md.live);
    md.live = false;
    md.attached = false;
    _free.push_back(slot);
    --_live;
}

uint32_t MdTable::slot_of(MdHandle handle) const
{
    if (handle.owner_core() != _core)
        return no_md;
    uint32_t slot = handle.slot();
    if (slot >= _mds.size() || !_mds[slot].live || _mds[slot].generation != handle.generation())
        return no_md;
    return slot;
}

Md* MdTable::find(MdHandle handle)
{
    uint32_t slot = slot_of(handle);
    return slot == no_md ? nullptr : &_mds[slot];
}

}  // namespace ostd::lnet
