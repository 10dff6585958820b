// The control core's loop (on EAL's main lcore): it drains every worker's
// event queue and serves what the events announce. Today it counts them;
// the LDLM and connection services plug in here.
#pragma once

#include <array>
#include <atomic>

#include "dataplane/dataplane.hpp"
#include "lnet_core/counter.hpp"

namespace ostd::control {

struct ControlStats {
    std::array<lnet::Counter, 7> events;  // by lnet::EventType (1..6)
    lnet::Counter loops;
    lnet::Counter idle_sleeps;
};

class ControlCore {
public:
    explicit ControlCore(dataplane::Dataplane& dataplane) : _dataplane(dataplane) {}

    // Returns once quit is set (signal, CLI `quit`, end of input).
    void run(const std::atomic<bool>& quit);
    const ControlStats& stats() const { return _stats; }

private:
    size_t drain_events();

    dataplane::Dataplane& _dataplane;
    ControlStats _stats;
};

}  // namespace ostd::control
