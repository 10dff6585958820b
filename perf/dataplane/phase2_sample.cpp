#include "perf/dataplane/phase2_sample.hpp"

#include <rte_ethdev.h>

#include <string>

namespace ostd::perf {

Phase2Sample take_phase2_sample(dataplane::Dataplane& dp, std::chrono::steady_clock::time_point start)
{
    Phase2Sample s;
    s.time = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rte_eth_stats port{};
    if (rte_eth_stats_get(dp.port().id(), &port) == 0)
        s.port_rx = port.ipackets;
    for (auto& worker : dp.workers()) {
        const dataplane::WorkerStats& stats = worker->stats();
        const lnet::EndpointCounters& counters = worker->endpoint().counters();
        s.lnet_messages += stats.lnet_messages.get();
        s.pushbacks += stats.pushbacks.get();
        s.matched += counters.matched.get();
        for (size_t i = 0; i < s.net_drops.size(); ++i)
            s.net_drops[i] += stats.drops.get(static_cast<dataplane::NetDrop>(i));
        for (size_t i = 0; i < s.lnet_drops.size(); ++i)
            s.lnet_drops[i] += counters.drops.get(static_cast<lnet::DropReason>(i));
        s.events += stats.events[static_cast<size_t>(lnet::EventType::put)].get();  // drained by the worker itself
    }
    return s;
}

void fill_phase2(const Phase2Sample& before, const Phase2Sample& after, BenchResult& result)
{
    result.full_seconds = after.time - before.time;
    result.received = after.port_rx - before.port_rx;
    result.lnet_messages = after.lnet_messages - before.lnet_messages;
    result.pushbacks = after.pushbacks - before.pushbacks;
    result.matched = after.matched - before.matched;
    result.events = after.events - before.events;
    result.drops = 0;
    for (size_t i = 0; i < after.net_drops.size(); ++i)
        if (uint64_t n = after.net_drops[i] - before.net_drops[i]) {
            result.drops += n;
            result.drop_reasons.push_back(std::string(dataplane::net_drop_name(static_cast<dataplane::NetDrop>(i))) +
                                          "=" + std::to_string(n));
        }
    for (size_t i = 0; i < after.lnet_drops.size(); ++i)
        if (uint64_t n = after.lnet_drops[i] - before.lnet_drops[i]) {
            result.drops += n;
            result.drop_reasons.push_back(std::string(lnet::drop_reason_name(static_cast<lnet::DropReason>(i))) +
                                          "=" + std::to_string(n));
        }
}

}  // namespace ostd::perf
