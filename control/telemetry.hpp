// ostd's rte_telemetry commands, read by dpdk-telemetry.py (-f <file prefix>):
//
//   /ostd/stats    totals: {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "lnet_messages",
//                  "lnet_received", "lnet_sent", "lnet_drops", "net_drops", "drops_total",
//                  "handoffs", "pushbacks", "events", "workers", "forwarding"}
//   /ostd/workers  one array per counter, indexed by worker: {"rx_packets": [..], ...}
//   /ostd/portals  portals in use, one row per (worker, portal) across parallel arrays:
//                  {"worker": [..], "portal": [..], "kind": [..], "lazy": [..], "entries": [..],
//                   "delayed": [..]}
//   /ostd/ldlm     the lock service: {"locks", "exports", "enqueues", "grants", "waits",
//                  "refusals", "speculative_refusals", "cancels", "expansions", "waiting",
//                  "blocking_asts", "completion_asts", "glimpse_asts", "glimpses",
//                  "ast_reply_timeouts", "evictions", "malformed"}
//
// The handlers run on DPDK's telemetry thread. They read Counters only; the
// match tables behind /ostd/portals are read on each worker's own core, the
// lock namespace behind /ostd/ldlm on the control core.
// rte_telemetry (22.11) cannot unregister a command, so the commands stay
// registered for the process's life and answer an error once detached.
#pragma once

#include "control/appliance_context.hpp"

namespace ostd::control {

class TelemetryEndpoints {
public:
    // EAL must be initialised. Registers the commands (once) and points
    // them at context until this object goes away.
    explicit TelemetryEndpoints(ApplianceContext& context);
    ~TelemetryEndpoints();
    TelemetryEndpoints(const TelemetryEndpoints&) = delete;
    TelemetryEndpoints& operator=(const TelemetryEndpoints&) = delete;
};

}  // namespace ostd::control
