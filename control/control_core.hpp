// The control core's loop (on EAL's main lcore). Workers serve their own LNET
// events; what needs the control core (LDLM, connections) will reach it
// through a ring per worker, drained here. Until then it only waits.
#pragma once

#include <array>
#include <atomic>

#include "dataplane/dataplane.hpp"
#include "lnet_core/counter.hpp"

namespace ostd::control {

struct ControlStats {
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
    size_t serve_workers();

    dataplane::Dataplane& _dataplane;
    ControlStats _stats;
};

}  // namespace ostd::control
