// A worker's counters: written only by the worker, read by CLI and telemetry.
#pragma once

#include <array>

#include "dataplane/net_drop.hpp"
#include "lnet_core/counter.hpp"

namespace ostd::dataplane {

struct WorkerStats {
    lnet::Counter rx_packets;
    lnet::Counter rx_bytes;
    lnet::Counter tx_packets;
    lnet::Counter tx_bytes;
    lnet::Counter arp_replies;
    lnet::Counter icmp_replies;
    lnet::Counter lnet_messages;   // datagrams handed to LNET
    lnet::Counter handoffs_out;    // sent to their owner worker
    lnet::Counter handoffs_in;
    lnet::Counter pushbacks;       // messages held back for a later poll
    lnet::Counter idle_sleeps;
    lnet::Counter commands;
    std::array<lnet::Counter, 7> events;  // drained from its own EQ, by lnet::EventType (1..6)
    lnet::Counter unclaimed_events;       // for a service no handler was registered for
    NetDropCounters drops;

    void reset()
    {
        for (lnet::Counter* c : {&rx_packets, &rx_bytes, &tx_packets, &tx_bytes, &arp_replies, &icmp_replies,
                                 &lnet_messages, &handoffs_out, &handoffs_in, &pushbacks, &idle_sleeps, &commands})
            c->reset();
        for (lnet::Counter& c : events)
            c.reset();
        unclaimed_events.reset();
        drops.reset();
    }
};

}  // namespace ostd::dataplane
