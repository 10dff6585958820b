#include "lnet_core/match_table.hpp"

#include <algorithm>
#include <cassert>

namespace ostd::lnet {
namespace {

bool md_spec_valid(const MdSpec& spec)
{
    if (spec.threshold < threshold_infinite || spec.buffer.size() > UINT32_MAX)
        return false;
    if (spec.options & md_option::max_size)
        return spec.max_size > 0 && spec.max_size <= spec.buffer.size();
    return true;
}

}  // namespace

MatchTable::MatchTable(uint8_t owner_core, size_t unique_capacity)
    : _mds(owner_core), _unique(unique_capacity)
{
}

Result<MdHandle, AttachError> MatchTable::bind(const MdSpec& md)
{
    if (!md_spec_valid(md))
        return AttachError::bad_md;
    return _mds.handle(_mds.create(md));
}

Result<MdHandle, AttachError> MatchTable::attach(const MatchSpec& me, const MdSpec& spec, Position position)
{
    if (me.portal >= portal_count)
        return AttachError::bad_portal;
    if (!md_spec_valid(spec))
        return AttachError::bad_md;
    Portal& portal = _portals[me.portal];
    PortalKind wanted = me.is_unique() ? PortalKind::unique : PortalKind::wildcard;
    if (portal.kind != PortalKind::unset && portal.kind != wanted)
        return AttachError::wrong_portal_kind;
    portal.kind = wanted;

    uint32_t slot = _mds.create(spec, &me);
    const Md& md = _mds.at(slot);
    ++portal.entries;
    ++_layout;

    if (wanted == PortalKind::unique) {
        UniqueChain& chain = _unique.find_or_insert(key_of(md));
        List list{chain.head, chain.tail};
        link(list, slot, position);
        chain = {list.head, list.tail};
    } else {
        link(list_of(md), slot, position);
    }
    return _mds.handle(slot);
}

MatchTable::List& MatchTable::list_of(const Md& md)
{
    Portal& portal = _portals[md.portal];
    return md.ignore_bits != 0 ? portal.ignoring : portal.exact;
}

void MatchTable::link(List& list, uint32_t slot, Position position)
{
    Md& md = _mds.at(slot);
    if (position == Position::before) {
        md.prev = no_md;
        md.next = list.head;
        if (list.head != no_md)
            _mds.at(list.head).prev = slot;
        list.head = slot;
        if (list.tail == no_md)
            list.tail = slot;
    } else {
        md.next = no_md;
        md.prev = list.tail;
        if (list.tail != no_md)
            _mds.at(list.tail).next = slot;
        list.tail = slot;
        if (list.head == no_md)
            list.head = slot;
    }
}

void MatchTable::unlink_from(List& list, uint32_t slot)
{
    Md& md = _mds.at(slot);
    if (md.prev != no_md)
        _mds.at(md.prev).next = md.next;
    else
        list.head = md.next;
    if (md.next != no_md)
        _mds.at(md.next).prev = md.prev;
    else
        list.tail = md.prev;
}

void MatchTable::unlink_slot(uint32_t slot)
{
    Md& md = _mds.at(slot);
    assert(md.live);
    if (md.attached) {
        Portal& portal = _portals[md.portal];
        if (portal.kind == PortalKind::unique) {
            UniqueKey key = key_of(md);
            UniqueChain* chain = _unique.find(key);
            assert(chain);
            List list{chain->head, chain->tail};
            unlink_from(list, slot);
            if (list.head == no_md)
                _unique.erase(key);
            else
                *chain = {list.head, list.tail};
        } else {
            unlink_from(list_of(md), slot);
        }
        --portal.entries;
        ++_layout;
    }
    _mds.destroy(slot);
}

bool MatchTable::unlink(MdHandle handle)
{
    uint32_t slot = _mds.slot_of(handle);
    if (slot == no_md)
        return false;
    unlink_slot(slot);
    return true;
}

MatchOutcome MatchTable::try_match(const Md& md, const MatchRequest& request)
{
    MatchOutcome out;
    if (md.exhausted())
        return out;
    uint32_t op = request.op == MsgType::get ? md_option::op_get : md_option::op_put;
    if (!(md.options & op))
        return out;
    if ((md.match_bits ^ request.match_bits) & ~md.ignore_bits)
        return out;
    if (md.match_pid != pid_any && md.match_pid != request.initiator.pid)
        return out;
    if (!md.match_nid.is_any() && md.match_nid != request.initiator.nid)
        return out;

    out.offset = (md.options & md_option::manage_remote) ? request.roffset : md.local_offset;
    uint32_t available = out.offset <= md.length ? md.length - out.offset : 0;
    if (md.options & md_option::max_size)
        available = std::min(available, md.max_size);
    if (request.rlength <= available) {
        out.mlength = request.rlength;
    } else if (md.options & md_option::truncate) {
        out.mlength = available;
    } else {
        out.result = MatchResult::drop;  // too long: the search ends here
        return out;
    }
    out.result = MatchResult::ok;
    return out;
}

MatchOutcome MatchTable::match_chain(uint32_t slot, const MatchRequest& request) const
{
    for (; slot != no_md; slot = _mds.at(slot).next) {
        MatchOutcome out = try_match(_mds.at(slot), request);
        if (out.result != MatchResult::none) {
            out.slot = slot;
            return out;
        }
    }
    return {};
}

MatchOutcome MatchTable::match(const MatchRequest& request) const
{
    if (request.portal >= portal_count)
        return {};
    const Portal& portal = _portals[request.portal];
    switch (portal.kind) {
    case PortalKind::unset:
        return {};
    case PortalKind::unique: {
        const UniqueChain* chain = _unique.find(key_of(request));
        return chain ? match_chain(chain->head, request) : MatchOutcome{};
    }
    case PortalKind::wildcard: {
        MatchOutcome out = match_chain(portal.ignoring.head, request);
        return out.result != MatchResult::none ? out : match_chain(portal.exact.head, request);
    }
    }
    return {};
}

void MatchTable::plan(MatchPlan& p) const
{
    uint32_t portal = p.request.portal;
    p.located = false;
    p.unique = portal < portal_count && _portals[portal].kind == PortalKind::unique;
    if (p.unique) {
        p.key_hash = UniqueMeTable::hash(key_of(p.request));
        _unique.prefetch(p.key_hash);
    }
}

void MatchTable::locate(MatchPlan& p) const
{
    if (!p.unique)
        return;
    const UniqueChain* chain = _unique.find(key_of(p.request), p.key_hash);
    p.head = chain ? chain->head : no_md;
    p.layout = _layout;
    p.located = true;
    if (p.head != no_md) {
        __builtin_prefetch(&_mds.at(p.head));
        __builtin_prefetch(&_mds.memory(p.head));  // delivery reads its EQ and memory
    }
}

MatchOutcome MatchTable::match(const MatchPlan& p) const
{
    if (!p.located || p.layout != _layout)
        return match(p.request);
    return match_chain(p.head, p.request);
}

void MatchTable::match_burst(std::span<const MatchRequest> requests, std::span<MatchOutcome> outcomes) const
{
    constexpr size_t max_burst = 64;
    assert(outcomes.size() >= requests.size());
    for (size_t start = 0; start < requests.size(); start += max_burst) {
        size_t n = std::min(max_burst, requests.size() - start);
        MatchPlan plans[max_burst];
        for (size_t i = 0; i < n; ++i) {
            plans[i].request = requests[start + i];
            plan(plans[i]);
        }
        for (size_t i = 0; i < n; ++i)
            locate(plans[i]);
        for (size_t i = 0; i < n; ++i)
            outcomes[start + i] = match(plans[i]);
    }
}

bool MatchTable::commit(const MatchOutcome& outcome)
{
    assert(outcome.result == MatchResult::ok);
    Md& md = _mds.at(outcome.slot);
    if (!(md.options & md_option::manage_remote))
        md.local_offset = outcome.offset + outcome.mlength;
    return consume(outcome.slot);
}

bool MatchTable::consume(uint32_t slot)
{
    Md& md = _mds.at(slot);
    if (md.threshold != threshold_infinite && md.threshold > 0)
        --md.threshold;
    if (md.auto_unlink && md.exhausted()) {
        unlink_slot(slot);
        return true;
    }
    return false;
}

bool MatchTable::set_lazy(uint32_t portal, bool lazy)
{
    if (portal >= portal_count || _portals[portal].kind == PortalKind::unique)
        return false;
    _portals[portal].kind = PortalKind::wildcard;
    _portals[portal].lazy = lazy;
    return true;
}

}  // namespace ostd::lnet
