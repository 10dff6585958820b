#include "lnet_core/md_table.hpp"

#include <cassert>

namespace ostd::lnet {

Md describe_md(const MdSpec& spec, const MatchSpec* me)
{
    Md md;
    md.threshold = spec.threshold;
    md.options = spec.options;
    md.length = static_cast<uint32_t>(spec.buffer.size());
    md.max_size = spec.max_size;
    md.auto_unlink = spec.auto_unlink;
    md.live = true;
    if (me) {
        md.match_bits = me->match_bits;
        md.ignore_bits = me->ignore_bits;
        md.match_nid = me->match_id.nid;
        md.match_pid = me->match_id.pid;
        md.portal = static_cast<uint8_t>(me->portal);
        md.attached = true;
    }
    return md;
}

uint32_t MdTable::create(const MdSpec& spec, const MatchSpec* me)
{
    uint32_t slot;
    if (!_free.empty()) {
        slot = _free.back();
        _free.pop_back();
    } else {
        slot = static_cast<uint32_t>(_mds.size());
        _mds.emplace_back();
        _memory.emplace_back();
    }
    uint32_t generation = (_mds[slot].generation + 1) & 0xffffffu;
    _mds[slot] = describe_md(spec, me);
    _mds[slot].generation = generation == 0 ? 1 : generation;  // a cookie is never 0
    _memory[slot] = MdMemory{spec.buffer.data(), spec.eq, spec.user_data};
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
