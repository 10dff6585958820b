// BENCHMARK-ONLY BASELINE, not used by ostd: Lustre's match table for a
// match-unique portal (lib-ptl.c), 256 fixed hash chains of heap-allocated
// MEs. The chain is picked as lnet_mt_match_head does: hash_long(match bits +
// NID + pid, LNET_MT_HASH_BITS = 8); the chain is then walked in order.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "perf/lnet/baseline_me_list.hpp"

namespace ostd::perf::lnet {

class BaselineChained256 {
public:
    static constexpr unsigned hash_bits = 8;
    static constexpr size_t chain_count = size_t{1} << hash_bits;

    // Linux's hash_64 (include/linux/hash.h), which hash_long is on 64 bits.
    static size_t chain_of(uint64_t match_bits, ostd::lnet::ProcessId id)
    {
        uint64_t hash = match_bits + id.nid.value + id.pid;
        return static_cast<size_t>((hash * 0x61C8864680B583EBull) >> (64 - hash_bits));
    }

    void attach(const MatchSpec& me, const MdSpec& spec, Position position)
    {
        auto& chains = _portals[me.portal];
        if (!chains)
            chains = std::make_unique<Chains>();
        (*chains)[chain_of(me.match_bits, me.match_id)].insert(baseline_md(me, spec), position);
    }

    ostd::lnet::MatchOutcome match(const MatchRequest& request) const
    {
        if (request.portal >= ostd::lnet::portal_count || !_portals[request.portal])
            return {};
        const Chains& chains = *_portals[request.portal];
        return chains[chain_of(request.match_bits, request.initiator)].match(request);
    }

private:
    using Chains = std::array<BaselineMeList, chain_count>;
    std::array<std::unique_ptr<Chains>, ostd::lnet::portal_count> _portals;
};

}  // namespace ostd::perf::lnet
