// Phase 2's counters, read from the main lcore while the worker runs: every
// one is a single-writer counter its owner publishes (lnet::Counter), so
// reading them from here is race-free. The difference of two samples is what
// the measured window did.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

#include "dataplane/dataplane.hpp"
#include "lnet_core/drop_reason.hpp"
#include "perf/dataplane/bench_report.hpp"

namespace ostd::perf {

struct Phase2Sample {
    double time = 0;            // seconds since the phase started
    uint64_t port_rx = 0;       // the port's RX count (what the worker took)
    uint64_t lnet_messages = 0;
    uint64_t pushbacks = 0;     // worker: messages held back
    uint64_t matched = 0;
    uint64_t events = 0;        // PUT events drained by the control core
    std::array<uint64_t, dataplane::net_drop_count> net_drops{};
    std::array<uint64_t, lnet::drop_reason_count> lnet_drops{};
};

Phase2Sample take_phase2_sample(dataplane::Dataplane& dp, std::chrono::steady_clock::time_point start);

void fill_phase2(const Phase2Sample& before, const Phase2Sample& after, BenchResult& result);

}  // namespace ostd::perf
