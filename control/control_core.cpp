#include "control/control_core.hpp"

#include <rte_cycles.h>
#include <rte_pause.h>

namespace ostd::control {

size_t ControlCore::drain_events()
{
    size_t total = 0;
    lnet::Event events[32];
    for (auto& worker : _dataplane.workers()) {
        size_t n = worker->eq().poll_burst(events);
        for (size_t i = 0; i < n; ++i)
            _stats.events[static_cast<size_t>(events[i].type)].add();
        total += n;
    }
    return total;
}

void ControlCore::run(const std::atomic<bool>& quit)
{
    const auto& poll = _dataplane.config().poll;
    uint32_t idle = 0;
    while (!quit.load(std::memory_order_relaxed)) {
        _stats.loops.add();
        if (drain_events() > 0) {
            idle = 0;
            continue;
        }
        // The control core sleeps when idle whatever the poll mode: its work
        // arrives in batches and a millisecond of latency costs nothing.
        if (++idle < poll.idle_polls_before_sleep) {
            rte_pause();
            continue;
        }
        _stats.idle_sleeps.add();
        rte_delay_us_sleep(std::max<uint32_t>(poll.sleep_us, 200));
    }
}

}  // namespace ostd::control
