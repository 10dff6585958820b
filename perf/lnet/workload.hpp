// The match-unique workload every matching benchmark shares: the MEs a server
// exposes for its peers' bulk and reply traffic, and the incoming messages
// that hit them.
//
// A few hundred peers (10.0.x.y@tcp, pid 12345), each with its own xid base
// (taken, as Lustre does, from the peer's boot time) and MEs whose match bits
// step by 128 from it. MEs are attached round-robin over the peers, as
// requests arriving from many clients would post them. Lookups are every ME
// in a shuffled order, repeated up to a power-of-two count much larger than
// the caches, so each match is a hit at a random position.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "lnet_core/match_table.hpp"

namespace ostd::perf::lnet {

using ostd::lnet::MatchRequest;
using ostd::lnet::MatchSpec;

struct WorkloadShape {
    size_t mes = 1000;
    size_t peers = 384;
    uint32_t portal = 8;             // OST_BULK_PORTAL
    uint64_t xid_step = 128;
    uint32_t message_bytes = 1024;   // rlength of each incoming PUT
    size_t min_requests = size_t{1} << 20;  // 48 MiB of requests: beyond any cache
    uint64_t seed = 42;
};

struct Workload {
    std::vector<MatchSpec> mes;          // in attach order
    std::vector<MatchRequest> requests;  // power-of-two count, shuffled hits
};

inline ostd::lnet::ProcessId workload_peer(size_t peer)
{
    uint32_t x = static_cast<uint32_t>(peer / 250);
    uint32_t y = static_cast<uint32_t>(peer % 250 + 1);
    return {ostd::lnet::Nid::tcp(0x0a000000u | (x << 8) | y), ostd::lnet::lustre_pid};
}

inline Workload make_workload(const WorkloadShape& shape)
{
    std::mt19937_64 rng(shape.seed);
    std::vector<uint64_t> xid_base(shape.peers);
    for (uint64_t& base : xid_base) {
        uint64_t boot_seconds = 1'700'000'000u + rng() % 10'000'000u;
        base = boot_seconds << 20;  // a multiple of 128, like ptlrpc's first xid
    }

    Workload w;
    w.mes.reserve(shape.mes);
    for (size_t i = 0; i < shape.mes; ++i) {
        size_t peer = i % shape.peers;
        uint64_t bits = xid_base[peer] + (i / shape.peers) * shape.xid_step;
        w.mes.push_back(MatchSpec{shape.portal, workload_peer(peer), bits, 0});
    }

    size_t count = std::bit_ceil(std::max(shape.mes, shape.min_requests));
    w.requests.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        const MatchSpec& me = w.mes[i % shape.mes];
        MatchRequest request;
        request.op = ostd::lnet::MsgType::put;
        request.initiator = me.match_id;
        request.portal = me.portal;
        request.match_bits = me.match_bits;
        request.rlength = shape.message_bytes;
        w.requests.push_back(request);
    }
    std::shuffle(w.requests.begin(), w.requests.end(), rng);
    return w;
}

}  // namespace ostd::perf::lnet
